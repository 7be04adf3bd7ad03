"""The conventions that vary from paper to paper, one at a time, and the role markers."""

from __future__ import annotations

import pytest

from publisher.errors import InputError
from publisher.ingest.parse import parse_page, read_page
from publisher.model import Article


def one(page: str) -> Article:
    [article] = parse_page(page)
    return article


def bylines(article: Article) -> list[str]:
    return [b.value for b in article.bylines]


def blocks(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, b.text.value) for b in article.blocks]


# -- bylines


@pytest.mark.parametrize("byline", ["记者 王某某", "记者王某某 通讯员李某", "本报记者 张某 李某", "见习记者 刘某"])
def test_a_byline_line_before_the_next_headline_belongs_to_the_article_above(byline: str) -> None:
    first, second = parse_page(f"# 第一篇\n\n正文写完了。\n\n{byline}\n\n# 第二篇\n\n第二篇正文。\n")
    assert " ".join(bylines(first)) == byline
    assert second.kicker is None
    assert second.headline and second.headline.value == "第二篇"


def test_a_byline_line_before_a_kicker_and_headline_stays_above() -> None:
    first, second = parse_page("# 第一篇\n\n正文。\n\n记者 王某某\n\n市民夜游新体验\n\n# 第二篇\n\n正文。\n")
    assert bylines(first) == ["记者 王某某"]
    assert second.kicker and second.kicker.value == "市民夜游新体验"


@pytest.mark.parametrize(
    ("paragraph", "text", "byline"),
    [
        ("…的热闹。”本报记者 张某 李某", "…的热闹。”", ["本报记者 张某 李某"]),
        ("…注意安全。见习记者 刘某", "…注意安全。", ["见习记者 刘某"]),
        ("他喊道：“加油！”记者 王某", "他喊道：“加油！”", ["记者 王某"]),
        ("…参加会议。（记者 王某 通讯员 李某）", "…参加会议。", ["（记者 王某 通讯员 李某）"]),
        ("…参加会议。 记者朱文君 李彤", "…参加会议。", ["记者朱文君 李彤"]),
    ],
)
def test_a_byline_glued_to_the_last_sentence_is_taken_out(paragraph: str, text: str, byline: list[str]) -> None:
    article = one(f"# 标题\n\n{paragraph}\n")
    assert blocks(article) == [("paragraph", text)]
    assert bylines(article) == byline


def test_a_glued_role_and_name_that_may_be_cut_text_is_joined_instead() -> None:
    # The column extraction can cut a sentence right after 记者王某: the next block continues it.
    article = one("# 标题\n\n会上，他说。记者王某\n\n了解到，这项工作已经启动。\n")
    assert blocks(article) == [("paragraph", "会上，他说。记者王某了解到，这项工作已经启动。")]
    assert bylines(article) == []


def test_a_byline_under_the_headline_with_a_mark_and_spaces_then_the_bold_dateline() -> None:
    article = one("# 标题\n\n□晚报记者   王某某\n\n**本报讯**   昨日，市民纷纷前往。\n")
    assert bylines(article) == ["□晚报记者   王某某"]
    assert article.byline_places() == [0]
    assert article.dateline and article.dateline.value == "本报讯"
    assert blocks(article) == [("paragraph", "昨日，市民纷纷前往。")]


@pytest.mark.parametrize(
    "byline",
    ["本报记者 王某", "晚报记者 王某", "见习记者 王某", "实习记者 王某", "特约记者 王某", "摄影记者 王某",
     "实习生 王某", "文/图 记者 王某", "图/王某", "王某 摄", "■记者 王某", "●首席记者 王某", "記者 陳某",
     "本報記者 張某", "记者 周 敏", "记者 欧阳某某", "记者 阿依古丽·买买提", "（据新华社）"],
)
def test_byline_roles_and_marks(byline: str) -> None:
    article = one(f"# 标题\n\n正文。\n\n{byline}\n")
    assert bylines(article) == [byline]
    assert blocks(article) == [("paragraph", "正文。")]


def test_several_roles_are_several_bylines_and_names_stay_as_written() -> None:
    article = one("# 标题\n\n正文。\n\n●本报记者 王某  通讯员 李某 实习生 张某某\n")
    assert bylines(article) == ["●本报记者 王某", "通讯员 李某", "实习生 张某某"]


@pytest.mark.parametrize("kicker", ["记者调查", "记者手记", "记者连线", "记者从市政府获悉"])
def test_column_names_after_a_role_are_kickers_not_bylines(kicker: str) -> None:
    first, second = parse_page(f"# 第一篇\n\n正文。\n\n{kicker}\n\n# 第二篇\n\n正文。\n")
    assert bylines(first) == []
    assert second.kicker and second.kicker.value == kicker


def test_a_question_after_the_byline_above_is_the_next_kicker() -> None:
    first, second = parse_page("# 第一篇\n\n正文。\n\n记者 王某\n\n为啥总堵？\n\n# 第二篇\n\n正文。\n")
    assert second.kicker and second.kicker.value == "为啥总堵？"
    assert blocks(first) == [("paragraph", "正文。")]


# -- datelines


@pytest.mark.parametrize(
    ("line", "dateline", "text"),
    [
        ("本报讯（记者 王某 通讯员 李某）昨日，市里开会。", "本报讯（记者 王某 通讯员 李某）", "昨日，市里开会。"),
        ("晚报讯(记者 王某) 昨日，市里开会。", "晚报讯（记者 王某）", "昨日，市里开会。"),
        ("新华社北京11月27日电 昨日，国务院开会。", "新华社北京11月27日电", "昨日，国务院开会。"),
        ("新华社北京11月27日电（记者张三 李四）昨日，开会。", "新华社北京11月27日电（记者张三 李四）", "昨日，开会。"),
        ("据新华社电 昨日，开会。", "据新华社电", "昨日，开会。"),
        ("本报11月27日讯 昨日，开会。", "本报11月27日讯", "昨日，开会。"),
        ("南通报讯 昨日，开会。", "南通报讯", "昨日，开会。"),
        ("江海晚报讯 昨日，开会。", "江海晚报讯", "昨日，开会。"),
        ("香港文匯報訊（記者 陳某）昨日，港府開會。", "香港文匯報訊（記者 陳某）", "昨日，港府開會。"),
        ("中央社記者林某台北27日電 今天，開會。", "中央社記者林某台北27日電", "今天，開會。"),
        ("**本报讯（记者 王某）** 昨日，开会。", "本报讯（记者 王某）", "昨日，开会。"),
    ],
)
def test_dateline_forms(line: str, dateline: str, text: str) -> None:
    article = one(f"# 标题\n\n{line}\n")
    assert article.dateline and article.dateline.value == dateline
    assert blocks(article) == [("paragraph", text)]


def test_half_width_parentheses_of_a_dateline_are_normalised_and_recorded() -> None:
    article = one("# 标题\n\n晚报讯(记者 王某) 昨日，开会。\n")
    assert article.dateline and article.dateline.normalised == (3, 9)


def test_a_sentence_that_only_looks_like_a_dateline_stays_text() -> None:
    article = one("# 标题\n\n他在接受本报讯问时说，一切顺利。\n")
    assert article.dateline is None
    assert blocks(article) == [("paragraph", "他在接受本报讯问时说，一切顺利。")]


def test_a_dateline_only_opens_the_first_paragraph() -> None:
    article = one("# 标题\n\n第一段。\n\n本报讯 不在开头。\n")
    assert article.dateline is None
    assert blocks(article)[1] == ("paragraph", "本报讯 不在开头。")


def test_a_dateline_on_its_own_line() -> None:
    article = one("# 标题\n\n本报讯（记者 王某）\n\n昨日，开会。\n")
    assert article.dateline and article.dateline.value == "本报讯（记者 王某）"
    assert blocks(article) == [("paragraph", "昨日，开会。")]


def test_an_agency_credit_closes_the_article() -> None:
    article = one("# 标题\n\n**新华社北京11月27日电** 国务院开会。会议要求落实。（据新华社）\n")
    assert article.dateline and article.dateline.value == "新华社北京11月27日电"
    assert bylines(article) == ["（据新华社）"]
    assert blocks(article) == [("paragraph", "国务院开会。会议要求落实。")]


# -- tag lines and subheadlines


@pytest.mark.parametrize("tag", ["扰民！", "谁来管？", "太危险了！！"])
def test_a_short_tag_line_under_the_headline_is_the_subheadline(tag: str) -> None:
    article = one(f"# 老旧小区施工夜战\n\n{tag}\n\n本报讯 居民反映噪音大。\n")
    assert article.subheadline and article.subheadline.value == tag
    assert article.dateline and article.dateline.value == "本报讯"


def test_a_tag_line_that_is_the_whole_article_stays_its_paragraph() -> None:
    first, _ = parse_page("# 标题\n\n好！\n\n# 下一篇\n\n正文。\n")
    assert first.subheadline is None
    assert blocks(first) == [("paragraph", "好！")]


def test_a_short_line_between_headline_and_dateline_is_the_subheadline() -> None:
    article = one("# 标题\n\n三家社区食堂走访记\n\n**本报讯** 中午，食堂坐满了人。\n")
    assert article.subheadline and article.subheadline.value == "三家社区食堂走访记"
    assert article.dateline and article.dateline.value == "本报讯"


# -- captions


@pytest.mark.parametrize(
    "caption",
    ["①游客在码头排队登船", "图为新建成的口袋公园。", "游客排队登船。 记者 王某 摄", "老人在食堂就餐。（王某 摄）",
     "施工现场。（资料图片）", "圖為施工中的車站。 記者 陳某 攝", "上图：市民在公园赏菊"],
)
def test_photo_captions_are_caption_blocks_kept_in_order(caption: str) -> None:
    article = one(f"# 标题\n\n**本报讯** 第一段。\n\n{caption}\n\n第二段。\n")
    assert blocks(article) == [("paragraph", "第一段。"), ("caption", caption), ("paragraph", "第二段。")]


def test_a_caption_under_the_headline_leaves_the_dateline_to_the_first_paragraph() -> None:
    article = one("# 标题\n\n①列车试运行。 本报记者 周某 摄\n\n本报讯 地铁进入联调。\n")
    assert article.dateline and article.dateline.value == "本报讯"
    assert blocks(article) == [("caption", "①列车试运行。 本报记者 周某 摄"), ("paragraph", "地铁进入联调。")]
    texts = [t.value for t in article.texts()]
    assert texts == ["标题", "①列车试运行。 本报记者 周某 摄", "本报讯", "地铁进入联调。"]


def test_a_caption_before_a_headline_is_not_its_kicker() -> None:
    first, second = parse_page("# 第一篇\n\n正文。\n\n图为市民排队\n\n# 第二篇\n\n正文。\n")
    assert blocks(first)[-1] == ("caption", "图为市民排队")
    assert second.kicker is None


def test_a_photo_credit_alone_is_a_byline() -> None:
    article = one("# 标题\n\n正文。\n\n记者 王某 摄\n")
    assert bylines(article) == ["记者 王某 摄"]


# -- Traditional pages


def test_a_traditional_page_with_corner_quotes() -> None:
    first, second = parse_page(
        "港鐵新綫明年通車\n\n# 東涌綫延綫工程進入最後階段\n\n香港文匯報訊（記者 陳家豪）港鐵昨日表示，工程進入最後階段。\n\n"
        "發言人說：「我們會確保工程質素。」\n\n本報記者 黃詠詩\n\n## 天文台：周末轉冷\n\n本報訊 天文台預料，氣溫下降。\n"
    )
    assert first.kicker and first.kicker.value == "港鐵新綫明年通車"
    assert first.dateline and first.dateline.value == "香港文匯報訊（記者 陳家豪）"
    assert blocks(first)[1] == ("paragraph", "發言人說：「我們會確保工程質素。」")
    assert bylines(first) == ["本報記者 黃詠詩"]
    assert second.dateline and second.dateline.value == "本報訊"


# -- role markers


def test_markers_overrule_the_parser() -> None:
    page = (
        "{kicker} 重阳节里话敬老。\n\n# 百岁老人的秘诀\n\n**晚报讯** 她每天早睡早起，\n\n{join} 心情好。\n\n"
        "{paragraph} 好！\n\n{caption} 社区工作人员发放资料\n\n{subhead} 相关链接\n\n{byline} 记者 那佳\n"
    )
    article = one(page)
    assert article.kicker and article.kicker.value == "重阳节里话敬老。"
    assert blocks(article) == [
        ("paragraph", "她每天早睡早起，心情好。"),
        ("paragraph", "好！"),
        ("caption", "社区工作人员发放资料"),
        ("subhead", "相关链接"),
    ]
    assert bylines(article) == ["记者 那佳"]


def test_marker_headline_subheadline_and_dateline() -> None:
    article = one("{headline} 标题没有井号\n\n{subheadline} 副题在此\n\n{dateline} 本社专电\n\n正文。\n")
    assert article.headline and article.headline.value == "标题没有井号"
    assert article.subheadline and article.subheadline.value == "副题在此"
    assert article.dateline and article.dateline.value == "本社专电"
    assert blocks(article) == [("paragraph", "正文。")]


def test_an_unknown_marker_is_an_error_at_its_line() -> None:
    with pytest.raises(InputError) as error:
        parse_page("# 标题\n\n{bylin} 记者 王某\n\n正文。\n\n{Kicker} 引题\n", "pages/a1.txt")
    messages = [str(p) for p in error.value.problems]
    assert len(messages) == 2
    assert messages[0].startswith("pages/a1.txt:3: unknown role marker {bylin}; the markers are {kicker}")
    assert messages[1].startswith("pages/a1.txt:7: unknown role marker {Kicker}")


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("# 标题\n\n正文。\n\n{subheadline} 副题\n", "p.txt:5: {subheadline} must come right after a headline"),
        ("{join} 没有上文\n", "p.txt:1: {join} has no paragraph right above it to join"),
        ("# 标题\n\n正文。\n\n{dateline} 本报讯\n", "p.txt:5: {dateline} must come before the article's first paragraph, once"),
        ("# 标题\n\n{byline}\n", "p.txt:3: role marker {byline} has no text after it"),
        ("# 标题\n\n{dateline} 本报讯\n\n①现场。\n", "p.txt:3: {dateline} must be followed by the article's first paragraph"),
    ],
)
def test_a_marker_that_cannot_apply_is_an_error(page: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        parse_page(page, "p.txt")
    assert [str(p) for p in error.value.problems] == [message]


def test_text_in_braces_that_is_not_a_marker_is_text() -> None:
    article = one("# 标题\n\n{某某} 说，这是正文。\n")
    assert blocks(article) == [("paragraph", "{某某} 说，这是正文。")]


def test_explain_names_the_rule_of_every_line() -> None:
    parsed = read_page("记者调查\n\n# 标题\n\n□晚报记者 王某\n\n本报讯 昨日开会。\n\n①现场。\n\n{byline} 记者 那佳\n")
    assert [(d.line, d.roles) for d in parsed.decisions] == [
        (1, ("kicker",)),
        (3, ("headline",)),
        (5, ("byline",)),
        (7, ("dateline", "paragraph")),
        (9, ("caption",)),
        (11, ("byline",)),
    ]
    assert parsed.decisions[2].rule == "a byline line between the headline and the first paragraph"
    assert parsed.decisions[5].rule == "role marker {byline}"


def test_the_readme_documents_the_json_contract_and_the_markers() -> None:
    from typing import get_args

    from publisher.ingest.markers import MARKERS
    from publisher.ingest.parse import article_json
    from publisher.model import BlockKind
    from tests.conftest import ROOT

    readme = (ROOT / "docs" / "input-format.md").read_text(encoding="utf-8")  # moved there from the README
    section = readme[readme.index("### The JSON of `publisher parse`"):]
    section = section[: section.index("\n### Punctuation")]
    article = one("# 标题\n\n**本报讯** 正文(一)。\n\n①图说\n\n记者 王某(摄)\n")
    for key in article_json(article):
        assert f"`{key}`" in section, key
    for kind in get_args(BlockKind):
        assert f"`{kind}`" in section, kind
    for marker in MARKERS:
        assert f"`{{{marker}}}`" in readme, marker
