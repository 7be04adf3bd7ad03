"""Model -> template context -> HTML for the print edition. Pure: no file is written.

The line breaking happens here, before the template: each paragraph arrives
at the template as lines already justified for the column width of the
layout's geometry (``publisher.cjk``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .cjk.breaking import Line, Span, set_paragraph
from .cjk.classes import CLOSING_COMPRESSIBLE
from .cjk.measure import measure
from .columns import Item, balanced_lines, fill
from .geometry import Geometry
from .layouts import environment
from .model import Article, Issue

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
DATELINE_GAP_EM = 1.0  # space between a bold dateline and the text, made by layout


@dataclass(frozen=True)
class PrintBlock:
    kind: str
    text: str
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Piece:
    """What one column holds of a block: some lines of a paragraph, a subhead, or the bylines."""

    kind: str  # "paragraph", "caption", "subhead" or "bylines"
    text: str = ""
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of an article body, placed by the toolkit: its pieces in order."""

    left: float  # pt from the body's left edge
    width: float
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class PrintArticle:
    kicker: str | None
    headline: str | None
    subheadline: str | None
    bylines: tuple[str, ...]
    blocks: tuple[PrintBlock, ...]
    lead: bool
    body_height: float  # pt: the balanced height of the body's columns
    body_columns: tuple[Column, ...]  # the body's columns, each with what it holds
    flow: bool = False  # let the renderer flow the body into CSS columns instead (a page that runs over)

    @property
    def columns(self) -> int:
        """How many columns the body is set in."""
        return len(self.body_columns)


@dataclass(frozen=True)
class PrintPage:
    label: str
    section: str
    anchor: str
    articles: tuple[PrintArticle, ...]


def date_text(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _set_blocks(article: Article, width: float, size: float) -> list[PrintBlock]:
    """The article's blocks, paragraphs broken into justified lines of ``width``."""
    blocks: list[PrintBlock] = []
    dateline_pending = article.dateline is not None
    for block in article.blocks:
        if block.kind == "subhead":
            blocks.append(PrintBlock("subhead", block.text.value))
            continue
        if block.kind == "caption":  # a photo caption: sans, unindented, on the body's grid
            lines = set_paragraph([Span(block.text.value)], width, size, indent_em=0, role="sans")
            blocks.append(PrintBlock("caption", block.text.value, tuple(lines)))
            continue
        spans = [Span(block.text.value)]
        if dateline_pending and article.dateline is not None:
            gap = _dateline_gap(article.dateline.value)
            spans.insert(0, Span(article.dateline.value, weight=700, gap_after_em=gap))
            dateline_pending = False
        blocks.append(PrintBlock("paragraph", block.text.value, tuple(set_paragraph(spans, width, size))))
    if dateline_pending and article.dateline is not None:  # a dateline with no paragraph after it
        lines = set_paragraph([Span(article.dateline.value, weight=700)], width, size)
        blocks.insert(0, PrintBlock("paragraph", article.dateline.value, tuple(lines)))
    return blocks


def _dateline_gap(dateline: str) -> float:
    """The gap after a dateline, in em. One that ends with its reporters in brackets
    (本报讯（记者 王某）) has the blank half of the closing mark already."""
    return DATELINE_GAP_EM - (0.5 if dateline[-1:] in CLOSING_COMPRESSIBLE else 0.0)


def _article(article: Article, geometry: Geometry, lead: bool) -> PrintArticle:
    """Set an article in as many columns as it fills, up to the page's.

    A short article in all the page's columns would leave the last ones
    empty, a hole in the page (and text extractors then read the column
    above the hole out of order). It is set again in fewer, wider columns
    until every column it has holds text.
    """
    bylines = tuple(b.value for b in article.bylines)
    columns = geometry.columns
    while True:
        width = geometry.column_width_for(columns)
        blocks = _set_blocks(article, width, geometry.type["body"])
        height, body_columns = _body_columns(blocks, bylines, geometry, columns)
        if len(body_columns) >= columns or columns == 1:
            break
        columns = len(body_columns)
    return PrintArticle(
        kicker=article.kicker.value if article.kicker else None,
        headline=article.headline.value if article.headline else None,
        subheadline=article.subheadline.value if article.subheadline else None,
        bylines=bylines,
        blocks=tuple(blocks),
        lead=lead,
        body_height=height,
        body_columns=body_columns,
    )


def _grid_lines(text: str, weight: int, size: float, width: float) -> int:
    """Lines a short sans text (subhead, bylines) takes in a column; a rough upper bound is enough."""
    advance = sum(measure("sans", weight).run(text)) * size
    return max(1, -int(-advance * 1.02 // width))


def _body_columns(
    blocks: list[PrintBlock], bylines: tuple[str, ...], geometry: Geometry, columns: int
) -> tuple[float, tuple[Column, ...]]:
    """The balanced height of an article body on the line grid, and the columns it then fills.

    Every paragraph line, subhead and the bylines is an item of the grid; the
    items go to the columns as a multi-column layout would fill them
    (``columns.fill``), so the renderer only places columns, it never searches.
    """
    width = geometry.column_width_for(columns)
    items: list[Item] = []
    pieces: list[tuple[int, Piece]] = []  # per item, its block's index and its piece
    for number, block in enumerate(blocks):
        if block.kind == "subhead":
            # Set on the grid: its own lines plus half a line above and below.
            lines = _grid_lines(block.text, 700, geometry.type["subhead"], width)
            items.append(Item(lines + 1, keep_with_next=True))
            pieces.append((number, Piece("subhead", block.text)))
        else:
            for line in block.lines:
                items.append(Item(1))
                pieces.append((number, Piece(block.kind, block.text, (line,))))
    if bylines:
        text = "\u3000".join(bylines)  # the gap between bylines is about one em
        items.append(Item(_grid_lines(text, 400, geometry.type["byline"], width)))
        pieces.append((len(blocks), Piece("bylines")))
    height = balanced_lines(items, columns)
    placed = fill(items, height) or []
    held: list[list[tuple[int, Piece]]] = [[] for _ in range(placed[-1] + 1 if placed else 1)]
    for (number, piece), column in zip(pieces, placed, strict=True):
        if held[column] and held[column][-1][0] == number and piece.kind in ("paragraph", "caption"):
            last = held[column][-1][1]  # the same paragraph goes on in this column
            held[column][-1] = (number, Piece(piece.kind, piece.text, last.lines + piece.lines))
        else:
            held[column].append((number, piece))
    gap = geometry.column_gap
    placed_columns = tuple(
        Column(left=index * (width + gap), width=width, pieces=tuple(piece for _, piece in column))
        for index, column in enumerate(held)
    )
    return height * geometry.line_pitch + 0.5, placed_columns  # half a point against rounding in the renderer


def flowing(pages: list[PrintPage], indices: frozenset[int]) -> list[PrintPage]:
    """The pages, those at ``indices`` with their bodies flowing into CSS columns (they run over a sheet)."""
    return [
        replace(page, articles=tuple(replace(article, flow=True) for article in page.articles))
        if index in indices else page
        for index, page in enumerate(pages)
    ]


def print_pages(issue: Issue, geometry: Geometry) -> list[PrintPage]:
    """The printed pages, every paragraph set in lines and every body in placed columns."""
    return [
        PrintPage(
            label=page.label,
            section=page.section,
            anchor=f"{index}",
            articles=tuple(
                _article(article, geometry, lead=(index == 0 and number == 0))
                for number, article in enumerate(page.articles)
            ),
        )
        for index, page in enumerate(issue.pages)
    ]


def render_print_html(
    issue: Issue,
    geometry: Geometry,
    timestamp: str,
    *,
    layout_dir: Path | None = None,
    pages: list[PrintPage] | None = None,
) -> str:
    env = environment("print", layout_dir)
    facts = {
        "title": issue.title,
        "paper": issue.paper,
        "language": issue.language,
        "publisher": issue.publisher,
        "place": issue.place,
        "issn": issue.issn,
        "edition": issue.edition,
        "number": issue.issue,
        "lunar_date": issue.lunar_date,
        "date_text": date_text(issue.date),
        "weekday": WEEKDAYS[issue.date.weekday()],
        "description": f"{issue.paper} {date_text(issue.date)}" + (f" 第{issue.issue}期" if issue.issue else ""),
        "keywords": ", ".join(dict.fromkeys(p.section for p in issue.pages)),
    }
    return env.get_template("issue.html").render(
        issue=facts,
        pages=pages if pages is not None else print_pages(issue, geometry),
        generator=f"publisher {__version__}",
        timestamp=timestamp,
    )


def render_print_css(geometry: Geometry, *, layout_dir: Path | None = None,
                     bleed: str | None = None, marks: bool = False) -> str:
    env = environment("print", layout_dir)
    return env.get_template("print.css").render(g=geometry, bleed=bleed, marks=marks)
