"""A print job's plan: the sheets made up, which printed page each belongs to, and what a part's layout hands back.

Everything a part of the layout needs is made once per issue, before the parts
are laid out (``publisher.print.layout``), in this process or in workers
(``publisher.print.sheet_jobs``); the parts are joined by
``publisher.print.pdf_join``. These types are what those modules share, so
that each takes them from here and none from another: the stage reads as a
line, make-up -> layout -> parts -> join.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Issue
from ..typeset.fonts import FontFace
from ..typeset.geometry import load_geometry
from ..typeset.makeup import MadeUpSheet
from .print_options import PrintOptions
from .render import print_sheets

if TYPE_CHECKING:
    from .sheet_text import SheetText


@dataclass(frozen=True)
class PrintedPages:
    """Which PDF pages (0-based) belong to which printed page."""

    labels: tuple[str, ...]  # the page label shown by PDF viewers, one per PDF page
    continues: tuple[int, ...]  # PDF pages whose printed page goes on to the next sheet
    printed: tuple[int, ...]  # for each PDF page, the index of its printed page


def _printed_pages(plan: list[MadeUpSheet]) -> PrintedPages:
    labels: list[str] = []
    printed: list[int] = []
    for sheet in plan:
        labels.append(sheet.label)  # unique: a page that runs over goes on on sheets of their own labels (A4续)
        printed.append(printed[-1] + (0 if sheet.continued else 1) if printed else 0)
    continues = tuple(index for index, sheet in enumerate(plan) if sheet.continues)
    return PrintedPages(tuple(labels), continues, tuple(printed))


@dataclass(frozen=True)
class Job:
    """Everything a part's layout needs, made once per issue before the parts are laid out."""

    issue: Issue
    options: PrintOptions
    sheets: tuple[MadeUpSheet, ...]
    pages: PrintedPages


def plan_job(issue: Issue, options: PrintOptions, sheets: Sequence[MadeUpSheet] | None = None) -> Job:
    geometry = load_geometry(issue.page_size, issue.layout)
    made_up = tuple(sheets if sheets is not None else print_sheets(issue, geometry))
    return Job(issue, options, made_up, _printed_pages(list(made_up)))


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
    plan: PrintedPages | None = None
