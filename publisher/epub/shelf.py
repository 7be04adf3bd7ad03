"""`publisher catalog DIR`: the built issues under a folder, catalogued for readers.

Two files are written into DIR, both working from the folder alone (every
link relative, nothing fetched from elsewhere):

- ``opds.xml``, an OPDS 1.2 acquisition feed (Atom): one entry per issue with
  its title, date, language, summary, sections, cover and thumbnail, and an
  acquisition link to each edition (the EPUBs and the print PDF). KOReader,
  Thorium and calibre browse such a feed.
- ``index.html``, a page of the covers grouped by month, for a browser.

Everything is read from the editions as built: the EPUB's package document
(title, date, language, description, identifiers) and its cover image, and a
PDF of the same issue beside it. The EPUB's ``issue:`` identifier ties the
editions of one issue together. Covers and thumbnails go to DIR/covers/.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import uuid
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from lxml import etree  # type: ignore[import-untyped]  # ebooklib's own dependency

from .. import templates
from ..atomic import write_atomic
from ..errors import InputError, Problem, display_path, folder_problem
from ..manifest import stale_outputs
from ..names import safe_stem
from ..untrusted import Refused, read_regular
from ..zip_guard import check_expansion
from .shelf_stamp import FEED, KIND, PAGE, STAMP, current

COVERS = "covers"
THUMBNAIL_WIDTH = 300  # px; OPDS clients show thumbnails in lists, a few hundred pixels wide
THUMBNAIL_HEIGHT = 3 * THUMBNAIL_WIDTH  # px at most: a 1 x 80,000 px cover made a 300 x 24,000,000 thumbnail
STALE_LABEL = "旧版：来源已改动，重建未成，此为上次成功的版本"

ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:publisher:evening-paper:catalogue")
_LABEL = re.compile(r"（([^（）]+)）$")


@dataclass(frozen=True)
class Edition:
    """A file a reader can take: an EPUB or the print PDF."""

    href: str  # relative to DIR, URL-quoted
    media_type: str
    label: str  # 电子版, 竖排版, 繁體版, 印刷版
    size: int


@dataclass
class Entry:
    """One issue on the shelf."""

    key: str  # the EPUB's issue: identifier, the editions' file stem
    folder: str  # the folder relative to DIR (posix, "" at the top)
    title: str
    paper: str
    date: dt.date
    language: str
    summary: str
    publisher: str | None
    identifier: str
    updated: str  # the newest dcterms:modified of its EPUBs
    subjects: tuple[str, ...]
    editions: list[Edition] = field(default_factory=list)
    cover: str | None = None  # href relative to DIR
    thumbnail: str | None = None
    cover_type: str = "image/png"
    cover_alt: str = ""
    cover_image: bytes | None = field(default=None, repr=False)
    stale: bool = False  # its sources changed and no longer build: these are the last good build's editions

    @property
    def month(self) -> str:
        return f"{self.date.year}年{self.date.month}月"

    @property
    def main(self) -> Edition:
        return self.editions[0]


@dataclass(frozen=True)
class _Book:
    """What the catalogue reads from one EPUB."""

    path: Path
    key: str
    title: str
    label: str
    paper: str
    date: dt.date
    language: str
    summary: str
    publisher: str | None
    identifier: str
    modified: str
    subjects: tuple[str, ...]
    cover: tuple[bytes, str] | None  # image bytes, media type
    cover_alt: str


def write_catalogue(folder: Path, *, unless_current: bool = False) -> list[Path]:
    """Write DIR/opds.xml, DIR/index.html and the covers; return the files written.

    Every EPUB under ``folder`` is read first; an unreadable one stops the
    catalogue before anything is written, with all such problems listed.
    With ``unless_current``, nothing is read or written (and nothing returned)
    when no edition under the folder, no issue's stale mark and nothing of
    the catalogue's own code or templates has changed since the catalogue was
    last written (``shelf_stamp``).
    """
    is_current, stamp = current(folder)
    if unless_current and is_current:
        return []
    written = _write(folder)
    write_atomic(folder / STAMP, stamp.encode("ascii"))
    return written


def _write(folder: Path) -> list[Path]:
    entries = gather(folder)
    env = templates.environment(KIND)
    written: list[Path] = []
    images: dict[Path, bytes] = {}
    for entry in entries:
        images.update(_cover_files(folder, entry))
    for path in images:
        _refuse_links(folder, path)
    for path, data in sorted(images.items()):
        written.append(write_atomic(path, data))
    context: dict[str, Any] = {
        "entries": entries,
        "feed_id": _feed_id(entries),
        "title": _shelf_title(entries),
        "updated": max(entry.updated for entry in entries),
        "acquisition": ACQUISITION,
        "months": [(month, list(group)) for month, group in groupby(entries, key=lambda e: e.month)],
        "language": entries[0].language,
        "stale_label": STALE_LABEL,
    }
    feed = env.get_template(FEED).render(**context)
    page = env.get_template(PAGE).render(**context)
    written.append(write_atomic(folder / FEED, feed.encode("utf-8")))
    written.append(write_atomic(folder / PAGE, page.encode("utf-8")))
    return written


def gather(folder: Path) -> list[Entry]:
    """The issues under ``folder``, newest first."""
    if (problem := folder_problem(folder)) is not None:
        raise InputError([Problem(display_path(folder), None, problem)])
    problems: list[Problem] = []
    books: list[_Book] = []
    for path in _epubs(folder):
        try:
            books.append(_read_book(path))
        except (_Unreadable, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError, KeyError) as error:
            problems.append(Problem(display_path(path), None, f"not a readable EPUB edition: {error}"))
    if problems:
        raise InputError(problems)
    stale = stale_outputs(folder)
    if not books:
        raise InputError([Problem(display_path(folder), None, "no EPUB edition found under this folder; "
                                  "build issues into it first (publisher build / publisher batch)")])
    entries: dict[tuple[str, str], Entry] = {}
    # The default edition (no label in its title) first: it names the entry.
    for book in sorted(books, key=lambda b: (b.label != "电子版", b.path.name)):
        where = book.path.parent.relative_to(folder).as_posix()
        where = "" if where == "." else where
        entry = entries.get((where, book.key))
        if entry is None:
            entry = entries[where, book.key] = Entry(
                key=book.key, folder=where, title=book.title, paper=book.paper, date=book.date,
                language=book.language, summary=book.summary, publisher=book.publisher,
                identifier=book.identifier, updated=book.modified, subjects=book.subjects, cover_alt=book.cover_alt,
            )
            if book.cover is not None:
                entry.cover_image, entry.cover_type = book.cover
        if book.path.relative_to(folder).as_posix() in stale:
            entry.stale = True
        entry.updated = max(entry.updated, book.modified)
        entry.editions.append(Edition(_href(folder, book.path), "application/epub+zip", book.label,
                                      book.path.stat().st_size))
    for entry in entries.values():
        pdf = folder / entry.folder / f"{entry.key}.pdf"
        if pdf.is_file():
            entry.editions.append(Edition(_href(folder, pdf), "application/pdf", "印刷版", pdf.stat().st_size))
    return sorted(entries.values(), key=lambda e: (e.date, e.paper, e.folder), reverse=True)


def _epubs(folder: Path) -> Iterator[Path]:
    top = folder.resolve()
    for path in sorted(folder.rglob("*.epub")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue  # hidden, or a temporary file being written
        try:
            if not path.resolve().is_relative_to(top):
                continue  # a link to a book elsewhere: the folder catalogues what it holds
        except (OSError, RuntimeError):
            continue  # a loop of links
        if any((parent / "bagit.txt").is_file() for parent in path.parents if parent.is_relative_to(folder)):
            continue  # the copy kept inside a preservation package
        yield path


def _href(folder: Path, path: Path) -> str:
    return quote(path.relative_to(folder).as_posix())


# --- reading an EPUB ---------------------------------------------------------


class _Unreadable(Exception):
    pass


def _xml(data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def _read_book(path: Path) -> _Book:
    # Editions under DIR may come from many hands: a pipe is not opened, a zip bomb not unpacked.
    if not path.is_file():
        raise _Unreadable("not a regular file")
    with zipfile.ZipFile(path) as book:
        check_expansion(book)
        container = _xml(book.read("META-INF/container.xml"))
        rootfile = container.find(f".//{_CONTAINER}rootfile")
        if rootfile is None or not rootfile.get("full-path"):
            raise _Unreadable("META-INF/container.xml names no package document")
        opf_name = rootfile.get("full-path")
        opf = _xml(book.read(opf_name))
        metadata = opf.find(f"{_OPF}metadata")
        if metadata is None:
            raise _Unreadable("the package document has no metadata")

        def dc(name: str) -> list[str]:
            return [(e.text or "").strip() for e in metadata.iter(f"{_DC}{name}") if (e.text or "").strip()]

        def meta(prop: str) -> list[str]:
            return [(e.text or "").strip() for e in metadata.iter(f"{_OPF}meta") if e.get("property") == prop]

        titles, dates, identifiers = dc("title"), dc("date"), dc("identifier")
        if not titles or not dates or not identifiers:
            raise _Unreadable("the package document lacks a title, a date or an identifier")
        date = dt.date.fromisoformat(dates[0][:10])
        uid = opf.get("unique-identifier")
        unique = next((e.text or "" for e in metadata.iter(f"{_DC}identifier") if e.get("id") == uid),
                      identifiers[0]).strip()
        # The key names the cover files: made safe, `issue:../../x` cannot write outside DIR.
        key = safe_stem(next((i.removeprefix("issue:") for i in identifiers if i.startswith("issue:")), path.stem))
        title = titles[0]
        match = _LABEL.search(title)
        cover = _cover(book, opf, posixpath.dirname(opf_name))
        alt = cover[2] if cover else title
        return _Book(
            path=path, key=key, title=_LABEL.sub("", title), label=match.group(1) if match else "电子版",
            paper=(meta("belongs-to-collection") or dc("creator") or [title])[0], date=date,
            language=(dc("language") or ["zh-Hans"])[0], summary=(dc("description") or [title])[0],
            publisher=next(iter(dc("publisher")), None), identifier=unique,
            modified=(meta("dcterms:modified") or [f"{date.isoformat()}T00:00:00Z"])[0],
            subjects=tuple(dc("subject")), cover=cover[:2] if cover else None, cover_alt=alt,
        )


def _cover(book: zipfile.ZipFile, opf: Any, base: str) -> tuple[bytes, str, str] | None:
    """The cover image (bytes, media type) and the text alternative its cover page gives it."""
    for item in opf.iter(f"{_OPF}item"):
        if "cover-image" in (item.get("properties") or "").split():
            name = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
            alt = _cover_alt(book, opf, base, posixpath.basename(name))
            return book.read(name), item.get("media-type", "image/png"), alt
    return None


def _cover_alt(book: zipfile.ZipFile, opf: Any, base: str, image: str) -> str:
    seen: set[str] = set()  # each document once, however often the manifest lists it
    for item in opf.iter(f"{_OPF}item"):
        if item.get("media-type") != "application/xhtml+xml":
            continue
        name = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
        if name in seen:
            continue
        seen.add(name)
        root = _xml(book.read(name))
        for img in root.iter("{http://www.w3.org/1999/xhtml}img"):
            if posixpath.basename(img.get("src", "")) == image:
                return str(img.get("alt", ""))
    return ""


# --- covers ------------------------------------------------------------------


def _cover_files(folder: Path, entry: Entry) -> dict[Path, bytes]:
    """The cover and its thumbnail for ``entry``, by the path they go to."""
    if entry.cover_image is None:
        return {}
    data, media_type = entry.cover_image, entry.cover_type
    extension = "jpg" if media_type == "image/jpeg" else "png"
    stem = posixpath.join(COVERS, entry.folder, entry.key) if entry.folder else posixpath.join(COVERS, entry.key)
    cover, thumbnail = f"{stem}.{extension}", f"{stem}-thumbnail.{extension}"
    entry.cover, entry.thumbnail = quote(cover), quote(thumbnail)
    # A cover unchanged since the catalogue was last written keeps the thumbnail made from it:
    # resampling every cover again made an unchanged batch re-run ten times slower.
    small = _written(folder / thumbnail, len(data)) if _written(folder / cover, len(data)) == data else None
    if small is None:
        try:
            small = _thumbnail(data, media_type)
        except (OSError, ValueError, ZeroDivisionError) as error:  # Pillow's decompression bomb check included
            where = posixpath.join(entry.folder, entry.key) if entry.folder else entry.key
            raise InputError([Problem(where, None, f"the cover image cannot be read: {error}")]) from None
    return {folder / cover: data, folder / thumbnail: small}


def _refuse_links(folder: Path, path: Path) -> None:
    """A cover is written only into folders of the catalogue's own: a link planted on the way (``covers``
    leading elsewhere) would have it written anywhere."""
    for parent in reversed(path.relative_to(folder).parents):
        place = folder / parent
        if parent != Path(".") and place.is_symlink():
            raise InputError([Problem(display_path(place), None, "a symbolic link where the catalogue writes its "
                                      "covers; it writes only into a folder of its own: remove the link")])


def _written(path: Path, limit: int) -> bytes | None:
    """A file this catalogue wrote before, if it is still a regular file no larger than ``limit``."""
    try:
        return read_regular(path, limit, "cover")
    except Refused:
        return None


def _thumbnail(data: bytes, media_type: str) -> bytes:
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as bomb:
            raise ValueError(str(bomb)) from None
    with image:
        # As wide as a thumbnail and no taller than three times that: an extreme shape is shrunk into the box.
        scale = min(THUMBNAIL_WIDTH / image.width, THUMBNAIL_HEIGHT / image.height)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        small = image.convert("RGB").resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if media_type == "image/jpeg":
        small.save(out, "JPEG", quality=85, optimize=True)
    else:
        small.quantize(128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def _feed_id(entries: list[Entry]) -> str:
    # Stable while issues are added: it depends on the papers only.
    papers = sorted({entry.paper for entry in entries})
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '|'.join(papers))}"


def _shelf_title(entries: list[Entry]) -> str:
    papers = list(dict.fromkeys(entry.paper for entry in entries))
    return f"{'、'.join(papers[:3])}{'等' if len(papers) > 3 else ''} 书目"
