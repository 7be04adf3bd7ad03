"""CJK–Latin space wherever text is set: kicker, headline, subheadline, subhead, byline,
masthead date line and page header, measured in the PDF the real WeasyPrint makes.

The space is a quarter em made by layout (a margin): the text layer has no
character there, and the gap between the glyphs is a quarter of the text's size.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar

from publisher.build import BuildOptions, build

Make = Callable[..., Path]

PAGE = """国家统计局发布Q3数据

# 前三季度GDP增幅5.2%

## ——2022年经济运行情况通报

**晚报讯** 昨天，国家统计局发布数据，前三季度国内生产总值增长5.2%，增速高于预期。经济运行总体平稳，就业形势稳定。

**相关链接G15改扩建**

G15沈海高速南通段将于2023年底前完成改扩建，届时通行能力提高一倍。 记者Li Ming
"""


def _chars(obj: Any) -> Iterator[Any]:
    if isinstance(obj, LTChar):
        yield obj
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from _chars(child)


def rows(pdf: Path) -> list[list[Any]]:
    """The characters of each baseline, left to right, exactly as the text layer has them."""
    out = []
    for page in extract_pages(pdf, laparams=LAParams()):
        by_baseline: dict[float, list[Any]] = {}
        for ch in _chars(page):
            by_baseline.setdefault(round(float(ch.matrix[5]), 1), []).append(ch)
        out += [sorted(row, key=lambda c: c.x0) for row in by_baseline.values()]
    return out


def gaps(pdf_rows: list[list[Any]], pair: str) -> list[float]:
    """The space between the two characters of ``pair`` wherever they stand side by side, in em."""
    found = []
    for row in pdf_rows:
        for a, b in itertools.pairwise(row):
            if a.get_text()[-1:] + b.get_text()[:1] == pair:  # a ligature (——) is one character of the layer
                found.append((b.x0 - a.x1) / max(a.size, b.size))
    return found


@pytest.fixture(scope="module")
def pdf_rows(tmp_path_factory: pytest.TempPathFactory) -> list[list[Any]]:
    folder = tmp_path_factory.mktemp("autospace")
    (folder / "a1.txt").write_text(PAGE, encoding="utf-8")
    (folder / "a2.txt").write_text("# 第二版\n\n正文。\n", encoding="utf-8")
    # The front page prints no page header (its masthead has the date): a second page shows it. The page's
    # one short story is held to three columns, where its kicker and headline stand on one line each.
    (folder / "issue.yaml").write_text(
        "paper: 测试晚报\ndate: 2022-11-28\nissue: 0123\npages:\n"
        "  - {number: A1, section: 要闻, file: a1.txt, spans: {1: 3}}\n"
        "  - {number: A2, section: NBA快讯, file: a2.txt}\n",
        encoding="utf-8",
    )
    [pdf] = build(folder / "issue.yaml", folder / "out", BuildOptions(json=False, pdf=True, epub=False))
    return rows(pdf)


@pytest.mark.parametrize(
    ("where", "pairs", "count"),
    [
        ("kicker", ["布Q", "3数"], 1),
        ("headline", ["度G", "P增", "幅5"], 1),
        ("subheadline", ["2年"], 3),  # and the masthead's and the page header's dates
        ("subhead", ["接G", "5改"], 1),
        ("byline", ["者L"], 1),
        ("masthead date line and page header", ["年1", "1月", "月2", "8日"], 2),
        ("masthead issue number", ["第0", "3期"], 1),
        ("page header section", ["A快"], 1),
    ],
)
def test_a_quarter_em_between_chinese_and_latin(
    pdf_rows: list[list[Any]], where: str, pairs: list[str], count: int
) -> None:
    for pair in pairs:
        found = gaps(pdf_rows, pair)
        assert len(found) == count, (where, pair, found)
        assert found == pytest.approx([0.25] * count, abs=0.02), (where, pair)


def test_no_space_where_no_ideograph_touches_the_latin(pdf_rows: list[list[Any]]) -> None:
    # A dash is not an ideograph: no space between it and the number.
    assert gaps(pdf_rows, "—2") == pytest.approx([0.0], abs=0.02)
