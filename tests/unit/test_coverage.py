"""Glyph coverage against the real fonts of the font roles."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.ingest.issue_yaml import load_issue
from publisher.model import Block, Issue, Text
from publisher.typeset import fonts
from publisher.typeset.coverage import charset, check_coverage, faces_for, uncovered
from tests.conftest import SEED_ISSUE


@pytest.fixture(scope="module")
def issue() -> Issue:
    return load_issue(SEED_ISSUE)


def with_paragraph(issue: Issue, text: str, line: int = 99) -> Issue:
    """The issue with one more paragraph at the end of its first article."""
    page = issue.pages[0]
    article = page.articles[0]
    article = dataclasses.replace(article, blocks=(*article.blocks, Block("paragraph", Text(text), line)))
    page = dataclasses.replace(page, articles=(article, *page.articles[1:]))
    return dataclasses.replace(issue, pages=(page, *issue.pages[1:]))


def test_sample_issue_is_covered(issue: Issue) -> None:
    check_coverage(issue)  # InputError for a character no face of its role covers
    text = "".join(t.value for p in issue.pages for a in p.articles for t in a.texts())
    assert len(set(text)) > 800  # the sample's 900 distinct characters, not a trivial few
    assert uncovered(text, fonts.chain("serif", 400)) == []
    assert uncovered(text, fonts.chain("sans", 700)) == []


def test_extension_a_and_b_are_covered_by_the_fallbacks(issue: Issue) -> None:
    # 䶮 (Ext A) is in Noto CJK SC; 𠀁 (U+20001, Ext B) only in HanaMinB.
    check_coverage(with_paragraph(issue, "刘䶮与𠀁。"))
    assert [f.family for f in faces_for("刘䶮。", "serif", 400)] == ["Noto Serif CJK SC"]
    assert [f.family for f in faces_for("刘䶮与𠀁。", "serif", 400)] == ["Noto Serif CJK SC", "HanaMinB"]


def test_uncovered_characters_are_reported_with_code_point_and_line(issue: Issue) -> None:
    bad = with_paragraph(issue, "私用\U0010fffd区与未分配\U0003fffd。", line=77)
    with pytest.raises(InputError) as caught:
        check_coverage(bad)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    page_file = Path(issue.pages[0].source).name
    assert all(f"{page_file}:77: character" in m for m in messages), messages
    assert "U+10FFFD" in messages[0]
    assert "U+3FFFD" in messages[1]


def test_invisible_characters_need_no_glyph() -> None:
    chain = fonts.chain("serif", 400)
    # A variation selector and a zero-width joiner are not drawn on their own.
    assert uncovered("葛\U000e0100\u200d\n", chain) == []


def test_charset_is_the_cmap_of_the_face() -> None:
    serif = charset(fonts.primary("serif", 400))
    assert ord("晚") in serif and ord("报") in serif
    assert ord("䶮") in serif and ord("𠀁") not in serif
    assert len(serif) > 30000


def test_uncovered_asks_the_same_cmap_as_charset(issue: Issue) -> None:
    # uncovered() looks characters up one by one; it must agree with the charset.
    text = "".join(t.value for p in issue.pages for a in p.articles for t in a.texts()) + "䶮𠀁\U0003fffd5.2%"
    for face in fonts.chain("serif", 400):
        cmap = charset(face)
        assert uncovered(text, [face]) == [c for c in dict.fromkeys(text) if ord(c) not in cmap]


def test_each_chain_answers_for_itself_however_often_it_is_asked(issue: Issue) -> None:
    chain = fonts.chain("serif", 400)
    for _ in range(2):  # the second time from what the first found
        assert uncovered("刘𠀁\U0010fffd刘", chain[:1]) == ["𠀁", "\U0010fffd"]
        assert uncovered("刘𠀁\U0010fffd刘", chain) == ["\U0010fffd"]
        assert uncovered("\u200b𠀁", chain[:1]) == ["𠀁"]  # a zero-width space is not drawn
    bad = with_paragraph(issue, "\U0010fffd", line=78)
    for _ in range(2):
        with pytest.raises(InputError) as caught:
            check_coverage(bad)
        assert [p.line for p in caught.value.problems] == [78]
