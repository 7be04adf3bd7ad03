"""The parser on the seed page and on the rules each article part follows."""

from __future__ import annotations

from publisher.ingest.parse import parse_page
from tests.conftest import SEED_PAGE


def seed_articles():  # type: ignore[no-untyped-def]
    return parse_page(SEED_PAGE.read_text(encoding="utf-8"))


def test_seed_has_four_articles_with_their_parts() -> None:
    articles = seed_articles()
    expected = [
        ("吴政隆主持召开省疫情防控工作领导小组会议强调", "从快从严从紧 压紧压实责任 坚决遏制疫情反弹反复", "晚报综合消息", 4, []),
        ("王晖主持召开市新冠肺炎疫情防控工作领导小组会议", "以最大决心最强力度 打好疫情防控阻击战", "晚报讯", 4, ["记者朱文君"]),
        ("王晖在市疫情防控工作视频点调会上强调", "以快制快 以变应变 坚决遏制疫情扩散蔓延", "晚报讯", 5, ["记者朱文君 李彤"]),
        ("吴新明在市安委会全体（扩大）会议上强调", "一着不让防风险 全力以赴保安全", "晚报讯", 3, ["记者李彤"]),
    ]
    assert len(articles) == 4
    for article, (kicker, headline, dateline, paragraphs, bylines) in zip(articles, expected, strict=True):
        assert article.kicker and article.kicker.value == kicker
        assert article.headline and article.headline.value == headline
        assert article.dateline and article.dateline.value == dateline
        assert len(article.paragraphs) == paragraphs
        assert [b.value for b in article.bylines] == bylines
        assert article.subheadline is None


def test_cut_paragraphs_are_joined() -> None:
    articles = seed_articles()
    texts = [[p.text.value for p in a.paragraphs] for a in articles]
    assert any("到户到人，确保" in p for p in texts[0])
    assert any("坚定有力" in p for p in texts[2])
    assert any("压实各方安全" in p for p in texts[3])
    assert any("高效运转，实行扁平化管理" in p for p in texts[1])


def test_dateline_is_taken_out_of_the_first_paragraph() -> None:
    first = seed_articles()[1].paragraphs[0].text.value
    assert first.startswith("昨天上午，市委书记王晖")


def test_byline_is_taken_out_of_the_last_paragraph() -> None:
    last = seed_articles()[2].paragraphs[-1].text.value
    assert last.endswith("参加会议。")


def test_subheadline_and_subheads() -> None:
    page = (
        "引题不带句号\n\n# 主标题\n\n## ——副题在此\n\n**新华社北京11月27日电** 正文第一段。\n\n"
        "**相关链接**\n\n链接内容在这里。\n\n记者 周 敏\n"
    )
    [article] = parse_page(page)
    assert article.kicker and article.kicker.value == "引题不带句号"
    assert article.headline and article.headline.value == "主标题"
    assert article.subheadline and article.subheadline.value == "——副题在此"
    assert article.dateline and article.dateline.value == "新华社北京11月27日电"
    assert [(b.kind, b.text.value) for b in article.blocks] == [
        ("paragraph", "正文第一段。"),
        ("subhead", "相关链接"),
        ("paragraph", "链接内容在这里。"),
    ]
    assert [b.value for b in article.bylines] == ["记者 周 敏"]


def test_several_byline_roles_are_split() -> None:
    [article] = parse_page("# 标题\n\n正文。 记者张三 通讯员李四 实习生王五\n")
    assert [b.value for b in article.bylines] == ["记者张三", "通讯员李四", "实习生王五"]
    assert article.paragraphs[0].text.value == "正文。"


def test_text_before_any_headline_is_kept_as_a_continued_article() -> None:
    articles = parse_page("上接A1版的内容。\n\n# 新标题\n\n新正文。\n")
    assert articles[0].headline is None
    assert articles[0].paragraphs[0].text.value == "上接A1版的内容。"
    assert articles[1].headline and articles[1].headline.value == "新标题"


def test_punctuation_is_normalised_in_chinese_context_only() -> None:
    [article] = parse_page("# 标题\n\n**晚报讯** 昨天(周日),增长5.2%,时间12:30,共3,000人:好吗?Hello, world.\n")
    text = article.paragraphs[0].text.value
    assert text == "昨天（周日），增长5.2%，时间12:30，共3,000人：好吗？Hello, world."
