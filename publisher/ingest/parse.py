"""Raw page text -> articles.

The source was extracted from the columns of a printed page. Each non-blank
line is a *unit*: a headline (``#``/``##``), a bold line (``**…**``), or text,
possibly opened by a ``{role}`` marker (``publisher.ingest.markers``). The units are
given their roles by ``publisher.ingest.roles``; the articles are assembled here, and
written as the JSON of ``publisher parse`` (the contract is in docs/input-format.md).

Markup (``#``, ``**``, ``{role}`` markers, the blank lines, the spaces that
separate a dateline, byline or kicker from the text, leading and trailing
whitespace of a line) is dropped; every other character reaches exactly one
field of one article, in order, after the punctuation normalisation of
``publisher.typeset.punctuation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError, Problem
from ..model import Article, Block, Byline, Text
from ..typeset.punctuation import normalise
from .bylines import SPACE
from .markers import MARKERS, known, split_marker
from .roles import Decision, Draft, Reader, Unit

# The text is right-stripped in code: a lazy `.*?` before `\s*$` is quadratic on long runs of spaces.
_HEADING = re.compile(r"^(?P<marks>#{1,6})[ \t\u3000]+(?P<text>\S.*)$")
_BOLD_LINE = re.compile(r"^\*\*(?P<text>[^*]+?)\*\*$")


@dataclass(frozen=True)
class ParsedPage:
    articles: list[Article]
    decisions: list[Decision]


def units(text: str, name: str = "page", problems: list[Problem] | None = None) -> list[Unit]:
    """The page's non-blank lines; an unknown or empty marker is a problem at its line."""
    result: list[Unit] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(SPACE)
        if not line:
            continue
        marker, line = split_marker(line)
        if marker is not None:
            if marker not in MARKERS:
                _problem(problems, name, number, f"unknown role marker {{{marker}}}; the markers are {known()}")
                continue
            line = line.strip(SPACE)
            if not line:
                _problem(problems, name, number, f"role marker {{{marker}}} has no text after it")
                continue
        source = raw.strip(SPACE)
        if heading := _HEADING.match(line):
            result.append(Unit("heading", heading["text"].rstrip(), number, len(heading["marks"]), marker, source))
        elif bold := _BOLD_LINE.match(line):
            result.append(Unit("bold", bold["text"].strip(), number, 0, marker, source))
        else:
            result.append(Unit("text", line, number, 0, marker, source))
    return result


def _problem(problems: list[Problem] | None, name: str, line: int, message: str) -> None:
    if problems is None:
        raise InputError([Problem(name, line, message)])
    problems.append(Problem(name, line, message))



def _article(draft: Draft) -> Article:
    def text(value: str | None) -> Text | None:
        return normalise(value) if value else None

    bylines = []
    for value, line, after in draft.bylines:
        normalised = normalise(value)
        bylines.append(Byline(normalised.value, normalised.normalised, line=line, after=after))
    return Article(
        kicker=text(draft.kicker),
        headline=text(draft.headline),
        level=draft.level if draft.headline else 0,
        subheadline=text(draft.subheadline),
        dateline=text(draft.dateline),
        bylines=tuple(bylines),
        blocks=tuple(Block(p.kind, normalise(p.text), p.line) for p in draft.blocks),
        line=draft.line,
    )


def read_page(text: str, name: str = "page") -> ParsedPage:
    """The page's articles and, for each source line, the role it was given and the rule that decided it.

    Raises InputError listing every bad role marker, each at its ``name:line``.
    """
    problems: list[Problem] = []
    reader = Reader(units(text, name, problems), name, problems)
    reader.read()
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line or 0))
    return ParsedPage([_article(d) for d in reader.drafts], reader.decisions)


def parse_page(text: str, name: str = "page") -> list[Article]:
    """Split a page's text into articles; ``name`` is how problems refer to the page file."""
    return read_page(text, name).articles


def article_json(article: Article) -> dict[str, object]:
    """The JSON shape of ``publisher parse``; ``normalised`` lists converted offsets per field."""

    def text(value: Text | None) -> str | None:
        return value.value if value else None

    offsets: dict[str, object] = {}
    for name in ("kicker", "headline", "subheadline", "dateline"):
        value = getattr(article, name)
        if value and value.normalised:
            offsets[name] = list(value.normalised)
    byline_offsets = {str(i): list(b.normalised) for i, b in enumerate(article.bylines) if b.normalised}
    if byline_offsets:
        offsets["bylines"] = byline_offsets
    return {
        "kicker": text(article.kicker),
        "headline": text(article.headline),
        "subheadline": text(article.subheadline),
        "dateline": text(article.dateline),
        "bylines": [b.value for b in article.bylines],
        "byline_after": article.byline_places(),
        "blocks": [
            {"kind": b.kind, "text": b.text.value, "line": b.line}
            | ({"normalised": list(b.text.normalised)} if b.text.normalised else {})
            for b in article.blocks
        ],
        "line": article.line,
        "normalised": offsets,
    }
