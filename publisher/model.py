"""The issue as plain data: Issue > Page > Article > Block. No I/O here.

Every text field holds the *normalised* text (half-width punctuation inside
Chinese text turned full-width, see ``publisher.typeset.punctuation``). The original
is recoverable: each ``Text`` keeps the offsets it changed.

Pictures (docs/pictures.md): a ``Picture`` is a block of its article, in
source order, beside the text blocks; a picture standing on its own (图片新闻)
is an ``Article`` flagged ``picture_story``; space booked for an
advertisement is an ``Ad`` of its ``Page``. Each holds a checked ``Image``:
the bytes as read and what the print, EPUB and archive stages need to embed
them without opening the file again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .names import safe_stem


@dataclass(frozen=True)
class Text:
    """A run of normalised text and the offsets whose character was half-width in the source."""

    value: str
    normalised: tuple[int, ...] = ()

    def __str__(self) -> str:
        return self.value


BlockKind = Literal["paragraph", "subhead", "caption"]
TextPart = Literal["kicker", "headline", "subheadline", "dateline", "byline", "paragraph", "subhead", "caption",
                   "alt", "credit"]
# A picture's alt text describes the image and goes with it (the PDF's Figure, the EPUB's <img alt>):
# it is no part of the text a reader reads through, nor of a text layer.
OFF_FLOW: frozenset[TextPart] = frozenset({"alt"})


@dataclass(frozen=True)
class Byline(Text):
    """A byline as written (``记者 王某``), and where it stood in the article.

    ``after`` is the number of body blocks before it: 0 under the headline,
    ``len(blocks)`` after the last paragraph; None (a byline made without
    the parser) counts as after the last block.
    """

    line: int = 0
    after: int | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph, an in-article subhead (小标题) or a photo caption (图片说明)."""

    kind: BlockKind
    text: Text
    line: int  # first source line, for messages that point back at the page file


ImageFormat = Literal["JPEG", "PNG", "TIFF"]
PictureType = Literal["photo", "graphic"]
AdPlace = Literal["foot", "top"]


@dataclass(frozen=True)
class Image:
    """An image file named by the issue, read once and checked whole (``publisher.ingest.images``).

    The format is the file's content, not its name. Sizes are in pixels:
    ``width`` and ``height`` as the picture stands upright, the EXIF
    orientation applied; ``stored_width`` and ``stored_height`` as the pixels
    are stored. ``data`` is the file's bytes as read and checked: what the
    editions and the archive must use, even if the file changes meanwhile.
    """

    file: str  # as written in the page file or issue.yaml, relative to the issue's folder
    format: ImageFormat
    width: int
    height: int
    stored_width: int
    stored_height: int
    orientation: int  # EXIF Orientation, 1 to 8; 1 (upright as stored) when the file says none
    mode: str  # Pillow's mode of the decoded pixels: "RGB", "L", "CMYK", "P", "RGBA", "LA", "1", "I;16" …
    bits: int  # bits per sample as stored: 1, 2, 4, 8 or 16
    icc: bool  # an embedded ICC profile (checked readable and of the pixels' colour space)
    alpha: bool  # transparency: an alpha channel, or a transparent colour of a palette or PNG
    exif: bool  # an EXIF block (WeasyPrint 70 re-encodes a JPEG that has one unless told image-orientation: none)
    sha256: str  # of ``data``, hexadecimal
    size: int  # bytes
    data: bytes = field(default=b"", repr=False, compare=False)

    @property
    def turned(self) -> bool:
        """The stored pixels must be turned or mirrored to stand upright (EXIF orientation 2 to 8)."""
        return self.orientation != 1


@dataclass(frozen=True)
class Picture:
    """A photograph or graphic in a page file: ``![alt](file){span=N focus=X,Y type=…}`` and its caption line.

    A block of its article, in source order (``Article.blocks``). The caption
    and the credit come from the line under the image (``记者 王某 摄``,
    ``新华社发``, ``（王某 摄）`` are credits, kept apart from the caption); either
    may be None. ``span`` and ``focus`` are the editor's wishes to the make-up:
    the columns of the grid the picture spans, and the point a crop keeps
    (fractions of the upright picture's width and height from its top left).
    """

    image: Image
    alt: Text  # the Markdown alt text, as written; may be empty when a caption describes the picture
    caption: Text | None
    credit: Text | None
    line: int  # the image line
    caption_line: int | None = None  # the line the caption and credit came from
    span: int | None = None  # columns asked for; None: the make-up's choice
    focus: tuple[float, float] | None = None  # None: the centre
    type: PictureType = "photo"
    # Beside Block.kind, so that a template can tell the blocks apart.
    kind: Literal["picture"] = field(default="picture", init=False)

    @property
    def keep(self) -> tuple[float, float]:
        """The point a crop keeps: the focus, else the centre."""
        return self.focus if self.focus is not None else (0.5, 0.5)

    def caption_with_credit(self) -> str:
        """Caption and credit as one line, as a caption is printed under its picture (a space between them,
        none before a credit in brackets); empty when the picture has neither."""
        caption = self.caption.value if self.caption else ""
        credit = self.credit.value if self.credit else ""
        gap = " " if caption and credit and not credit.startswith(("（", "(")) else ""
        return caption + gap + credit

    def description(self) -> str:
        """What a reader who cannot see the picture is told: the alt text, else the caption."""
        if self.alt.value:
            return self.alt.value
        return self.caption.value if self.caption else ""


@dataclass(frozen=True)
class Ad:
    """Space a page books in issue.yaml for an advertisement: placed first, at its size; the stories fill the rest."""

    image: Image
    columns: int  # of the page's grid
    height_mm: float  # as booked, whatever unit it was written in (the make-up snaps it to the grid)
    place: AdPlace = "foot"
    alt: str | None = None  # a description for readers who cannot see it; None when not given
    file: str = ""  # issue.yaml, for messages
    line: int = 0

    @property
    def height_pt(self) -> float:
        return self.height_mm * 72 / 25.4


@dataclass(frozen=True)
class ArticleText:
    """One text of an article, what part of it the text is, and its first source line."""

    part: TextPart
    line: int
    text: Text

    @property
    def in_flow(self) -> bool:
        """Part of the text a reader reads through and a text layer holds (everything but a picture's alt text)."""
        return self.part not in OFF_FLOW


@dataclass(frozen=True)
class Article:
    """One article: the header parts, the body blocks (text and pictures, in source order), the bylines.

    A picture story (图片新闻, ``picture_story``) is a picture standing on its
    own between two articles: no head; its blocks are its pictures, and any
    text or bylines that followed them before the next head.
    """

    headline: Text | None  # None for text before the first headline of a page, and for a picture story
    kicker: Text | None = None  # 引题
    subheadline: Text | None = None  # 副题
    dateline: Text | None = None  # 电头, e.g. 晚报讯
    bylines: tuple[Text, ...] = ()
    blocks: tuple[Block | Picture, ...] = ()
    line: int = 1  # first source line of the article
    picture_story: bool = False
    level: int = 0  # its headline's heading level in the source: 1 (`# `) marks the page's lead, 2 (`## `)

    @property
    def body_characters(self) -> int:
        """Characters of its body (paragraphs, subheads, captions, the dateline): how long a story it is."""
        return sum(len("".join((b.text.value if isinstance(b, Block) else b.caption_with_credit()).split()))
                   for b in self.blocks) + (len(self.dateline.value) if self.dateline else 0)

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Block) and b.kind == "paragraph")

    @property
    def pictures(self) -> tuple[Picture, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Picture))

    def byline_places(self) -> list[int]:
        """For each byline, the number of blocks before it."""
        end = len(self.blocks)
        return [min(b.after, end) if isinstance(b, Byline) and b.after is not None else end for b in self.bylines]

    def parts(self) -> list[ArticleText]:
        """Every text of the article in the order of the source page, with what it is and its source line:
        the one walk over an article's texts that the editions' checks and the archive use.

        The dateline goes with the first paragraph (it opens it in print);
        bylines stand where they were, under the headline or after a block.
        """
        head: tuple[tuple[TextPart, Text | None], ...] = (
            ("kicker", self.kicker), ("headline", self.headline), ("subheadline", self.subheadline))
        parts = [ArticleText(part, self.line, text) for part, text in head if text]
        places = self.byline_places()
        first = next((i for i, b in enumerate(self.blocks) if b.kind == "paragraph"), None)
        if self.dateline is not None and first is None:
            parts.append(ArticleText("dateline", self.line, self.dateline))
        for index in range(len(self.blocks) + 1):
            parts += [ArticleText("byline", byline_line(self, b), b)
                      for b, place in zip(self.bylines, places, strict=True) if place == index]
            if index == len(self.blocks):
                break
            if index == first and self.dateline is not None:
                parts.append(ArticleText("dateline", self.line, self.dateline))
            block = self.blocks[index]
            if isinstance(block, Picture):
                parts += picture_parts(block)
            else:
                parts.append(ArticleText(block.kind, block.line, block.text))
        return parts

    def texts(self) -> list[Text]:
        """Every text of the article in the order of the source page (``parts`` without the labels)."""
        return [part.text for part in self.parts()]

    def flow_texts(self) -> list[Text]:
        """The texts a reader reads through, in order: ``texts`` without the pictures' alt texts."""
        return [part.text for part in self.parts() if part.in_flow]

    def printed_texts(self) -> list[Text]:
        """``flow_texts`` in the order the print edition sets them: the head, then its pictures' captions and
        credits (the pictures stand under the head, wherever the source has them), then the rest."""
        pictured = [part for picture in self.pictures for part in picture_parts(picture) if part.in_flow]
        moved = {id(part.text) for part in pictured}
        flow = [part for part in self.parts() if part.in_flow]
        head = [part for part in flow if part.part in ("kicker", "headline", "subheadline")]
        rest = [part for part in flow if part not in head and id(part.text) not in moved]
        return [part.text for part in (*head, *pictured, *rest)]


def picture_parts(picture: Picture) -> list[ArticleText]:
    """A picture's texts in source order: the alt text (if any), the caption, the credit."""
    caption_line = picture.caption_line or picture.line
    texts: tuple[tuple[TextPart, int, Text | None], ...] = (
        ("alt", picture.line, picture.alt if picture.alt.value else None),
        ("caption", caption_line, picture.caption), ("credit", caption_line, picture.credit))
    return [ArticleText(part, line, text) for part, line, text in texts if text is not None]


def byline_line(article: Article, byline: Text) -> int:
    """The source line of a byline; for one made without the parser, the article's last block's."""
    if isinstance(byline, Byline) and byline.line:
        return byline.line
    if not article.blocks:
        return article.line
    last = article.blocks[-1]
    return (last.caption_line or last.line) if isinstance(last, Picture) else last.line


@dataclass(frozen=True)
class Hint:
    """A make-up instruction from issue.yaml for one article, and where it was written (for messages)."""

    article: int  # the article's index on its page, from 0
    value: int  # the lead: the article's number as written; a span: the columns
    file: str
    line: int


@dataclass(frozen=True)
class Page:
    """A printed page of the issue."""

    label: str  # as printed: "A1", "08"
    section: str  # 要闻
    source: Path  # the raw page file
    articles: tuple[Article, ...] = ()
    lead: Hint | None = None  # the article that leads the printed page, when not its first
    spans: tuple[Hint, ...] = ()  # columns asked for an article's block
    ads: tuple[Ad, ...] = ()  # space booked for advertisements, in issue.yaml's order
    # The file's bytes as read and parsed: what the editions were made from,
    # attached and packaged as such even if the file changes or goes meanwhile.
    data: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class MetadataField:
    """One field of an issue's metadata, under one name in issue.yaml, the JSON, the templates and the manifests."""

    name: str
    required: bool = False
    shown: bool = False  # printed on the masthead or the cover: the fonts must have its characters


WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# In the order issue.yaml documents them and the JSON writes them.
METADATA: tuple[MetadataField, ...] = (
    MetadataField("paper", required=True),  # shown too, in the masthead's face (coverage checks it apart)
    MetadataField("date", required=True),
    MetadataField("issue", shown=True),  # the issue number as printed, e.g. "0123"
    MetadataField("language"),
    MetadataField("publisher", shown=True),
    MetadataField("place", shown=True),
    MetadataField("issn"),
    MetadataField("lccn"),
    MetadataField("edition", shown=True),
    MetadataField("lunar_date", shown=True),  # 农历 line of the masthead, as written
    MetadataField("weather", shown=True),  # the front page's ear (报眼): 晴 3～12℃ …
    MetadataField("slogan", shown=True),  # the ear's slogan, instead of or with the weather
)


@dataclass(frozen=True)
class Issue:
    """One issue of the paper, with the metadata of issue.yaml."""

    paper: str
    date: dt.date
    pages: tuple[Page, ...]
    source: Path  # the issue.yaml
    language: str = "zh-Hans"
    issue: str | None = None  # issue number as printed, e.g. "0123"
    publisher: str | None = None
    place: str | None = None
    issn: str | None = None
    lccn: str | None = None
    edition: str | None = None
    lunar_date: str | None = None  # 农历 line of the masthead, as written
    weather: str | None = None  # the front page's ear (报眼); without it or a slogan, the ear is a 导读
    slogan: str | None = None
    page_size: str | None = None  # a size of the print layout's layout.toml; None: its default_size
    layout: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)
    data: bytes = field(default=b"", repr=False, compare=False)  # issue.yaml's bytes as read

    @property
    def title(self) -> str:
        return f"{self.paper} {self.date.isoformat()}"

    @property
    def date_text(self) -> str:
        """The date as the paper prints it: 2022年11月28日."""
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]

    def images(self) -> list[Image]:
        """Every image file the issue's pictures and advertisements show, once each, in print order."""
        found: dict[str, Image] = {}
        for page in self.pages:
            for article in page.articles:
                for picture in article.pictures:
                    found.setdefault(picture.image.file, picture.image)
            for ad in page.ads:
                found.setdefault(ad.image.file, ad.image)
        return list(found.values())

    def metadata(self) -> dict[str, str | None]:
        """The metadata fields by name, in ``METADATA``'s order; the date as ISO 8601."""
        return {f.name: self.date.isoformat() if f.name == "date" else getattr(self, f.name) for f in METADATA}

    def shown_metadata(self) -> list[str]:
        """The values of the fields shown in the editions (the paper's name apart), in ``METADATA``'s order."""
        return [value for f in METADATA if f.shown and (value := getattr(self, f.name))]

    @property
    def slug(self) -> str:
        """File name stem of the editions: <paper>-<date>, the paper's name made safe for file systems."""
        return f"{safe_stem(self.paper)}-{self.date.isoformat()}"
