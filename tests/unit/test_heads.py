"""Heads set as a compositor sets them: one line when it fits, smaller before it wraps, balanced at phrase spaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.typeset.heads import SetText, break_lines, enlarge, fit, width

COLUMN = 128.9  # pt, one column of the tabloid grid
TWO = 273.4


def kept(text: str, result: SetText) -> bool:
    return "".join(result.lines).replace(" ", "") == text.replace(" ", "")


def test_a_headline_that_fits_stays_on_one_line() -> None:
    result = fit("一着不让防风险 全力以赴保安全", 418.0, 24, 18)
    assert result.lines == ("一着不让防风险 全力以赴保安全",) and result.size == 24


def test_a_headline_too_long_is_set_smaller_before_it_wraps() -> None:
    result = fit("一着不让防风险 全力以赴保安全", TWO, 24, 18)
    assert len(result.lines) == 1 and 18 <= result.size < 24
    assert width(result.lines[0], result.size) <= TWO


def test_a_wrapped_headline_breaks_at_its_phrase_space() -> None:
    result = fit("一着不让防风险 全力以赴保安全", COLUMN, 24, 18)
    assert result.lines == ("一着不让防风险", "全力以赴保安全")


def test_no_stub_and_no_prohibited_line_start() -> None:
    result = fit("确保社会秩序平稳有序，前三季度GDP增长5.2%全面清零", COLUMN, 24, 18)
    counts = [len(line) for line in result.lines]
    assert min(counts) * 3 >= max(counts)
    assert not any(line[0] in "，。、" for line in result.lines)
    assert "GDP" in "".join(result.lines) and "5.2%" in "".join(result.lines)  # Latin runs never split


cjk = st.text(alphabet=st.sampled_from("疫情防控工作领导小组会议强调全力以赴保安全，“”、GDP 5.2%"), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(cjk, st.sampled_from([COLUMN, TWO, 418.0]))
def test_every_character_is_kept_and_no_line_overhangs(text: str, measure: float) -> None:
    text = " ".join(text.split())
    if not text:
        return
    result = fit(text, measure, 24, 18)
    assert kept(text, result)
    for line in result.lines:
        # A single unbreakable unit wider than the block is the one thing that may overhang.
        assert width(line, result.size) <= measure or len(line) == 1 or line.isascii()
    balanced = break_lines(text, measure, 24)
    if balanced is not None and len(balanced.lines) > 1:
        counts = [len(line.replace(" ", "")) for line in balanced.lines]
        assert min(counts) * 3 >= max(counts)


def test_a_head_given_room_grows_and_may_become_a_two_line_display_head() -> None:
    natural = fit("一着不让防风险 全力以赴保安全", 418.0, 24, 18)
    bigger = enlarge("一着不让防风险 全力以赴保安全", 418.0, natural, 44, 200.0, 1.2)
    assert bigger.size > natural.size
    assert bigger.lines == ("一着不让防风险", "全力以赴保安全") or len(bigger.lines) == 1
    assert enlarge("一着不让防风险 全力以赴保安全", 418.0, natural, 44, 24 * 1.2, 1.2) == natural
