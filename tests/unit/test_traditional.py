"""The Traditional edition's conversion: characters by OpenCC, then Taiwan's quotation marks."""

from __future__ import annotations

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
