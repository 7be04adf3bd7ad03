"""Measure `publisher batch`: --jobs 1 against --jobs N, and a second (incremental) run.

    python -m bench.batch_speedup --issues 12 --pages 2 --jobs 2 [--check]

Writes a synthetic archive into a temporary folder, builds it from scratch
with one worker and with N, then runs again with nothing changed, and prints
wall times, the speed-up and the second run's share of the first. The load
average is printed too: on a shared machine it explains a poor speed-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import tempfile
import time
from pathlib import Path

from bench.synthetic import make_issue
from publisher.cli import main as publisher


def run(root: Path, out: Path, jobs: int, check: bool) -> float:
    args = ["batch", str(root), "--out", str(out), "--jobs", str(jobs)] + (["--check"] if check else [])
    started = time.perf_counter()
    code = publisher(args, stdout=io.StringIO(), stderr=io.StringIO())
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"batch failed (exit {code})")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--issues", type=int, default=12)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--check", action="store_true", help="check every issue too (epubcheck, lint, fidelity)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        root = Path(tmp) / "archive"
        for n in range(args.issues):
            day = dt.date(2022, 11, 1) + dt.timedelta(days=n)
            make_issue(root / f"{day:%Y/%m/%d}", pages=args.pages, seed=n, date=day.isoformat())
        pages = args.issues * args.pages
        load = os.getloadavg()[0]
        one = run(root, Path(tmp) / "out-1", 1, args.check)
        many = run(root, Path(tmp) / "out-n", args.jobs, args.check)
        again = run(root, Path(tmp) / "out-n", args.jobs, args.check)
    print(f"{args.issues} issues x {args.pages} pages ({pages} pages), check={args.check}, "
          f"{os.cpu_count()} CPUs, load average at start {load:.2f}")
    print(f"--jobs 1: {one:.1f} s ({pages / one:.2f} pages/s)")
    print(f"--jobs {args.jobs}: {many:.1f} s ({pages / many:.2f} pages/s), speed-up {one / many:.2f}x")
    print(f"second run, nothing changed: {again:.2f} s = {again / many:.1%} of the first")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
