"""`publisher catalog`: the OPDS feed and the page of covers of the editions under a folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ...epub.shelf import write_catalogue
from ...epub.shelf_stamp import FEED, PAGE
from ...errors import display_path, printable


def run(args: argparse.Namespace, out: TextIO) -> int:
    write(Path(args.folder), out)
    return 0


def write(folder: Path, out: TextIO) -> None:
    """The catalogue of ``folder``; its feed and page named on ``out``."""
    for path in write_catalogue(folder):
        if path.name in (FEED, PAGE):
            out.write(f"wrote {printable(display_path(path))}\n")
