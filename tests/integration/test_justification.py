"""Proof of the print justification with the real build, the real fonts and the lint.

An issue of one printed page holds the seed's paragraphs (twice, and a
paragraph of mixed Chinese, Latin and figures), set by
``publisher.typeset.cjk.breaking.set_paragraph`` and drawn by the print edition as it is built
(``publisher.print.body_text``); the typography lint reads the PDF back. The same
text laid out by WeasyPrint with plain ``text-align: justify`` on a tabloid
page (280 × 430 mm, five columns) is the baseline.
"""

from __future__ import annotations

import io
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import pytest
import weasyprint

from publisher.build import BuildOptions, build
from publisher.check.lint import TypographyReport, lint_pdf
from publisher.ingest.issue_yaml import load_issue
from publisher.typeset.cjk.breaking import Line, Span, set_paragraph
from publisher.typeset.geometry import load_geometry

ROOT = Path(__file__).resolve().parents[2]
SEED_PAGE = ROOT / "seeds" / "a1.txt"
LAYOUTS = ROOT / "layouts"

MM = 72 / 25.4
PAGE_W, PAGE_H, MARGIN, GAP, COLUMNS = 280, 430, 15, 6, 5
FONT_PT = 9.0
COLUMN_PT = ((PAGE_W - 2 * MARGIN) - (COLUMNS - 1) * GAP) / COLUMNS * MM

MIXED = (
    "据统计，11月全市新增确诊病例增长5.2%，COVID-19疫苗加强针接种率超过90%。"
    "2022年11月28日12:30，市疫情防控指挥部召开第120次新闻发布会（线上），"
    "通报“外防输入、内防反弹”落实情况：“要快！”“再快！”……"
    "市民可拨打12345热线或登录www.example.cn查询——核酸检测点已增至1,024个。"
)

PAGE = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><style>
@page { size: {{ w }}mm {{ h }}mm; margin: {{ m }}mm; }
body { margin: 0; font-family: "Noto Serif CJK SC", "HanaMinA", "HanaMinB";
       font-size: {{ size }}pt; line-height: 1.5; }
.cols { columns: {{ n }}; column-gap: {{ gap }}mm; column-fill: auto; }
h2 { font-family: "Noto Sans CJK SC"; font-size: 14pt; margin: 0 0 4pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
b { margin-right: 1em; }
</style></head><body><div class="cols">
{%- for item in items %}
{%- if item.heading %}<h2>{{ item.heading }}</h2>
{%- else %}<p>{% if item.dateline %}<b>{{ item.dateline }}</b>{% endif %}{{ item.text }}</p>{% endif %}
{%- endfor %}
</div></body></html>
"""


@dataclass(frozen=True)
class Item:
    heading: str = ""
    dateline: str = ""
    text: str = ""
    lines: tuple[Line, ...] = ()


def seed_items() -> list[Item]:
    """Headlines and long paragraphs of the seed page, commas made full-width.

    Simple on purpose: the real parser belongs to ``publisher.ingest.parse``.
    """
    items = []
    for block in SEED_PAGE.read_text(encoding="utf-8").split("\n\n"):
        block = block.strip().replace(",", "，")
        if block.startswith("#"):
            items.append(Item(heading=block.lstrip("# ")))
            continue
        if len(block) < 60:
            continue
        dateline = ""
        if m := re.match(r"\*\*(.+?)\*\*\s*", block):
            dateline, block = m.group(1), block[m.end() :]
        items.append(Item(dateline=dateline, text=block))
    return items


def spans(item: Item) -> list[Span]:
    head = [Span(item.dateline, 700, gap_after_em=1.0)] if item.dateline else []
    return [*head, Span(item.text)]


def render_plain(items: list[Item]) -> bytes:
    """The items laid out by WeasyPrint alone: its own breaking, ``text-align: justify``."""
    e = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    html = e.from_string(PAGE).render(w=PAGE_W, h=PAGE_H, m=MARGIN, n=COLUMNS, gap=GAP, size=FONT_PT, items=items)
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(LAYOUTS)).write_pdf()
    return pdf


def page_items() -> list[Item]:
    items = seed_items()
    mixed = Item(dateline="晚报讯", text=MIXED * 3)
    return [*items, mixed, *items]


def page_text(items: list[Item]) -> str:
    """The items as a page file of the paper: headlines, and paragraphs with their datelines."""
    blocks = [f"# {i.heading}" if i.heading else (f"**{i.dateline}** " if i.dateline else "") + i.text for i in items]
    return "\n\n".join(blocks) + "\n"


@cache
def justified() -> tuple[bytes, float, int, float, Path]:
    """The built PDF, the time set_paragraph takes for the items, their lines, the column width, the issue."""
    items = page_items()
    t = time.perf_counter()
    lines = sum(len(set_paragraph(spans(i), COLUMN_PT, FONT_PT)) for i in items if not i.heading)
    elapsed = time.perf_counter() - t
    folder = Path(tempfile.mkdtemp(prefix="justification-"))
    (folder / "a1.txt").write_text(page_text(items), encoding="utf-8")
    issue = folder / "issue.yaml"
    issue.write_text("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n",
                     encoding="utf-8")
    [pdf] = build(issue, folder / "out", BuildOptions(json=False, pdf=True, epub=False))
    loaded = load_issue(issue)
    column = load_geometry(loaded.page_size, loaded.layout).column_width
    return pdf.read_bytes(), elapsed, lines, column, issue


@pytest.fixture(scope="module")
def report() -> TypographyReport:
    return lint_pdf(justified()[0], column_width_pt=justified()[3])


def test_no_prohibited_line_starts_or_ends(report: TypographyReport) -> None:
    assert report.body_lines > 300
    assert (report.prohibited_starts, report.prohibited_ends) == (0, 0), report.findings


def test_justified_lines_end_flush(report: TypographyReport) -> None:
    assert report.justified > 300
    assert report.flush_share >= 0.98, [f for f in report.findings if f.code == "PDF013"]


def test_lint_finds_the_column_edge_by_itself() -> None:
    inferred = lint_pdf(justified()[0])
    assert inferred.flush_share >= 0.98


def test_the_text_layer_has_every_character_of_the_body_once() -> None:
    """The drawn lines neither drop nor add characters: the body's text layer (its face, at its size)
    holds the characters of the issue's paragraphs and their datelines, each as often as they are printed."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(item: object) -> list[LTChar]:
        if isinstance(item, LTChar):
            return [item]
        return [c for child in item for c in chars(child)] if hasattr(item, "__iter__") else []

    drawn = [c.get_text() for page in extract_pages(io.BytesIO(justified()[0])) for c in chars(page)
             if "Serif" in c.fontname and abs(c.size - FONT_PT) < 0.01]
    issue = load_issue(justified()[4])
    source = "".join((article.dateline.value if article.dateline else "")
                     + "".join(block.text.value for block in article.blocks if block.kind != "subhead")
                     for page in issue.pages for article in page.articles)
    assert Counter(re.sub(r"\s", "", "".join(drawn))) == Counter(re.sub(r"\s", "", source))


def test_plain_justify_is_the_worse_baseline(report: TypographyReport) -> None:
    plain = lint_pdf(render_plain(page_items()), column_width_pt=COLUMN_PT)
    print(
        f"\nflush: engine {report.flush_share:.1%} of {report.justified}, "
        f"text-align: justify {plain.flush_share:.1%} of {plain.justified}; "
        f"set_paragraph {justified()[1] * 1000:.0f} ms for {justified()[2]} lines"
    )
    assert plain.flush_share < report.flush_share
