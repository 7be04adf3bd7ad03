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
validation). An issue.yaml that is not YAML is fingerprinted by its bytes, and
a page file it names that is missing by its name, so that a broken issue left
as it was is not built again either (the batch reports it from its
manifest); only an issue.yaml that cannot be read gets no fingerprint.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import yaml

from . import __version__, fonts
from .layouts import LAYOUTS_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
# libyaml's parser where PyYAML has it: an unchanged batch re-run reads every issue.yaml, and
# the pure-Python parser was a third of that run. Only the node tree is read; both give the same.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    digest.add_tree("layouts", LAYOUTS_DIR)
    if layout is not None:
        digest.add_tree("user-layout", layout)
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
        data = issue_yaml.read_bytes()
    except OSError:
        return None, 0
    digest = _Digest()
    digest.add("environment", environment)
    digest.add("issue.yaml", data)
    try:
        root = yaml.compose(data.decode("utf-8-sig"), Loader=_LOADER)
    except (UnicodeDecodeError, yaml.YAMLError):
        return digest.hexdigest(), 0  # fails to load whatever else there is: its bytes are all it depends on
    files, layout = _named_files(root)
    for name in files:
        try:
            digest.add(f"page/{name}", (issue_yaml.parent / name).read_bytes())
        except OSError:
            digest.add(f"missing/{name}", "")  # the issue fails until the file appears
    if layout is not None:
        digest.add_tree("issue-layout", issue_yaml.parent / layout)
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
