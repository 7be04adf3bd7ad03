"""Whether a folder's catalogue (``epub.shelf``) is current, told without reading an EPUB.

A batch re-run with nothing to build should not read every EPUB again, nor
import what the catalogue is written with (lxml, Jinja, Pillow): the stamp is
a hash of every edition's name, size and time under the folder, of the
issues the batch manifest marks stale, and of the catalogue's own code and
templates.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..manifest import stale_outputs
from ..resources import LAYOUTS_DIR
from ..untrusted import Refused, read_regular

KIND = "catalogue"
STAMP = ".catalogue"  # hidden: what the catalogue was last written from
FEED = "opds.xml"
PAGE = "index.html"
_CODE = (Path(__file__).with_name("shelf.py"), Path(__file__))


def stamp(folder: Path) -> str:
    """What the catalogue is made from: every edition's name, size and time; stale issues; code and templates."""
    digest = hashlib.sha256()
    root = folder.absolute()
    editions = []
    for current, folders, files in os.walk(root):
        folders[:] = [f for f in folders if not f.startswith(".")]  # followed links: never (os.walk's default)
        editions += [Path(current) / name for name in files
                     if name.endswith((".epub", ".pdf")) and not name.startswith(".")]
    for path in sorted(editions):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.relative_to(root).as_posix()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    digest.update("\n".join(sorted(stale_outputs(folder))).encode("utf-8", "surrogatepass") + b"\0")
    for code in _CODE:
        digest.update(code.read_bytes())
    for template in sorted((LAYOUTS_DIR / KIND).rglob("*")):
        if template.is_file():
            digest.update(template.name.encode() + b"\0" + template.read_bytes())
    return digest.hexdigest()


def recorded(folder: Path) -> str | None:
    try:
        return read_regular(folder / STAMP, 128, "the catalogue's stamp").decode("ascii")
    except (Refused, UnicodeDecodeError):
        return None


def current(folder: Path) -> tuple[bool, str]:
    """Whether the catalogue of ``folder`` is as its editions are now, and the stamp of now."""
    now = stamp(folder)
    written = (folder / FEED).is_file() and (folder / PAGE).is_file() and recorded(folder) == now
    return written, now
