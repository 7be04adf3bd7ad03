"""Tate-chu-yoko segments for the vertical EPUB."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from publisher.epub.vertical import tcy_segments, upright_segments


def upright(text: str) -> list[str]:
    return [piece for piece, is_upright in tcy_segments(text) if is_upright]


def test_one_and_two_digit_numbers_stand_upright() -> None:
    assert upright("2022年11月28日上午9时") == ["11", "28", "9"]


def test_longer_numbers_and_tokens_are_left_alone() -> None:
    assert upright("COVID-19疫情，增长5.2%，12:30开会，3,000人，2022年") == []


@given(st.text(alphabet=st.sampled_from(list("0123456789年月日:.%-,aZ中 "))))
def test_segments_join_back_to_the_text(text: str) -> None:
    assert "".join(piece for piece, _ in tcy_segments(text)) == text


def test_cover_and_title_numbers_stand_upright_whatever_their_length() -> None:
    assert upright_segments("2022年11月28日 第0123期") == [
        ("2022", "upright"), ("年", ""), ("11", "tcy"), ("月", ""), ("28", "tcy"), ("日 第", ""),
        ("0123", "upright"), ("期", ""),
    ]


@given(st.text(alphabet=st.sampled_from(list("0123456789年月日:.%-,aZ中 "))))
def test_upright_segments_join_back_to_the_text(text: str) -> None:
    assert "".join(piece for piece, _ in upright_segments(text)) == text
