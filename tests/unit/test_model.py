"""The one walk over an article's texts: every text once, in source order, with its part and line."""

from __future__ import annotations

from publisher.model import Article, Block, Byline, Text


def test_parts_walk_every_text_in_source_order_with_its_part_and_line() -> None:
    article = Article(
        headline=Text("标题"),
        kicker=Text("引题"),
        subheadline=Text("副题"),
        dateline=Text("晚报讯"),
        bylines=(Byline("记者 王某", line=4, after=0), Byline("编辑 李某", line=9, after=None)),
        blocks=(Block("caption", Text("图片说明"), 5), Block("paragraph", Text("正文一。"), 6),
                Block("subhead", Text("小标题"), 7), Block("paragraph", Text("正文二。"), 8)),
        line=1,
    )
    parts = [(p.part, p.line, p.text.value) for p in article.parts()]
    assert parts == [
        ("kicker", 1, "引题"), ("headline", 1, "标题"), ("subheadline", 1, "副题"),
        ("byline", 4, "记者 王某"),
        ("caption", 5, "图片说明"),
        ("dateline", 1, "晚报讯"), ("paragraph", 6, "正文一。"),
        ("subhead", 7, "小标题"), ("paragraph", 8, "正文二。"),
        ("byline", 9, "编辑 李某"),
    ]
    assert article.texts() == [p.text for p in article.parts()]
