"""Lay out each page once: WeasyPrint 70 lays out every page with a running header twice.

In WeasyPrint 70 (``layout/page.py``, ``make_page``), a page on which a
running element (``position: running(name)``) appears for the first time is
marked ``content_changed``, so ``layout_document`` lays the page out again.
The second pass is there for notes (``position: note(name)``), which leave the
flow once they are known; a running page header changes nothing in the page's
own content, and the second pass gives the very same boxes. Our print layout
puts its header (版头) on every page as a running element, so every page was
laid out twice: about 40% of the whole build (bench/RESULTS.md).

The check that asks for the second pass reads "the page's running elements
before its layout" and treats *unknown* (``None``) as changed; here the store
answers *none yet* (``[]``) instead, which is what it means for a page not yet
laid out. The rest of WeasyPrint reads the store by key and cannot tell the
difference. It is done only inside ``render_once``, only for the WeasyPrint
version whose code was read, and if a note did appear the document is laid out
again the stock way, so the output is always the same as WeasyPrint's own,
byte for byte (``tests/integration/test_layout_once.py``).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import weasyprint
from weasyprint import CSS, HTML, Document
from weasyprint.layout import LayoutContext

# The version whose make_page() was read; another one is left alone.
PATCHED_VERSION = "70.0"

# The layout contexts made while render_once() runs in this thread or task.
_CONTEXTS: ContextVar[list[Any] | None] = ContextVar("publisher_layout_once", default=None)


class _RunningByPage(defaultdict[int, list[Any]]):
    """Running elements of one name by page number: a page not laid out yet has none ([])."""

    def __init__(self) -> None:
        super().__init__(list)

    def get(self, page: int, default: Any = None) -> Any:
        return super().get(page, [] if default is None else default)


def _install() -> bool:
    """Wrap LayoutContext.__init__ once per process; a no-op outside render_once()."""
    if weasyprint.__version__ != PATCHED_VERSION:
        return False
    original = LayoutContext.__init__
    if getattr(original, "_publisher_layout_once", False):
        return True

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        contexts = _CONTEXTS.get()
        if contexts is not None:
            self.running_elements = defaultdict(_RunningByPage)
            contexts.append(self)

    __init__._publisher_layout_once = True  # type: ignore[attr-defined]
    LayoutContext.__init__ = __init__
    return True


@contextmanager
def _once() -> Iterator[list[Any]]:
    contexts: list[Any] = []
    token = _CONTEXTS.set(contexts)
    try:
        yield contexts
    finally:
        _CONTEXTS.reset(token)


def _has_notes(contexts: list[Any]) -> bool:
    return any(
        box.is_note()
        for context in contexts
        for pages in context.running_elements.values()
        for boxes in pages.values()
        for box in boxes
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while WeasyPrint lays out.

    Layout allocates a few million objects that all live until the document
    is written; each full collection walks them all and finds next to nothing
    (16-page issue: 10 passes, ~1.2 s of 9 s). The garbage there is, the caller
    collects once afterwards (``pdf.write_pdf``). Only the caller that found the
    collector on turns it back on, so nested or concurrent renders leave it on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_once(source: HTML, stylesheets: Sequence[CSS]) -> Document:
    """``source.render(stylesheets=...)``, each page laid out once; the same document."""
    with _collector_paused():
        if not _install():
            return source.render(stylesheets=list(stylesheets))
        with _once() as contexts:
            document = source.render(stylesheets=list(stylesheets))
        if _has_notes(contexts):  # notes need the second pass: lay out the stock way
            document = source.render(stylesheets=list(stylesheets))
    return document
