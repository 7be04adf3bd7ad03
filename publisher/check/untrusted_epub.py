"""What must be true of an EPUB from elsewhere before any tool unpacks it or parses its XML.

`publisher check` reads books from many hands, and an XML parser does what a
document asks: epubcheck's fetched an external DTD over HTTP, opened
``file:///etc/passwd``, blocked on a named pipe and expanded a billion laughs
when a package document asked it to. So every entry of the archive is looked
at first, as bytes, for what could make a parser reach out or explode: a
DOCTYPE with an internal subset (entity declarations) or with an external
identifier other than the few well-known ones epubcheck resolves from its own
copies, and any ``<!ENTITY``. A book with one is not given to epubcheck.

The entries are read as an XML parser would autodetect their encoding (XML
1.0, appendix F): a declaration hidden in UTF-16, UTF-32 or EBCDIC is found
too.

Entry names that would write outside the folder a book is unpacked into
(``../``, an absolute path, a drive letter), symbolic links, and names given
twice (a reader and a checker may each take another of them) are reported
as well: ``check`` never unpacks, but an archivist's unzip does.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

# The external DTDs of EPUB 2 and XHTML 1.x documents that epubcheck answers from its own copies
# (measured with strace: no connection, no file opened). Public identifier -> system identifier.
KNOWN_DTDS = {
    "-//NISO//DTD ncx 2005-1//EN": "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd",
    "-//W3C//DTD XHTML 1.1//EN": "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd",
    "-//W3C//DTD XHTML 1.0 Strict//EN": "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd",
    "-//W3C//DTD XHTML 1.0 Transitional//EN": "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd",
    "-//W3C//DTD SVG 1.1//EN": "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd",
}

_QUOTED = r"""(?:"[^"]*"|'[^']*')"""
_DOCTYPE = re.compile(
    rf"<!DOCTYPE\s+[^\s\[>]+(?:\s+(?:SYSTEM\s+(?P<system>{_QUOTED})"
    rf"|PUBLIC\s+(?P<public>{_QUOTED})(?:\s+(?P<public_system>{_QUOTED}))?))?\s*(?P<end>[\[>])?",
    re.IGNORECASE)
_DECLARATION = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARATION_BYTES = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Byte patterns of "<?xm" / "<" by which an XML parser tells an encoding without a byte order mark.
_AUTODETECT = (
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
    (b"Lo\xa7\x94", "cp037"),  # EBCDIC
)
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"))


@dataclass(frozen=True)
class Unsafe:
    """An entry, and what is wrong with it."""

    entry: str
    reason: str
    line: int | None = None


def unsafe_names(archive: zipfile.ZipFile) -> list[Unsafe]:
    """Entries whose names lead out of an unpacking folder, links, and names given twice."""
    found = []
    for info in archive.infolist():
        name = info.filename
        parts = re.split(r"[/\\]", name)
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
            found.append(Unsafe(name, "an absolute path: unpacked, it would be written anywhere on the disk"))
        elif ".." in parts:
            found.append(Unsafe(name, "a name with ../: unpacked, it would be written outside the book's folder"))
        if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
            found.append(Unsafe(name, "a symbolic link: unpacked, it would point anywhere on the disk"))
    for name, count in sorted(Counter(info.filename for info in archive.infolist()).items()):
        if count > 1:
            found.append(Unsafe(name, f"the name is given to {count} entries: readers and checkers may each "
                                "read another"))
    return found


def external_declarations(archive: zipfile.ZipFile) -> list[Unsafe]:
    """DOCTYPEs and entity declarations a parser could follow out of the book or expand without end."""
    found: list[Unsafe] = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            data = archive.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
            continue  # a damaged entry: the expansion check reports it, and nothing parses it
        for text in _readings(data):
            found += _declarations(info.filename, text)
    return found


def _readings(data: bytes) -> Iterator[str]:
    """The entry as text, in each encoding an XML parser could read it in that shows a declaration."""
    head = data[:4]
    for prefix, codec in (*_BOMS, *_AUTODETECT):
        if head.startswith(prefix):
            yield data.decode(codec, "replace")
            break
    if _DECLARATION_BYTES.search(data):  # every ASCII-compatible encoding (UTF-8, GB18030 …) spells it so
        yield data.decode("latin-1")


def _declarations(entry: str, text: str) -> Iterator[Unsafe]:
    for match in _DECLARATION.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match.group(1).upper() == "ENTITY":
            yield Unsafe(entry, "declares an entity (<!ENTITY …>)", line)
            continue
        if (reason := _doctype_problem(text, match.start())) is not None:
            yield Unsafe(entry, reason, line)


def _doctype_problem(text: str, start: int) -> str | None:
    doctype = _DOCTYPE.match(text, start)
    if doctype is None or doctype.group("end") is None:
        return "a DOCTYPE that cannot be read safely"
    if doctype.group("end") == "[":
        return "a DOCTYPE with an internal subset (declarations a parser would follow)"
    public = (doctype.group("public") or "")[1:-1]
    system = (doctype.group("system") or doctype.group("public_system") or "")[1:-1]
    if not public and not system:
        return None  # <!DOCTYPE html>
    if public in KNOWN_DTDS and system == KNOWN_DTDS[public]:
        return None
    shown = system or public
    return f"a DOCTYPE naming an external DTD ({shown[:80]}) that a parser would fetch or open"
