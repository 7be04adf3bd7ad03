"""Find a layout and build its Jinja2 environment.

A layout is a folder of templates and CSS. The project ships one per edition
kind (``layouts/print/``, ``layouts/epub/``); a user folder given with
``--layout DIR`` is searched first (``DIR/<kind>/``, then ``DIR/``), so a file
there overrides the project's file of the same name, as MkDocs themes do.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, Problem, ToolError, display_path
from .fonts import Role

if TYPE_CHECKING:
    import jinja2

    from .cjk.breaking import Line
    from .linegroups import LineGroup

LAYOUTS_DIR = Path(__file__).resolve().parent.parent / "layouts"


def search_path(kind: str, user_dir: Path | None = None) -> list[Path]:
    """The folders searched for a template or asset of ``kind``, most specific first."""
    dirs: list[Path] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise InputError([Problem(display_path(user_dir), None, "layout folder does not exist")])
        dirs += [user_dir / kind, user_dir]
    dirs.append(LAYOUTS_DIR / kind)
    return [d for d in dirs if d.is_dir()]


def environment(kind: str, user_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment for ``kind``; one per (kind, folder) and process, since
    building it and compiling its templates costs more than rendering them."""
    return _environment(kind, user_dir.resolve() if user_dir is not None else None)


@cache
def _environment(kind: str, user_dir: Path | None) -> jinja2.Environment:
    import jinja2  # here, not at the top: the batch's fingerprint imports this module for LAYOUTS_DIR alone

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search_path(kind, user_dir)),
        # Every template is markup (.html, .xhtml, .xml, .opf, .ncx): escape
        # everything, since select_autoescape() would miss .xhtml.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["bold_runs"] = _bold_runs
    env.filters["text_runs"] = _text_runs
    env.filters["needs_autospace"] = _needs_autospace
    env.filters["tcy"] = _tcy
    env.filters["upright_numbers"] = _upright_numbers
    env.filters["phrases"] = _phrases
    env.filters["line_groups"] = _line_groups
    return env


# The text filters every layout may use. Their modules are imported when a
# template first calls them: the batch's fingerprint imports this module and
# must not pay for HarfBuzz.
def _bold_runs(text: str, role: Role = "sans") -> list[tuple[str, bool]]:
    from .boldface import bold_runs

    return bold_runs(text, role)


def _text_runs(text: str, bold_role: Role | None = None) -> list[tuple[str, str]]:
    from .textruns import text_runs

    return text_runs(text, bold_role)


def _needs_autospace(text: str) -> bool:
    """Does ``text`` mix Latin and Chinese where the CJK–Latin space goes?"""
    from .textruns import text_runs

    return any(classes for _, classes in text_runs(text))


def _line_groups(lines: Sequence[Line]) -> list[LineGroup]:
    from .linegroups import group_lines

    return group_lines(lines)


def _tcy(text: str) -> list[tuple[str, bool]]:
    from .vertical import tcy_segments

    return tcy_segments(text)


def _upright_numbers(text: str) -> list[tuple[str, str]]:
    from .vertical import upright_segments

    return upright_segments(text)


def _phrases(text: str) -> list[tuple[str, str, bool]]:
    from .headlines import phrase_runs

    return phrase_runs(text)


def find_asset(kind: str, name: str, user_dir: Path | None = None) -> Path:
    """The file that ``name`` resolves to in the layout's search path."""
    for folder in search_path(kind, user_dir):
        candidate = (folder / name).resolve()
        # A name is relative to the layout: "../x" must not reach out of it.
        if candidate.is_relative_to(folder.resolve()) and candidate.is_file():
            return candidate
    raise ToolError(f"layout file {name!r} not found for {kind!r} layout (searched {_shown(kind, user_dir)})")


def read_asset(kind: str, name: str, user_dir: Path | None = None) -> bytes:
    """The bytes of a layout asset (a stylesheet, an image), user folder first."""
    return find_asset(kind, name, user_dir).read_bytes()


def _shown(kind: str, user_dir: Path | None) -> str:
    return ", ".join(display_path(d) for d in search_path(kind, user_dir))
