"""The cyclic garbage collector's policy while the print edition is laid out and written.

WeasyPrint's layout allocates a few million objects that all live until the
document is written. Left to itself, the collector walks them again and
again and finds next to nothing; so it is paused during layout, the layout
is frozen while it is written, and what garbage there is is collected once,
before the next layout in the same process. Kept in one place so that the
layout (``publisher.print.layout``) and the workers (``publisher.print.sheet_jobs``)
follow one policy.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_laid_out_before = False  # has this process laid out a part before (inherited by forked workers)


def collect_earlier_layout() -> None:
    """Collect the garbage an earlier layout in this process left (a batch worker, a program that
    builds issue after issue).

    The collector is paused during layout and the writer freezes the layout,
    so it is collected here or not at all. Not before the first: a full
    collection then walks the whole build (the issue, its sheets and lines:
    0.05 s of the 16-page issue's build) and finds nothing.
    """
    global _laid_out_before
    if _laid_out_before:
        gc.collect()
    _laid_out_before = True


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic garbage collector off while WeasyPrint lays out.

    Each full collection would walk the layout's objects and find next to
    nothing (16-page issue: ~7% of the PDF time). Only a caller that found
    the collector on turns it back on, so nested or concurrent renders leave
    it as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen_while_written() -> Iterator[None]:
    """The layout's objects out of the collector's sight while the document is written.

    The collections the writer's allocations trigger then do not walk them
    again and again (-15% of the write). ``collect_earlier_layout`` collects
    whatever of them is garbage before the next layout in this process.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def kept_frozen() -> Iterator[None]:
    """What the process holds so far out of the cyclic collector's sight while the block runs; kept frozen
    afterwards if an enclosing block froze it already.

    The build holds the modules imported and the issue read this way for its whole run: they outlive it,
    yet each full collection walked them again (16-page issue: 0.07 s of CPU); frozen objects are
    collected again once unfrozen, so a batch worker that builds issue after issue frees each issue's
    garbage as before. The print edition holds what the build has so far (with the sheets) this way while
    its workers are forked: a worker's collections then neither walk it nor copy its pages.
    """
    frozen = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not frozen:
            gc.unfreeze()
