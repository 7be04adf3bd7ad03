"""One part of the print edition laid out by WeasyPrint and written, the body's lines in place.

A part is a run of consecutive sheets. WeasyPrint lays out and draws each
sheet's frame (page header, masthead, heads, rules, subheads, bylines and a
placeholder for each piece of body); the body's lines, shaped here in the
part's own process (``publisher.print.body``), take the placeholders' places as
the PDF is written (``publisher.print.pdf_lines``). Every part is held to the
plan: a sheet that ran over would have pushed text off the sheet it was made
up for, and the build stops.

Beside it, one module per job, as WeasyPrint's own ``pdf/`` is: the
collector's policy during layout and writing (``collector``), the sources
attached (``attachments``), the masthead measured (``masthead``), the
stylesheets and HTML rendered (``render``), WeasyPrint imported (``engine``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError, Problem, display_path
from ..layouts import read_asset, search_path
from ..model import Issue
from ..timestamps import build_datetime
from ..typeset.geometry import Geometry, load_geometry
from ..typeset.makeup import MadeUpSheet
from . import collector
from .attachments import source_attachments
from .body import set_body
from .job import Job, Part, identifier
from .masthead import check_masthead
from .part_fonts import cut_for_the_join
from .render import render_print_css, render_print_html
from .svg_guard import TooComplex, check_tree

if TYPE_CHECKING:
    from weasyprint import CSS, Document

    from .fetcher import LayoutOnlyFetcher

# WeasyPrint is imported where a PDF is made, not with this module: an
# EPUB-only build or `publisher parse` would otherwise pay its ~0.4 s import.


def lay_out(job: Job, start: int = 0, end: int | None = None) -> Document:
    """WeasyPrint's layout of sheets ``start`` to ``end`` (the frame, with a placeholder for each piece of body)."""
    from .engine import weasyprint
    from .fetcher import LayoutOnlyFetcher

    end = len(job.sheets) if end is None else end
    issue = job.issue
    collector.collect_earlier_layout()
    geometry = load_geometry(issue.page_size, issue.layout)
    fetcher = LayoutOnlyFetcher(tuple(search_path("print", issue.layout)))
    timestamp = build_datetime(issue).strftime("%Y-%m-%dT%H:%M:%SZ")
    base_url = search_path("print", issue.layout)[0].as_uri() + "/"
    stylesheets = _stylesheets(job, geometry, base_url, fetcher)
    sheets = list(job.sheets[start:end])
    html = render_print_html(issue, geometry, timestamp, layout=issue.layout, sheets=sheets,
                             tagged=_tagged(job.options.variant))
    page = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    try:
        check_tree(page.etree_element.iter())  # a template's own inline SVG, weighed before it is drawn
    except TooComplex as refused:
        raise InputError([Problem(str(issue.layout or "layout"), None,
                                  f"an SVG in the print templates asks too much: {refused}")]) from None
    with collector.paused():
        document = page.render(stylesheets=stylesheets)
    _check_fetches(fetcher, issue)
    _check_against_plan(document, sheets, geometry, issue)
    return document


def _tagged(variant: str | None) -> bool:
    """Does WeasyPrint write ``variant`` with a structure tree?"""
    from weasyprint.pdf import VARIANTS

    return variant is not None and bool(VARIANTS[variant][1].get("pdf_tags"))


def _stylesheets(job: Job, geometry: Geometry, base_url: str, fetcher: LayoutOnlyFetcher) -> list[CSS]:
    """The layout's print.css, rendered for the issue's geometry and the job's options, then lines.css."""
    from .engine import weasyprint

    layout, options = job.issue.layout, job.options
    return [
        weasyprint.CSS(string=render_print_css(geometry, layout=layout, bleed=options.bleed,
                                    marks=options.marks), base_url=base_url, url_fetcher=fetcher),
        weasyprint.CSS(string=read_asset("print", "lines.css", layout).decode("utf-8"), base_url=base_url,
            url_fetcher=fetcher),
    ]


def _check_fetches(fetcher: LayoutOnlyFetcher, issue: Issue) -> None:
    """Every resource the layout asked for and was refused, as the build's problems."""
    if fetcher.refused:
        raise InputError([Problem(str(issue.layout or "layout"), None,
                                  f"the layout asks for a resource outside its folder: {url}"
                                  if url in fetcher.outside else
                                  f"the layout asks for a resource it may not load: {url}")
                          for url in fetcher.refused])


def _check_against_plan(document: Document, sheets: list[MadeUpSheet], geometry: Geometry, issue: Issue) -> None:
    """The layout held to the make-up: each masthead in its lines, one page per sheet."""
    for number, sheet in enumerate(sheets):
        if sheet.masthead and number < len(document.pages):
            check_masthead(document.pages[number], geometry, issue)
    if len(document.pages) != len(sheets):
        # A sheet ran over: text was pushed off the sheet it was made up for.
        raise InputError([Problem(display_path(issue.source), None,
                                  f"the print layout ran over: {len(sheets)} sheets made up, "
                                  f"{len(document.pages)} laid out; a layout whose CSS does not match "
                                  "its layout.toml can cause this")])


def write_part(job: Job, start: int, end: int, want_text: bool = False, write: bool = True) -> Part:
    """Lay out and write sheets ``start`` to ``end``: the PDF WeasyPrint writes, with the body's lines drawn."""
    from .pdf_lines import LinesFinisher

    # The body is shaped here, in the part's own process: it is a tenth of the print edition's work.
    body = set_body(job.sheets[start:end], load_geometry(job.issue.page_size, job.issue.layout))
    document = lay_out(job, start, end)
    marks = tuple((page.height, tuple(page.bookmarks)) for page in document.pages)
    data = b""
    finisher = LinesFinisher(body, start)
    if write:
        with collector.frozen_while_written(), cut_for_the_join():
            data = document.write_pdf(
                finisher=finisher,
                pdf_variant=job.options.variant,
                pdf_identifier=identifier(job.issue, job.options),
                # A part is read only by the join (pdf_join), which compresses what it keeps as it saves: its
                # pages' drawings once, and the faces' programs not at all, since it cuts each face again for
                # the whole issue. Compressed here, they were deflated for nothing, or twice.
                uncompressed_pdf=True,
                # The sources travel once, with the part that holds the first sheet (the catalogue's).
                attachments=source_attachments(job.issue) if job.options.attach_sources and start == 0 else None,
            )
    text = None
    if want_text:
        from .sheet_text import sheets as laid_out_sheets

        text = tuple(laid_out_sheets(document, job.issue, body, first=start))
    glyphs = body.glyphs()
    for face, shown in finisher.head_glyphs().items():
        glyphs.setdefault(face, {}).update(shown)
    return Part(start, data, marks, glyphs, text)
