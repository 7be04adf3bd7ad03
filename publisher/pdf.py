"""The print edition: HTML from the print layout, laid out and written by WeasyPrint.

Rendering and writing are separate steps (``document = render(...)`` then
``write``), as in WeasyPrint itself. The sheets are made up before the layout
(``publisher.makeup``): which printed page takes which sheets, and which go on
to the next (转版 marks), is known before WeasyPrint runs, so it lays the issue
out once. The rendered document is then held to the plan: a sheet that ran
over would have pushed text off its sheet, and the build stops.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pydyf

from .errors import InputError, Problem, display_path
from .geometry import load_geometry
from .layouts import read_asset, search_path
from .makeup import Sheet
from .model import Issue
from .output import atomic_path
from .print_options import PrintOptions
from .render import print_sheets, render_print_css, render_print_html
from .timestamps import build_datetime

if TYPE_CHECKING:
    from weasyprint import Attachment, Document

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
    number = 0
    for sheet in plan:
        number = number + 1 if sheet.continued else 1
        labels.append(sheet.label if number == 1 else f"{sheet.label}-{number}")
        printed.append(printed[-1] + (0 if sheet.continued else 1) if printed else 0)
    continues = tuple(index for index, sheet in enumerate(plan) if sheet.continues)
    return Sheets(tuple(labels), continues, tuple(printed))


def _continuation_css(sheets: Sheets) -> str:
    """Marks on the sheets of a printed page that runs over: 转下页 / 接上页 (CSS :nth is 1-based)."""
    rules = []
    for sheet in sheets.continues:
        rules.append(f'@page :nth({sheet + 1}) {{ @bottom-right {{ content: "（转下页）"; font-size: 8pt }} }}')
        rules.append(f'@page :nth({sheet + 2}) {{ @bottom-left {{ content: "（接上页）"; font-size: 8pt }} }}')
    return "\n".join(rules)


def _page_labels(labels: tuple[str, ...]) -> Any:
    """A PDF /PageLabels number tree: viewers then show A1, A2 … instead of 1, 2 …"""
    nums = pydyf.Array()
    for index, label in enumerate(labels):
        nums.extend([index, pydyf.Dictionary({"P": pydyf.String(label)})])
    return pydyf.Dictionary({"Nums": nums})


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
    return print_sheets(issue, load_geometry(issue.page_size, options.layout_dir))


def render(issue: Issue, options: PrintOptions, sheets: list[Sheet] | None = None) -> tuple[Document, Sheets]:
    from weasyprint import CSS, HTML

    from .fetcher import LayoutOnlyFetcher

    # Garbage an earlier build in this process left (a batch worker, a
    # program that builds issue after issue): the collector is paused
    # during layout and the writer freezes the layout, so it is collected
    # here or not at all. Cheap in a fresh process.
    gc.collect()
    geometry = load_geometry(issue.page_size, options.layout_dir)
    fetcher = LayoutOnlyFetcher(tuple(search_path("print", options.layout_dir)))
    timestamp = build_datetime(issue).strftime("%Y-%m-%dT%H:%M:%SZ")
    base_url = search_path("print", options.layout_dir)[0].as_uri() + "/"
    stylesheets = [
        CSS(string=render_print_css(geometry, layout_dir=options.layout_dir, bleed=options.bleed,
                                    marks=options.marks), base_url=base_url, url_fetcher=fetcher),
        CSS(string=read_asset("print", "lines.css", options.layout_dir).decode("utf-8"), base_url=base_url,
            url_fetcher=fetcher),
    ]

    if sheets is None:
        sheets = print_sheets(issue, geometry)
    plan = _sheets(sheets)
    continuation = [CSS(string=_continuation_css(plan), url_fetcher=fetcher)] if plan.continues else []
    html = render_print_html(issue, geometry, timestamp, layout_dir=options.layout_dir, sheets=sheets)
    with _collector_paused():
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[*stylesheets, *continuation])
    if fetcher.refused:
        raise InputError([Problem(str(options.layout_dir or "layout"), None,
                                  f"the layout asks for a resource outside its folder: {url}")
                          for url in fetcher.refused])
    if len(document.pages) != len(sheets):
        # A sheet ran over: text was pushed off the sheet it was made up for.
        raise InputError([Problem(display_path(issue.source), None,
                                  f"the print layout ran over: {len(sheets)} sheets made up, "
                                  f"{len(document.pages)} laid out; a layout whose CSS does not match "
                                  "its layout.toml can cause this")])
    return document, plan


def _attachments(issue: Issue, created: dt.datetime) -> list[Attachment]:
    from weasyprint import Attachment

    # The bytes the issue was read from, not the files again: they may have changed or gone since.
    files = {issue.source: issue.data, **{page.source: page.data for page in issue.pages}}
    return [
        Attachment(string=data or path.read_bytes(), name=path.name, description=f"source of {issue.title}",
                   created=created, modified=created, relationship="Source")
        for path, data in files.items()
    ]


def write_pdf(issue: Issue, out: Path, options: PrintOptions | None = None,
              made_up: list[Sheet] | None = None) -> Path:
    """Render the issue (its sheets as ``plan`` made them up, if given) and write the PDF to ``out``, atomically."""
    options = options or PrintOptions()
    document, sheets = render(issue, options, made_up)
    created = build_datetime(issue)
    labels = _page_labels(sheets.labels)

    def finish(_document: Document, pdf: Any) -> None:
        pdf.catalog["PageLabels"] = labels

    identifier = hashlib.sha256(
        f"{issue.slug}|{issue.issue}|{issue.edition}|{options.variant}".encode()
    ).hexdigest()[:32].encode()
    # The layout's millions of objects live until the document is written;
    # frozen, the collections the writer's allocations trigger do not walk
    # them again and again (-15% of the write). render() collects whatever
    # of them is garbage before the next layout in this process.
    gc.freeze()
    try:
        with atomic_path(out) as tmp:
            document.write_pdf(
                tmp,
                finisher=finish,
                pdf_variant=options.variant,
                pdf_identifier=identifier,
                attachments=_attachments(issue, created) if options.attach_sources else None,
            )
    finally:
        gc.unfreeze()
    return out

