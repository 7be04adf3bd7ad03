"""Line breaking and justification rules of publisher.cjk, with the real fonts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.cjk import Line, Span, set_paragraph
from publisher.cjk.classes import LINE_END_PROHIBITED, LINE_START_PROHIBITED
from publisher.cjk.measure import measure

SIZE = 9.0
EM = SIZE


def lines_of(text: str, width_em: float, indent_em: float = 2.0) -> list[Line]:
    return set_paragraph([Span(text)], width_em * EM, SIZE, indent_em=indent_em)


def texts(lines: list[Line]) -> list[str]:
    return [ln.text for ln in lines]


def spaced_width(line: Line) -> float:
    """Width of the line as Pango draws it: advances, margins, spacing after each spaced character."""
    return line.natural_width_pt + line.letter_spacing_pt * gaps(line)


def gaps(line: Line) -> int:
    """Characters that get the line's spacing after them, before the last visible one."""
    chars = [(c, r.classes) for r in line.runs for c in r.text]
    while chars and chars[-1][0] == " ":
        chars.pop()
    chars.pop()  # the last visible character: its spacing, if any, falls past the edge
    return sum(1 for _, classes in chars if "latin" not in classes)


def test_advances_come_from_the_font() -> None:
    m = measure("serif", 400)
    assert m.advance("中") == 1.0
    assert m.halt_advance("，") == 0.5
    assert m.halt_advance("“") == 0.5
    assert m.advance("—") == 1.0  # full-width in Chinese, not the 0.89 em Latin dash
    assert sum(m.run("AV")) < m.advance("A") + m.advance("V")  # kerned as a word


def test_a_character_missing_from_noto_is_measured_in_the_fallback() -> None:
    m = measure("serif", 400)
    assert m.advance("\U0002a6a5") == pytest.approx(1.0)  # Extension B, from HanaMinB


def test_lines_fill_the_measure_and_the_first_is_indented() -> None:
    lines = lines_of("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳", 10.5)
    assert lines[0].indent_pt == 2 * EM and lines[1].indent_pt == 0
    assert texts(lines)[:2] == ["天地玄黄宇宙洪荒", "日月盈昃辰宿列张寒来"]
    for line in lines[:-1]:
        assert spaced_width(line) == pytest.approx(line.measure_pt, abs=0.01)
    assert lines[-1].last and lines[-1].letter_spacing_pt == 0


@pytest.mark.parametrize("mark", "，。、”）》：？！")
def test_no_line_starts_with_a_closing_mark(mark: str) -> None:
    lines = lines_of("一二三四五六七八九十" + mark + "甲乙丙", 10, indent_em=0)
    assert all(t[0] not in LINE_START_PROHIBITED for t in texts(lines))
    assert "".join(texts(lines)) == "一二三四五六七八九十" + mark + "甲乙丙"


@pytest.mark.parametrize("mark", "“（《「")
def test_no_line_ends_with_an_opening_mark(mark: str) -> None:
    lines = lines_of("一二三四五六七八九" + mark + "甲乙丙", 10, indent_em=0)
    assert texts(lines)[0][-1] not in LINE_END_PROHIBITED
    assert texts(lines)[0] == "一二三四五六七八九"  # the mark goes down (推出), the line spreads
    assert spaced_width(lines[0]) == pytest.approx(10 * EM, abs=0.01)


def test_a_space_after_an_opening_mark_is_no_break() -> None:
    # Found by hypothesis: breaking at the space left the line ending with “ (the space hangs).
    lines = lines_of("“ 中", 4, indent_em=0)
    for line in texts(lines)[:-1]:
        assert line.rstrip(" ")[-1] not in LINE_END_PROHIBITED
    assert "".join(texts(lines)) == "“ 中"


def test_a_line_end_comma_is_compressed_to_take_it_in() -> None:
    # 10.5 em: ten characters and a comma set half-width fit.
    lines = lines_of("一二三四五六七八九十，甲乙丙", 10.5, indent_em=0)
    assert texts(lines)[0] == "一二三四五六七八九十，"
    assert lines[0].runs[-1].classes == ("halt",)
    assert spaced_width(lines[0]) == pytest.approx(10.5 * EM, abs=0.01)


def test_pushes_a_character_when_compression_cannot_make_room() -> None:
    lines = lines_of("一二三四五六七八九十。甲乙丙", 10, indent_em=0)
    assert texts(lines)[:2] == ["一二三四五六七八九", "十。甲乙丙"]
    assert lines[0].letter_spacing_pt == pytest.approx(EM / 8)


@pytest.mark.parametrize("mark", ["——", "……"])
def test_dashes_and_ellipses_never_split(mark: str) -> None:
    for width in (8, 9, 10):
        lines = lines_of("一二三四五六七八" + mark + "甲乙丙丁", width, indent_em=0)
        assert not any(t.endswith(mark[0]) and not t.endswith(mark) for t in texts(lines))
        assert not any(t.startswith(mark[0]) and not t.startswith(mark) for t in texts(lines))


def test_a_two_em_dash_ligature_takes_spacing_once() -> None:
    line = lines_of("一二三四——五六七八九十甲乙丙丁", 11.3, indent_em=0)[0]
    assert line.text == "一二三四——五六七八九"
    assert spaced_width(line) - line.letter_spacing_pt == pytest.approx(11.3 * EM, abs=0.01)


@pytest.mark.parametrize("word", ["5.2%", "COVID-19", "12:30", "2022"])
def test_latin_words_and_numbers_stay_whole(word: str) -> None:
    text = "增长" + word + "增长" + word + "增长" + word + "增长" + word
    for width in (5, 6, 7, 8, 9):
        lines = lines_of(text, width, indent_em=0)
        runs = [r.text for ln in lines for r in ln.runs if r.text.isascii()]
        assert runs == [word] * 4


def test_latin_runs_get_autospace_margins_not_characters() -> None:
    lines = lines_of("疫苗COVID-19加强针", 20, indent_em=0)
    (run,) = [r for r in lines[0].runs if "latin" in r.classes]
    assert (run.text, run.margin_left_pt, run.margin_right_pt) == ("COVID-19", EM / 4, EM / 4)
    assert lines[0].text == "疫苗COVID-19加强针"


def test_no_autospace_next_to_punctuation_or_at_a_line_edge() -> None:
    (line,) = lines_of("（COVID-19）", 20, indent_em=0)
    (run,) = [r for r in line.runs if "latin" in r.classes]
    assert (run.margin_left_pt, run.margin_right_pt) == (0, 0)
    lines = lines_of("一二三四五六七八九十COVID", 10, indent_em=0)
    assert lines[1].runs[0].margin_left_pt == 0


def test_consecutive_punctuation_is_compressed() -> None:
    (line,) = lines_of("他说：“好。”“对！”（注），", 30, indent_em=0)
    halted = "".join(r.text for r in line.runs if "halt" in r.classes)
    # The closing mark before another mark, and the second of two opening marks.
    assert halted == "：。”！”）"


def test_the_bold_dateline_and_its_gap() -> None:
    lines = set_paragraph(
        [Span("晚报讯", 700, gap_after_em=1.0), Span("昨天上午，市委书记主持召开会议。")], 12 * EM, SIZE
    )
    first = lines[0].runs[0]
    assert (first.text, first.classes, first.margin_right_pt) == ("晚报讯", ("b",), EM)
    assert spaced_width(lines[0]) == pytest.approx(10 * EM, abs=0.01)


def test_a_trailing_space_hangs() -> None:
    lines = lines_of("中文中文 Omicron variant 中文中文中文中文", 12, indent_em=0)
    assert lines[0].text.endswith(" ")
    assert spaced_width(lines[0]) == pytest.approx(12 * EM, abs=0.01)


cjk = st.sampled_from(list("中文字测试报道会议强调疫情防控一二三"))
punct = st.sampled_from(list("，。、；：？！“”‘’（）《》「」·%"))
latin = st.sampled_from(["COVID-19", "5.2%", "12:30", "2022", "BA.5", " ", "——", "……", "a", "Omicron"])
pieces = st.lists(st.one_of(cjk, cjk, cjk, punct, latin), min_size=1, max_size=120)


@settings(max_examples=150, deadline=None)
@given(
    pieces=pieces,
    bold=st.integers(min_value=0, max_value=6),
    width=st.floats(min_value=4, max_value=20),
)
def test_nothing_is_inserted_dropped_or_reordered(pieces: list[str], bold: int, width: float) -> None:
    text = "".join(pieces)
    spans = [Span(text[:bold], 700, 1.0), Span(text[bold:])]
    lines = set_paragraph(spans, width * EM, SIZE)
    assert "".join(r.text for ln in lines for r in ln.runs) == text
    for ln in lines[1:]:
        assert ln.text[0] not in LINE_START_PROHIBITED and ln.text[0] != " "
    for ln in lines[:-1]:
        visible = ln.text.rstrip(" ")
        assert not visible or visible[-1] not in LINE_END_PROHIBITED


def test_a_run_of_dashes_alone_asks_for_the_full_width_form() -> None:
    # Between two numbers the dash is alone in its run: without ``fwid`` Pango
    # would shape it as a 0.89 em Latin dash, not the 1 em the engine measured.
    (line,) = lines_of("今年1—10月", 20, indent_em=0)
    assert [(r.text, r.classes) for r in line.runs] == [
        ("今年", ()),
        ("1", ("latin",)),
        ("—", ("fw",)),
        ("10", ("latin",)),
        ("月", ()),
    ]


def test_bold_only_where_the_bold_face_has_the_glyph() -> None:
    # 𠀁 is drawn by a fallback face without bold: it is set (and measured) regular.
    lines = set_paragraph([Span("晚报𠀁", weight=700, gap_after_em=1.0), Span("正文。")], 20 * EM, EM)
    runs = [(run.text, run.classes) for run in lines[0].runs]
    assert ("晚报", ("b",)) in runs
    assert any(text.startswith("𠀁") and "b" not in classes for text, classes in runs)
