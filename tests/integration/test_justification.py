"""Proof of the print justification with the real WeasyPrint, the real fonts and the lint.

A tabloid page (280 × 430 mm, five columns) holds the seed's paragraphs, set
by ``publisher.cjk.set_paragraph`` and rendered through the ``paragraph``
macro of ``layouts/print/_lines.html``; the typography lint reads the PDF back.
The same text with plain ``text-align: justify`` is the baseline.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import pytest
import weasyprint
from pdfminer.high_level import extract_text

from publisher.cjk import Line, Span, set_paragraph
from publisher.linegroups import group_lines
from publisher.lint import TypographyReport, lint_pdf

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
.plain p { margin: 0; text-indent: 2em; text-align: justify; }
.plain b { margin-right: 1em; }
{{ css | safe }}
</style></head><body><div class="cols">
{%- for item in items %}
{%- if item.heading %}<h2>{{ item.heading }}</h2>
{%- elif plain %}<p>{% if item.dateline %}<b>{{ item.dateline }}</b>{% endif %}{{ item.text }}</p>
{%- else %}{{ lines.paragraph(item.lines) }}{% endif %}
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

    Simple on purpose: the real parser belongs to ``publisher.parse``.
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


def env() -> jinja2.Environment:
    e = jinja2.Environment(
        loader=jinja2.FileSystemLoader(LAYOUTS), autoescape=True, undefined=jinja2.StrictUndefined
    )
    e.filters["line_groups"] = group_lines  # as publisher.layouts registers it
    return e


def render(items: list[Item], *, plain: bool) -> bytes:
    e = env()
    template = e.from_string(PAGE)
    html = template.render(
        w=PAGE_W,
        h=PAGE_H,
        m=MARGIN,
        n=COLUMNS,
        gap=GAP,
        size=FONT_PT,
        plain=plain,
        css=(LAYOUTS / "print" / "lines.css").read_text(encoding="utf-8"),
        lines=e.get_template("print/_lines.html").module,
        items=items,
    )
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(LAYOUTS)).write_pdf()
    return pdf


def page_items() -> list[Item]:
    items = seed_items()
    mixed = Item(dateline="晚报讯", text=MIXED * 3)
    return [*items, mixed, *items]


@cache
def justified() -> tuple[bytes, float, int]:
    items = page_items()
    t = time.perf_counter()
    set_items = [
        i if i.heading else Item(i.heading, i.dateline, i.text, tuple(set_paragraph(spans(i), COLUMN_PT, FONT_PT)))
        for i in items
    ]
    elapsed = time.perf_counter() - t
    return render(set_items, plain=False), elapsed, sum(len(i.lines) for i in set_items)


@pytest.fixture(scope="module")
def report() -> TypographyReport:
    return lint_pdf(justified()[0], column_width_pt=COLUMN_PT)


def test_no_prohibited_line_starts_or_ends(report: TypographyReport) -> None:
    assert report.body_lines > 300
    assert (report.prohibited_starts, report.prohibited_ends) == (0, 0), report.findings


def test_justified_lines_end_flush(report: TypographyReport) -> None:
    assert report.justified > 300
    assert report.flush_share >= 0.98, [f for f in report.findings if f.code == "not-flush"]


def test_lint_finds_the_column_edge_by_itself() -> None:
    inferred = lint_pdf(justified()[0])
    assert inferred.flush_share >= 0.98


def test_the_text_layer_has_every_character_once() -> None:
    """Line blocks and spacing neither drop nor add characters in the PDF text layer."""
    text = extract_text(io.BytesIO(justified()[0]))
    source = "".join(i.heading + i.dateline + i.text for i in page_items())
    assert Counter(re.sub(r"\s", "", text)) == Counter(re.sub(r"\s", "", source))


def test_plain_justify_is_the_worse_baseline(report: TypographyReport) -> None:
    plain = lint_pdf(render(page_items(), plain=True), column_width_pt=COLUMN_PT)
    print(
        f"\nflush: engine {report.flush_share:.1%} of {report.justified}, "
        f"text-align: justify {plain.flush_share:.1%} of {plain.justified}; "
        f"set_paragraph {justified()[1] * 1000:.0f} ms for {justified()[2]} lines"
    )
    assert plain.flush_share < report.flush_share
