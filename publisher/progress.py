"""Progress of a batch on stderr, and its summary table.

On a terminal one line is redrawn in place (issues done, pages per second,
time left); anywhere else (a log file, CI) each finished issue gets its own
line, since carriage returns make logs unreadable. Folder names are shown
with control characters escaped: a name cannot set the terminal's title or
forge a progress line.

The summary says what the run did in words, true on a re-run that built
nothing too: ``3 issues unchanged, 1 failed as before``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TextIO

from .errors import printable

Status = Literal["built", "skipped", "failed"]
_BAR = 24


@dataclass(frozen=True)
class Done:
    """What the progress display needs to know about a finished issue."""

    name: str
    status: Status
    pages: int
    seconds: float
    before: bool = False  # failed, reported from the manifest: unchanged since it failed so
    stale: bool = False  # failed, and the editions of its last good build are kept


class Progress:
    def __init__(self, stream: TextIO, issues: int, pages: int, *, tty: bool | None = None) -> None:
        self.stream = stream
        self.issues = issues
        self.pages = pages
        self.tty = stream.isatty() if tty is None else tty
        self.started = time.perf_counter()
        self.done = 0
        self.pages_done = 0

    def update(self, done: Done) -> None:
        self.done += 1
        self.pages_done += done.pages
        if self.tty:
            self.stream.write("\r" + self.line())
        else:
            self.stream.write(f"[{self.done}/{self.issues}] {done.status} {printable(done.name)} "
                              f"({done.pages} page{'' if done.pages == 1 else 's'}, {done.seconds:.1f} s)\n")
        self.stream.flush()

    def line(self) -> str:
        elapsed = time.perf_counter() - self.started
        rate = self.pages_done / elapsed if elapsed > 0 else 0.0
        left = (self.pages - self.pages_done) / rate if rate > 0 else None
        filled = _BAR * self.done // self.issues if self.issues else _BAR
        eta = _clock(left) if left is not None else "--:--"
        return (f"[{'#' * filled}{'.' * (_BAR - filled)}] {self.done}/{self.issues} issues  "
                f"{rate:.2f} pages/s  {eta} left ")

    def close(self) -> None:
        if self.tty and self.issues:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def summary_table(outcomes: Sequence[Done], wall: float) -> str:
    """Issues, pages and build time by status, and the run's throughput."""
    rows = [("status", "issues", "pages", "seconds")]
    for status in ("built", "skipped", "failed"):
        chosen = [o for o in outcomes if o.status == status]
        seconds = sum(o.seconds for o in chosen)
        rows.append((status, str(len(chosen)), str(sum(o.pages for o in chosen)),
                     f"{seconds:.1f}" if status != "skipped" else "-"))
    built_pages = sum(o.pages for o in outcomes if o.status == "built")
    rate = built_pages / wall if wall > 0 else 0.0
    rows.append(("total", str(len(outcomes)), str(sum(o.pages for o in outcomes)), f"{wall:.1f} wall"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths,
                                                                                                    strict=True)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(summary(outcomes, rate))
    return "\n".join(lines) + "\n"


def summary(outcomes: Sequence[Done], rate: float) -> str:
    """What the run did, in words: ``2 issues built (4 pages, 1.20 pages/s), 1 unchanged, 1 failed as before``."""
    def issues(count: int) -> str:
        return f"{count} issue{'' if count == 1 else 's'}"

    built = [o for o in outcomes if o.status == "built"]
    unchanged = sum(1 for o in outcomes if o.status == "skipped")
    failed = [o for o in outcomes if o.status == "failed"]
    again = sum(1 for o in failed if o.before)
    parts = []
    if built:
        pages = sum(o.pages for o in built)
        parts.append(f"built ({pages} page{'' if pages == 1 else 's'}, {rate:.2f} pages/s)")
        parts[-1] = f"{len(built)} " + parts[-1]
    if unchanged:
        parts.append(f"{unchanged} unchanged")
    if len(failed) > again:
        parts.append(f"{len(failed) - again} failed")
    if again:
        parts.append(f"{again} failed as before")
    if not parts:
        return "no issue"
    first, _, rest = parts[0].partition(" ")
    parts[0] = f"{issues(int(first))} {rest}"
    stale = sum(1 for o in failed if o.stale)
    kept = (f"; {issues(stale)} keep the editions of the last good build, marked stale in the manifest and the "
            "catalogue") if stale else ""
    return ", ".join(parts) + kept
