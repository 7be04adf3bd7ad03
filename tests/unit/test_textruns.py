"""Pieces of the text the browser sets itself: CJK–Latin space and the bold face's gaps."""

from __future__ import annotations

from publisher.typeset.textruns import text_runs


def test_a_latin_run_that_an_ideograph_touches_gets_the_space_on_that_side() -> None:
    assert text_runs("前三季度GDP增长5.2%，2022年") == [
        ("前三季度", ""),
        ("GDP", "as-l as-r"),
        ("增长", ""),
        ("5.2%", "as-l"),  # a percent sign is no letter: no space after it
        ("，", ""),
        ("2022", "as-r"),  # a comma is no ideograph: no space before
        ("年", ""),
    ]


def test_nothing_is_added_and_text_without_latin_is_one_piece() -> None:
    for text in ("交通运输工作取得新进展", "——2022年", "NBA", "第0123期", ""):
        assert "".join(piece for piece, _ in text_runs(text)) == text
    assert text_runs("交通运输工作取得新进展") == [("交通运输工作取得新进展", "")]
    assert text_runs("NBA") == [("NBA", "")]


def test_bold_text_marks_what_its_face_lacks() -> None:
    # 𠀁 (Extension B) is drawn by a fallback face without bold.
    assert text_runs("全市GDP𠀁增长", "sans") == [("全市", ""), ("GDP", "as-l as-r"), ("𠀁", "regular"), ("增长", "")]
