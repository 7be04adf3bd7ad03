"""Input problems, reported to the user as ``file:line: message``.

Every stage collects the problems it finds and raises them together, so the
user fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# What must not reach a terminal as it is: control characters (an escape
# sequence in a file name could rewrite the screen) and the bidi controls
# that reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with control and bidi characters shown as escapes (``\\x1b``, ``\\u202e``)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


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
        return printable(f"{where}: {self.message}")


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


@dataclass(frozen=True)
class Tool:
    """Something outside Python a command runs on, and what installs it."""

    what: str  # as messages name it
    debian: tuple[str, ...]  # the Debian (and Ubuntu) packages that bring it
    target: str  # the make target that installs those packages in a checkout


# The message for a missing tool must help whoever installed the toolkit, with pip as well as
# from a checkout; the Makefile installs the same packages (a test holds the two lists together).
TOOLS = {
    "fontconfig": Tool("fontconfig (fc-match)", ("fontconfig", "fonts-noto-cjk", "fonts-hanazono"), "edition"),
    "noto-cjk": Tool("the Noto CJK fonts", ("fonts-noto-cjk",), "edition"),
    "hanazono": Tool("the HanaMin fonts (CJK Extension B)", ("fonts-hanazono",), "edition"),
    "pdftoppm": Tool("pdftoppm (poppler-utils)", ("poppler-utils",), "setup"),
    "pdftotext": Tool("pdftotext (poppler-utils)", ("poppler-utils",), "setup"),
    "java": Tool("Java (epubcheck runs on it)", ("default-jre-headless",), "setup"),
}


def install_hint(tool: str) -> str:
    """How to install ``tool``: its Debian packages, and the make target that does it in a checkout."""
    packages, target = " ".join(TOOLS[tool].debian), TOOLS[tool].target
    return f"install it with `apt-get install {packages}` (Debian, Ubuntu), or `make {target}` in a checkout"


def missing_tool(tool: str, detail: str | None = None) -> ToolError:
    """The error for a tool that is not installed (or, with ``detail``, not usable)."""
    state = f"is not usable: {detail}" if detail else "is not installed"
    return ToolError(f"{TOOLS[tool].what} {state}; {install_hint(tool)}")


SHOWN_PROBLEMS = 100  # a file of 20,000 unknown keys gets this many lines, then a count


def shown_problems(problems: list[str]) -> list[str]:
    """The problems to print: all of them up to SHOWN_PROBLEMS, then how many more there are."""
    if len(problems) <= SHOWN_PROBLEMS:
        return problems
    return [*problems[:SHOWN_PROBLEMS], f"… and {len(problems) - SHOWN_PROBLEMS} more problems"]


def folder_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a folder ("does not exist", "is not a folder"), or None."""
    if path.is_dir():
        return None
    return "is not a folder" if path.exists() or path.is_symlink() else "does not exist"


def display_path(path: Path) -> str:
    """A path as the user should read it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere; or a loop of links, a vanished working folder
        return str(path)
