"""Model -> template context -> HTML for the print edition. Pure: no file is written.

The line breaking happens here, before the template: each paragraph arrives
at the template as lines already justified for the column width of the
layout's geometry (``publisher.cjk``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .cjk.breaking import Line, Span, set_paragraph
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
class PrintArticle:
    kicker: str | None
    headline: str | None
    subheadline: str | None
    bylines: tuple[str, ...]
    blocks: tuple[PrintBlock, ...]
    lead: bool


@dataclass(frozen=True)
class PrintPage:
    label: str
    section: str
    anchor: str
    articles: tuple[PrintArticle, ...]


def date_text(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _article(article: Article, geometry: Geometry, lead: bool) -> PrintArticle:
    size = geometry.type["body"]
    width = geometry.column_width
    blocks: list[PrintBlock] = []
    dateline_pending = article.dateline is not None
    for block in article.blocks:
        if block.kind == "subhead":
            blocks.append(PrintBlock("subhead", block.text.value))
            continue
        spans = [Span(block.text.value)]
        if dateline_pending and article.dateline is not None:
            spans.insert(0, Span(article.dateline.value, weight=700, gap_after_em=DATELINE_GAP_EM))
            dateline_pending = False
        lines = set_paragraph(spans, width, size)
        blocks.append(PrintBlock("paragraph", block.text.value, tuple(lines)))
    if dateline_pending and article.dateline is not None:  # a dateline with no paragraph after it
        blocks.insert(0, PrintBlock("paragraph", article.dateline.value,
                                    tuple(set_paragraph([Span(article.dateline.value, weight=700)], width, size))))
    return PrintArticle(
        kicker=article.kicker.value if article.kicker else None,
        headline=article.headline.value if article.headline else None,
        subheadline=article.subheadline.value if article.subheadline else None,
        bylines=tuple(b.value for b in article.bylines),
        blocks=tuple(blocks),
        lead=lead,
    )


def print_pages(issue: Issue, geometry: Geometry) -> list[PrintPage]:
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
