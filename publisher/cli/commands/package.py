"""`publisher package`: one issue's BagIt preservation package, written only if its editions pass the check."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ...archive.package import CheckFailed, package
from ...errors import display_path
from ...ingest.issue_yaml import load_issue
from ..options import layout


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        bag = package(load_issue(Path(args.issue), layout=layout(args)), Path(args.out))
    except CheckFailed as failed:
        out.write(failed.report.to_text())
        args.stderr.write(f"{failed}\n")
        return failed.exit_code
    out.write(f"wrote {display_path(bag)}\n")
    return 0
