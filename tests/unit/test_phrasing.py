"""Where heading-like text may break in the EPUB: phrases, then words (jieba's dictionary), never one character."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from publisher.epub.phrasing import autospace, marked_phrases, phrases, units
from publisher.typeset.textruns import text_runs

LEAD = "从快从严从紧 压紧压实责任 坚决遏制疫情反弹反复"


def test_phrases_are_the_editor_s_and_join_back_to_the_text() -> None:
    parts = phrases(LEAD)
    assert [p.text for p in parts] == ["从快从严从紧", " ", "压紧压实责任", " ", "坚决遏制疫情反弹反复"]
    assert [p.space for p in parts] == [False, True, False, True, False]
    assert parts[4].units == ("坚决", "遏制", "疫情", "反弹", "反复")


def test_the_issue_s_words_are_not_cut() -> None:
    """The breaks the issue saw inside words (疫 / 情, 反 / 弹, 1.2 / 万户) fall between units."""
    kicker = units("王晖主持召开市新冠肺炎疫情防控工作领导小组会议")
    assert "疫情" in kicker and "肺炎" in kicker
    assert "反弹" in units("坚决遏制疫情反弹反复")
    assert units("——全市已排查独居老人1.2万户")[-1] == "1.2万户"  # a number with its unit
    assert units("——全市已排查独居老人1.2万户")[0].startswith("——")  # a dash opens the word after it
    assert units("2022年经济运行情况通报")[0] == "2022年"


def test_punctuation_stays_with_its_word() -> None:
    cut = units("把“外防输入、内防反弹”防控网织得更密更牢。")
    assert all(not u.startswith(("”", "、", "。", "，")) for u in cut), cut
    assert all(not u.endswith("“") for u in cut), cut
    assert cut[-1].endswith("。")


def test_traditional_text_is_cut_as_its_simplified_form() -> None:
    assert units("堅決遏制疫情反彈反覆") == ["堅決", "遏制", "疫情", "反彈", "反覆"]


def test_latin_words_and_numbers_stay_whole() -> None:
    assert "GDP" in units("前三季度GDP增幅5.2%") and "5.2%" in units("前三季度GDP增幅5.2%")
    assert any("COVID-19" in u for u in units("COVID-19防控"))


@given(st.text(alphabet=st.sampled_from(list("从快严紧压实责任的了在和疫情反弹“”，。、 \u3000AB12.%——")), max_size=40))
def test_units_join_back_and_none_is_one_character(text: str) -> None:
    parts = phrases(text)
    assert "".join(unit for p in parts for unit in p.units) == text
    if len(text.strip()) > 1:
        for phrase in parts:
            assert phrase.space or all(len(unit.strip()) > 1 for unit in phrase.units), parts


def test_marked_runs_keep_their_classes_across_units() -> None:
    """The CJK–Latin space is found on the whole text: GDP is a unit of its own and still knows its neighbours."""
    marked = marked_phrases("前三季度GDP增幅5.2%", "autospace")
    assert ((("GDP", "as-l as-r"),)) in marked[0].units
    vertical = marked_phrases("2022年11月28日 星期一", "upright")
    assert vertical[0].units == ((("2022", "upright"), ("年", "")), (("11", "tcy"), ("月", "")), (("28", "tcy"), ("日", "")))
    assert "".join(p.text for p in vertical) == "2022年11月28日 星期一"


def test_a_one_character_phrase_goes_with_its_neighbour() -> None:
    assert [p.units for p in phrases("记者朱文君 摄")] == [("记者", "朱文君 摄")]
    assert [p.units for p in phrases("图 社区工作人员")] == [("图 社区", "工作人员")]


@given(st.text(alphabet=st.sampled_from(list("从快严的了上在1２.%（）《》“”，。·/-AB")), min_size=1, max_size=3))
def test_a_run_of_three_characters_is_one_unit_as_the_dictionary_would_cut_it(run: str) -> None:
    # units() skips jieba for such a run: what the dictionary's words would have given is the same.
    from publisher.epub import phrasing

    found = phrasing._words(run)
    joined = phrasing._no_single_characters(phrasing._numbers_with_units(phrasing._attach_marks(found)))
    assert units(run) == joined == [run]


def test_short_heads_need_no_dictionary() -> None:
    script = ("import sys; from publisher.epub.phrasing import marked_phrases; "
              "parts = marked_phrases('快讯 要闻 图片'); assert 'rjieba' not in sys.modules, parts; "
              "marked_phrases('坚决遏制疫情反弹'); assert 'rjieba' in sys.modules")
    subprocess.run([sys.executable, "-c", script], check=True)


@given(st.text(alphabet=st.sampled_from(list("疫情反弹“”，。、 \u3000\u00a0\nAB12.%—·𠀁")), max_size=30))
def test_autospace_gives_the_runs_text_runs_gives(text: str) -> None:
    """The quick way for a text with no Latin character in it changes nothing: the same runs either way."""
    assert autospace(text) == text_runs(text)


def test_several_counts_phrases_not_spaces() -> None:
    assert marked_phrases("从快从严从紧 压紧压实责任").several
    assert not marked_phrases("坚决遏制疫情反弹反复").several
    assert not marked_phrases(" 坚决遏制疫情反弹反复 ").several  # spaces around one phrase
    assert not marked_phrases("").several


def test_a_text_cut_again_comes_back_the_same_whatever_a_template_did_to_the_first() -> None:
    first = marked_phrases("记者张亮 摄")
    first.append(first[0])  # a sandboxed template may append to the list it gets
    again = marked_phrases("记者张亮 摄")
    assert again is not first and len(again) == len(first) - 1
    assert "".join(p.text for p in again) == "记者张亮 摄"
