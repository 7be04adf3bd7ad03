"""Measure an unchanged `publisher batch` re-run against Python's own start-up.

    python -m bench.noop_rerun [--issues 4] [--repeat 9]

An archive of a few one-page issues, one of them failing on its own input,
is built twice (the second run stamps the inputs it fingerprinted afresh);
then the same batch is run again and again, nothing changed, each time beside
`python -c pass` in the same loop. Printed: the medians (wall, in separate
processes as a user runs them), their ratio, and the load average, which
explains a slow figure on a shared machine. Issue 26's goal: under 0.1 s,
whatever failed before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.synthetic import make_issue

BIN = Path(sys.executable).parent
SETTLE = 2.1  # s: inputs written more recently than the stamps' settling time are fingerprinted again


def _wall(argv: list[str], ok: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in ok:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return wall


def measure(work: Path, issues: int = 4, repeat: int = 9) -> dict[str, Any]:
    """Medians of ``repeat`` unchanged re-runs and of as many ``python -c pass``, run alternately."""
    archive = work / "noop-archive"
    for n in range(issues):
        day = dt.date(2022, 11, 1) + dt.timedelta(days=n)
        path = make_issue(archive / day.isoformat(), pages=1, seed=n, date=day.isoformat())
        if n == issues - 1:  # one issue fails on its own input, and keeps failing
            path.write_text(path.read_text(encoding="utf-8").replace(f"date: {day.isoformat()}", "date: 2022-13-01"),
                            encoding="utf-8")
    publisher = str(BIN / "publisher")
    command = [publisher, "batch", str(archive), "--out", str(work / "noop-out")]
    _wall(command, ok=(1,))
    time.sleep(SETTLE)
    _wall(command, ok=(1,))
    load = os.getloadavg()[0]
    noop, python = [], []
    for _ in range(repeat):
        python.append(_wall([sys.executable, "-c", "pass"]))
        noop.append(_wall(command, ok=(1,)))
    return {"issues": issues, "failing": 1, "repeat": repeat, "load": load, "noop": noop, "python": python,
            "noop_wall": statistics.median(noop), "python_wall": statistics.median(python),
            "ratio": statistics.median(noop) / statistics.median(python)}


def note(result: dict[str, Any]) -> str:
    wall = result["noop_wall"]
    return (f"unchanged batch re-run ({result['issues']} issues, {result['failing']} failing as before; median of "
            f"{result['repeat']}, load {result['load']:.2f}): {wall * 1000:.0f} ms wall, {result['ratio']:.1f}x "
            f"`python -c pass` ({result['python_wall'] * 1000:.0f} ms) (target < 100 ms: "
            f"{'met' if wall < 0.1 else 'NOT met'})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--issues", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="noop-bench-") as tmp:
        result = measure(Path(tmp), args.issues, args.repeat)
    print(note(result))
    print("re-runs (ms):", " ".join(f"{w * 1000:.0f}" for w in result["noop"]))
    print("python -c pass (ms):", " ".join(f"{w * 1000:.0f}" for w in result["python"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
