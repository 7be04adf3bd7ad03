"""WeasyPrint, imported for the print edition without ctypes' search for its libraries.

WeasyPrint opens GObject, Pango, HarfBuzz and fontconfig through cffi,
trying each library's names for every platform in turn (``libpango-1.0-0``,
``pango-1.0-0``, ``pango-1.0``, then Linux's ``libpango-1.0.so.0`` …). cffi
hands a name it cannot open to ``ctypes.util.find_library``, which on Linux
runs ``ldconfig -p``, then gcc, then ld to look for it: some sixty processes
at every import, 0.15 s of CPU and 0.2–0.5 s of wall time on the benchmark's
machine, for every build and every worker that imports WeasyPrint. For the
import's duration that search answers "not found", so cffi goes on to the
sonames, which the dynamic loader opens itself: the same libraries. Should
the import fail so, it is made again with the search, as WeasyPrint makes
it, and fails or succeeds as it would have.

The modules of the print edition take WeasyPrint from here (``weasyprint``)
wherever they may be the first to import it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType


@contextmanager
def _library_search_skipped() -> Iterator[None]:
    import ctypes.util

    search = ctypes.util.find_library

    def not_found(name: str) -> None:
        return None

    ctypes.util.find_library = not_found
    try:
        yield
    finally:
        ctypes.util.find_library = search


def _load() -> ModuleType:
    if "weasyprint" not in sys.modules and sys.platform.startswith("linux"):
        try:
            with _library_search_skipped():
                import weasyprint
            return sys.modules["weasyprint"]
        except OSError:
            pass  # a library not found by its soname: imported again below, as WeasyPrint imports itself
    import weasyprint  # noqa: F401

    return sys.modules["weasyprint"]


weasyprint = _load()

__all__ = ["weasyprint"]
