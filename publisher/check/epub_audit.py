"""Checks of a built EPUB: epubcheck, accessibility metadata, page-list, font sizes,
active content, and (given the issue) the text against the source.

The archive is read as it is, never trusted: the package and content documents
are parsed without entity expansion or network access, so a hostile book can
be checked safely.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree  # type: ignore[import-untyped]  # ebooklib's own dependency

from ..model import Issue
from ..zip_guard import ArchiveRefused, check_expansion
from .epubcheck import Unfinished, run_epubcheck
from .fidelity import missing_texts
from .findings import EditionReport, Finding, Metric, sorted_findings
from .untrusted_epub import external_declarations, unsafe_names

FONT_LIMIT = 2 * 1024 * 1024

A11Y_PROPERTIES = (
    "schema:accessMode",
    "schema:accessModeSufficient",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
    "dcterms:conformsTo",
)

_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_MARKUP = ("application/xhtml+xml", "image/svg+xml", "text/html")
_SCRIPTS = ("application/javascript", "text/javascript", "application/ecmascript", "application/x-javascript")
_FONT_EXTENSIONS = (".otf", ".ttf", ".woff", ".woff2")
# Attributes through which a document loads something (not a hyperlink a reader follows).
_LOADS = {"src", "data", "poster", "srcset", "background", "{http://www.w3.org/1999/xlink}href"}
_LOADING_HREF = {"link", "image", "use", "feImage"}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*([a-zA-Z][a-zA-Z0-9+.-]*:[^'")\s]*)""")
_REMOTE = ("http:", "https:", "ftp:", "//")


class _Unreadable(Exception):
    pass


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _xml(data: bytes) -> Any:
    root = etree.fromstring(data, _parser())
    if root is None:
        raise _Unreadable("not well-formed XML")
    return root


class _Book:
    """The parts of an EPUB the checks read."""

    def __init__(self, path: Path) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _Unreadable(f"not a zip archive: {exc}") from None
        try:
            check_expansion(self.zip)
        except ArchiveRefused as refused:
            self.zip.close()
            raise _Unreadable(str(refused)) from None
        except BaseException:
            self.zip.close()
            raise
        self.names = set(self.zip.namelist())
        if "META-INF/container.xml" not in self.names:
            raise _Unreadable("META-INF/container.xml is missing")
        container = _xml(self.zip.read("META-INF/container.xml"))  # a damaged entry: the caller reports EPUB001
        rootfile = container.find(f".//{_CONTAINER}rootfile")
        self.opf_name = rootfile.get("full-path") if rootfile is not None else None
        if not self.opf_name or self.opf_name not in self.names:
            raise _Unreadable("the package document named by META-INF/container.xml is missing")
        self.opf = _xml(self.zip.read(self.opf_name))
        self.base = posixpath.dirname(self.opf_name)
        # manifest: id -> (zip name, href as written, media type, properties)
        self.items: dict[str, tuple[str, str, str, str]] = {}
        for item in self.opf.iter(f"{_OPF}item"):
            href = item.get("href", "")
            name = posixpath.normpath(posixpath.join(self.base, unquote(href)))
            self.items[item.get("id", "")] = (name, href, item.get("media-type", ""), item.get("properties", ""))

    def close(self) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes | None:
        """An entry's bytes; None if it is missing or damaged (epubcheck reports which)."""
        if name not in self.names:
            return None
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, OSError, ValueError):
            return None

    def metadata(self, prop: str) -> list[str]:
        return [
            (meta.text or "").strip()
            for meta in self.opf.iter(f"{_OPF}meta")
            if meta.get("property") == prop and (meta.text or "").strip()
        ]

    def language(self) -> str | None:
        lang = self.opf.find(f".//{_DC}language")
        return (lang.text or "").strip() if lang is not None else None

    def spine_documents(self) -> list[str]:
        """The spine's documents in reading order, each once (a book may list one thousands of times)."""
        return list(dict.fromkeys(self.items[ref.get("idref", "")][0] for ref in self.opf.iter(f"{_OPF}itemref")
                                  if ref.get("idref", "") in self.items))

    def repeated(self) -> list[str]:
        """Files the manifest lists more than once, and manifest items the spine names more than once."""
        listed = Counter(name for name, _href, _type, _properties in self.items.values())
        spined = Counter(ref.get("idref", "") for ref in self.opf.iter(f"{_OPF}itemref"))
        ids = Counter(item.get("id", "") for item in self.opf.iter(f"{_OPF}item"))
        return ([f"{name} is listed {count} times in the manifest" for name, count in listed.items() if count > 1]
                + [f"the manifest gives the id {name!r} {count} times" for name, count in ids.items() if count > 1]
                + [f"the spine names {name!r} {count} times" for name, count in spined.items() if count > 1])



def audit_epub(path: Path, shown: str, issue: Issue | None = None) -> EditionReport:
    """Check the EPUB at ``path`` (reported as ``shown``)."""
    try:
        book = _Book(path)
    except (_Unreadable, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError) as exc:
        return EditionReport(shown, "epub", {}, (Finding("EPUB001", str(exc) or type(exc).__name__, shown),))
    try:
        metrics: dict[str, Metric] = {}
        unsafe = [Finding("EPUB014", u.reason, shown, u.entry) for u in unsafe_names(book.zip)]
        declared = [Finding("EPUB015", f"{u.reason}; not given to epubcheck", shown, f"{u.entry}:{u.line}")
                    for u in external_declarations(book.zip)]
        # epubcheck reads a document once for each time the package names it: 5,000 names of one 1 MB
        # document held it past 300 s.
        repeated = book.repeated()
        if repeated:
            declared.append(Finding("EPUB016", f"{len(repeated)} files or items named more than once: "
                                    f"{'; '.join(repeated[:3])}; not given to epubcheck", shown, book.opf_name))
        findings = [
            *unsafe,
            *declared,
            *(_epubcheck(path, shown, metrics) if not declared else ()),
            *_accessibility(book, shown),
            *_page_list(book, shown, metrics),
            *_fonts(book, shown, metrics),
            *_active_content(book, shown),
        ]
        if issue is not None:
            findings += _fidelity(book, issue, shown)
    finally:
        book.close()
    return EditionReport(shown, "epub", metrics, sorted_findings(findings))


def _epubcheck(path: Path, shown: str, metrics: dict[str, Metric]) -> Iterator[Finding]:
    try:
        report = run_epubcheck(path)
    except Unfinished as unfinished:
        yield Finding("EPUB002", str(unfinished), shown)
        return
    metrics["epubcheck"] = report.version
    metrics["epubcheck_errors"] = report.fatal + report.errors
    metrics["epubcheck_warnings"] = report.warnings
    for message in report.messages:
        code = {"FATAL": "EPUB002", "ERROR": "EPUB002", "WARNING": "EPUB003"}.get(message.severity)
        if code:
            where = ", ".join(message.locations) or None
            yield Finding(code, f"{message.id}: {message.text}", shown, where)


def _accessibility(book: _Book, shown: str) -> Iterator[Finding]:
    for prop in A11Y_PROPERTIES:
        if not book.metadata(prop):
            yield Finding("EPUB004", f"no <meta property=\"{prop}\">", shown, book.opf_name)


def _nav_document(book: _Book) -> tuple[str, Any] | None:
    """The navigation document's name and root; its root is None when it is not well-formed XML."""
    for name, _href, media_type, properties in book.items.values():
        if "nav" in properties.split() and media_type in _MARKUP and (data := book.read(name)) is not None:
            return name, _parsed(data)
    return None


def _parsed(data: bytes) -> Any:
    """A document's root element, or None when it is empty or not XML (epubcheck reports which)."""
    try:
        return _xml(data)
    except (_Unreadable, etree.XMLSyntaxError):
        return None


def _page_list(book: _Book, shown: str, metrics: dict[str, Metric]) -> Iterator[Finding]:
    nav = _nav_document(book)
    if nav is not None and nav[1] is None:
        metrics["page_list"] = 0
        yield Finding("EPUB005", "the navigation document is not well-formed XML, so it has no page-list", shown,
                      nav[0])
        return
    page_lists = [] if nav is None else [
        element for element in nav[1].iter()
        if _local(element) == "nav" and "page-list" in (element.get(_EPUB_TYPE) or "").split()
    ]
    if nav is None or not page_lists:
        metrics["page_list"] = 0
        yield Finding("EPUB005", "the navigation document has no page-list", shown, nav[0] if nav else None)
        return
    entries = [a for a in page_lists[0].iter() if _local(a) == "a" and a.get("href")]
    metrics["page_list"] = len(entries)
    if not entries:
        yield Finding("EPUB006", "the page-list has no entries", shown, f"{nav[0]}:{page_lists[0].sourceline}")


def _fonts(book: _Book, shown: str, metrics: dict[str, Metric]) -> Iterator[Finding]:
    sizes: dict[str, int] = {}
    for name, _href, media_type, _properties in book.items.values():
        is_font = (media_type.startswith(("font/", "application/font-", "application/x-font"))
                   or media_type == "application/vnd.ms-opentype" or name.lower().endswith(_FONT_EXTENSIONS))
        if is_font and name in book.names:
            sizes[name] = book.zip.getinfo(name).file_size
    metrics["fonts"] = len(sizes)
    metrics["largest_font_bytes"] = max(sizes.values(), default=0)
    for name, size in sorted(sizes.items()):
        if size >= FONT_LIMIT:
            yield Finding("EPUB007", f"{name} is {size / 1024 / 1024:.1f} MB (limit 2 MB)", shown, name)


def _active_content(book: _Book, shown: str) -> Iterator[Finding]:
    seen: set[str] = set()  # each document once, however often the manifest lists it
    for name, href, media_type, properties in book.items.values():
        if _is_remote(href):
            yield Finding("EPUB011", f"the manifest lists a remote resource {href}", shown, book.opf_name)
            continue
        if media_type in _SCRIPTS or name.endswith(".js"):
            yield Finding("EPUB008", f"the book carries a script file {name}", shown, name)
        elif "scripted" in properties.split():
            yield Finding("EPUB008", f"{name} is declared scripted", shown, book.opf_name)
        if name in seen:
            continue
        seen.add(name)
        data = book.read(name)
        if data is None:
            continue
        if media_type in _MARKUP:
            yield from _markup(data, name, shown)
        elif media_type == "text/css":
            yield from _css(data.decode("utf-8", "replace"), name, shown, 1)


def _markup(data: bytes, name: str, shown: str) -> Iterator[Finding]:
    root = _parsed(data)
    if root is None:
        return  # epubcheck reports the broken document (EPUB002)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = _local(element)
        where = f"{name}:{element.sourceline}"
        if tag == "script":
            yield Finding("EPUB008", "<script> element", shown, where)
        if tag == "style" and element.text:
            yield from _css(element.text, name, shown, element.sourceline or 1)
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            text = value.strip()
            if local.lower().startswith("on"):
                yield Finding("EPUB009", f"<{tag} {local}=…> runs a script", shown, where)
            if text.lower().replace("\t", "").replace("\n", "").startswith("javascript:"):
                yield Finding("EPUB010", f"<{tag} {local}=\"{text[:40]}\">", shown, where)
            elif _loads(tag, attribute) and any(_is_remote(url) for url in _urls(local, text)):
                yield Finding("EPUB011", f"<{tag} {local}=\"{text[:60]}\"> loads a remote resource", shown, where)
            elif local == "style":
                yield from _css(text, name, shown, element.sourceline or 1)


def _loads(tag: str, attribute: str) -> bool:
    local = attribute.rsplit("}", 1)[-1]
    if attribute in _LOADS or local in _LOADS:
        return True
    return local == "href" and tag in _LOADING_HREF


def _urls(attribute: str, value: str) -> list[str]:
    if attribute == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


def _css(text: str, name: str, shown: str, first_line: int) -> Iterator[Finding]:
    for match in _CSS_URL.finditer(text):
        url = match.group(1)
        line = first_line + text.count("\n", 0, match.start())
        if url.lower().startswith("javascript:"):
            yield Finding("EPUB010", f"CSS url({url[:40]})", shown, f"{name}:{line}")
        elif _is_remote(url):
            yield Finding("EPUB011", f"CSS loads {url[:60]}", shown, f"{name}:{line}")


def _is_remote(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(_REMOTE) or bool(urlsplit(lowered).netloc)


def _local(element: Any) -> str:
    tag = element.tag
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _fidelity(book: _Book, issue: Issue, shown: str) -> Iterator[Finding]:
    lang = book.language()
    if lang and lang != issue.language:
        yield Finding("EPUB013", f"the edition is in {lang}, the source in {issue.language}", shown)
        return
    text = []
    for name in book.spine_documents():
        data = book.read(name)
        root = _parsed(data) if data is not None else None
        if root is not None:  # an empty or broken document holds no text: what it should hold is reported missing
            text.append("".join(root.itertext()))
    for missing in missing_texts(issue, "\n".join(text)):
        yield Finding("EPUB012", missing.describe(), shown, f"source {missing.location}")
