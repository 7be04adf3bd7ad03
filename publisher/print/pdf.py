"""The print edition: the sheets made up, laid out by WeasyPrint in parts, joined into one PDF.

The sheets are made up before the layout (``publisher.typeset.makeup``): which
printed page takes which sheets, and which go on to the next (转版 marks), is
known before WeasyPrint runs, and no sheet's layout depends on another's. So
the issue is laid out in parts, groups of consecutive sheets, each in a
process of its own when there are cores for them (``jobs``), and the parts are
joined into one PDF (``publisher.print.pdf_join``) in which each font program is
stored once. The joined PDF does not depend on how the sheets were grouped:
one job or many give the same bytes.

WeasyPrint lays out and draws each sheet's frame: page header, masthead,
heads, rules, subheads and bylines. The body's lines, set by the toolkit,
are drawn by the toolkit too (``publisher.print.body_text``): the layout holds a
placeholder of each piece of a paragraph's height in its column, and the
lines take its place in the page's content (``publisher.print.pdf_lines``).

Every part is held to the plan: a sheet that ran over would have pushed text
off the sheet it was made up for, and the build stops.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_atomic
from ..errors import InputError, Problem, display_path
from ..model import Issue
from ..templates import read_asset, search_path
from ..timestamps import build_datetime
from ..typeset.fonts import FontFace
from ..typeset.geometry import Geometry, load_geometry
from ..typeset.makeup import Sheet
from .body_text import ROLE, SetLine, baseline, set_lines
from .print_options import PrintOptions
from .render import print_sheets, render_print_css, render_print_html

if TYPE_CHECKING:
    from weasyprint import Attachment, Document

    from .sheet_text import Sheet as SheetText

# WeasyPrint is imported where a PDF is made, not with this module: an
# EPUB-only build or `publisher parse` would otherwise pay its ~0.4 s import.
# The options live in print_options, light enough for the CLI and batch.


@dataclass(frozen=True)
class Sheets:
    """Which PDF pages (0-based) belong to which printed page."""

    labels: tuple[str, ...]  # the page label shown by PDF viewers, one per PDF page
    continues: tuple[int, ...]  # PDF pages whose printed page goes on to the next sheet
    printed: tuple[int, ...]  # for each PDF page, the index of its printed page


def _sheets(plan: list[Sheet]) -> Sheets:
    labels: list[str] = []
    printed: list[int] = []
    for sheet in plan:
        labels.append(sheet.label)  # unique: a page that runs over goes on on sheets of their own labels (A4续)
        printed.append(printed[-1] + (0 if sheet.continued else 1) if printed else 0)
    continues = tuple(index for index, sheet in enumerate(plan) if sheet.continues)
    return Sheets(tuple(labels), continues, tuple(printed))


@dataclass(frozen=True)
class Body:
    """The body's lines of a run of sheets, set: per sheet, the lines of each paragraph piece in the layout's order."""

    sheets: tuple[tuple[tuple[SetLine, ...], ...], ...]
    size: float  # pt
    pitch: float  # pt between baselines
    baseline: float  # pt from a grid line's top to its baseline

    def glyphs(self) -> dict[FontFace, dict[int, tuple[float, str]]]:
        """Per face, each glyph the lines show: its width (thousandths of an em) and its characters."""
        used: dict[FontFace, dict[int, tuple[float, str]]] = {}
        scale = 1000 / self.size
        for sheet in self.sheets:
            for piece in sheet:
                for line in piece:
                    for segment in line.segments:
                        faced = used.setdefault(segment.face, {})
                        faced.update((g.gid, (g.width * scale, g.text)) for g in segment.glyphs if g.text)
        return used


def set_body(sheets: Sequence[Sheet], geometry: Geometry) -> Body:
    """Shape every line of the body on ``sheets``."""
    size = geometry.type["body"]
    return Body(
        tuple(tuple(set_lines(piece.lines, size, "sans" if piece.kind == "caption" else ROLE)
                    for piece in _pieces(sheet)) for sheet in sheets),
        size, geometry.line_pitch, baseline(geometry.line_pitch, size))


def _pieces(sheet: Sheet) -> Iterator[Any]:
    """The pieces of a sheet set as lines (paragraphs and photo captions), in the order the layout
    draws their placeholders."""
    for block in sheet.blocks:
        for column in block.columns:
            for piece in column.pieces:
                if piece.kind in ("paragraph", "caption"):
                    yield piece


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while WeasyPrint lays out.

    Layout allocates a few million objects that all live until the document
    is written; each full collection walks them all and finds next to nothing
    (16-page issue: ~7% of the PDF time). The garbage there is is collected
    once afterwards (``write_pdf``). Only a caller that found the collector on
    turns it back on, so nested or concurrent renders leave it as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan(issue: Issue, options: PrintOptions) -> list[Sheet]:
    """The issue's sheets made up: done before anything is written, so that a make-up error stops the build."""
    return print_sheets(issue, load_geometry(issue.page_size, issue.layout))


@dataclass(frozen=True)
class Job:
    """Everything a part's layout needs, made once per issue before the parts are laid out."""

    issue: Issue
    options: PrintOptions
    sheets: tuple[Sheet, ...]
    plan: Sheets


def prepare(issue: Issue, options: PrintOptions, sheets: Sequence[Sheet] | None = None) -> Job:
    geometry = load_geometry(issue.page_size, issue.layout)
    made_up = tuple(sheets if sheets is not None else print_sheets(issue, geometry))
    return Job(issue, options, made_up, _sheets(list(made_up)))


def lay_out(job: Job, start: int = 0, end: int | None = None) -> Document:
    """WeasyPrint's layout of sheets ``start`` to ``end`` (the frame, with a placeholder for each piece of body)."""
    from weasyprint import CSS, HTML

    from .fetcher import LayoutOnlyFetcher

    end = len(job.sheets) if end is None else end
    issue, options = job.issue, job.options
    # Garbage an earlier build in this process left (a batch worker, a
    # program that builds issue after issue): the collector is paused
    # during layout and the writer freezes the layout, so it is collected
    # here or not at all. Cheap in a fresh process.
    gc.collect()
    geometry = load_geometry(issue.page_size, issue.layout)
    fetcher = LayoutOnlyFetcher(tuple(search_path("print", issue.layout)))
    timestamp = build_datetime(issue).strftime("%Y-%m-%dT%H:%M:%SZ")
    base_url = search_path("print", issue.layout)[0].as_uri() + "/"
    stylesheets = [
        CSS(string=render_print_css(geometry, layout=issue.layout, bleed=options.bleed,
                                    marks=options.marks), base_url=base_url, url_fetcher=fetcher),
        CSS(string=read_asset("print", "lines.css", issue.layout).decode("utf-8"), base_url=base_url,
            url_fetcher=fetcher),
    ]
    sheets = list(job.sheets[start:end])
    html = render_print_html(issue, geometry, timestamp, layout=issue.layout, sheets=sheets)
    with _collector_paused():
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(stylesheets=stylesheets)
    if fetcher.refused:
        raise InputError([Problem(str(issue.layout or "layout"), None,
                                  f"the layout asks for a resource outside its folder: {url}")
                          for url in fetcher.refused])
    if len(document.pages) != len(sheets):
        # A sheet ran over: text was pushed off the sheet it was made up for.
        raise InputError([Problem(display_path(issue.source), None,
                                  f"the print layout ran over: {len(sheets)} sheets made up, "
                                  f"{len(document.pages)} laid out; a layout whose CSS does not match "
                                  "its layout.toml can cause this")])
    return document


def _attachments(issue: Issue) -> list[Attachment]:
    from weasyprint import Attachment

    created = build_datetime(issue)
    # The bytes the issue was read from, not the files again: they may have changed or gone since.
    files = {issue.source: issue.data, **{page.source: page.data for page in issue.pages}}
    return [
        Attachment(string=data or path.read_bytes(), name=path.name, description=f"source of {issue.title}",
                   created=created, modified=created, relationship="Source")
        for path, data in files.items()
    ]


def identifier(issue: Issue, options: PrintOptions) -> bytes:
    return hashlib.sha256(
        f"{issue.slug}|{issue.issue}|{issue.edition}|{options.variant}".encode()
    ).hexdigest()[:32].encode()


@dataclass(frozen=True)
class Part:
    """A group of consecutive sheets laid out and written by WeasyPrint, the body's lines in place."""

    start: int
    pdf: bytes
    marks: tuple[tuple[float, tuple[Any, ...]], ...]  # per sheet: its height (CSS px) and WeasyPrint's bookmarks
    glyphs: dict[FontFace, dict[int, tuple[float, str]]]  # the glyphs the body's lines show (Body.glyphs)
    text: tuple[SheetText, ...] | None  # the sheets' text and boxes, when asked for (the archive's ALTO)


@dataclass
class LaidOut:
    """What a build hands on about its print layout: each sheet's text and boxes, and the sheets' labels.

    The archive's ALTO is made from it (``publisher.archive``), so that
    packaging an issue does not lay it out a second time.
    """

    sheets: list[SheetText] = field(default_factory=list)
    plan: Sheets | None = None


def write_part(job: Job, start: int, end: int, want_text: bool = False, write: bool = True) -> Part:
    """Lay out and write sheets ``start`` to ``end``: the PDF WeasyPrint writes, with the body's lines drawn."""
    from .pdf_lines import LinesFinisher

    # The body is shaped here, in the part's own process: it is a tenth of the print edition's work.
    body = set_body(job.sheets[start:end], load_geometry(job.issue.page_size, job.issue.layout))
    document = lay_out(job, start, end)
    marks = tuple((page.height, tuple(page.bookmarks)) for page in document.pages)
    data = b""
    if write:
        # The layout's millions of objects live until the document is written;
        # frozen, the collections the writer's allocations trigger do not walk
        # them again and again (-15% of the write). lay_out() collects whatever
        # of them is garbage before the next layout in this process.
        gc.freeze()
        try:
            data = document.write_pdf(
                finisher=LinesFinisher(body, start),
                pdf_variant=job.options.variant,
                pdf_identifier=identifier(job.issue, job.options),
                # The sources travel once, with the part that holds the first sheet (the catalogue's).
                attachments=_attachments(job.issue) if job.options.attach_sources and start == 0 else None,
            )
        finally:
            gc.unfreeze()
    text = None
    if want_text:
        from .sheet_text import sheets as laid_out_sheets

        text = tuple(laid_out_sheets(document, job.issue, body, first=start))
    return Part(start, data, marks, body.glyphs(), text)


class PrintJob:
    """The print edition under way: its parts laid out (in worker processes when ``jobs`` > 1)
    from the moment it is started, joined and written by ``finish()``."""

    def __init__(self, issue: Issue, out: Path, options: PrintOptions | None = None,
                 made_up: Sequence[Sheet] | None = None, *, jobs: int = 1, laid_out: LaidOut | None = None) -> None:
        from .sheet_jobs import PartsLayout

        self.out = out
        self.laid_out = laid_out
        self.job = prepare(issue, options or PrintOptions(), made_up)
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
            self.laid_out.plan = self.job.plan
        return write_atomic(self.out, data)

    def close(self) -> None:
        """Stop the workers of a print job that will not be finished (an error elsewhere, Ctrl-C)."""
        self.layout.close()


def write_pdf(issue: Issue, out: Path, options: PrintOptions | None = None,
              made_up: Sequence[Sheet] | None = None, *, jobs: int = 1, laid_out: LaidOut | None = None) -> Path:
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

    job = prepare(issue, options)
    parts = lay_out_parts(job, jobs, want_text=True, write=False)
    return LaidOut([sheet for part in parts for sheet in part.text or ()], job.plan)
