"""Headlines cut at their phrases: the cover's balanced lines."""

from __future__ import annotations

from itertools import pairwise

from publisher.epub.cover import vertical_cells
from publisher.typeset.headlines import balanced_lines

LEAD = "从快从严从紧 压紧压实责任 坚决遏制疫情反弹反复"


def test_balanced_lines_break_at_phrases_into_even_lines() -> None:
    assert balanced_lines(LEAD, len, 13) == ["从快从严从紧 压紧压实责任", "坚决遏制疫情反弹反复"]
    assert balanced_lines(LEAD, len, 30) == [LEAD]
    # Three phrases on two lines: the split that makes the longer line shortest.
    assert balanced_lines("一二三 四五六七八九 十", len, 10) == ["一二三", "四五六七八九 十"]


def test_a_phrase_too_long_for_a_line_is_cut_evenly_never_leaving_one_character() -> None:
    assert balanced_lines("坚决遏制疫情反弹反复", len, 9) == ["坚决遏制疫", "情反弹反复"]
    lines = balanced_lines("以最大决心最强力度打好疫情防控阻击战", len, 8)
    assert all(2 <= len(line) <= 8 for line in lines) and "".join(lines) == "以最大决心最强力度打好疫情防控阻击战"


def test_a_cut_never_splits_a_number_or_starts_a_line_with_a_closing_mark() -> None:
    lines = balanced_lines("前三季度GDP增长5.2%全力守护", len, 8)
    assert "".join(lines) == "前三季度GDP增长5.2%全力守护"
    assert not any(a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()
                   for a, b in pairwise(lines))
    assert all(not line.startswith(("，", "。", "”")) for line in balanced_lines("甲乙丙丁，戊己庚辛。", len, 4))


def test_vertical_cells_put_short_numbers_in_one_cell() -> None:
    assert vertical_cells("2022年11月8日") == ["2", "0", "2", "2", "年", "11", "月", "8", "日"]
