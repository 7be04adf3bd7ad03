"""The Traditional edition's conversion: characters by OpenCC, then Taiwan's quotation marks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from publisher.epub.traditional import taiwan_quotes, to_traditional


def test_quotes_become_corner_brackets_nested_as_taiwan_prints_them() -> None:
    assert taiwan_quotes("他说：“要落实‘四方’责任。”") == "他说：「要落实『四方』责任。」"


def test_apostrophes_in_latin_words_stay() -> None:
    assert taiwan_quotes("it’s 90’s “OK”") == "it’s 90’s 「OK」"
    assert taiwan_quotes("‘OK’的") == "『OK』的"


def test_the_whole_conversion_characters_then_quotes() -> None:
    assert to_traditional("把“外防输入、内防反弹”防控网织得更密更牢") == "把「外防輸入、內防反彈」防控網織得更密更牢"


def test_markup_quotes_are_untouched() -> None:
    assert to_traditional('<p class="lead">“是”</p>') == '<p class="lead">「是」</p>'


def _closing(text: str, at: int) -> str:
    """The mark at ``at`` as the rule says: an apostrophe between two Latin letters or digits, else 』."""
    def latin(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()

    return "’" if latin(at - 1) and latin(at + 1) else "』"


@given(st.text(alphabet=st.sampled_from(list("“”‘’aZ09 的。<>\"=")), max_size=40))
def test_every_mark_is_mapped_by_the_rule_character_by_character(text: str) -> None:
    expected = "".join({"“": "「", "”": "」", "‘": "『"}.get(c) or (_closing(text, i) if c == "’" else c)
                       for i, c in enumerate(text))
    assert taiwan_quotes(text) == expected
