"""Where the toolkit's own layouts and fonts folders are, installed or in a checkout.

They are edited at the top of the repository (``layouts/``, ``fonts/``); a
wheel carries copies as package data in ``publisher/_data/`` (``setup.py``
puts them there), so an installed ``publisher`` needs no checkout. An
editable install or a checkout on ``PYTHONPATH`` has no ``_data`` and uses
the top-level folders. Every module finds them through this one.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(name: str) -> Path:
    package = resources.files(__package__ or "publisher")
    # WeasyPrint and the fetcher need real paths: a wheel is always installed unpacked.
    if not isinstance(package, Path):
        raise ImportError("publisher must be installed as files, not imported from a zip archive")
    shipped = package / "_data" / name
    if shipped.is_dir():
        return shipped.resolve()
    return (package.parent / name).resolve()


LAYOUTS_DIR = _folder("layouts")
FONTS_DIR = _folder("fonts")
