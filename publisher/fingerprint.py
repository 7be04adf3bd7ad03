"""Content fingerprints that tell a batch which issues need building again.

An issue's editions depend on its inputs (issue.yaml and the bytes of its page
files, its own layout folder) and on the environment shared by all issues (the
toolkit's code and version, the layouts, the fonts, the build options, and
``SOURCE_DATE_EPOCH``). The fingerprint of an issue is a SHA-256 over both; an
issue whose fingerprint is unchanged since its last successful build is
skipped.

Fonts are identified by path, size and modification time rather than by
content: hashing 25 MB collections on every run would cost more than it saves,
and a font package upgrade changes all three.

Only the names of the page files are read from issue.yaml here (no parsing, no
validation): a broken issue gets no fingerprint and is always built, which
reports its problems. Files are read as the build reads them (regular files
inside the issue's folder, within the size limits, never blocking), and of a
layout folder only the layout's own files are hashed (``layouts.layout_files``),
so a careless ``layout: /usr`` costs nothing here.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import yaml

from . import __version__, fonts
from .config import compose
from .errors import InputError
from .layouts import LAYOUTS_DIR, layout_files
from .limits import ISSUE_FILE_BYTES, LAYOUT_FILE_BYTES, PAGE_FILE_BYTES
from .untrusted import Refused, inside, read_regular

PACKAGE_DIR = Path(__file__).resolve().parent


class _Digest:
    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, label: str, data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        # Length-prefixed, so that no two different sequences of parts hash alike.
        self._hash.update(f"{label}:{len(raw)}:".encode())
        self._hash.update(raw)

    def add_tree(self, label: str, folder: Path) -> None:
        for path in _files(folder):
            self.add(f"{label}/{path.relative_to(folder).as_posix()}", path.read_bytes())

    def add_layout(self, label: str, folder: Path) -> None:
        """The layout's own files (InputError for a folder that is no layout), as a build would read them."""
        root = folder.resolve()
        for path in layout_files(folder):
            try:
                data = read_regular(path, LAYOUT_FILE_BYTES, "layout file")
            except Refused as refused:
                data = str(refused).encode()  # the build reports it
            self.add(f"{label}/{path.relative_to(root).as_posix()}", data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _files(folder: Path) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def environment_digest(options: object, layout: Path | None) -> str:
    """What every issue of a batch shares: toolkit, layouts, fonts, options (``repr`` of a frozen dataclass)."""
    digest = _Digest()
    digest.add("version", __version__)
    # The code itself, not only its version number: a fix without a release must rebuild.
    digest.add_tree("code", PACKAGE_DIR)
    digest.add_layout("layouts", LAYOUTS_DIR)
    if layout is not None:
        digest.add_layout("user-layout", layout)
    digest.add_tree("fonts", fonts.FONTS_DIR)
    for role, _, weight, chain in fonts.all_faces():
        for face in chain:
            stat = face.path.stat()
            digest.add(f"face/{role}/{weight}", f"{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}")
    digest.add("options", repr(options))
    digest.add("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", ""))
    return digest.hexdigest()


def issue_digest(issue_yaml: Path, environment: str) -> tuple[str | None, int]:
    """The fingerprint of one issue and its page count; (None, pages) when the issue cannot be read as listed."""
    try:
        data = read_regular(issue_yaml, ISSUE_FILE_BYTES, "issue file")
        root = compose(data.decode("utf-8-sig"))
    except (Refused, UnicodeDecodeError, yaml.YAMLError):
        return None, 0
    files, layout = _named_files(root)
    digest = _Digest()
    digest.add("environment", environment)
    digest.add("issue.yaml", data)
    folder = issue_yaml.absolute().parent
    try:
        for name in files:
            digest.add(f"page/{name}", read_regular(inside(folder, name, "page file"), PAGE_FILE_BYTES, "page file"))
        if layout is not None:
            digest.add_layout("issue-layout", inside(folder, layout, "layout folder"))
    except (Refused, InputError):
        return None, len(files)
    return digest.hexdigest(), len(files)


def _named_files(root: yaml.Node | None) -> tuple[list[str], str | None]:
    """The page file names and the layout folder an issue.yaml names, read from its node tree."""
    files: list[str] = []
    layout = None
    if not isinstance(root, yaml.MappingNode):
        return files, layout
    for key, value in root.value:
        if key.value == "layout" and isinstance(value, yaml.ScalarNode):
            layout = str(value.value)
        if key.value == "pages" and isinstance(value, yaml.SequenceNode):
            for page in value.value:
                if isinstance(page, yaml.MappingNode):
                    files += [str(v.value) for k, v in page.value
                              if k.value == "file" and isinstance(v, yaml.ScalarNode)]
    return files, layout
