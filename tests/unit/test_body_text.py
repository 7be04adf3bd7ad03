"""The body's lines as positioned text: shaped with the real fonts, placed as the breaker set them."""

from __future__ import annotations

import re

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.print.body_text import Glyph, SetLine, _attaches, _units, baseline, draw, set_line
from publisher.print.pdf_fonts import parse_to_unicode, parse_widths, to_unicode_cmap, widths_array
from publisher.print.sheet_jobs import partition
from publisher.typeset.cjk.breaking import Span, set_paragraph
from publisher.typeset.fonts import primary

WIDTH, SIZE = 128.9197, 9.0
MIXED = ("据统计，11月全市新增确诊病例增长5.2%，COVID-19疫苗加强针接种率超过90%。“要快！”“再快！”……"
         "市民可拨打12345热线或登录www.example.cn查询——核酸检测点已增至1,024个。同济大学（Tongji University）的专家")


def glyphs(line: SetLine) -> list[Glyph]:
    return [g for segment in line.segments for g in segment.glyphs]


def right_edge(line: SetLine) -> float:
    visible = [g for g in glyphs(line) if g.text.strip()]
    return visible[-1].x + visible[-1].advance


def test_every_justified_line_ends_on_the_column_edge_and_keeps_every_character() -> None:
    lines = set_paragraph([Span("晚报讯", 700, 1.0), Span(MIXED * 2)], WIDTH, SIZE)
    for line in lines:
        set_ = set_line(line, SIZE)
        assert set_.text == line.text
        if not line.last:
            assert right_edge(set_) == pytest.approx(line.indent_pt + line.measure_pt, abs=0.01), line.text


def test_the_dateline_is_bold_latin_is_unspaced_and_compressed_marks_are_half_width() -> None:
    [first, *_] = set_paragraph([Span("晚报讯", 700, 1.0), Span(MIXED)], WIDTH, SIZE)
    line = set_line(first, SIZE)
    assert line.segments[0].face.weight == 700 and "".join(g.text for g in line.segments[0].glyphs) == "晚报讯"
    assert line.segments[0].spacing > 0
    runs = [set_line(line, SIZE) for line in set_paragraph([Span(MIXED)], WIDTH, SIZE)]
    latin = [s for line in runs for s in line.segments if any(g.text in ("COVID", "5", "1") for g in s.glyphs)]
    assert latin and all(s.spacing == 0 for s in latin)
    halt = next(
        set_line(line, SIZE) for line in set_paragraph([Span("“要快！”“再快！”" * 6)], WIDTH, SIZE)
        if "”“" in line.text)
    closing = [g for g in glyphs(halt) if g.text == "”"]
    assert any(g.advance == pytest.approx(SIZE / 2) for g in closing)  # the first of two marks, compressed


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="中文排版测试，。、“”（）《》——……abcXYZ 0123456789%", min_size=1, max_size=160))
def test_any_paragraph_keeps_its_text_and_its_order(text: str) -> None:
    for line in set_paragraph([Span(text)], WIDTH, SIZE):
        set_ = set_line(line, SIZE)
        assert set_.text == line.text
        xs = [g.x for g in glyphs(set_)]
        assert xs == sorted(xs)


def test_the_baseline_sits_as_css_puts_it() -> None:
    # Noto Serif CJK: ascent 1.151 em, descent 0.286 em; the half-leading of a 13.05 pt line above.
    assert primary("serif").family == "Noto Serif CJK SC"
    assert baseline(13.05, 9.0) == pytest.approx((13.05 - 1.437 * 9) / 2 + 1.151 * 9)


def test_drawn_text_positions_each_segment_and_spaces_by_tc() -> None:
    line = set_line(set_paragraph([Span("测试COVID测试" * 12)], WIDTH, SIZE)[0], SIZE)
    ops = draw([line], {line.segments[0].face: "F1"}, size=SIZE, pitch=13.05, baseline_pt=10.0,
               color=(0.0, 0.0, 0.0)).decode()
    # A text matrix per segment (readers disagree on the spacing after a TJ's last glyph).
    assert ops.count(" Tm") == len(line.segments) >= 1
    assert re.search(r"^/F1 12 Tf$", ops, re.M)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(ops.encode())
    operators = [str(operator) for _, operator in pikepdf.parse_content_stream(pdf.pages[0])]
    assert operators[:2] == ["BT", "rg"] and operators[-1] == "ET" and "Tc" in operators


def test_widths_and_tounicode_round_trip() -> None:
    widths = {1: 1000.0, 2: 1000.0, 5: 500.0, 700: 585.5}
    assert parse_widths(widths_array(widths)) == widths
    mapping = {3: "中", 4: "——", 0x1F: "𠀁", 9: " "}
    assert parse_to_unicode(to_unicode_cmap(mapping)) == mapping


@pytest.mark.parametrize(("count", "jobs", "expected"), [
    (16, 2, [(0, 8), (8, 16)]),
    (5, 3, [(0, 2), (2, 4), (4, 5)]),
    (1, 4, [(0, 1)]),
    (7, 1, [(0, 7)]),
    (4, 8, [(0, 2), (2, 4)]),
])
def test_parts_start_on_even_sheets(count: int, jobs: int, expected: list[tuple[int, int]]) -> None:
    assert partition(count, jobs) == expected


def test_a_unit_takes_every_character_that_attaches_and_no_other() -> None:
    # The expression that cuts the units and the test of a character that attaches name the same characters.
    candidates = [chr(cp) for cp in [*range(0x20, 0x3100), *range(0xFE00, 0xFE20), *range(0xE0100, 0xE01F0)]
                  if not 0xD800 <= cp <= 0xDFFF]
    for ch in candidates:
        units = list(_units("中" + ch, latin=False))
        assert (units == ["中" + ch]) == _attaches(ch), repr(ch)
    assert list(_units("说——好……吧", latin=False)) == ["说", "——", "好", "……", "吧"]
    assert list(_units("—\u0301—x", latin=False)) == ["—\u0301", "—", "x"]
