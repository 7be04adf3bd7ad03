"""`publisher batch`: every issue under a folder, then the catalogue of what was built.

Imported for an unchanged re-run too: it imports no typesetting, and the
catalogue's writer (lxml, Jinja, Pillow) only when the catalogue is behind.
"""

from __future__ import annotations

import argparse
import importlib
import os
from pathlib import Path
from typing import TextIO

from ...batch import BatchOptions, report, run_batch
from ...epub.shelf_stamp import current
from ...errors import InputError, Problem
from ...limits import JOBS_PER_CPU
from ..options import build_options


def run(args: argparse.Namespace, out: TextIO) -> int:
    result = run_batch(Path(args.root), Path(args.out), batch_options(args), args.stderr)
    report(result, out, args.stderr)
    if any(outcome.status != "failed" for outcome in result.outcomes) and not current(Path(args.out))[0]:
        # The shelf of everything built so far, this run's issues too (left as it is when nothing changed).
        importlib.import_module(f"{__package__}.catalog").write(Path(args.out), out)
    return 1 if result.failed else 0


def batch_options(args: argparse.Namespace) -> BatchOptions:
    cpus = os.cpu_count() or 1
    jobs = args.issue_jobs
    if jobs is not None and jobs > JOBS_PER_CPU * cpus:  # fewer than one: run_batch says so
        raise InputError([Problem("command line", None, f"--jobs {jobs}: at most {JOBS_PER_CPU * cpus} "
                                  f"({JOBS_PER_CPU} a CPU)")])
    return BatchOptions(
        build=build_options(args),
        jobs=jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        check=args.check,
        package=args.package,
        force=args.force,
        time_limit=args.time_limit,
    )
