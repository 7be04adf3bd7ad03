"""`publisher check`: built editions (or a package's METS) checked, the report on standard output."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ...check.editions import check_editions, report_json
from ...errors import InputError, Problem
from ...ingest.issue_yaml import load_issue
from ...model import Issue
from ..options import layout


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.layout and not args.issue:
        # The layout is read only to measure the editions against their issue: alone it would do nothing.
        raise InputError([Problem("command line", None, "--layout is the layout the editions were built with: "
                                  "give their issue too (--issue ISSUE.yaml)")])
    issue = load_issue(Path(args.issue), layout=layout(args)) if args.issue else None
    return report_check([Path(e) for e in args.editions], issue, args.json, out)


def report_check(editions: list[Path], issue: Issue | None, as_json: bool, out: TextIO) -> int:
    """The check's report on ``out``; the exit code: 1 when it found an error."""
    report = check_editions(editions, issue)
    out.write(report_json(report).decode("utf-8") if as_json else report.to_text())
    return 0 if report.passed else 1
