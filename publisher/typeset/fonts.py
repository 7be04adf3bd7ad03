"""Font roles, their fallback chains, and where fontconfig finds each face.

The roles are declared in ``fonts/fonts.toml``; this module resolves them to
files through fontconfig (``fc-match``), because the Debian Noto CJK files are
collections whose first face is Japanese: the Simplified Chinese face is found
by family name, with its index inside the collection.
"""

from __future__ import annotations

import subprocess
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from ..errors import ToolError, install_hint, missing_tool
from ..resources import FONTS_DIR

Role = Literal["serif", "sans"]


@dataclass(frozen=True)
class FontFace:
    """One face of a family at one weight, as a file and an index in it."""

    family: str
    weight: int
    path: Path
    index: int


@dataclass(frozen=True)
class RoleChain:
    """A role (serif, sans) and the faces tried in order for each character."""

    role: str
    families: tuple[str, ...]
    weights: tuple[int, ...]


@cache
def roles() -> dict[str, RoleChain]:
    data = tomllib.loads((FONTS_DIR / "fonts.toml").read_text(encoding="utf-8"))
    return {
        name: RoleChain(name, tuple(spec["families"]), tuple(spec["weights"]))
        for name, spec in data["roles"].items()
    }


def _style(weight: int) -> str:
    return "Bold" if weight >= 700 else "Regular"


def _fc_match(family: str, weight: int) -> subprocess.Popen[str]:
    try:
        return subprocess.Popen(
            ["fc-match", "--format=%{family}\n%{file}\n%{index}\n%{weight}", f"{family}:style={_style(weight)}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
    except OSError as exc:
        raise missing_tool("fontconfig", None if isinstance(exc, FileNotFoundError) else str(exc)) from exc


def _face(family: str, weight: int, process: subprocess.Popen[str]) -> FontFace:
    out, err = process.communicate()
    if process.returncode != 0:
        raise missing_tool("fontconfig", err.strip())
    families, file, index, _ = out.split("\n")
    if family not in families.split(","):
        raise ToolError(f"font family {family!r} is not installed; {_font_hint(family)}")
    return FontFace(family=family, weight=weight, path=Path(file), index=int(index))


def _font_hint(family: str) -> str:
    """How to install a family: the Debian package of the project's own, else where to look."""
    if family.startswith("Noto ") and " CJK " in family:
        return install_hint("noto-cjk")
    if family.startswith("HanaMin"):
        return install_hint("hanazono")
    return "fontconfig does not find it (`fc-list : family` lists the families it does)"


_FOUND: dict[tuple[str, int], FontFace] = {}


def find_face(family: str, weight: int = 400) -> FontFace:
    """Resolve a family and weight with fontconfig; error if the family is not installed."""
    if (family, weight) not in _FOUND:
        _FOUND[family, weight] = _face(family, weight, _fc_match(family, weight))
    return _FOUND[family, weight]


def find_faces(wanted: list[tuple[str, int]]) -> None:
    """Resolve many faces at once: the fc-match processes run side by side.

    Every build and every batch run resolves all roles; one fc-match after the
    other was a third of an unchanged batch re-run.
    """
    pending = [(family, weight) for family, weight in dict.fromkeys(wanted) if (family, weight) not in _FOUND]
    started: list[tuple[str, int, subprocess.Popen[str]]] = []
    try:
        for family, weight in pending:
            started.append((family, weight, _fc_match(family, weight)))
        for family, weight, process in started:
            _FOUND[family, weight] = _face(family, weight, process)
    except BaseException:
        # Ctrl-C or a failed lookup: no fc-match is left running (or unreaped) after the build.
        for _, _, process in started:
            process.kill()
            process.wait()
        raise


def all_faces() -> list[tuple[str, RoleChain, int, list[FontFace]]]:
    """Every role at every weight it is used in, with its chain, resolved together."""
    wanted = [(role, spec, weight) for role, spec in sorted(roles().items()) for weight in sorted({400, *spec.weights})]
    find_faces([(family, weight if i == 0 else 400) for _, spec, weight in wanted
                for i, family in enumerate(spec.families)])
    return [(role, spec, weight, chain(role, weight)) for role, spec, weight in wanted]  # type: ignore[arg-type]


def chain(role: Role, weight: int = 400) -> list[FontFace]:
    """The faces of a role, first the designed face, then the fallbacks.

    A fallback family without the asked weight gives its regular face: the PDF
    then shows that rare character regular, never a synthesized bold.
    """
    return [find_face(family, weight if i == 0 else 400) for i, family in enumerate(roles()[role].families)]


def primary(role: Role, weight: int = 400) -> FontFace:
    return find_face(roles()[role].families[0], weight)
