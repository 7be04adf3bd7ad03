"""Line breaking and justification rules of publisher.typeset.cjk, with the real fonts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from publisher.typeset.cjk.breaking import Line, Span, set_paragraph
from publisher.typeset.cjk.classes import LINE_END_PROHIBITED, LINE_START_PROHIBITED
from publisher.typeset.cjk.measure import measure

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
    """Glyphs that get the line's spacing after them, before the last visible one.

    Pango spaces each glyph: a run of dashes the font ligates (—— is one
    two-em glyph) takes the spacing once.
    """
    chars = [(c, r.classes) for r in line.runs for c in r.text]
    while chars and chars[-1][0] == " ":
        chars.pop()
    glyphs: list[tuple[str, tuple[str, ...]]] = []
    dashes = measure("serif", 400).run("—" * len(chars)) if chars else []
    run = 0  # dashes so far in the current run
    for c, classes in chars:
        run = run + 1 if c == "—" else 0
        if c == "—" and run > 1 and dashes[run - 1] == 0:
            continue  # the ligature's later characters have no glyph of their own
        glyphs.append((c, classes))
    glyphs.pop()  # the last visible glyph: its spacing, if any, falls past the edge
    # A Latin word keeps its own spacing, but on a line of Latin only it takes the line's ("spaced").
    return sum(1 for _, classes in glyphs if "latin" not in classes or "spaced" in classes)


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
    assert gaps(line) == 9  # ten glyphs: 一二三四, ——, 五六七八, and the last, 九
    assert spaced_width(line) == pytest.approx(11.3 * EM, abs=0.01)


@pytest.mark.parametrize("mark", ["——", "……"])
def test_a_line_ending_with_a_dash_or_an_ellipsis_ends_flush(mark: str) -> None:
    # —— is one glyph (its spacing falls past the edge); …… is two (the first one's is inside the line).
    line = lines_of("一二三四五六七八" + mark + "甲乙丙丁戊己庚辛", 10.4, indent_em=0)[0]
    assert line.text.endswith(mark)
    assert gaps(line) == (8 if mark == "——" else 9)
    assert spaced_width(line) == pytest.approx(10.4 * EM, abs=0.01)


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
latin = st.sampled_from(["COVID-19", "5.2%", "12:30", "2022", "BA.5", " ", "——", "……", "a", "Omicron",
                         "https://www.example.cn/news/2022/11/28/index.html?from=evening&page=1", "X" * 40])
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


# --- total fit, clreq's order of adjustments, the strict level ------------------


def test_a_mark_inside_the_line_is_compressed_to_take_the_next_character() -> None:
    # 11.5 em: the twelve characters fit when the comma inside the line is set
    # half width; stretching eleven of them instead would open 0.05 em gaps.
    lines = lines_of("一二，三四五六七八九十甲乙丙丁", 11.5, indent_em=0)
    assert texts(lines) == ["一二，三四五六七八九十甲", "乙丙丁"]
    assert [r.text for r in lines[0].runs if "halt" in r.classes] == ["，"]
    assert lines[0].letter_spacing_pt == pytest.approx(0, abs=0.01)
    assert spaced_width(lines[0]) == pytest.approx(11.5 * EM, abs=0.01)


def test_a_number_and_its_comma_are_taken_in_by_compressing_before_stretching() -> None:
    # The issue's case: a line that can hold "2.1%，" with its comma half width
    # takes it rather than being stretched wide without it.
    text = "居民消费价格同比上涨2.1%，居民消费价格总体平稳。"
    lines = set_paragraph([Span(text)], 12.9 * EM, SIZE, indent_em=0)
    assert lines[0].text.endswith("2.1%，")
    assert spaced_width(lines[0]) == pytest.approx(12.9 * EM, abs=0.01)
    assert lines[0].letter_spacing_pt / EM < 0.05


def test_total_fit_spreads_what_a_first_fit_leaves_on_one_line() -> None:
    # "2022年" cannot start a line with 年 alone after it fits; a first fit ends
    # the line before the number and leaves it loose, the whole paragraph's
    # choice moves a character back a line or two instead.
    text = "会议要求各地各部门认真落实工作部署，确保2022年全年目标任务圆满完成。"
    lines = set_paragraph([Span(text)], 10.3 * EM, SIZE, indent_em=0)
    assert "".join(texts(lines)) == text
    worst = max(ln.letter_spacing_pt / EM for ln in lines[:-1])
    assert worst < 0.1, [(ln.text, ln.letter_spacing_pt / EM) for ln in lines]
    for line in lines[:-1]:
        assert spaced_width(line) == pytest.approx(line.measure_pt, abs=0.01)


@pytest.mark.parametrize("mark", ["——", "……"])
def test_the_strict_level_keeps_dashes_and_ellipses_off_a_line_start(mark: str) -> None:
    text = "一二三四五六七八九十" + mark + "甲乙丙丁"
    basic = set_paragraph([Span(text)], 10 * EM, SIZE, indent_em=0, level="basic")
    assert texts(basic)[1].startswith(mark)  # the basic rules allow it
    strict = set_paragraph([Span(text)], 10 * EM, SIZE, indent_em=0)  # the default
    assert not any(t.startswith(mark[0]) for t in texts(strict)[1:])
    assert "".join(texts(strict)) == text
    assert spaced_width(strict[0]) == pytest.approx(10 * EM, abs=0.01)


def test_a_paragraph_may_start_with_a_dash() -> None:
    lines = lines_of("——一二三四五六七八九十甲乙丙丁戊己庚辛", 10, indent_em=0)
    assert texts(lines)[0].startswith("——")


def test_half_an_em_stays_between_two_marks() -> None:
    # ”“: the closing mark loses its right half whatever the breaks; the opening
    # mark's left half is all the blank left between them, and stays, even where
    # compressing it would have let the line take one more character.
    lines = lines_of("一二三四五六”“七八九十甲乙丙丁戊己庚辛", 11.0, indent_em=0)
    for line in lines:
        halted = "".join(r.text for r in line.runs if "halt" in r.classes)
        assert "“" not in halted


def test_the_dateline_gap_gives_a_little_to_take_the_next_mark() -> None:
    # 晚报讯 + 1 em + 六 characters + a half-width comma = 10.5 em on a 10.3 em
    # first line: the gap after the dateline narrows by 0.2 em instead of the
    # line being pushed back and stretched.
    spans = [Span("晚报讯", 700, gap_after_em=1.0), Span("一二三四五六，七八九十甲乙丙丁。")]
    lines = set_paragraph(spans, 12.3 * EM, SIZE)
    assert lines[0].text == "晚报讯一二三四五六，"
    gap = lines[0].runs[0].margin_right_pt
    assert 0.75 * EM <= gap < EM
    assert spaced_width(lines[0]) == pytest.approx(10.3 * EM, abs=0.01)


def test_the_cjk_latin_space_stretches_before_the_characters() -> None:
    line = lines_of("今年GDP增长很快甲乙丙丁戊己庚辛壬癸", 11.0, indent_em=0)[0]
    (run,) = [r for r in line.runs if "latin" in r.classes]
    assert run.text == "GDP"
    # The slack goes to the two CJK–Latin spaces first, up to half an em each.
    assert EM / 4 < run.margin_left_pt <= EM / 2 + 1e-9
    assert run.margin_left_pt == pytest.approx(run.margin_right_pt)
    assert spaced_width(line) == pytest.approx(11.0 * EM, abs=0.01)


# --- a Latin run longer than the line (issue 11) ----------------------------------

URL = "https://www.example.cn/news/2022/11/28/covid-prevention-and-control-measures?from=evening&page=1"


def test_a_url_longer_than_the_line_breaks_after_slashes_and_dots_and_stays_in_its_column() -> None:
    text = "详情请登录" + URL + "查询。"
    lines = lines_of(text, 12, indent_em=0)
    assert "".join(texts(lines)) == text
    for line in lines:
        assert line.natural_width_pt <= line.measure_pt + 0.01, line.text  # nothing runs into the gutter
    for line in lines[:-1]:
        assert spaced_width(line) == pytest.approx(line.measure_pt, abs=0.01)
        if line.text[-1].isascii() and lines[lines.index(line) + 1].text[0].isascii():
            assert line.text[-1] in "/.-?&=_", line.text  # broken at a safe point


def test_a_run_with_no_safe_point_breaks_anywhere_rather_than_overflow() -> None:
    text = "编号" + "X" * 80 + "。"
    lines = lines_of(text, 10, indent_em=0)
    assert "".join(texts(lines)) == text
    assert all(line.natural_width_pt <= line.measure_pt + 0.01 for line in lines)


def test_a_latin_word_that_fits_a_line_is_never_broken() -> None:
    lines = lines_of("一二三四五六七八九 https://example.cn/a 甲乙丙", 12, indent_em=0)
    assert any("https://example.cn/a" in t for t in texts(lines))


@settings(max_examples=150, deadline=None)
@given(pieces=pieces, width=st.floats(min_value=6, max_value=40))
# Found by hypothesis: a URL that fits a line alone, but not with the two marks after it that cannot start a line.
@example(pieces=["中", "5.2%", "https://www.example.cn/news/2022/11/28/index.html?from=evening&page=1", "，", "，", "中"],
         width=40.0)
def test_every_justified_line_ends_flush_and_is_never_tightened_much(pieces: list[str], width: float) -> None:
    text = "".join(pieces)
    lines = set_paragraph([Span(text)], width * EM, SIZE)
    for line in lines[:-1]:
        if line.natural_width_pt > line.measure_pt + 0.02 * EM * len(line.text) or gaps(line) == 0:
            continue  # a line that cannot fit at all, or one character alone
        assert spaced_width(line) == pytest.approx(line.measure_pt, abs=0.01), line
        assert line.letter_spacing_pt >= -0.02 * EM - 0.01  # the engine's sub-point tolerance


SEED_PAGE = Path(__file__).resolve().parents[2] / "seeds" / "a1.txt"


def test_the_sample_page_is_set_as_evenly_as_the_issue_asks() -> None:
    """Looseness of every justified line of the sample's paragraphs, at the tabloid's column width."""
    column = (279.4 - 30 - 4 * 5.5) / 5 * 72 / 25.4
    loose = []
    for block in SEED_PAGE.read_text(encoding="utf-8").split("\n\n"):
        block = block.strip().replace(",", "，")
        if len(block) < 40 or block.startswith("#"):
            continue
        for line in set_paragraph([Span(block)], column, SIZE)[:-1]:
            loose.append(line.letter_spacing_pt / EM)
    loose.sort()
    assert len(loose) > 100
    assert loose[int(0.95 * (len(loose) - 1))] <= 0.03
    assert loose[-1] <= 0.25
    assert sum(x > 0.1 for x in loose) <= 0.01 * len(loose)
