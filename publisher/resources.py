"""Where the toolkit's own layouts and fonts folders are, installed or in a checkout.

They are edited at the top of the repository (``layouts/``, ``fonts/``); a
wheel carries copies as package data in ``publisher/_data/`` (``setup.py``
puts them there), so an installed ``publisher`` needs no checkout. An
editable install or a checkout on ``PYTHONPATH`` has no ``_data`` and uses
the top-level folders. Every module finds them through this one.
"""

from __future__ import annotations

from pathlib import Path


def _folder(name: str) -> Path:
    # The package's own folder, as importlib.resources.files() gives it for a package installed as files
    # (which WeasyPrint and the fetcher need: real paths); importlib.resources itself is not imported,
    # since an unchanged batch re-run should cost little more than Python's start.
    package = Path(__file__).parent
    if not package.is_dir():
        raise ImportError("publisher must be installed as files, not imported from a zip archive")
    shipped = package / "_data" / name
    if shipped.is_dir():
        return shipped.resolve()
    return (package.parent / name).resolve()


LAYOUTS_DIR = _folder("layouts")
FONTS_DIR = _folder("fonts")
