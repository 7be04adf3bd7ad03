"""build(): one issue in, its editions out. Reads like the pipeline it runs.

First everything is read and checked (the issue, every page, the options,
font coverage), so that a bad input stops the build before any file is
written; then each edition is rendered and written atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, Problem
from .output import write_atomic
from .print_options import PrintOptions, check_options

if TYPE_CHECKING:
    from .model import Issue

# The model and the parser are imported where they are used: the batch
# imports this module for BuildOptions alone, and an unchanged re-run should
# not pay for them.


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how; the defaults build every edition."""

    json: bool = True
    pdf: bool = True
    epub: bool = True
    layout: Path | None = None
    print: PrintOptions = field(default_factory=PrintOptions)
    vertical: bool = False  # the EPUB in vertical writing (竖排)
    traditional: bool = False  # the EPUB converted to Traditional Chinese
    # The EPUB's dcterms:modified is the issue's build date (timestamps.build_datetime)
    # instead of the clock, so that the editions rebuild byte for byte: a
    # preservation package promises that.
    reproducible: bool = False


def edition_paths(issue: Issue, out_dir: Path, options: BuildOptions) -> dict[str, Path]:
    """The file each requested edition is written to."""
    suffix = ("-vertical" if options.vertical else "") + ("-zh-Hant" if options.traditional else "")
    paths = {}
    if options.json:
        paths["json"] = out_dir / f"{issue.slug}.json"
    if options.pdf:
        paths["pdf"] = out_dir / f"{issue.slug}.pdf"
    if options.epub:
        paths["epub"] = out_dir / f"{issue.slug}{suffix}.epub"
    return paths


def issue_json(issue: Issue) -> dict[str, object]:
    from .parse import article_json

    return {
        "paper": issue.paper,
        "date": issue.date.isoformat(),
        "issue": issue.issue,
        "language": issue.language,
        "publisher": issue.publisher,
        "place": issue.place,
        "issn": issue.issn,
        "lccn": issue.lccn,
        "edition": issue.edition,
        "lunar_date": issue.lunar_date,
        "pages": [
            {
                "number": page.label,
                "section": page.section,
                "file": page.source.name,
                "articles": [article_json(article) for article in page.articles],
            }
            for page in issue.pages
        ],
    }


def write_json(issue: Issue, out: Path) -> Path:
    text = json.dumps(issue_json(issue), ensure_ascii=False, indent=2) + "\n"
    return write_atomic(out, text.encode("utf-8"))


def build(issue_path: Path, out_dir: Path, options: BuildOptions | None = None) -> list[Path]:
    """Build the editions of one issue into ``out_dir``; return the files written."""
    from .config import load_issue

    options = options or BuildOptions()
    if problems := check_options(options.print):
        raise InputError([Problem("command line", None, message) for message in problems])

    # Gather and check everything first: nothing is written for a bad issue.
    issue = load_issue(issue_path, layout=options.layout)
    from .coverage import check_coverage  # HarfBuzz, loaded only when there is an issue to build

    check_coverage(issue)
    if options.pdf:
        from .geometry import load_geometry

        load_geometry(issue.page_size, issue.layout)  # the layout's settings, checked before anything is written
    paths = edition_paths(issue, out_dir, options)
    print_options = PrintOptions(
        layout_dir=issue.layout,
        variant=options.print.variant,
        attach_sources=options.print.attach_sources,
        bleed=options.print.bleed,
        marks=options.print.marks,
    )
    from .pdf import plan

    sheets = plan(issue, print_options) if "pdf" in paths else None  # the page make-up, whose hints can be wrong

    # Then write each edition, atomically.
    written: list[Path] = []
    if "json" in paths:
        written.append(write_json(issue, paths["json"]))
    if "pdf" in paths:
        from .pdf import write_pdf

        written.append(write_pdf(issue, paths["pdf"], print_options, sheets))
    if "epub" in paths:
        from .epub import write_epub
        from .timestamps import build_datetime

        written.append(write_epub(issue, paths["epub"], layout_dir=issue.layout, vertical=options.vertical,
                                  traditional=options.traditional, covered=True,
                                  modified=build_datetime(issue) if options.reproducible else None))
    return written
