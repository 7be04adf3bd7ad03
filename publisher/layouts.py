"""The layout folders: where a layout's files are found, and reading them within bounds.

A layout is a folder of templates, CSS, images and layout.toml. The project
ships one per edition kind (``layouts/print/``, ``layouts/epub/``); a user
folder given with ``--layout DIR`` is searched first (``DIR/<kind>/``, then
``DIR/``), so a file there overrides the project's file of the same name, as
MkDocs themes do. A user's or an issue's layout folder is not trusted: a name
stays inside its folder and a file is read as ``untrusted`` reads one, up to
``limits.LAYOUT_FILE_BYTES``.

This module sits below ``typeset`` (layout.toml) and ``templates`` (the
Jinja loader), which both read layout files through it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError, Problem, ToolError, display_path, folder_problem
from .limits import LAYOUT_DEPTH, LAYOUT_FILE_BYTES, LAYOUT_FILES
from .resources import LAYOUTS_DIR
from .untrusted import Refused, read_regular

# What a layout is made of. Only such files are loaded (templates, CSS,
# images, fonts) and only they are hashed into a batch's fingerprints, so
# that whatever else lies in a layout folder is neither read nor hashed.
LAYOUT_SUFFIXES = (".html", ".xhtml", ".xml", ".ncx", ".opf", ".css", ".toml", ".svg", ".png", ".jpg", ".jpeg",
                   ".gif", ".webp", ".otf", ".ttf", ".woff", ".woff2")


def search_path(kind: str, layout: Path | None = None) -> list[Path]:
    """The folders searched for a template or asset of ``kind``, most specific first."""
    dirs: list[Path] = []
    if layout is not None:
        if (problem := folder_problem(layout)) is not None:
            raise InputError([Problem(display_path(layout), None, f"layout folder {problem}")])
        layout = layout.resolve()
        dirs += [layout / kind, layout]
    dirs.append(LAYOUTS_DIR / kind)
    return [d for d in dirs if d.is_dir()]


def search_roots(kind: str, layout: Path | None) -> dict[Path, Path]:
    """For each searched folder, the layout folder its files must stay inside (symbolic links followed)."""
    roots = {}
    for folder in search_path(kind, layout):
        roots[folder] = layout.resolve() if layout is not None and folder != LAYOUTS_DIR / kind else LAYOUTS_DIR
    return roots


def layout_file(root: Path, folder: Path, name: str) -> Path | None:
    """The file ``name`` in ``folder`` if it is a layout file (suffix, depth) inside ``root``; None if absent.

    A name that leads out of the layout (``../x``, an absolute path, a symbolic
    link to elsewhere) is refused, not merely not found: it is the layout's fault.
    """
    parts = Path(name).parts
    if (Path(name).is_absolute() or ".." in parts or len(parts) > LAYOUT_DEPTH or "\0" in name
            or not name.lower().endswith(LAYOUT_SUFFIXES)):
        return None
    candidate = folder / name
    if not os.path.lexists(candidate):
        return None
    try:
        resolved = candidate.resolve(strict=True)
    except FileNotFoundError:
        return None  # a dangling link
    except (OSError, RuntimeError):
        raise Refused(f"layout file {name!r} cannot be resolved (a loop of symbolic links?)") from None
    if not resolved.is_relative_to(root):
        raise Refused(f"layout file {name!r} leads outside the layout folder {display_path(root)}")
    return resolved


def read_layout_file(path: Path, name: str) -> bytes:
    return read_regular(path, LAYOUT_FILE_BYTES, f"layout file {name!r}")


def layout_files(folder: Path) -> list[Path]:
    """The files of a layout folder that a layout may use, in a fixed order: what a fingerprint hashes.

    Folders are searched to LAYOUT_DEPTH levels without following symbolic
    links to folders; a file link counts only if it stays inside ``folder``.
    More than LAYOUT_FILES such files is not a layout (`--layout /usr`).
    """
    root = folder.resolve()
    found: list[Path] = []
    for current, subfolders, files in os.walk(root):
        if len(Path(current).relative_to(root).parts) >= LAYOUT_DEPTH:
            subfolders.clear()  # a kind folder (print/, epub/) and LAYOUT_DEPTH levels of names below
        subfolders.sort()
        for name in sorted(files):
            path = Path(current) / name
            if name.lower().endswith(LAYOUT_SUFFIXES) and _regular_inside(path, root):
                found.append(path)
                if len(found) > LAYOUT_FILES:
                    raise InputError([Problem(display_path(folder), None,
                                              f"more than {LAYOUT_FILES} layout files: not a layout folder")])
    return sorted(found)


def _regular_inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root) and path.is_file()
    except (OSError, RuntimeError):  # a loop of symbolic links
        return False


def layout_files_named(kind: str, name: str, layout: Path | None = None) -> list[Path]:
    """Every folder's file ``name`` in the search path, most specific first (layout.toml is merged, not replaced)."""
    found = []
    for folder, root in search_roots(kind, layout).items():
        path = layout_file(root, folder, name)
        if path is not None:
            found.append(path)
    return found


def find_asset(kind: str, name: str, layout: Path | None = None) -> Path:
    """The file that ``name`` resolves to in the layout's search path."""
    for folder, root in search_roots(kind, layout).items():
        try:
            path = layout_file(root, folder, name)
        except Refused as refused:
            raise InputError([Problem(display_path(folder), None, str(refused))]) from None
        if path is not None:
            return path
    raise ToolError(f"layout file {name!r} not found for {kind!r} layout (searched {_shown(kind, layout)})")


def read_asset(kind: str, name: str, layout: Path | None = None) -> bytes:
    """The bytes of a layout asset (a stylesheet, an image), user folder first."""
    path = find_asset(kind, name, layout)
    try:
        return read_layout_file(path, name)
    except Refused as refused:
        raise InputError([Problem(display_path(path), None, str(refused))]) from None


def _shown(kind: str, layout: Path | None) -> str:
    return ", ".join(display_path(d) for d in search_path(kind, layout))
