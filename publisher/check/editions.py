"""`publisher check`: validate built editions and report findings with stable codes.

The editions are read back as a reader or an archive would get them; nothing of
the build is trusted. Given the issue, the text of each edition is compared with
the source, and the PDF's lines are measured against the layout's column width.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..model import Issue
from ..typeset.geometry import load_geometry
from .epub_audit import audit_epub
from .findings import CheckReport, EditionReport
from .pdf_audit import audit_pdf

EDITION_SUFFIXES = (".pdf", ".epub", ".xml")  # .xml: an issue's METS document and the archive files it lists


def check_editions(
    editions: Sequence[Path],
    issue: Issue | None = None,
    *,
    shown: Callable[[Path], str] = display_path,
) -> CheckReport:
    """Check every edition; raise InputError (nothing checked) if one is missing or of an unknown kind."""
    problems = []
    for path in editions:
        if path.suffix.lower() not in EDITION_SUFFIXES:
            problems.append(Problem(shown(path), None, "not an edition: expected a .pdf or .epub file, "
                                    "or the METS document (.xml) of a package"))
        elif not path.exists():
            problems.append(Problem(shown(path), None, "edition not found"))
        elif not path.is_file():
            problems.append(Problem(shown(path), None, "not a regular file (a folder, a pipe or a device)"))
    if problems:
        raise InputError(problems)
    # Every block's body is set in columns of the grid's width (publisher/typeset/makeup.py), so that is the
    # width the lint measures lines against. The layout's line-break level too: without the issue,
    # clreq's strict level, the default.
    geometry = load_geometry(issue.page_size, issue.layout) if issue is not None else None
    widths = (geometry.column_width,) if geometry is not None else None
    level = geometry.line_break if geometry is not None else "strict"
    reports: list[EditionReport] = []
    for path in editions:
        if path.suffix.lower() == ".pdf":
            reports.append(audit_pdf(path, shown(path), issue, column_widths=widths, level=level))
        elif path.suffix.lower() == ".xml":
            from .alto_audit import audit_archive

            reports.append(audit_archive(path, shown(path), issue))
        else:
            reports.append(audit_epub(path, shown(path), issue))
    return CheckReport(tuple(reports))


def report_json(report: CheckReport) -> bytes:
    """The report as UTF-8 JSON: stable key order, so the same editions give the same bytes."""
    return (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
