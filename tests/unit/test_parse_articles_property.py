"""Pages generated from articles parse back into those articles.

Each example draws a page of articles in the conventions of the papers:
kickers (on their own line or in the headline after a speech verb), ``#`` and
``##`` headlines, subheadlines (``##``, ``——`` lines, tag lines ending in
``！``), bylines under the headline, after the text on their own line,
after the last sentence (spaced or glued) or as an agency credit, datelines
in many forms (bold, plain, with reporters, alone on their line), subheads,
photo captions, paragraphs cut by the column extraction, and text continued
from another page before the first headline. The page is written out as the
raw format and parsed; every part must come back in its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.ingest.parse import parse_page
from publisher.model import Article
from publisher.typeset.punctuation import restore

# Characters of running text that make no role of their own (no role, dateline or caption word).
HAN = "城市民夜游新体验公园花开春风里河水清山高路远晴天雨季节日灯火街巷老房子车站广场学校医院书馆桥梁工程建设绿色生活区服务中心居家庭"
NAMES = ("王晓晨", "李彤", "张亮", "陈静", "顾晓燕", "周敏", "欧阳明", "刘思远", "黄婷婷", "孙浩然")
ROLES = ("记者", "本报记者", "晚报记者", "见习记者", "实习记者", "特约记者", "摄影记者", "通讯员", "实习生")
MARKS = ("", "", "□", "■", "●")
DATELINES = (
    "晚报讯", "本报讯", "本报讯（记者 王晓晨 通讯员 李彤）", "晚报讯(记者 张亮)", "新华社北京11月27日电",
    "新华社北京11月27日电（记者 周敏）", "本报11月27日讯", "江海晚报讯", "香港文匯報訊", "晚报综合消息",
)
# Plain datelines the text may follow without a space (the rest need one, or bold).
GLUED_DATELINES = ("本报讯", "本报讯（记者 王晓晨 通讯员 李彤）", "新华社北京11月27日电", "本报11月27日讯")
SUBHEADS = ("相关链接", "延伸阅读", "数据")
SPACE = st.sampled_from([" ", "  ", "\u3000", "   "])

words = st.text(alphabet=st.sampled_from(HAN), min_size=2, max_size=8)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    text = draw(words) + draw(st.sampled_from(["，", "、", ",", "，2024年"])) + draw(words)
    if draw(st.booleans()):
        text = "“" + text + draw(st.sampled_from(["。”", "！”"]))
    return text + draw(st.sampled_from(["。", "。", "！", "？"]))


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    text = "".join(draw(st.lists(sentence(), min_size=1, max_size=3)))
    return text if text.endswith(("。", "！", "？")) else text + "。"


@st.composite
def byline(draw: st.DrawFn, spaced: bool = False, marked: bool = True) -> list[str]:
    """The bylines of one line, each as written (the first with its mark). ``spaced``: a space
    after the role, as a byline glued to the text must have to be told from it."""
    parts = []
    for index in range(draw(st.integers(1, 2))):
        role = draw(st.sampled_from(ROLES))
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True))
        part = role + (" " if spaced else draw(st.sampled_from(["", " "]))) + " ".join(names)
        parts.append((draw(st.sampled_from(MARKS)) if index == 0 and marked else "") + part)
    return parts


@dataclass
class Spec:
    """One article as it must come out, and its lines as the page writes them."""

    lines: list[str] = field(default_factory=list)
    kicker: str | None = None
    headline: str | None = None
    subheadline: str | None = None
    dateline: str | None = None
    blocks: list[tuple[str, str]] = field(default_factory=list)
    bylines: list[tuple[str, int]] = field(default_factory=list)


@st.composite
def article(draw: st.DrawFn, headed: bool = True) -> Spec:
    spec = Spec()
    if headed:
        headline = " ".join(draw(st.lists(words, min_size=1, max_size=3)))
        mark = draw(st.sampled_from(["#", "##"]))
        kicker = draw(st.sampled_from(["none", "line", "inline"]))
        if kicker == "line":
            spec.kicker = draw(words)
            spec.lines.append(spec.kicker)
        if kicker == "inline":
            spec.kicker = draw(words) + "强调"
            spec.lines.append(f"{mark} {spec.kicker} {headline}")
        else:
            spec.lines.append(f"{mark} {headline}")
        spec.headline = headline
        subheadline = draw(st.sampled_from(["none", "none", "heading", "dash", "tag"]))
        if subheadline == "heading":
            spec.subheadline = draw(words)
            spec.lines.append(f"## {spec.subheadline}")
        elif subheadline == "dash":
            spec.subheadline = "——" + draw(words)
            spec.lines.append(spec.subheadline)
        elif subheadline == "tag":
            spec.subheadline = draw(words) + draw(st.sampled_from(["！", "？", "！！"]))
            spec.lines.append(spec.subheadline)
        if draw(st.integers(0, 4)) == 0:
            caption(draw, spec)
        if draw(st.booleans()):
            parts = draw(byline())
            spec.lines.append(draw(SPACE).join(parts))
            spec.bylines += [(part, len(spec.blocks)) for part in parts]
    body(draw, spec, dated=headed)
    return spec


def caption(draw: st.DrawFn, spec: Spec) -> None:
    name = draw(st.sampled_from(NAMES))
    text = draw(st.sampled_from([
        f"①{draw(words)}", f"图为{draw(words)}", f"{draw(words)}。 记者 {name} 摄", f"{draw(words)}（{name} 摄）",
    ]))
    spec.lines.append(text)
    spec.blocks.append(("caption", text))


def cut(draw: st.DrawFn, text: str) -> list[str]:
    """The paragraph as the column extraction may leave it: cut between two Han characters."""
    places = [i for i in range(1, len(text)) if text[i - 1] in HAN and text[i] in HAN]
    if not places or draw(st.integers(0, 3)) > 0:
        return [text]
    at = draw(st.sampled_from(places))
    return [text[:at], text[at:]]


def body(draw: st.DrawFn, spec: Spec, dated: bool) -> None:
    paragraphs = draw(st.lists(paragraph(), min_size=1, max_size=4))
    ending = draw(st.sampled_from(["none", "line", "spaced", "glued", "bracketed", "credit"]))
    dateline = draw(st.sampled_from(["none", "bold", "plain", "alone"])) if dated else "none"
    for index, text in enumerate(paragraphs):
        if index > 0 and draw(st.integers(0, 5)) == 0:
            subhead = draw(st.sampled_from(SUBHEADS))
            spec.lines.append(f"**{subhead}**")
            spec.blocks.append(("subhead", subhead))
        if index > 0 and draw(st.integers(0, 5)) == 0:
            caption(draw, spec)
        if index == 0 and text.endswith(("！", "？")):
            text = text[:-1] + "。"  # a short first paragraph ending so under the headline is a tag line
        line = text
        if index == 0 and dateline != "none":
            spec.dateline = draw(st.sampled_from(DATELINES))
            if dateline == "bold":
                line = f"**{spec.dateline}**{draw(SPACE)}{text}"
            elif dateline == "alone":
                spec.lines.append(f"**{spec.dateline}**" if draw(st.booleans()) else spec.dateline)
            else:
                glue = draw(st.sampled_from(["", " "])) if spec.dateline in GLUED_DATELINES else draw(SPACE)
                line = spec.dateline + glue + text
        pieces = cut(draw, line) if index > 0 or dateline != "alone" else [line]
        trailing: list[str] = []
        if index == len(paragraphs) - 1 and ending in ("spaced", "glued", "bracketed", "credit"):
            if ending == "credit":
                trailing = ["（据新华社）"]
            elif ending == "bracketed":
                trailing = ["（" + " ".join(draw(byline(marked=False))) + "）"]
            else:
                trailing = draw(byline(spaced=ending == "glued"))
            pieces[-1] += (draw(SPACE) if ending == "spaced" else "") + " ".join(trailing)
        spec.lines += pieces
        spec.blocks.append(("paragraph", text))
        spec.bylines += [(t, len(spec.blocks)) for t in trailing]
    if ending == "line":
        parts = draw(byline())
        spec.lines.append(draw(SPACE).join(parts))
        spec.bylines += [(part, len(spec.blocks)) for part in parts]


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[Spec]]:
    specs = []
    if draw(st.integers(0, 4)) == 0:
        specs.append(draw(article(headed=False)))
    specs += draw(st.lists(article(), min_size=1, max_size=4))
    lines = [line for spec in specs for line in spec.lines]
    gaps = draw(st.lists(st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"]), min_size=len(lines), max_size=len(lines)))
    indent = draw(st.sampled_from(["", " ", "\u3000"]))
    return "".join(indent + line + gap for line, gap in zip(lines, gaps, strict=True)), specs


def source(value: object) -> str | None:
    return restore(value) if value is not None else None  # type: ignore[arg-type]


def as_spec(parsed: Article) -> tuple[object, ...]:
    return (
        source(parsed.kicker),
        source(parsed.headline),
        source(parsed.subheadline),
        source(parsed.dateline),
        [(b.kind, restore(b.text)) for b in parsed.blocks],
        list(zip([restore(b) for b in parsed.bylines], parsed.byline_places(), strict=True)),
    )


@settings(max_examples=400, deadline=None)
@given(pages())
def test_pages_made_of_articles_parse_back_into_them(generated: tuple[str, list[Spec]]) -> None:
    page, specs = generated
    parsed = parse_page(page)
    expected = [
        (spec.kicker, spec.headline, spec.subheadline, spec.dateline, spec.blocks, spec.bylines) for spec in specs
    ]
    assert [as_spec(article) for article in parsed] == expected


@settings(max_examples=200, deadline=None)
@given(pages())
def test_generated_pages_keep_every_character_in_order(generated: tuple[str, list[Spec]]) -> None:
    page, _ = generated
    content = re.sub(r"[\s#*]", "", page)
    parsed = "".join(re.sub(r"\s", "", restore(t)) for a in parse_page(page) for t in a.texts())
    assert parsed == content


CONVENTION_WORDS = ["记者", "本报记者", "通讯员", "实习生", "摄", "文/图", "图为", "①", "本报讯", "晚报讯", "新华社北京11月27日电",
                    "（据新华社）", "(", ")", "（", "）", "□", "■", "王某", "李彤", "周 敏", "——", "！", "？", "。", "”", "“",
                    "{byline}", "{join}", "{kicker}", "{caption}", "{paragraph}", "{subhead}", "{dateline}", "{subheadline}",
                    "{headline}", "**", "# ", "## ", " ", "\u3000"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*CONVENTION_WORDS, *HAN[:12]]), max_size=8).map("".join), max_size=14))
def test_any_mix_of_convention_words_keeps_every_character(lines: list[str]) -> None:
    from publisher.errors import InputError

    page = "\n\n".join(lines)
    try:
        articles = parse_page(page)
    except InputError as error:  # only a marker in the wrong place is refused, always with its line
        assert all(p.line is not None and "{" in p.message for p in error.problems)
        return
    markers = re.compile(r"^[ \t\u3000]*\{[a-z]+\}", re.MULTILINE)
    content = re.sub(r"[\s#*]", "", markers.sub("", page))
    parsed = "".join(re.sub(r"[\s#*]", "", restore(t)) for a in articles for t in a.texts())
    assert parsed == content
