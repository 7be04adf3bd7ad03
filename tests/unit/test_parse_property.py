"""Parsing never loses, invents or reorders a character.

Markup of the page format is ``#`` and ``*`` marks and whitespace (blank lines,
the spaces that separate a dateline or byline); everything else of the input
must come out of the parser in the same order, after undoing the punctuation
normalisation (``publisher.typeset.punctuation.restore``).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.ingest.parse import parse_page
from publisher.typeset.punctuation import restore

_MARKUP = re.compile(r"[\s#*]")

CJK = list("会议强调要从快从严紧压实责任坚决遏制疫情反弹复䶮𠀀豈“”‘’…—、。，！？；：（）《》「」")
ASCII = list("abcXYZ019 ,.()?;:!%-\"'")
LINE = st.text(alphabet=st.sampled_from([*CJK, *ASCII, "*", "#", " ", "\u3000", "\t"]), max_size=40)
ROLES = st.sampled_from(["记者", "通讯员", "实习生", "本报记者"])


def content(page: str) -> str:
    return _MARKUP.sub("", page)


def parsed_content(page: str) -> str:
    return "".join(content(restore(text)) for article in parse_page(page) for text in article.texts())


@st.composite
def pages(draw: st.DrawFn) -> str:
    """Pages built from the units the format knows, in random order and spacing."""
    units = draw(
        st.lists(
            st.one_of(
                LINE,
                LINE.map(lambda t: "# " + t),
                LINE.map(lambda t: "## " + t),
                LINE.map(lambda t: f"**{t}**"),
                st.tuples(LINE, LINE).map(lambda p: f"**{p[0]}** {p[1]}"),
                st.tuples(LINE, ROLES, LINE).map(lambda p: f"{p[0]}。 {p[1]}{p[2]}"),
                st.tuples(ROLES, LINE).map(lambda p: p[0] + p[1]),
            ),
            max_size=12,
        )
    )
    separators = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n"]), min_size=len(units),
                               max_size=len(units)))
    return "".join(u + s for u, s in zip(units, separators, strict=True)).replace("\r\n", "\n")


@settings(max_examples=300, deadline=None)
@given(pages())
def test_structured_pages_keep_every_character(page: str) -> None:
    assert parsed_content(page) == content(page)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*CJK, *ASCII, "*", "#", "\n", " "]), max_size=200))
def test_arbitrary_text_keeps_every_character(page: str) -> None:
    assert parsed_content(page) == content(page)


def test_markup_characters_inside_text_are_kept() -> None:
    [article] = parse_page("# 标题#1\n\n正文里有 3*4=12 和 #话题# 与 **加粗**。\n")
    assert article.headline and article.headline.value == "标题#1"
    assert article.paragraphs[0].text.value == "正文里有 3*4=12 和 #话题# 与 **加粗**。"


def test_seed_keeps_every_character() -> None:
    from tests.conftest import SEED_PAGE

    page = SEED_PAGE.read_text(encoding="utf-8")
    assert parsed_content(page) == content(page)
