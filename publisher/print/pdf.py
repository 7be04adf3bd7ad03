"""The print edition: the sheets made up, laid out by WeasyPrint in parts, joined into one PDF.

The stage reads as a line, each module taking what it needs from the ones
before it and none from after:

    render (the template's HTML of the made-up sheets) -> job (the plan: sheets, labels, what a part returns)
    -> body (the body's lines shaped) -> layout (one part laid out, its lines drawn by pdf_lines)
    -> sheet_jobs (the parts, in worker processes) -> pdf_join (one PDF) -> here (written).

The layout of a part takes one job from each of its own modules, as
WeasyPrint's ``pdf/`` does: WeasyPrint imported (engine), the stylesheets
(render), the garbage collector's policy (collector), the masthead measured
(masthead), the sources attached (attachments).

The sheets are made up before the layout (``publisher.typeset.makeup``): which
printed page takes which sheets, where a story breaks and where it goes on, is
known before WeasyPrint runs, and no sheet's layout depends on another's. So
the issue is laid out in parts, groups of consecutive sheets, each in a
process of its own when there are cores for them (``jobs``), and the parts are
joined into one PDF (``publisher.print.pdf_join``) in which each font program is
stored once. The joined PDF does not depend on how the sheets were grouped:
one job or many give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..atomic import write_atomic
from ..model import Issue
from ..typeset.geometry import load_geometry
from ..typeset.makeup import MadeUpSheet
from .job import LaidOut, plan_job
from .print_options import PrintOptions
from .render import print_sheets

__all__ = ["LaidOut", "PrintJob", "lay_out_text", "made_up_sheets", "write_pdf"]


def made_up_sheets(issue: Issue) -> list[MadeUpSheet]:
    """The issue's sheets made up: done before anything is written, so that a make-up error stops the build."""
    return print_sheets(issue, load_geometry(issue.page_size, issue.layout))


class PrintJob:
    """The print edition under way: its parts laid out (in worker processes when ``jobs`` > 1)
    from the moment it is started, joined and written by ``finish()``."""

    def __init__(self, issue: Issue, out: Path, options: PrintOptions | None = None,
                 made_up: Sequence[MadeUpSheet] | None = None, *, jobs: int = 1,
                 laid_out: LaidOut | None = None) -> None:
        from .sheet_jobs import PartsLayout

        self.out = out
        self.laid_out = laid_out
        self.job = plan_job(issue, options or PrintOptions(), made_up)
        self.layout = PartsLayout(self.job, jobs, want_text=laid_out is not None)

    def finish(self) -> Path:
        from .pdf_join import Unjoinable, join
        from .sheet_jobs import lay_out_parts

        try:
            parts = self.layout.parts()
        finally:
            self.layout.close()
        try:
            data = join(self.job, parts)
        except Unjoinable:
            # The layout uses resources the parts name each in its own way (numbered
            # patterns, groups): laid out as one part, the same PDF one job makes.
            parts = lay_out_parts(self.job, 1, want_text=self.laid_out is not None)
            data = join(self.job, parts)
        if self.laid_out is not None:
            self.laid_out.sheets[:] = [sheet for part in parts for sheet in part.text or ()]
            self.laid_out.plan = self.job.pages
        return write_atomic(self.out, data)

    def close(self) -> None:
        """Stop the workers of a print job that will not be finished (an error elsewhere, Ctrl-C)."""
        self.layout.close()


def write_pdf(issue: Issue, out: Path, options: PrintOptions | None = None,
              made_up: Sequence[MadeUpSheet] | None = None, *, jobs: int = 1, laid_out: LaidOut | None = None) -> Path:
    """Lay out the issue (its sheets as ``plan`` made them up, if given) in ``jobs`` processes and
    write the PDF to ``out``, atomically. ``laid_out``, if given, receives each sheet's text and boxes."""
    job = PrintJob(issue, out, options, made_up, jobs=jobs, laid_out=laid_out)
    try:
        return job.finish()
    finally:
        job.close()


def lay_out_text(issue: Issue, options: PrintOptions, jobs: int = 1) -> LaidOut:
    """Each sheet's text and boxes, from a layout of the issue that writes no PDF (an edition built before)."""
    from .sheet_jobs import lay_out_parts

    job = plan_job(issue, options)
    parts = lay_out_parts(job, jobs, want_text=True, write=False)
    return LaidOut([sheet for part in parts for sheet in part.text or ()], job.pages)
