"""The EPUB container, rewritten so that the same book gives the same bytes.

ebooklib writes its zip with the clock's time on every entry and leaves a few
faults in the package document. Rather than patch its writer, we
let it write into memory and rewrite the archive here: fixed timestamps and
permissions, ``mimetype`` first and stored, a fixed entry order, the package
document completed, extra META-INF files added.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping

from lxml import etree  # type: ignore[import-untyped]  # ebooklib's own dependency

MIMETYPE = b"application/epub+zip"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The earliest and the latest time a zip entry can carry (an MS-DOS date: 1980 + 7 bits of years).
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
_ZIP_END = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)


def zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    moment = min(max(moment.astimezone(dt.UTC), _ZIP_EPOCH), _ZIP_END)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second - moment.second % 2)


def complete_package(opf: bytes, lang: str) -> bytes:
    """The package document with ``xml:lang`` on its root, which ebooklib never writes."""
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True)
    root = etree.fromstring(opf, parser)
    root.set(_XML_LANG, lang)
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True))


def repack(
    archive: bytes,
    *,
    modified: dt.datetime,
    lang: str,
    extra: Mapping[str, bytes],
    compresslevel: int = 9,
) -> bytes:
    """Rewrite ebooklib's ``archive`` as a reproducible EPUB; ``extra`` adds entries (name -> bytes)."""
    stamp = zip_time(modified)
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    entries.pop("mimetype", None)
    entries.update(extra)
    for name in list(entries):
        if name.endswith(".opf"):
            entries[name] = complete_package(entries[name], lang)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        # Readers identify the format by this first, uncompressed entry.
        target.writestr(_entry("mimetype", stamp), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        for name in sorted(entries, key=_order):
            target.writestr(
                _entry(name, stamp), entries[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
            )
    return out.getvalue()


def _entry(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = 3  # Unix, whatever the build machine is
    info.external_attr = 0o100644 << 16
    return info


def _order(name: str) -> tuple[int, str]:
    # META-INF first, then the package document, then content by name: a
    # fixed order, and the one streaming readers find the spine quickest with.
    if name.startswith("META-INF/"):
        return (0, name)
    if name.endswith(".opf"):
        return (1, name)
    return (2, name)
