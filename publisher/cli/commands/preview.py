"""`publisher preview`: the printed pages as PNG images, for proofreading."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ...errors import display_path
from ...preview import preview
from ..options import build_options


def run(args: argparse.Namespace, out: TextIO) -> int:
    for path in preview(Path(args.issue), Path(args.out), build_options(args), dpi=args.dpi):
        out.write(f"wrote {display_path(path)}\n")
    return 0
