"""The print layout in parts, side by side in worker processes.

Each part is a run of consecutive sheets (``publisher.print.layout.write_part``). The
workers are forked from the build once the issue is made up and its body set,
so they start with everything in memory (the model, the sheets, the shaped
lines, WeasyPrint imported) and send back only their PDF. Parts start on an
even sheet, so each sheet keeps its side (left or right page) and margins.

A worker ignores Ctrl-C: the build that started it stops it, and reports the
interruption once. A worker ends with its build, however the build ends
(SIGTERM, SIGKILL): Linux's parent-death signal (``publisher.forked``).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..forked import fork_pool
from . import collector

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from .job import Job, Part

_JOB: Job | None = None  # the job the forked workers lay out, inherited at fork
_READY: set[Path | None] = set()  # the layouts ready_to_lay_out made ready in this process
PART_SHEETS = 16  # the most sheets one part lays out (an even number: a part starts on an even sheet)


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def partition(count: int, jobs: int) -> list[tuple[int, int]]:
    """``count`` sheets in at most ``jobs`` runs of about equal length, each starting on an even sheet."""
    pairs = (count + 1) // 2
    jobs = max(1, min(jobs, pairs))
    bounds = [min(count, 2 * round(pairs * k / jobs)) for k in range(jobs + 1)]
    return [(start, end) for start, end in itertools.pairwise(bounds) if end > start]


def part_ranges(count: int, jobs: int) -> list[tuple[int, int]]:
    """The parts of ``count`` sheets for ``jobs`` processes: at least one a process, none over PART_SHEETS.

    A part's layout is held whole until it is written, so a process's memory
    grows with its part (16 sheets at once 225 MB, 8 at once 185), and a long
    issue in one part outgrew any bound. Each more part costs its fixed share
    (its stylesheets, its faces), about 0.05 s of CPU.
    """
    pairs = (count + 1) // 2
    return partition(count, max(jobs, -(-pairs // (PART_SHEETS // 2))))


def ready_to_lay_out(layout: Path | None) -> None:
    """WeasyPrint imported and the print templates of ``layout`` compiled in this process, once.

    Done before the parts' workers are forked: every worker would otherwise
    import WeasyPrint (and parse its stylesheets) on its own, about half a
    second each, and compile the templates again (the wall time is the same).
    What joining the parts needs (pikepdf, HarfBuzz's subsetter) comes too. A
    build may have it all done in its print process while it reads the issue.
    """
    if layout in _READY:
        return
    from . import engine, fetcher, pdf_join, pdf_lines, sheet_text  # noqa: F401
    from .render import compile_print_templates

    compile_print_templates(layout)
    _READY.add(layout)


def _write(bounds: tuple[int, int], want_text: bool, write: bool) -> Part:
    from .layout import write_part

    assert _JOB is not None
    return write_part(_JOB, bounds[0], bounds[1], want_text, write)


class PartsLayout:
    """The parts of a job, laid out in ``jobs`` processes; started at once, collected by ``parts()``.

    With one part (one job, or an issue of one or two sheets) it is laid out
    here, in this process, when the parts are asked for.
    """

    def __init__(self, job: Job, jobs: int, want_text: bool = False, write: bool = True) -> None:
        self.job = job
        self.want_text = want_text
        self.write = write
        self.ranges = part_ranges(len(job.sheets), jobs)
        self.processes = min(jobs, len(self.ranges))
        self._pool: Pool | None = None
        self._pending: AsyncResult[list[Part]] | None = None
        if self.processes > 1:
            global _JOB
            _JOB = job
            ready_to_lay_out(job.issue.layout)
            try:
                with collector.kept_frozen():
                    self._pool = fork_pool(self.processes)
                self._pending = self._pool.starmap_async(_write, [(bounds, want_text, write)
                                                                  for bounds in self.ranges])
            except BaseException:
                self.close()
                raise

    def parts(self) -> Sequence[Part]:
        from .layout import write_part

        if self._pool is None or self._pending is None:
            return [write_part(self.job, start, end, self.want_text, self.write) for start, end in self.ranges]
        try:
            return self._pending.get()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (after their parts, or on an error or interruption in the build)."""
        global _JOB
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        _JOB = None


def lay_out_parts(job: Job, jobs: int, want_text: bool = False, write: bool = True) -> Sequence[Part]:
    layout = PartsLayout(job, jobs, want_text, write)
    try:
        return layout.parts()
    finally:
        layout.close()
