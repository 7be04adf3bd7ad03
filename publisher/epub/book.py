"""The EPUB 3 edition: one document per article, navigation by page and
section, a page-list of the printed pages, subset fonts, accessibility metadata.

The finish is a checklist, as in Sphinx's EPUB builder: render every document
from the layout's templates, subset the fonts to the characters those
documents hold, hand the parts to ebooklib for the package document, then
rewrite the archive reproducibly (``epubzip``). Only the last step writes.

On a reader's shelf the book shows its cover image (``cover``), sits in the
paper's series ordered by date, and carries the description, subjects and
identifiers calibre and the stores read; its editions (default, vertical,
Traditional) are told apart in their titles.

Reproducibility: ``dcterms:modified`` and every zip timestamp are the build's
time (``timestamps.modified_datetime``: ``SOURCE_DATE_EPOCH`` in UTC when set,
else the clock), so with ``SOURCE_DATE_EPOCH`` a rebuild gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ebooklib import epub as ebooklib_epub

from .. import layouts, templates
from ..atomic import write_atomic
from ..errors import InputError, Problem, ToolError, display_path
from ..model import Article, Issue, Page
from ..resources import FONTS_DIR
from ..timestamps import modified_datetime
from ..typeset import coverage, fonts
from ..typeset.cjk.prohibitions import CSS_LINE_BREAK
from ..typeset.fonts import FontFace, Role
from ..typeset.geometry import line_break_level
from ..typeset.subset import FontSubset, subset_face
from . import faces
from .cover import CoverImage, CoverText, Lead, draw_cover, load_style
from .epubzip import repack
from .faces import Face
from .filters import EPUB_FILTERS
from .pictures import UprightPixels, screen_image
from .traditional import to_traditional

KIND = "epub"
XHTML = "application/xhtml+xml"
PICTURE_STORY = "图片新闻"  # the contents entry of a picture on its own
TEXT_DIR = "text"  # content documents, relative to the package folder (EPUB/)
_COVER_NAME = "images/cover"  # the cover image, relative to the package folder, without its extension
_COVER_ID = "cover-image"

_Convert = Callable[[str], str]

# Identifiers are UUIDv5 under this namespace: the same issue and edition
# always gets the same identifier, so readers treat a rebuild as the same book.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:publisher:evening-paper:epub")


_A11Y_SUMMARY = (
    "本书为可重排文本，无音视频或脚本；唯一的图片是封面，其文字另有替代文本。目录按版面和栏目组织，"
    "版面列表对应印刷版的版号，正文标明语言，阅读顺序与印刷版一致。"
)
_A11Y_FEATURES = (
    "alternativeText",
    "structuralNavigation",
    "tableOfContents",
    "readingOrder",
    "pageNavigation",
    "printPageNumbers",
    "displayTransformability",
)

# What the title adds for each edition but the default one, as its readers write it.
_EDITION_LABELS: dict[tuple[bool, bool], str] = {  # (traditional, vertical)
    (False, True): "竖排版",
    (True, False): "繁體版",
    (True, True): "繁體直排版",
}

# The licence that travels with each embedded family (by name prefix), and the licence text's language.
_LICENCES = (("Noto ", "OFL.txt", "en"), ("HanaMin", "LICENSE-Hanazono.txt", "mul"))
_LICENCES_HEADING = "字体许可"

# The faces a book embeds, by the role and weight the stylesheet asks for.
_PRIMARY: tuple[tuple[str, Role, int], ...] = (
    ("Paper Serif", "serif", 400),
    ("Paper Serif", "serif", 700),
    ("Paper Sans", "sans", 700),
)


@dataclass(frozen=True)
class BookInfo:
    """What every template may show about the book."""

    identifier: str
    issue_key: str  # <paper>-<date>, the editions' file stem: the same for every edition of the issue
    lang: str
    title: str
    edition_label: str | None  # 竖排版, 繁體版 …; None for the default edition
    paper: str
    date_iso: str
    date_text: str
    weekday: str
    issue: str | None
    edition: str | None
    lunar_date: str | None
    publisher: str | None
    place: str | None
    issn: str | None
    source: str
    a11y_summary: str
    description: str  # the front page's headlines
    subjects: tuple[str, ...]  # the sections, in page order
    series_position: str  # orders the issues of the paper by date: YYYYMMDD
    cover_alt: str
    vertical: bool
    stylesheets: tuple[str, ...]
    cover_href: str = ""  # set once the cover image is drawn

    @property
    def writing_class(self) -> str:
        return "vertical" if self.vertical else "horizontal"


@dataclass(frozen=True)
class ScreenPicture:
    """A picture of the issue as the book carries it: where, and at what size (pixels)."""

    file: str  # inside the package folder
    href: str  # from a content document
    width: int
    height: int
    media_type: str
    data: bytes = field(repr=False)

    @property
    def tall(self) -> bool:
        """Taller than wide: held to the screen's height rather than spread to its width."""
        return self.height > self.width


@dataclass(frozen=True)
class Entry:
    """One article inside its page's document."""

    page: Page
    article: Article
    document: str  # the page's document, inside text/
    anchor: str  # the article's id in that document
    long: bool  # starts a screen of its own (epub.css: article.long)

    @property
    def href(self) -> str:
        return f"{self.document}#{self.anchor}"

    @property
    def ncx_href(self) -> str:
        return f"{TEXT_DIR}/{self.href}"

    @property
    def headline(self) -> str | None:
        return self.article.headline.value if self.article.headline else None

    @property
    def lead(self) -> int:
        """Where the article's first paragraph is among its blocks (-1: none): the dateline opens it."""
        return next((i for i, block in enumerate(self.article.blocks) if block.kind == "paragraph"), -1)

    @property
    def heading(self) -> str:
        if self.article.picture_story:
            return PICTURE_STORY
        return self.headline or f"{self.page.label} {self.page.section}"


@dataclass(frozen=True)
class PageEntry:
    """A printed page: one content document, where its articles flow one after the other."""

    page: Page
    number: int  # its place in the issue, from 1: the page-list's number for readers that need one
    name: str  # the document's file name inside text/
    articles: tuple[Entry, ...]

    @property
    def label(self) -> str:
        return self.page.label

    @property
    def section(self) -> str:
        return self.page.section

    @property
    def heading(self) -> str:
        return f"{self.page.label} {self.page.section}"

    @property
    def anchor(self) -> str:
        """The id of the page-break marker that opens the document."""
        return f"page-{self.number}"

    @property
    def page_list_label(self) -> str:
        """The page-list entry: the printed label, after the page's number unless the label is one.

        epub.js (and readers built on it) read a page-list label with
        parseInt, which makes nothing of "A1"; "1 A1" gives them the number
        and every reader still shows the label as printed.
        """
        label = self.page.label
        return label if label[:1].isdigit() else f"{self.number} {label}"

    @property
    def href(self) -> str:
        return self.name

    @property
    def ncx_href(self) -> str:
        return f"{TEXT_DIR}/{self.name}"

    @property
    def page_href(self) -> str:
        """Where the printed page begins: its page-break marker."""
        return f"{self.name}#{self.anchor}"

    @property
    def ncx_page_href(self) -> str:
        return f"{TEXT_DIR}/{self.page_href}"


@dataclass(frozen=True)
class Document:
    name: str  # path inside the package folder
    uid: str
    content: bytes
    media_type: str = XHTML
    in_spine: bool = True
    properties: tuple[str, ...] = ()
    linear: bool = True  # a spine item readers page through (the licences are reached by a link)
    # The content as parsed when its well-formedness was checked: the fonts read its text from it.
    tree: ElementTree.Element | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class EmbeddedFont:
    css_family: str
    weight: int
    subset: FontSubset
    file: str  # name inside fonts/
    family: str  # the face's own family name, which decides its licence

    @property
    def href(self) -> str:
        return f"../fonts/{self.file}"


@dataclass
class PackageContents:
    """Everything the package holds, gathered before anything is written."""

    documents: list[Document] = field(default_factory=list)
    fonts: list[EmbeddedFont] = field(default_factory=list)


def write_epub(
    issue: Issue,
    out: Path,
    *,
    layout: Path | None = None,
    vertical: bool = False,
    traditional: bool = False,
    covered: bool = False,
    modified: dt.datetime | None = None,
) -> Path:
    """Write the EPUB edition of ``issue`` to ``out`` (atomically) and return ``out``.

    ``covered``: the caller has already checked the issue's font coverage
    (``build`` does, before writing anything), so it is not checked twice.
    ``modified``: the book's dcterms:modified; by default the build's time.
    """
    write_atomic(out, epub_bytes(issue, layout=layout, vertical=vertical, traditional=traditional,
                                 covered=covered, modified=modified))
    return out


def epub_bytes(
    issue: Issue,
    *,
    layout: Path | None = None,
    vertical: bool = False,
    traditional: bool = False,
    covered: bool = False,
    modified: dt.datetime | None = None,
) -> bytes:
    """The EPUB edition as bytes; ``write_epub`` is this plus an atomic write."""
    if not covered:
        coverage.check_coverage(issue)
    lang = "zh-Hant" if traditional else issue.language
    convert = to_traditional if traditional else _unchanged
    modified = modified or modified_datetime()
    book = _book_info(issue, lang, vertical, traditional, convert)
    pages = _page_entries(issue)

    contents = PackageContents()
    decoded = UprightPixels()
    cover = _cover_image(issue, book, pages, layout, traditional, convert, decoded)
    book = dataclasses.replace(book, cover_href=f"../{_COVER_NAME}.{cover.extension}")
    pictures = _screen_pictures(issue, decoded)
    contents.documents = _render_documents(issue, book, pages, layout, convert, pictures)
    stylesheets = _stylesheets(layout, vertical)
    contents.fonts = _embed_fonts(contents.documents, stylesheets, traditional)
    contents.documents += _licences(book, contents.fonts, layout, convert)
    contents.documents += _assets(contents.fonts, stylesheets, layout)
    contents.documents.append(Document(f"{_COVER_NAME}.{cover.extension}", _COVER_ID, cover.data, cover.media_type,
                                    in_spine=False, properties=("cover-image",)))
    contents.documents += [Document(picture.file, Path(picture.file).stem, picture.data,
                                 picture.media_type, in_spine=False) for picture in pictures.values()]

    archive = _package(book, contents, pages, modified, vertical)
    extra = {
        "META-INF/com.apple.ibooks.display-options.xml": layouts.read_asset(
            KIND, "com.apple.ibooks.display-options.xml", layout
        )
    }
    return repack(archive, modified=modified, lang=lang, extra=extra)


def identifier(issue: Issue, lang: str, vertical: bool) -> str:
    """A stable identifier: the same issue, language and writing mode give the same UUID."""
    key = "|".join(
        [issue.paper, issue.date.isoformat(), issue.issue or "", issue.edition or "", lang]
        + (["vertical"] if vertical else [])
    )
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


# --- the book's data -------------------------------------------------------


def _book_info(issue: Issue, lang: str, vertical: bool, traditional: bool, convert: _Convert) -> BookInfo:
    date = issue.date
    date_text = issue.date_text
    number = f"第{issue.issue}期" if issue.issue else ""
    source = f"{issue.paper}{date_text}印刷版{number}"
    if issue.issn:
        source += f"（ISSN {issue.issn}）"
    sheets = ["fonts.css", "epub.css", "breaks.css"] + (["vertical.css"] if vertical else [])
    label = _EDITION_LABELS.get((traditional, vertical))
    title = convert(issue.title) + (f"（{label}）" if label else "")
    front = [a.headline.value for a in issue.pages[0].articles if a.headline] if issue.pages else []
    description = f"{issue.paper}{date_text}{number}。" + (f"头版：{'；'.join(front)}。" if front else "")
    return BookInfo(
        identifier=identifier(issue, lang, vertical),
        issue_key=issue.slug,
        lang=lang,
        title=title,
        edition_label=label,
        paper=convert(issue.paper),
        date_iso=date.isoformat(),
        date_text=date_text,
        weekday=issue.weekday,
        issue=issue.issue,
        edition=_maybe(issue.edition, convert),
        lunar_date=_maybe(issue.lunar_date, convert),
        publisher=_maybe(issue.publisher, convert),
        place=_maybe(issue.place, convert),
        issn=issue.issn,
        source=convert(source),
        a11y_summary=convert(_A11Y_SUMMARY),
        description=convert(description),
        subjects=tuple(dict.fromkeys(convert(page.section) for page in issue.pages)),
        series_position=date.strftime("%Y%m%d"),
        cover_alt=convert(f"封面：{issue.paper} {date_text} {issue.weekday} {number}".rstrip()
                          + (f"。头版：{'；'.join(front)}。" if front else "")),
        vertical=vertical,
        stylesheets=tuple(f"../css/{name}" for name in sheets),
    )


def _cover_image(issue: Issue, book: BookInfo, pages: list[PageEntry], layout: Path | None,
                 traditional: bool, convert: _Convert, decoded: UprightPixels) -> CoverImage:
    leads = tuple(
        Lead(_maybe(article.kicker.value if article.kicker else None, convert), convert(article.headline.value))
        for article in (issue.pages[0].articles if issue.pages else ())
        if article.headline
    )
    text = CoverText(
        paper=book.paper,
        date=book.date_text,
        weekday=convert(book.weekday),
        lunar_date=book.lunar_date,
        issue=convert(f"第{issue.issue}期") if issue.issue else None,
        publisher=book.publisher,
        band=convert(f"{book.edition_label or '电子版'} · 共{len(pages)}版"),
        leads=leads,
        lang=book.lang,
        **_cover_photo(issue),
    )

    def chain(role: Role, weight: int) -> list[FontFace]:
        return [_face_for(role, weight, traditional), *fonts.chain(role, weight)[1:]]

    return draw_cover(text, load_style(layout), chain, vertical=book.vertical, photo_pixels=decoded.keep)


def _cover_photo(issue: Issue) -> dict[str, Any]:
    """The front page's lead photograph for the cover: the lead story's first, else the page's first picture."""
    front = issue.pages[0].articles if issue.pages else ()
    lead = next((a for a in front if a.headline), None)
    ordered = ([lead] if lead else []) + [a for a in front if a is not lead]
    picture = next((p for a in ordered for p in a.pictures if p.type == "photo"), None)
    return {} if picture is None else {"photo": picture.image.data, "focus": picture.keep}


def _page_entries(issue: Issue) -> list[PageEntry]:
    pages = []
    for p, page in enumerate(issue.pages, start=1):
        name = f"p{p:02d}.xhtml"
        entries = tuple(
            Entry(page, article, name, f"p{p:02d}-a{a:02d}", a > 1 and _is_long(article))
            for a, article in enumerate(page.articles, start=1)
        )
        pages.append(PageEntry(page, p, name, entries))
    return pages


# An article longer than this starts on a screen of its own; shorter ones
# follow the one before on its screen. About a screen of a 6-inch e-reader
# (600 x 800 px: ~24 lines of ~30 characters), so that a long story never
# opens in the last lines of a screen, and briefs share screens.
LONG_ARTICLE = 1200


def _is_long(article: Article) -> bool:
    return sum(len(text.value) for text in article.texts()) > LONG_ARTICLE


def _screen_pictures(issue: Issue, decoded: UprightPixels) -> dict[str, ScreenPicture]:
    """Each image file the issue's pictures show, once, sized for e-readers; by its SHA-256."""
    found: dict[str, ScreenPicture] = {}
    for page in issue.pages:
        for article in page.articles:
            for picture in article.pictures:
                image = picture.image
                if image.sha256 in found:
                    continue
                shown = screen_image(image.data, photo=picture.type == "photo", pixels=decoded)
                file = f"images/picture-{len(found) + 1:03d}{shown.extension}"
                found[image.sha256] = ScreenPicture(file, f"../{file}", shown.width, shown.height,
                                                    shown.media_type, shown.data)
    return found


# --- rendering -------------------------------------------------------------


def _render_documents(
    issue: Issue, book: BookInfo, pages: list[PageEntry], layout: Path | None, convert: _Convert,
    pictures: dict[str, ScreenPicture],
) -> list[Document]:
    env = templates.environment(KIND, layout, EPUB_FILTERS)
    first = pages[0].name if pages else "nav.xhtml"
    landmarks = {
        "cover": "cover.xhtml",
        "titlepage": "title.xhtml",
        "toc": "nav.xhtml#toc",
        "bodymatter": first,
    }

    def render(name: str, uid: str, template: str, context: dict[str, object] | None = None,
               **fields: Any) -> Document:
        compiled = env.get_template(template)
        content = convert(compiled.render(book=book, pages=pages, images=pictures, **(context or {}))).encode("utf-8")
        return Document(name, uid, content, tree=_check_well_formed(content, compiled.filename or template), **fields)

    docs = [
        render(f"{TEXT_DIR}/cover.xhtml", "cover", "cover.xhtml"),
        # Paging from the cover leads straight to the front page, as in the
        # paper: the title page (the imprint) and the contents are reached
        # from the reader's contents and landmarks, and are out of the
        # reading order, so an issue takes no more screens than its text needs.
        render(f"{TEXT_DIR}/title.xhtml", "titlepage", "title.xhtml", linear=False),
        render(f"{TEXT_DIR}/nav.xhtml", "nav", "nav.xhtml", context={"landmarks": landmarks}, properties=("nav",),
               linear=False),
    ]
    for page in pages:
        docs.append(render(f"{TEXT_DIR}/{page.name}", page.name[:-6], "page.xhtml", context={"page": page}))
    docs.append(render("toc.ncx", "ncx", "toc.ncx", media_type="application/x-dtbncx+xml", in_spine=False))
    return docs


def _check_well_formed(data: bytes, template: str) -> ElementTree.Element:
    """A layout's template (perhaps an untrusted one) must render well-formed XML: said where, not a traceback."""
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise InputError([Problem(display_path(Path(template)), None, f"renders XML that is not well-formed: "
                                  f"{str(exc).split(':')[0]} (line {line}, column {column} of what it renders)")]) \
            from None


def _stylesheets(layout: Path | None, vertical: bool) -> list[Document]:
    """The book's own stylesheets (fonts.css, which depends on the fonts, comes later), in link order."""
    env = templates.environment(KIND, layout, EPUB_FILTERS)
    # A reader breaks lines at the level the print edition is set at.
    line_break = CSS_LINE_BREAK[line_break_level(layout)]
    epub_css = env.get_template("epub.css").render(line_break=line_break).encode("utf-8")
    sheets = [Document("css/epub.css", "css-epub", epub_css, "text/css", in_spine=False)]
    for name in ["breaks.css"] + (["vertical.css"] if vertical else []):
        sheets.append(Document(f"css/{name}", "css-" + name[:-4], layouts.read_asset(KIND, name, layout), "text/css",
                               in_spine=False))
    return sheets


def _licences(book: BookInfo, embedded: list[EmbeddedFont], layout: Path | None, convert: _Convert) -> list[Document]:
    """The licence of each embedded family, as a document the title page links to (out of the reading order).

    The OFL and the Hanazono licence travel with the faces; as a document
    rather than a bare text file, the book refers to them (no epubcheck note
    of an unreferenced resource) and a reader can open them.
    """
    wanted = sorted({(file, lang) for font in embedded for prefix, file, lang in _LICENCES
                     if font.family.startswith(prefix)})
    # The licences are shown as written (never converted to Traditional characters); only the heading is.
    licences = [(name, lang, (FONTS_DIR / name).read_text(encoding="utf-8")) for name, lang in wanted]
    env = templates.environment(KIND, layout, EPUB_FILTERS)
    compiled = env.get_template("licences.xhtml")
    content = compiled.render(book=book, heading=convert(_LICENCES_HEADING), licences=licences).encode("utf-8")
    _check_well_formed(content, compiled.filename or "licences.xhtml")
    return [Document(f"{TEXT_DIR}/licences.xhtml", "licences", content, linear=False)]


def _assets(embedded: list[EmbeddedFont], stylesheets: list[Document], layout: Path | None) -> list[Document]:
    env = templates.environment(KIND, layout, EPUB_FILTERS)
    fonts_css = env.get_template("fonts.css").render(fonts=embedded).encode("utf-8")
    assets = [Document("css/fonts.css", "css-fonts", fonts_css, "text/css", in_spine=False), *stylesheets]
    # A fallback face is declared at two weights but stored once.
    for file, subset in {font.file: font.subset for font in embedded}.items():
        uid = "font-" + file.rsplit(".", 1)[0]
        assets.append(Document(f"fonts/{file}", uid, subset.data, subset.media_type, False))
    return assets


# --- fonts -----------------------------------------------------------------


def _embed_fonts(documents: list[Document], stylesheets: list[Document], traditional: bool) -> list[EmbeddedFont]:
    """Subset each role face to the characters it draws (the stylesheets' cascade, ``faces``); add a
    fallback face only for characters that it alone covers, of those the role faces lack."""
    pages = [doc.tree if doc.tree is not None else ElementTree.fromstring(doc.content)
             for doc in documents if doc.media_type == XHTML]
    declared = [Face(css_family, weight) for css_family, _role, weight in _PRIMARY]
    drawn = faces.characters_by_face(pages, [sheet.content.decode("utf-8") for sheet in stylesheets],
                                     [*declared, *(Face(f"Paper Fallback {n}", w) for n in (1, 2) for w in (400, 700))])
    # Every character shown, only where the cascade could not be followed: every face then draws them all.
    chars = faces.glyphs({c for tree in pages for c in "".join(tree.itertext())}) if drawn is None else set()
    embedded = []
    missing: set[int] = set()
    for (css_family, role, weight), declared_face in zip(_PRIMARY, declared, strict=True):
        face = _face_for(role, weight, traditional)
        wanted = chars if drawn is None else drawn.get(declared_face, set())
        if not wanted:
            continue  # no text asks for this face: the book does not carry it
        missing |= _lacking(face, wanted)
        subset = subset_face(face, wanted)
        embedded.append(EmbeddedFont(css_family, weight, subset, f"{role}-{weight}.{subset.extension}", face.family))
    if drawn is not None:
        # Text set in a fallback family itself (a layout may name one) still needs it.
        missing |= {c for face, got in drawn.items() if face is not None and face.family.startswith("Paper Fallback")
                    for c in got}
    for position, face in enumerate(fonts.chain("serif", 400)[1:], start=1):
        got = missing - _lacking(face, missing)
        if not got:
            continue
        missing -= got
        subset = subset_face(face, got)
        file = f"fallback-{position}.{subset.extension}"
        # Declared at both weights so that bold text never gets a synthesized bold.
        embedded += [EmbeddedFont(f"Paper Fallback {position}", w, subset, file, face.family) for w in (400, 700)]
    if missing:
        listed = ", ".join(f"“{chr(cp)}” U+{cp:04X}" for cp in sorted(missing))
        raise ToolError(f"the EPUB layout shows characters no font covers: {listed}")
    return embedded


def _lacking(face: FontFace, wanted: set[int]) -> set[int]:
    """The characters of ``wanted`` (all drawn ones) that ``face`` has no glyph for."""
    # Asked of the face's cmap character by character, as the build's coverage check did with the
    # same faces: no charset of the whole face (its ~40,000 code points) is built for this.
    return {ord(c) for c in coverage.uncovered("".join(map(chr, wanted)), [face])}


def _face_for(role: Role, weight: int, traditional: bool) -> FontFace:
    face = fonts.primary(role, weight)
    if traditional and face.family.endswith(" SC"):
        # Pan-CJK families come in SC and TC faces with the same characters:
        # the TC face draws them as Traditional Chinese readers expect.
        try:
            return fonts.find_face(face.family[:-3] + " TC", weight)
        except ToolError:
            return face
    return face


# --- the package -----------------------------------------------------------


def _package(book: BookInfo, contents: PackageContents, pages: list[PageEntry], modified: dt.datetime,
             vertical: bool) -> bytes:
    """The archive as ebooklib writes it (package document, container, items)."""
    epub = ebooklib_epub.EpubBook()
    # The order of the calls is the order of the package document's metadata.
    _add_identifiers(epub, book)
    _add_bibliographic(epub, book)
    _add_series(epub, book)
    _add_accessibility(epub, book)
    _add_reading_hints(epub, vertical)
    _add_items(epub, contents.documents, pages)
    return _written(epub, modified)


def _add_identifiers(epub: ebooklib_epub.EpubBook, book: BookInfo) -> None:
    epub.set_identifier(book.identifier)
    # Readers keep the UUID to themselves (calibre lists no identifier of scheme
    # uuid); these are the ones they show: the issue, and the paper's ISSN.
    epub.add_metadata("DC", "identifier", f"issue:{book.issue_key}", {"id": "issue-key"})
    # The Kindle's identity of the book. calibre's ebook-convert writes as the
    # AZW3's ASIN (EXTH 113) the first identifier whose value starts with
    # urn:uuid:, after the identifiers it reads by scheme; it reads the
    # package's own urn:uuid as the book's calibre uuid instead and adds a new
    # random one, so each conversion got another ASIN and a Kindle shelved a
    # rebuild as another book. "mobi-asin" is the scheme calibre itself gives
    # an AZW3's ASIN when it reads one back.
    epub.add_metadata("DC", "identifier", f"mobi-asin:{book.identifier}", {"id": "kindle-asin"})
    if book.issn:
        epub.add_metadata("DC", "identifier", f"urn:issn:{book.issn}", {"id": "issn"})


def _add_bibliographic(epub: ebooklib_epub.EpubBook, book: BookInfo) -> None:
    """Title, language, paper, date, the printed source, publisher, description and subjects."""
    epub.set_title(book.title)
    epub.set_language(book.lang)
    epub.add_metadata("DC", "creator", book.paper)
    epub.add_metadata("DC", "date", book.date_iso)
    # The page-list's page numbers are those of this source (EPUB 3.3 source-of).
    epub.add_metadata("DC", "source", book.source, {"id": "print-source"})
    epub.add_metadata(None, "meta", "pagination", {"refines": "#print-source", "property": "source-of"})
    if book.publisher:
        epub.add_metadata("DC", "publisher", book.publisher)
    epub.add_metadata("DC", "description", book.description)
    for subject in book.subjects:
        epub.add_metadata("DC", "subject", subject)


def _add_reading_hints(epub: ebooklib_epub.EpubBook, vertical: bool) -> None:
    """What EPUB 2 readers and Kindle conversion read from the package rather than the documents."""
    # EPUB 2 readers and Kindle conversion find the cover image by this name.
    epub.add_metadata(None, "meta", "", {"name": "cover", "content": _COVER_ID})
    if vertical:
        epub.set_direction("rtl")
        # Kindle conversion takes the writing mode from here, not from the CSS.
        epub.add_metadata(None, "meta", "", {"name": "primary-writing-mode", "content": "vertical-rl"})


def _add_items(epub: ebooklib_epub.EpubBook, documents: list[Document], pages: list[PageEntry]) -> None:
    """Every file of the book, the spine of its documents, and the EPUB 2 guide."""
    items = {}
    for doc in documents:
        item = ebooklib_epub.EpubItem(uid=doc.uid, file_name=doc.name, media_type=doc.media_type, content=doc.content)
        if doc.properties:
            item.properties = list(doc.properties)
        epub.add_item(item)
        items[doc.uid] = item
    epub.spine = [items[doc.uid] if doc.linear else (items[doc.uid], "no")
                  for doc in documents if doc.in_spine and doc.media_type == XHTML]
    epub.guide = [
        {"href": f"{TEXT_DIR}/cover.xhtml", "title": "封面", "type": "cover"},
        {"href": f"{TEXT_DIR}/nav.xhtml", "title": "目录", "type": "toc"},
        {"href": pages[0].ncx_href if pages else f"{TEXT_DIR}/nav.xhtml", "title": "正文", "type": "text"},
    ]


def _written(epub: ebooklib_epub.EpubBook, modified: dt.datetime) -> bytes:
    """The book's archive, uncompressed, as ebooklib's writer makes it."""
    buffer = io.BytesIO()
    writer = ebooklib_epub.EpubWriter(
        buffer,
        epub,
        {
            # We render nav.xhtml and toc.ncx ourselves: ebooklib's page-list
            # would collect every element with an epub:type and an id.
            "epub3_pages": False,
            "epub3_landmark": False,
            "mtime": modified,
            "raise_exceptions": True,
            # Read back and compressed once by epubzip.repack: compressing here too would be thrown away.
            "compresslevel": 0,
        },
    )
    writer.process()
    try:
        writer.write()
    finally:
        # On an error ebooklib leaves its ZipFile open; nothing half-written
        # escapes (we write only what this returns), but close it now.
        if getattr(writer, "out", None) is not None and writer.out.fp is not None:
            writer.out.close()
    return buffer.getvalue()


def _add_series(epub: ebooklib_epub.EpubBook, book: BookInfo) -> None:
    """The paper as a series whose issues sort by date: EPUB 3 collections, and calibre's own names."""
    epub.add_metadata(None, "meta", book.paper, {"property": "belongs-to-collection", "id": "series"})
    epub.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
    epub.add_metadata(None, "meta", book.series_position, {"refines": "#series", "property": "group-position"})
    epub.add_metadata(None, "meta", "", {"name": "calibre:series", "content": book.paper})
    epub.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": book.series_position})


def _add_accessibility(epub: ebooklib_epub.EpubBook, book: BookInfo) -> None:
    """EPUB Accessibility 1.1 discovery metadata."""

    def meta(prop: str, value: str) -> None:
        epub.add_metadata(None, "meta", value, {"property": prop})

    meta("schema:accessMode", "textual")
    meta("schema:accessMode", "visual")  # the cover image
    meta("schema:accessModeSufficient", "textual")
    for feature in _A11Y_FEATURES:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", book.a11y_summary)
    meta("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA")
    meta("a11y:certifiedBy", book.publisher or book.paper)


# --- text conversion -------------------------------------------------------


def _unchanged(text: str) -> str:
    return text


def _maybe(value: str | None, convert: _Convert) -> str | None:
    return convert(value) if value is not None else None
