"""The EPUB's CPU inside a build: the median of a few fresh processes.

    python -m bench.epub_cpu ISSUE.yaml [--runs 5] [--vertical] [--traditional]

Each run is a new interpreter that first does what a build does before it
writes the EPUB (reads the issue, checks its fonts' coverage and the layout's
settings), then measures the CPU time of importing the EPUB writer and
writing the book, as ``build`` does in the process it forks for the EPUB
beside the make-up (or first, with one job). A fresh process per run, so the
per-process costs (imports, the templates' compilation, the word dictionary)
are counted as a build pays them. Compare two trees by running this from
each, alternately.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure_once(issue_path: Path, out: Path, vertical: bool, traditional: bool) -> float:
    """In this process: the CPU seconds the EPUB takes once the build's earlier steps are done."""
    from publisher import build
    from publisher.timestamps import build_datetime
    from publisher.typeset.coverage import check_coverage
    from publisher.typeset.geometry import load_geometry

    issue = build.load(issue_path)
    check_coverage(issue)
    load_geometry(issue.page_size, issue.layout)
    started = time.process_time()
    from publisher.epub.book import write_epub

    write_epub(issue, out, layout=issue.layout, vertical=vertical, traditional=traditional, covered=True,
               modified=build_datetime(issue))
    return time.process_time() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.epub_cpu", description=__doc__.split("\n")[0])
    parser.add_argument("issue", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vertical", action="store_true")
    parser.add_argument("--traditional", action="store_true")
    parser.add_argument("--once", type=Path, help=argparse.SUPPRESS)  # a run: write here, print the CPU
    args = parser.parse_args(argv)
    if args.once is not None:
        print(json.dumps(measure_once(args.issue, args.once, args.vertical, args.traditional)))
        return 0
    flags = [flag for flag, on in (("--vertical", args.vertical), ("--traditional", args.traditional)) if on]
    seconds = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.runs):
            command = [sys.executable, "-m", "bench.epub_cpu", str(args.issue.resolve()), *flags,
                       "--once", str(Path(folder) / "book.epub")]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            seconds.append(float(json.loads(output.splitlines()[-1])))
    print("EPUB CPU (s):", " ".join(f"{s:.3f}" for s in seconds), f"median {statistics.median(seconds):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
