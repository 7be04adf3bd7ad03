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


def test_a_pictures_texts_stand_in_the_walk_and_its_alt_text_out_of_the_flow() -> None:
    from publisher.model import Image, Picture

    image = Image(file="photos/a.jpg", format="JPEG", width=80, height=120, stored_width=120, stored_height=80,
                  orientation=6, mode="RGB", bits=8, icc=False, alpha=False, exif=True, sha256="0" * 64, size=10,
                  data=b"0123456789")
    picture = Picture(image=image, alt=Text("游客登船"), caption=Text("①游客在码头排队登船。"),
                      credit=Text("晚报记者 林某 摄"), line=5, caption_line=6, span=3)
    article = Article(headline=Text("标题"), bylines=(Byline("记者 王某", line=9, after=3),),
                      blocks=(Block("paragraph", Text("正文一。"), 3), picture, Block("paragraph", Text("正文二。"), 8)))
    parts = [(p.part, p.line, p.text.value, p.in_flow) for p in article.parts()]
    assert parts == [
        ("headline", 1, "标题", True), ("paragraph", 3, "正文一。", True),
        ("alt", 5, "游客登船", False), ("caption", 6, "①游客在码头排队登船。", True),
        ("credit", 6, "晚报记者 林某 摄", True),
        ("paragraph", 8, "正文二。", True), ("byline", 9, "记者 王某", True),
    ]
    assert article.flow_texts() == [p.text for p in article.parts() if p.in_flow]
    assert article.pictures == (picture,) and [b.kind for b in article.paragraphs] == ["paragraph", "paragraph"]
    assert picture.caption_with_credit() == "①游客在码头排队登船。 晚报记者 林某 摄"
    assert picture.description() == "游客登船" and picture.keep == (0.5, 0.5) and image.turned
    bracketed = Picture(image=image, alt=Text(""), caption=Text("市民赏菊"), credit=Text("（王某 摄）"), line=1)
    assert bracketed.caption_with_credit() == "市民赏菊（王某 摄）" and bracketed.description() == "市民赏菊"
    assert "data" not in repr(image) and image == Image(**{**vars(image), "data": b""})
