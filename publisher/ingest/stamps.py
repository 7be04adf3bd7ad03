"""Stamps: telling from the files' metadata alone that a fingerprint is still true.

A fingerprint (``ingest.fingerprint``) reads and hashes everything an issue's
editions depend on; an unchanged batch re-run should not (it read every page
file, every layout file and asked fontconfig for every face: a quarter of a
second for an archive of four issues). A stamp is a hash of what ``os.stat``
says of the same files, as ``make`` and git's index judge files: inode,
device, size, modification and change time in nanoseconds. Any write to a
file changes its change time, which no tool can set back, and a link
pointed elsewhere reaches another inode; so an equal stamp means the files a
fingerprint was made from are the bytes it hashed, and the batch reuses the
fingerprint from its manifest. Any difference, or a stamp that cannot be made
(a folder of thousands of files), means: fingerprint again.

This module imports nothing of the typesetting stack: the batch decides an
unchanged re-run from stamps before it imports YAML, Jinja, HarfBuzz or
WeasyPrint.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable
from pathlib import Path

from .. import __version__
from ..limits import LAYOUT_DEPTH, LAYOUT_FILES
from ..resources import FONTS_DIR, LAYOUTS_DIR

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the toolkit's own code
# What fontconfig's answers depend on: its configuration, its caches (rewritten by fc-cache whenever a
# font is installed or removed), and the environment that points it elsewhere.
def _home() -> Path:
    try:
        return Path.home()
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return Path("/nonexistent")


FONTCONFIG_PLACES = (Path("/etc/fonts"), Path("/etc/fonts/conf.d"), Path("/var/cache/fontconfig"),
                     _home() / ".cache" / "fontconfig", _home() / ".config" / "fontconfig")
FONTCONFIG_VARIABLES = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "XDG_CACHE_HOME",
                        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_DATA_DIRS")
_TREE_FILES = 4 * LAYOUT_FILES  # a folder with more entries than this gets no stamp: fingerprint it
# A file changed this shortly before its fingerprint was taken may change again within the clock's
# granularity without its times showing it (git's "racy" entries): such a stamp is not recorded.
SETTLE_NS = 2_000_000_000


class _Newest:
    """The latest change time seen by ``signature`` while a stamp is made."""

    ctime_ns = 0


def signature(path: Path) -> str:
    """What the file system says of ``path`` (links followed), or why it could not say."""
    try:
        stat = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in a name
        return f"!{type(exc).__name__}"
    _Newest.ctime_ns = max(_Newest.ctime_ns, stat.st_ctime_ns, stat.st_mtime_ns)
    return f"{stat.st_ino}:{stat.st_dev}:{stat.st_mode:o}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


def settled(stamp: str | None, started_ns: int) -> str | None:
    """``stamp`` if nothing it covers changed less than SETTLE_NS before ``started_ns`` (or after)."""
    return stamp if _Newest.ctime_ns < started_ns - SETTLE_NS else None


def begin() -> int:
    """Start making stamps for a fingerprint about to be taken: the time to pass to ``settled``."""
    _Newest.ctime_ns = 0
    return time.time_ns()


def tree(folder: Path, depth: int = LAYOUT_DEPTH + 1) -> list[str] | None:
    """Every entry under ``folder`` to ``depth`` levels with its signature; None for too many entries.

    Links to folders are not followed (as ``templates.layout_files``); a
    folder's own signature changes when an entry is added, removed or renamed.
    """
    root = folder.absolute()
    found = [f"./{signature(root)}"]
    for current, folders, files in os.walk(root):
        here = Path(current)
        level = len(here.relative_to(root).parts)
        if level >= depth:
            folders.clear()
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in (*sorted(files), *folders):
            path = here / name
            found.append(f"{path.relative_to(root).as_posix()}/{signature(path)}")
            if len(found) > _TREE_FILES:
                return None
    return found


def digest(parts: Iterable[str]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return hasher.hexdigest()


def environment(options: str, layout: Path | None, faces: Iterable[str]) -> str | None:
    """The stamp of what every issue of a batch shares (see ``fingerprint.environment_digest``).

    ``faces`` are the font files fontconfig named when the environment was
    last fingerprinted. None when a folder is too large to stamp.
    """
    parts = [f"version:{__version__}", f"options:{options}",
             f"SOURCE_DATE_EPOCH:{os.environ.get('SOURCE_DATE_EPOCH', '')}"]
    folders = [("code", PACKAGE_DIR), ("layouts", LAYOUTS_DIR), ("fonts", FONTS_DIR)]
    if layout is not None:
        folders.append(("user-layout", layout))
    for label, folder in folders:
        entries = tree(folder, depth=8 if label == "code" else LAYOUT_DEPTH + 1)
        if entries is None:
            return None
        parts += [f"{label}/{entry}" for entry in entries]
    parts += [f"face:{face}:{signature(Path(face))}" for face in sorted(set(faces))]
    parts += [f"fontconfig:{place}:{signature(place)}" for place in FONTCONFIG_PLACES]
    parts += [f"env:{name}={os.environ.get(name, '')}" for name in FONTCONFIG_VARIABLES]
    return digest(parts)


def issue(issue_yaml: Path, files: Iterable[str], layout: str | None) -> str | None:
    """The stamp of one issue's own inputs: issue.yaml, the page files and the layout folder it named."""
    folder = issue_yaml.absolute().parent
    parts = [f"issue.yaml:{signature(issue_yaml)}"]
    parts += [f"page:{name}:{signature(folder / name)}" for name in sorted(set(files))]
    if layout is not None:
        entries = tree(folder / layout)
        if entries is None:
            return None
        parts += [f"layout:{layout}:{entry}" for entry in entries]
    return digest(parts)
