"""One part of the print edition laid out by WeasyPrint and written, the body's lines in place.

A part is a run of consecutive sheets. WeasyPrint lays out and draws each
sheet's frame (page header, masthead, heads, rules, subheads, bylines and a
placeholder for each piece of body); the body's lines, shaped here in the
part's own process (``publisher.print.body``), take the placeholders' places as
the PDF is written (``publisher.print.pdf_lines``). Every part is held to the
plan: a sheet that ran over would have pushed text off the sheet it was made
up for, and the build stops.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem, display_path
from ..layouts import read_asset, search_path
from ..model import Issue
from ..timestamps import build_datetime
from ..typeset.geometry import Geometry, load_geometry
from .body import set_body
from .job import Job, Part, identifier
from .render import render_print_css, render_print_html
from .svg_guard import TooComplex, check_tree

if TYPE_CHECKING:
    from weasyprint import Attachment, Document

# WeasyPrint is imported where a PDF is made, not with this module: an
# EPUB-only build or `publisher parse` would otherwise pay its ~0.4 s import.


_laid_out_before = False  # has this process laid out a part before (inherited by forked workers)


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


def lay_out(job: Job, start: int = 0, end: int | None = None) -> Document:
    """WeasyPrint's layout of sheets ``start`` to ``end`` (the frame, with a placeholder for each piece of body)."""
    from .engine import weasyprint
    from .fetcher import LayoutOnlyFetcher

    end = len(job.sheets) if end is None else end
    issue, options = job.issue, job.options
    # Garbage an earlier layout in this process left (a batch worker, a
    # program that builds issue after issue): the collector is paused
    # during layout and the writer freezes the layout, so it is collected
    # here or not at all. Not before the first: a full collection then
    # walks the whole build (the issue, its sheets and lines: 0.05 s of the
    # 16-page issue's build) and finds nothing.
    global _laid_out_before
    if _laid_out_before:
        gc.collect()
    _laid_out_before = True
    geometry = load_geometry(issue.page_size, issue.layout)
    fetcher = LayoutOnlyFetcher(tuple(search_path("print", issue.layout)))
    timestamp = build_datetime(issue).strftime("%Y-%m-%dT%H:%M:%SZ")
    base_url = search_path("print", issue.layout)[0].as_uri() + "/"
    stylesheets = [
        weasyprint.CSS(string=render_print_css(geometry, layout=issue.layout, bleed=options.bleed,
                                    marks=options.marks), base_url=base_url, url_fetcher=fetcher),
        weasyprint.CSS(string=read_asset("print", "lines.css", issue.layout).decode("utf-8"), base_url=base_url,
            url_fetcher=fetcher),
    ]
    sheets = list(job.sheets[start:end])
    html = render_print_html(issue, geometry, timestamp, layout=issue.layout, sheets=sheets)
    page = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    try:
        check_tree(page.etree_element.iter())  # a template's own inline SVG, weighed before it is drawn
    except TooComplex as refused:
        raise InputError([Problem(str(issue.layout or "layout"), None,
                                  f"an SVG in the print templates asks too much: {refused}")]) from None
    with _collector_paused():
        document = page.render(stylesheets=stylesheets)
    if fetcher.refused:
        raise InputError([Problem(str(issue.layout or "layout"), None,
                                  f"the layout asks for a resource outside its folder: {url}"
                                  if url in fetcher.outside else
                                  f"the layout asks for a resource it may not load: {url}")
                          for url in fetcher.refused])
    for number, sheet in enumerate(sheets):
        if sheet.masthead and number < len(document.pages):
            _check_masthead(document.pages[number], geometry, issue)
    if len(document.pages) != len(sheets):
        # A sheet ran over: text was pushed off the sheet it was made up for.
        raise InputError([Problem(display_path(issue.source), None,
                                  f"the print layout ran over: {len(sheets)} sheets made up, "
                                  f"{len(document.pages)} laid out; a layout whose CSS does not match "
                                  "its layout.toml can cause this")])
    return document


PX_PER_PT = 96 / 72  # WeasyPrint lays out in CSS pixels


def _check_masthead(page: Any, geometry: Geometry, issue: Issue) -> None:
    """The masthead must stay in the lines the make-up keeps for it (``masthead_lines``).

    The layout decides how it looks (its template and CSS), so what it drew is
    measured: a paper's name too long for the page (200 characters are allowed
    in issue.yaml) wrapped into lines drawn over the front page's articles.
    """
    masthead = next((box for box in page._page_box.descendants() if "masthead" in _classes(box)), None)
    if masthead is None:
        return  # a layout without one
    room = masthead.position_y + geometry.make_up.masthead_lines * geometry.line_pitch * PX_PER_PT
    boxes = [box for box in masthead.descendants() if hasattr(box, "margin_height")]
    reach = max((box.position_y + box.margin_height() for box in boxes), default=0.0)
    wide = max((box.position_x + box.margin_width() for box in boxes), default=0.0)
    if reach > room + 1 or wide > masthead.position_x + masthead.margin_width() + 1:
        from ..ingest.issue_yaml import key_line

        lines = geometry.make_up.masthead_lines
        raise InputError([Problem(display_path(issue.source), key_line(issue.data, "paper"),
                                  f"the masthead does not fit the {lines} lines the page keeps for it (it takes "
                                  f"{(reach - masthead.position_y) / PX_PER_PT:.0f} pt of "
                                  f"{lines * geometry.line_pitch:.0f}, {(wide - masthead.position_x) / PX_PER_PT:.0f} "
                                  f"pt of {masthead.margin_width() / PX_PER_PT:.0f} across): the paper's name "
                                  f"「{issue.paper[:12]}…」 ({len(issue.paper)} characters) is too long for the page "
                                  "at the layout's masthead size; shorten it (or give the layout's layout.toml a "
                                  "smaller `type.masthead` or more `compose.masthead_lines`)")])


def _classes(box: Any) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None and hasattr(element, "get") else []


def _attachments(issue: Issue) -> list[Attachment]:
    from .engine import weasyprint

    created = build_datetime(issue)
    # The bytes the issue was read from, not the files again: they may have changed or gone since. The
    # pictures' image files too, under their names in the issue's folder: the edition can be made again from
    # what it carries.
    texts = {issue.source: issue.data, **{page.source: page.data for page in issue.pages}}
    files = {**{path.name: data or path.read_bytes() for path, data in texts.items()},
             **{image.file: image.data for image in issue.images()}}
    return [
        weasyprint.Attachment(string=data, name=name, description=f"source of {issue.title}", created=created,
                   modified=created, relationship="Source")
        for name, data in files.items()
    ]


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
                # A part is read only by the join (pdf_join), which compresses what it keeps as it saves: its
                # pages' drawings once, and the faces' programs not at all, since it cuts each face again for
                # the whole issue. Compressed here, they were deflated for nothing, or twice.
                uncompressed_pdf=True,
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
