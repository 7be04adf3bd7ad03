"""`publisher parse`: one raw page file's articles as JSON, or the role given to each line and why."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from ...errors import display_path
from ...ingest.explain import explain
from ...ingest.images import Shelf
from ...ingest.parse import article_json, read_page
from ...ingest.sources import ON_COMMAND_LINE
from ...ingest.sources import read_page as read_source


def run(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.page)
    folder = Path(args.folder) if args.folder else path.absolute().parent
    parsed = read_page(read_source(path, args.encoding, if_gb18030=ON_COMMAND_LINE), display_path(path),
                       Shelf(folder))
    if args.explain:
        out.write("".join(line + "\n" for line in explain(parsed)))
        return 0
    json.dump({"articles": [article_json(a) for a in parsed.articles]}, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0
