"""`publisher build`: an issue's editions; with --check, checked as `publisher check` does."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ...build import build_issue, load, printing_beside
from ...errors import display_path
from ..options import build_options


def run(args: argparse.Namespace, out: TextIO) -> int:
    options = build_options(args)
    notes: list[str] = []
    with printing_beside(options) as printer:  # WeasyPrint made ready while the issue is read
        issue = load(Path(args.issue), options)
        written = build_issue(issue, Path(args.out), options, notes=notes, printer=printer)
    for path in written:
        out.write(f"wrote {display_path(path)}\n")
    for note in notes:  # the page make-up's: a page whose copy runs over, a sheet it does not fill
        args.stderr.write(f"{note}\n")
    if args.check:
        from .check import report_check  # the checker's own stack (pdfminer, the lint) only when asked for

        editions = [path for path in written if path.suffix in (".pdf", ".epub")]
        return report_check(editions, issue, False, out)
    return 0
