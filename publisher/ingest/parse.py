"""Raw page text -> articles.

The source was extracted from the columns of a printed page. Each non-blank
line is a *unit*: a headline (``#``/``##``), a bold line (``**…**``), an image
line (``![alt](photos/a.jpg)``, ``publisher.ingest.pictures``), or text,
possibly opened by a ``{role}`` marker (``publisher.ingest.markers``). The units are
given their roles by ``publisher.ingest.roles``; the articles are assembled here,
each picture with its image read and checked from the issue's folder
(``publisher.ingest.images``), and written as the JSON of ``publisher parse``
(the contract is in docs/input-format.md).

Markup (``#``, ``**``, ``{role}`` markers, an image line's ``![``, ``](file)``
and attribute block, the blank lines, the spaces that separate a dateline,
byline, kicker or photo credit from the text, leading and trailing whitespace
of a line) is dropped; every other character reaches exactly one field of one
article, in order, after the punctuation normalisation of
``publisher.typeset.punctuation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InputError, Problem
from ..limits import PICTURES_PER_PAGE
from ..model import Ad, Article, Block, Byline, Picture, Text
from ..typeset.punctuation import normalise
from ..untrusted import Refused
from .bylines import SPACE
from .images import Shelf
from .markers import MARKERS, known, split_marker
from .pictures import BadImageLine, looks_like_image, read_image_line
from .roles import Decision, Draft, PictureDraft, Reader, Unit

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
        if marker is None and looks_like_image(line):
            try:
                image = read_image_line(line)
            except BadImageLine as bad:
                for message in bad.messages:
                    _problem(problems, name, number, message)
                continue
            result.append(Unit("image", image.alt, number, 0, None, source, image))
        elif heading := _HEADING.match(line):
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



def _text(value: str | None) -> Text | None:
    return normalise(value) if value else None


def _article(draft: Draft, pictures: dict[int, Picture]) -> Article:
    bylines = []
    for value, line, after in draft.bylines:
        normalised = normalise(value)
        bylines.append(Byline(normalised.value, normalised.normalised, line=line, after=after))
    return Article(
        kicker=_text(draft.kicker),
        headline=_text(draft.headline),
        level=draft.level if draft.headline else 0,
        subheadline=_text(draft.subheadline),
        dateline=_text(draft.dateline),
        bylines=tuple(bylines),
        blocks=tuple(pictures[p.line] if isinstance(p, PictureDraft) else Block(p.kind, normalise(p.text), p.line)
                     for p in draft.blocks),
        line=draft.line,
        picture_story=draft.picture_story,
    )


def _pictures(drafts: list[Draft], name: str, images: Shelf | None, problems: list[Problem]) -> dict[int, Picture]:
    """Each picture of the page by its image line, its image read and checked; a problem for each that is not."""
    found = [p for d in drafts for p in d.blocks if isinstance(p, PictureDraft)]
    if len(found) > PICTURES_PER_PAGE:
        problems.append(Problem(name, found[PICTURES_PER_PAGE].line,
                                f"{len(found)} pictures on one page; the limit is {PICTURES_PER_PAGE}"))
        return {}
    pictures: dict[int, Picture] = {}
    for draft in found:
        line = draft.image
        if not line.alt and draft.caption is None:
            problems.append(Problem(name, draft.line, f"{line.file}: a picture needs alt text or a caption, so that "
                                    f"a reader who cannot see it is told what it shows: ![what it shows]({line.file})"))
        if images is None:
            problems.append(Problem(name, draft.line, f"{line.file}: pictures are read from the issue's folder, "
                                    f"and none was given"))
            continue
        try:
            image = images.image(line.file)
        except Refused as refused:
            problems.append(Problem(name, draft.line, str(refused)))
            continue
        pictures[draft.line] = Picture(image=image, alt=normalise(line.alt), caption=_text(draft.caption),
                                       credit=_text(draft.credit), line=draft.line, caption_line=draft.caption_line,
                                       span=line.span, focus=line.focus, type=line.type)
    return pictures


def read_page(text: str, name: str = "page", images: Shelf | None = None) -> ParsedPage:
    """The page's articles and, for each source line, the role it was given and the rule that decided it.

    ``images`` reads the pictures' files from the issue's folder. Raises
    InputError listing every problem (a bad role marker or image line, an
    image that cannot be used), each at its ``name:line``.
    """
    problems: list[Problem] = []
    reader = Reader(units(text, name, problems), name, problems)
    reader.read()
    pictures = _pictures(reader.drafts, name, images, problems)
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line or 0))
    return ParsedPage([_article(d, pictures) for d in reader.drafts], reader.decisions)


def parse_page(text: str, name: str = "page", images: Shelf | None = None) -> list[Article]:
    """Split a page's text into articles; ``name`` is how problems refer to the page file."""
    return read_page(text, name, images).articles


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
    result: dict[str, object] = {
        "kicker": text(article.kicker),
        "headline": text(article.headline),
        "subheadline": text(article.subheadline),
        "dateline": text(article.dateline),
        "bylines": [b.value for b in article.bylines],
        "byline_after": article.byline_places(),
        "blocks": [picture_json(b) if isinstance(b, Picture) else
                   {"kind": b.kind, "text": b.text.value, "line": b.line}
                   | ({"normalised": list(b.text.normalised)} if b.text.normalised else {})
                   for b in article.blocks],
        "line": article.line,
        "normalised": offsets,
    }
    if article.picture_story:
        result["picture_story"] = True
    return result


def picture_json(picture: Picture) -> dict[str, object]:
    """A picture block of the JSON: the image as checked, its texts, the editor's wishes and its lines."""
    texts = {"alt": picture.alt, "caption": picture.caption, "credit": picture.credit}
    offsets = {key: list(text.normalised) for key, text in texts.items() if text is not None and text.normalised}
    image = picture.image
    return {
        "kind": "picture", "type": picture.type, "file": image.file,
        "alt": picture.alt.value, "caption": _value(picture.caption), "credit": _value(picture.credit),
        "format": image.format, "width": image.width, "height": image.height, "sha256": image.sha256,
        "span": picture.span, "focus": list(picture.focus) if picture.focus else None,
        "line": picture.line, "caption_line": picture.caption_line,
    } | ({"normalised": offsets} if offsets else {})


def ad_json(ad: Ad) -> dict[str, object]:
    """A booked advertisement in the issue's JSON: its image as checked, its size and place, its issue.yaml line."""
    image = ad.image
    return {"file": image.file, "columns": ad.columns, "height_mm": round(ad.height_mm, 2), "place": ad.place,
            "alt": ad.alt, "format": image.format, "width": image.width, "height": image.height,
            "sha256": image.sha256, "line": ad.line}


def _value(text: Text | None) -> str | None:
    return text.value if text else None
