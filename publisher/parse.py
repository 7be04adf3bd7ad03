"""Raw page text -> articles (DESIGN.md section 4).

The source was extracted from the columns of a printed page. Each non-blank
line is a *unit*: a headline (``#``/``##``), a bold line (``**…**``), or text.
Units are grouped into articles, then the article parts are recognised:

- a short text line without sentence-final punctuation right before a headline
  is its kicker (引题); a headline line can also carry kicker and headline
  together, split after a speech verb (``…会议上强调 一着不让…``);
- a heading or ``——`` line right after the headline is the subheadline (副题);
- ``**晚报讯**`` opening the first paragraph is the dateline (电头); a bold line
  inside the body is an in-article subhead (小标题);
- ``记者…``, ``通讯员…``, ``实习生…`` after the last sentence or on the last
  line are bylines;
- a paragraph that does not end a sentence was cut by the column extraction
  and is joined with the next one.

Markup (``#``, ``**``, the blank lines, the spaces that separate a dateline,
byline or kicker from the text, leading and trailing whitespace of a line) is
dropped; every other character reaches the output in order, after the
punctuation normalisation of ``publisher.punctuation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Article, Block, Text
from .punctuation import normalise

# A paragraph that ends with one of these ends a sentence; otherwise the column
# extraction cut it and the next text unit continues it.
SENTENCE_END = tuple("。！？…”」』）)：；.!?\"'")

BYLINE_ROLES = ("本报记者", "特约记者", "见习记者", "摄影记者", "记者", "特约通讯员", "通讯员", "实习生", "撰稿")
_ROLE = "|".join(BYLINE_ROLES)
# A byline after the last sentence of a paragraph, separated by whitespace.
_TRAILING_BYLINE = re.compile(
    rf"^(?P<text>.*[{re.escape(''.join(SENTENCE_END))}])[ \t\u3000]+(?P<byline>(?:{_ROLE})\s*\S.*)$"
)
# A byline on its own line: a role and names, no sentence punctuation.
_BYLINE_LINE = re.compile(rf"^(?:{_ROLE})\s*[^\s。！？，,.!?；;：:]+(?:\s+[^\s。！？，,.!?；;：:]+)*$")
_ROLE_SPLIT = re.compile(rf"\s+(?=(?:{_ROLE}))")

# A kicker and a headline on one heading line: the kicker ends with a speech verb.
SPEECH_VERBS = ("强调", "指出", "表示", "要求", "提出", "认为", "希望", "寄语", "宣布", "透露", "呼吁", "说", "称")
_SPLIT_HEADING = re.compile(rf"^(?P<kicker>\S+?(?:{'|'.join(SPEECH_VERBS)}))[ \u3000]+(?P<headline>\S.*)$")

# The text is right-stripped in code: a lazy `.*?` before `\s*$` is quadratic on long runs of spaces.
_HEADING = re.compile(r"^(?P<marks>#{1,6})[ \t\u3000]+(?P<text>\S.*)$")
_BOLD_LINE = re.compile(r"^\*\*(?P<text>[^*]+?)\*\*$")
_DATELINE = re.compile(r"^\*\*(?P<dateline>[^*]+?)\*\*[ \t\u3000]*(?P<rest>\S.*)$")
_DATELINE_ALONE = re.compile(r"(讯|电|消息|报道)$")

KICKER_MAX = 60


@dataclass(frozen=True)
class Unit:
    """One non-blank source line, classified."""

    kind: str  # "heading", "bold", "text"
    text: str  # without its markup
    line: int
    level: int = 0  # heading level


@dataclass
class _Draft:
    """An article while its units are being collected."""

    line: int
    kicker: Unit | None = None
    headline: Unit | None = None
    subheadline: Unit | None = None
    body: list[Unit] = field(default_factory=list)


def units(text: str) -> list[Unit]:
    result: list[Unit] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(" \t\u3000")
        if not line:
            continue
        if heading := _HEADING.match(line):
            result.append(Unit("heading", heading["text"].rstrip(), number, len(heading["marks"])))
        elif bold := _BOLD_LINE.match(line):
            result.append(Unit("bold", bold["text"].strip(), number))
        else:
            result.append(Unit("text", line, number))
    return result


def _is_kicker(unit: Unit, following: Unit | None) -> bool:
    return (
        unit.kind == "text"
        and following is not None
        and following.kind == "heading"
        and len(unit.text) <= KICKER_MAX
        and not unit.text.endswith(SENTENCE_END)
    )


def _drafts(page_units: list[Unit]) -> list[_Draft]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for i, unit in enumerate(page_units):
        following = page_units[i + 1] if i + 1 < len(page_units) else None
        in_header = current is not None and current.headline is not None and not current.body
        if _is_kicker(unit, following):
            current = _Draft(unit.line, kicker=unit)
            drafts.append(current)
        elif unit.kind == "heading" and current is not None and current.headline is None and current.kicker:
            current.headline = unit
        elif (
            current is not None
            and in_header
            and current.subheadline is None
            and (unit.kind == "heading" or unit.text.startswith("——"))
        ):
            current.subheadline = unit
        elif unit.kind == "heading":
            current = _Draft(unit.line, headline=unit)
            drafts.append(current)
        else:
            if current is None:  # text before the first headline: continued from another page
                current = _Draft(unit.line)
                drafts.append(current)
            current.body.append(unit)
    return drafts


def _split_byline(text: str) -> list[str]:
    return [part for part in _ROLE_SPLIT.split(text) if part]


def _blocks_and_bylines(body: list[Unit]) -> tuple[str | None, list[tuple[str, str, int]], list[str]]:
    """Dateline, (kind, raw text, line) blocks with cut paragraphs joined, bylines."""
    dateline: str | None = None
    # A paragraph is kept as its pieces while cut lines are joined onto it:
    # joining strings, and testing the whole paragraph again at each piece,
    # would be quadratic on a page of a million short lines.
    blocks: list[tuple[str, list[str], int]] = []
    bylines: list[str] = []
    for index, unit in enumerate(body):
        last = index == len(body) - 1
        first_body = not blocks and dateline is None
        if unit.kind == "bold":
            if first_body and _DATELINE_ALONE.search(unit.text):
                dateline = unit.text
            else:
                blocks.append(("subhead", [unit.text], unit.line))
            continue
        text = unit.text
        if unit.kind == "heading":  # a stray heading inside an article body reads as a subhead
            blocks.append(("subhead", [text], unit.line))
            continue
        if last and _BYLINE_LINE.match(text) and blocks:
            bylines.extend(_split_byline(text))
            continue
        if match := _DATELINE.match(text):
            if first_body:
                dateline, text = match["dateline"].strip(), match["rest"]
            else:  # a bold lead-in later in the article works as a subhead
                blocks.append(("subhead", [match["dateline"].strip()], unit.line))
                text = match["rest"]
        previous = blocks[-1] if blocks else None
        if previous and previous[0] == "paragraph" and not _ends_paragraph(previous[1]):
            previous[1].append(text)
        else:
            blocks.append(("paragraph", [text], unit.line))
    joined = [(kind, "".join(pieces), line) for kind, pieces, line in blocks]
    if joined and joined[-1][0] == "paragraph" and (trailing := _TRAILING_BYLINE.match(joined[-1][1])):
        joined[-1] = ("paragraph", trailing["text"], joined[-1][2])
        bylines = _split_byline(trailing["byline"]) + bylines
    return dateline, joined, bylines


# A byline after a sentence may be cut across two pieces ("…。 记" + "者某某"):
# the test of a joined paragraph looks at its last piece and this much before it.
_BYLINE_REACH = 16


def _ends_paragraph(pieces: list[str]) -> bool:
    """Whether the paragraph made of ``pieces`` ends a sentence (or holds a trailing byline).

    ``pieces[:-1]`` were tested when each was appended and held no trailing
    byline, so a match can only lie in the last piece or reach back into the
    one before across white space: that tail is what is tested.
    """
    last = pieces[-1]
    if last.endswith(SENTENCE_END):
        return True
    if len(pieces) == 1:
        return _TRAILING_BYLINE.match(last) is not None
    before = pieces[-2]
    start = max(0, len(before) - _BYLINE_REACH)
    while start > 0 and before[start - 1].isspace():
        start -= 1
    tail = before[max(0, start - 1):] + last
    return _TRAILING_BYLINE.match(tail) is not None


def _article(draft: _Draft) -> Article:
    kicker = draft.kicker.text if draft.kicker else None
    headline = draft.headline.text if draft.headline else None
    if headline is not None and kicker is None and (split := _SPLIT_HEADING.match(headline)):
        kicker, headline = split["kicker"], split["headline"]
    subheadline = draft.subheadline.text if draft.subheadline else None
    dateline, blocks, bylines = _blocks_and_bylines(draft.body)
    return Article(
        kicker=normalise(kicker) if kicker else None,
        headline=normalise(headline) if headline else None,
        subheadline=normalise(subheadline) if subheadline else None,
        dateline=normalise(dateline) if dateline else None,
        bylines=tuple(normalise(b) for b in bylines),
        blocks=tuple(Block("paragraph" if kind == "paragraph" else "subhead", normalise(text), line)
                     for kind, text, line in blocks),
        line=draft.line,
    )


def parse_page(text: str) -> list[Article]:
    """Split a page's text into articles."""
    return [_article(draft) for draft in _drafts(units(text))]


def article_json(article: Article) -> dict[str, object]:
    """The JSON shape of ``publisher parse``; ``normalised`` lists converted offsets per field."""

    def text(value: Text | None) -> str | None:
        return value.value if value else None

    offsets: dict[str, object] = {}
    for name in ("kicker", "headline", "subheadline", "dateline"):
        value = getattr(article, name)
        if value and value.normalised:
            offsets[name] = list(value.normalised)
    return {
        "kicker": text(article.kicker),
        "headline": text(article.headline),
        "subheadline": text(article.subheadline),
        "dateline": text(article.dateline),
        "bylines": [b.value for b in article.bylines],
        "blocks": [
            {"kind": b.kind, "text": b.text.value, "line": b.line}
            | ({"normalised": list(b.text.normalised)} if b.text.normalised else {})
            for b in article.blocks
        ],
        "line": article.line,
        "normalised": offsets,
    }
