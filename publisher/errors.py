"""Input problems, reported to the user as ``file:line: message``.

Every stage collects the problems it finds and raises them together, so the
user fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    file: str
    line: int | None
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class InputError(Exception):
    """Bad input: the CLI prints each problem on its own line and exits non-zero."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # Raised in a worker process (a part of the print layout), it crosses back whole.
        return type(self), (self.problems,)


class ToolError(Exception):
    """A required external tool (fonts, Java, epubcheck) is missing or failed."""

    exit_code = 3


def display_path(path: Path) -> str:
    """A path as the user should read it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
