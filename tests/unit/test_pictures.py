"""Pictures in a page file: image lines, their attributes, the caption and credit under them, picture stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.ingest.captions import is_caption, split_credit
from publisher.ingest.explain import explain
from publisher.ingest.images import Shelf
from publisher.ingest.parse import article_json, parse_page, read_page
from publisher.ingest.pictures import BadImageLine, read_image_line
from publisher.model import Article, Block, Picture
from tests import images


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(images.jpeg((120, 80), orientation=6))
    (tmp_path / "photos" / "b.png").write_bytes(images.png((90, 60)))
    return tmp_path


def parse(text: str, folder: Path) -> list[Article]:
    return parse_page(text, "a2.txt", Shelf(folder))


def problems(text: str, folder: Path | None) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_page(text, "a2.txt", Shelf(folder) if folder else None)
    return [str(p) for p in caught.value.problems]


# --- the image line ----------------------------------------------------------------------------------------


def test_an_image_line_and_its_attributes() -> None:
    line = read_image_line("![市民在濠河边赏银杏](photos/a1-1.jpg){span=3 focus=0.3,0.6 type=graphic}")
    assert (line.alt, line.file, line.span, line.focus, line.type) == (
        "市民在濠河边赏银杏", "photos/a1-1.jpg", 3, (0.3, 0.6), "graphic")
    plain = read_image_line("![ 赏银杏 ](photos/a.jpg)")
    assert (plain.alt, plain.span, plain.focus, plain.type) == ("赏银杏", None, None, "photo")
    assert read_image_line("![](photos/a.jpg) {span=1 focus=1,0}").focus == (1.0, 0.0)


@pytest.mark.parametrize("line, messages", [
    ("![猫](photos/a.jpg){spam=2}", ["unknown picture attribute `spam=2`; did you mean `span`?"]),
    ("![猫](photos/a.jpg){.wide #x}", ["unknown picture attribute `.wide` (the attributes are span, focus, type)",
                                      "unknown picture attribute `#x` (the attributes are span, focus, type)"]),
    ("![猫](photos/a.jpg){span=0 focus=1.5,0.2}", [
        "span=0: a picture spans a whole number of columns, 1 or more",
        "focus=1.5,0.2: the focus is two fractions from 0 to 1, across and down from the top left (focus=0.5,0.3)"]),
    ("![猫](photos/a.jpg){span=2 span=3}", ["picture attribute `span` is given twice"]),
    ("![猫](photos/a.jpg){focus}", ["picture attribute `focus` has no value: write focus=…"]),
    ("![猫](photos/a.jpg){type=video}", ["type=video: a picture's type is photo or graphic"]),
    ("![猫](photos/a.jpg){span=three}", ["span=three: a picture spans a whole number of columns, 1 or more"]),
    ("![猫]()", ["the image line names no file: write ![alt text](photos/file.jpg) with an optional "
                 "{span=N focus=X,Y type=photo|graphic}"]),
])
def test_attribute_problems_are_each_named(line: str, messages: list[str]) -> None:
    with pytest.raises(BadImageLine) as caught:
        read_image_line(line)
    assert caught.value.messages == messages


@pytest.mark.parametrize("line, why", [
    ("![猫 photos/a.jpg", "it has no ](file) after the alt text"),
    ("![猫](photos/a.jpg", "the file's parenthesis is not closed"),
    ('![猫](photos/a.jpg "标题")', "the file name holds a space or a parenthesis (a Markdown title is not read)"),
    ("![猫](photos/a.jpg){span=2", "the attribute block's brace is not closed"),
    ("![猫](photos/a.jpg) 图为一只猫", "something follows the image on its line"),
    ("![图[1]](photos/a.jpg)", "the alt text holds a bracket [ or ]"),
])
def test_a_line_that_starts_like_an_image_but_is_not_one_is_an_error(line: str, why: str, folder: Path) -> None:
    assert problems(f"# 标题\n\n{line}\n", folder) == [
        f"a2.txt:3: not an image line: {why}; write ![alt text](photos/file.jpg) with an optional "
        "{span=N focus=X,Y type=photo|graphic}, or start the line with {paragraph} to keep it as text"]


def test_a_paragraph_marker_keeps_an_image_like_line_as_text(folder: Path) -> None:
    [article] = parse("# 标题\n\n{paragraph} ![猫](photos/a.jpg 是一段文字。\n", folder)
    assert [(b.kind, b.text.value) for b in article.paragraphs] == [("paragraph", "![猫](photos/a.jpg 是一段文字。")]


# --- captions and credits --------------------------------------------------------------------------------------


@pytest.mark.parametrize("line, caption, credit", [
    ("①游客在码头排队登船。 晚报记者 林晓雯 摄", "①游客在码头排队登船。", "晚报记者 林晓雯 摄"),
    ("①游客在码头排队登船。晚报记者 林晓雯 摄", "①游客在码头排队登船。", "晚报记者 林晓雯 摄"),
    ("市民在公园赏菊（王某 摄）", "市民在公园赏菊", "（王某 摄）"),
    ("市民在公园赏菊 (王某 摄)", "市民在公园赏菊", "(王某 摄)"),
    ("图为新建成的跨江大桥。（资料图片）", "图为新建成的跨江大桥。", "（资料图片）"),
    ("图为受访者在实验室工作。（受访者供图）", "图为受访者在实验室工作。", "（受访者供图）"),
    ("11月27日，游客在故宫参观。 新华社发", "11月27日，游客在故宫参观。", "新华社发"),
    ("游客在故宫参观。新华社发（李某 摄）", "游客在故宫参观。", "新华社发（李某 摄）"),
    ("游客在故宫参观。 新华社发 李某 摄", "游客在故宫参观。", "新华社发 李某 摄"),
    ("游客在故宫参观。 新华社记者 李某 摄", "游客在故宫参观。", "新华社记者 李某 摄"),
    ("游客在故宫参观。（中新社发）", "游客在故宫参观。", "（中新社发）"),
    ("图为市民在濠河边散步", "图为市民在濠河边散步", None),
    ("记者 王某 摄", None, "记者 王某 摄"),
    ("新华社发", None, "新华社发"),
    ("长" * 5000 + "。 记者 王某 摄", "长" * 5000 + "。", "记者 王某 摄"),  # a long {caption}: its end is tried
])
def test_the_credit_is_kept_apart_from_the_caption(line: str, caption: str | None, credit: str | None) -> None:
    assert split_credit(line) == (caption, credit)


def test_an_agency_credit_makes_a_caption_without_an_image_too() -> None:
    assert is_caption("11月27日，游客在故宫参观。 新华社发")
    assert is_caption("游客在故宫参观。新华社发（李某 摄）")
    assert not is_caption("新华社发")  # a credit alone
    assert not is_caption("新华社发布了这一消息。")


def test_a_caption_line_without_an_image_is_a_caption_block_as_before(folder: Path) -> None:
    [article] = parse("# 标题\n\n正文。\n\n①游客在码头排队登船。 晚报记者 林晓雯 摄\n", folder)
    assert [(b.kind, b.text.value) for b in article.blocks if isinstance(b, Block)] == [
        ("paragraph", "正文。"), ("caption", "①游客在码头排队登船。 晚报记者 林晓雯 摄")]


# --- pictures in articles, pictures on their own ---------------------------------------------------------------

PAGE = """航天展走进市科技馆

# 近距离感受大国重器

**晚报讯** 昨天,航天科普展在市科技馆开展。

![运载火箭点火升空](photos/a.jpg){span=3 focus=0.5,0.35}
图为展厅大屏幕播放的火箭发射影像。（资料图片）

孩子们排起长队。 记者 周敏

![窗台上的猫](photos/b.png)
初冬时节,猫咪趴在窗台上晒太阳。 晚报记者 周敏 摄

![猫的近照](photos/b.png)
记者 周敏 摄

# 下一条

正文。
"""


def test_a_picture_is_a_block_of_its_article_and_one_after_the_byline_stands_on_its_own(folder: Path) -> None:
    science, story, following = parse(PAGE, folder)
    assert [b.kind for b in science.blocks] == ["paragraph", "picture", "paragraph"]
    rocket = science.blocks[1]
    assert isinstance(rocket, Picture)
    assert (rocket.alt.value, rocket.caption and rocket.caption.value, rocket.credit and rocket.credit.value) == (
        "运载火箭点火升空", "图为展厅大屏幕播放的火箭发射影像。", "（资料图片）")
    assert (rocket.line, rocket.caption_line, rocket.span, rocket.focus, rocket.type) == (7, 8, 3, (0.5, 0.35), "photo")
    assert (rocket.image.file, rocket.image.width, rocket.image.height) == ("photos/a.jpg", 80, 120)
    assert not science.picture_story
    assert story.picture_story and story.headline is None and story.line == 12
    assert [p.line for p in story.pictures] == [12, 15]  # the picture right after it is its picture too
    cat, closeup = story.pictures
    assert cat.credit is not None and cat.credit.value == "晚报记者 周敏 摄"
    assert closeup.caption is None and closeup.credit is not None and closeup.credit.value == "记者 周敏 摄"
    assert cat.image == closeup.image  # one file, read once
    assert following.headline is not None and following.headline.value == "下一条"


def test_a_picture_before_any_head_stands_on_its_own(folder: Path) -> None:
    story, article = parse("![猫](photos/b.png)\n图为一只猫。\n\n# 标题\n\n正文。\n", folder)
    assert story.picture_story and [b.kind for b in story.blocks] == ["picture"]
    assert not article.picture_story


def test_a_picture_under_the_headline_or_after_a_head_byline_is_the_articles(folder: Path) -> None:
    [article] = parse("# 标题\n\n记者 王某\n\n![猫](photos/b.png)\n图为一只猫。\n\n**晚报讯** 正文。\n", folder)
    assert not article.picture_story
    assert [b.kind for b in article.blocks] == ["picture", "paragraph"]
    assert article.byline_places() == [0]


def test_text_after_a_picture_story_is_its_text_and_a_byline_signs_it_off(folder: Path) -> None:
    above, story, after = parse("# 标题\n\n正文。 记者 王某\n\n![猫](photos/b.png)\n图为一只猫。\n\n"
                                "猫咪每天都来晒太阳。\n\n记者 李某\n\n![猫](photos/b.png)\n图为另一只猫。\n", folder)
    assert story.picture_story and [b.kind for b in story.blocks] == ["picture", "paragraph"]
    assert [b.value for b in story.bylines] == ["记者 李某"]
    assert after.picture_story and above.headline is not None


def test_a_question_after_a_picture_story_is_the_next_kicker(folder: Path) -> None:
    story, article = parse("![猫](photos/b.png)\n图为一只猫。\n\n为啥总堵？\n\n# 路口改造\n\n正文。\n", folder)
    assert story.picture_story and [b.kind for b in story.blocks] == ["picture"]
    assert article.kicker is not None and article.kicker.value == "为啥总堵？"


def test_the_line_under_an_image_is_its_caption_only_when_it_reads_as_one(folder: Path) -> None:
    [article] = parse("# 标题\n\n![猫](photos/b.png)\n市民家中的猫咪趴在窗台上。\n", folder)
    picture, paragraph = article.blocks
    assert isinstance(picture, Picture) and picture.caption is None and picture.caption_line is None
    assert isinstance(paragraph, Block) and paragraph.kind == "paragraph"


def test_a_caption_marker_makes_the_line_under_an_image_its_caption(folder: Path) -> None:
    [article] = parse("# 标题\n\n![猫](photos/b.png)\n{caption} 市民家中的猫咪趴在窗台上。 记者 王某 摄\n", folder)
    [picture] = article.blocks
    assert isinstance(picture, Picture)
    assert picture.caption is not None and picture.caption.value == "市民家中的猫咪趴在窗台上。"
    assert picture.credit is not None and picture.credit.value == "记者 王某 摄"


def test_a_paragraph_cut_by_a_picture_is_not_joined_across_it(folder: Path) -> None:
    [article] = parse("# 标题\n\n网格化管理必须到户到\n\n![猫](photos/b.png)\n图为一只猫。\n\n人,确保一户不少。\n", folder)
    assert [b.kind for b in article.blocks] == ["paragraph", "picture", "paragraph"]


def test_parts_account_for_alt_caption_and_credit_in_source_order(folder: Path) -> None:
    science = parse(PAGE, folder)[0]
    parts = [(p.part, p.line, p.text.value, p.in_flow) for p in science.parts()]
    assert parts[3:8] == [
        ("paragraph", 5, "昨天，航天科普展在市科技馆开展。", True),
        ("alt", 7, "运载火箭点火升空", False),
        ("caption", 8, "图为展厅大屏幕播放的火箭发射影像。", True),
        ("credit", 8, "（资料图片）", True),
        ("paragraph", 10, "孩子们排起长队。", True),
    ]
    assert "运载火箭点火升空" not in [t.value for t in science.flow_texts()]
    assert len(science.texts()) == len(science.flow_texts()) + 1


def test_every_problem_of_the_page_at_once(folder: Path) -> None:
    text = ("# 标题\n\n![](photos/b.png)\n\n![猫](photos/missing.jpg)\n\n![猫](../outside.jpg)\n\n"
            "![猫](photos/b.png){span=x}\n\n{kicker}\n")
    assert problems(text, folder) == [
        "a2.txt:3: photos/b.png: a picture needs alt text or a caption, so that a reader who cannot see it is told "
        "what it shows: ![what it shows](photos/b.png)",
        "a2.txt:5: photos/missing.jpg: picture file not found",
        "a2.txt:7: ../outside.jpg leads outside the issue's folder; a picture must be inside it",
        "a2.txt:9: span=x: a picture spans a whole number of columns, 1 or more",
        "a2.txt:11: role marker {kicker} has no text after it",
    ]


def test_a_broken_image_is_refused_at_the_line_that_names_it(folder: Path) -> None:
    (folder / "photos" / "cut.jpg").write_bytes(images.truncated(images.jpeg((600, 400))))
    (folder / "photos" / "cat.jpg").write_bytes(images.gif())
    assert problems("# 标题\n\n![猫](photos/cut.jpg)\n\n![猫](photos/cat.jpg)\n", folder) == [
        "a2.txt:3: photos/cut.jpg: the JPEG cannot be decoded: it is truncated",
        "a2.txt:5: photos/cat.jpg: a GIF image; a picture must be JPEG, PNG or TIFF",
    ]


def test_pictures_need_a_folder_to_be_read_from() -> None:
    assert problems("# 标题\n\n![猫](photos/b.png)\n", None) == [
        "a2.txt:3: photos/b.png: pictures are read from the issue's folder, and none was given"]


# --- what the parser shows -----------------------------------------------------------------------------------


def test_explain_names_the_role_and_rule_of_image_and_caption_lines(folder: Path) -> None:
    rows = {int(row.split()[0]): row for row in explain(read_page(PAGE, "a2.txt", Shelf(folder)))[1:]}
    assert rows[7].split()[1:3] == ["1", "picture"]
    assert rows[7].endswith("an image line: a picture of the article it is in")
    assert "caption + credit" in rows[8]
    assert rows[8].endswith("a photo caption under a picture (①…, 图为…, …摄, 新华社发), its credit kept apart")
    assert rows[12].split()[1:3] == ["2", "picture"]
    assert rows[12].endswith("an image line after the byline that ended the article above: a picture on its own "
                             "(图片新闻)")
    assert rows[15].endswith("an image line right after a picture on its own: another picture of it")
    assert rows[16].split()[1:3] == ["2", "credit"]
    assert rows[16].endswith("a photo credit alone under a picture: its credit")


def test_the_json_has_the_picture_as_a_block(folder: Path) -> None:
    science, story, _ = parse(PAGE, folder)
    block = article_json(science)["blocks"][1]  # type: ignore[index]
    image = science.pictures[0].image
    assert block == {
        "kind": "picture", "type": "photo", "file": "photos/a.jpg", "alt": "运载火箭点火升空",
        "caption": "图为展厅大屏幕播放的火箭发射影像。", "credit": "（资料图片）", "format": "JPEG",
        "width": 80, "height": 120, "sha256": image.sha256, "span": 3, "focus": [0.5, 0.35],
        "line": 7, "caption_line": 8,
    }
    assert article_json(story)["picture_story"] is True
    assert "picture_story" not in article_json(science)


def test_the_json_lists_the_normalised_offsets_of_each_picture_text(folder: Path) -> None:
    [article] = parse("# 标题\n\n![猫,趴在窗台上](photos/b.png)\n图为猫咪(资料图片)\n", folder)
    block = article_json(article)["blocks"][0]  # type: ignore[index]
    assert (block["alt"], block["caption"], block["credit"]) == ("猫，趴在窗台上", "图为猫咪", "（资料图片）")
    assert block["normalised"] == {"alt": [1], "credit": [0, 5]}
