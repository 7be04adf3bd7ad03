"""Model -> template context -> HTML for the print edition. Pure: no file is written.

The page is made up before the template (``publisher.typeset.makeup``): every
paragraph arrives at the template as lines already justified for the grid's
column width, every article as a block already placed on its sheet.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from ..model import Issue
from ..templates import environment
from ..typeset.geometry import Geometry
from ..typeset.makeup import MadeUpSheet, make_up
from .filters import PRINT_FILTERS
from .pdf_lines import HEAD_PLACEHOLDER, PLACEHOLDER


def print_sheets(issue: Issue, geometry: Geometry) -> list[MadeUpSheet]:
    """The sheets of the print edition: every printed page made up, in print order."""
    return make_up(issue.pages, geometry)


def render_print_html(
    issue: Issue,
    geometry: Geometry,
    timestamp: str,
    *,
    layout: Path | None = None,
    sheets: list[MadeUpSheet] | None = None,
    tagged: bool = False,
) -> str:
    """The issue's HTML; ``tagged`` for a PDF with a structure tree, where each paragraph keeps a placeholder of
    its own (it becomes a paragraph of the structure, ``publisher.print.pdf_lines``)."""
    env = environment("print", layout, PRINT_FILTERS)
    facts = {
        **issue.metadata(),  # every field of issue.yaml under its own name (model.METADATA)
        "title": issue.title,
        "number": issue.issue,  # `issue.issue` would read oddly in the templates
        "date_text": issue.date_text,
        "weekday": issue.weekday,
        "description": f"{issue.paper} {issue.date_text}" + (f" 第{issue.issue}期" if issue.issue else ""),
        "keywords": ", ".join(dict.fromkeys(p.section for p in issue.pages)),
    }
    return env.get_template("issue.html").render(
        issue=facts,
        sheets=sheets if sheets is not None else print_sheets(issue, geometry),
        g=geometry,
        generator=f"publisher {__version__}",
        timestamp=timestamp,
        set_lines_src=PLACEHOLDER,
        set_head_src=HEAD_PLACEHOLDER,
        tagged=tagged,
    )


def render_print_css(geometry: Geometry, *, layout: Path | None = None,
                     bleed: str | None = None, marks: bool = False) -> str:
    env = environment("print", layout, PRINT_FILTERS)
    return env.get_template("print.css").render(g=geometry, bleed=bleed, marks=marks)


def compile_print_templates(layout: Path | None = None) -> None:
    """Compile the print templates (issue.html, every template it names, print.css) in this process.

    Called before the parts' workers are forked: each would otherwise compile
    them for itself, a third of a millisecond per line of template (0.05 s).
    A template that cannot be loaded or compiled is left to the worker that
    renders it, which reports it as it always has.
    """
    import jinja2
    from jinja2 import meta

    env = environment("print", layout, PRINT_FILTERS)
    pending, seen = ["issue.html", "print.css"], set()
    while pending and env.loader is not None:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            env.get_template(name)  # compiled, and kept in the environment's cache
            source, _, _ = env.loader.get_source(env, name)
            pending += [named for named in meta.find_referenced_templates(env.parse(source)) if named]
        except jinja2.TemplateError:
            continue
