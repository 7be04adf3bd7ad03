"""Content fingerprints that tell a batch which issues need building again.

An issue's editions depend on its inputs (issue.yaml and the bytes of its page
files, of the images they and its booked advertisements name, its own layout
folder) and on the environment shared by all issues (the toolkit's code and
version, the layouts, the fonts, the build options, and
``SOURCE_DATE_EPOCH``). The fingerprint of an issue is a SHA-256 over both; an
issue whose fingerprint is unchanged since its last successful build is
skipped.

Fonts are identified by path, size and modification time rather than by
content: hashing 25 MB collections on every run would cost more than it saves,
and a font package upgrade changes all three.

Only the names of the page files, their encodings and the advertisements' files
are read from issue.yaml here (no parsing, no validation), and of a page file
only its image lines (``publisher.ingest.pictures.IMAGE_LINE``). Files are read
as the build reads them (regular files inside the issue's folder, within the
size limits, never blocking), and of a layout folder only the layout's own
files are hashed (``layouts.layout_files``), so a careless ``layout: /usr``
costs nothing here. An issue.yaml that is not YAML
is fingerprinted by its bytes, and a page file or layout it names that cannot
be read by what was found instead (the refusal, the file's size and time),
so that a broken issue left as it is is not built again either (the batch
reports it from its manifest); only an issue.yaml that cannot be read gets no
fingerprint.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import yaml

from .. import __version__
from ..errors import InputError
from ..layouts import layout_files
from ..limits import IMAGE_FILE_BYTES, ISSUE_FILE_BYTES, LAYOUT_FILE_BYTES, PAGE_FILE_BYTES
from ..resources import FONTS_DIR, LAYOUTS_DIR
from ..typeset import fonts
from ..untrusted import Refused, inside, read_regular
from .bylines import SPACE
from .issue_yaml import compose
from .pictures import IMAGE_LINE

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
    digest.add_tree("fonts", FONTS_DIR)
    for role, _, weight, chain in fonts.all_faces():
        for face in chain:
            stat = face.path.stat()
            digest.add(f"face/{role}/{weight}", f"{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}")
    digest.add("options", repr(options))
    digest.add("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", ""))
    return digest.hexdigest()


def issue_digest(issue_yaml: Path, environment: str) -> tuple[str | None, int]:
    """The fingerprint of one issue and its page count; (None, 0) when issue.yaml cannot be read."""
    try:
        data = read_regular(issue_yaml, ISSUE_FILE_BYTES, "issue file")
    except Refused:
        return None, 0
    digest = _Digest()
    digest.add("environment", environment)
    digest.add("issue.yaml", data)
    try:
        root = compose(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return digest.hexdigest(), 0  # fails to load whatever else there is: its bytes are all it depends on
    files, layout, images = _named_files(root)
    folder = issue_yaml.absolute().parent
    for name, encoding in files:
        try:
            data = read_regular(inside(folder, name, "page file"), PAGE_FILE_BYTES, "page file")
        except (Refused, InputError) as exc:
            digest.add(f"unread/{name}", f"{exc}|{_stat(folder / name)}")  # fails until the file is fixed
            continue
        digest.add(f"page/{name}", data)
        images += _image_names(data, encoding)
    for name in dict.fromkeys(images):
        try:
            digest.add(f"image/{name}", read_regular(inside(folder, name, "picture"), IMAGE_FILE_BYTES, "picture"))
        except (Refused, InputError) as exc:
            digest.add(f"unread-image/{name}", f"{exc}|{_stat(folder / name)}")
    if layout is not None:
        try:
            digest.add_layout("issue-layout", inside(folder, layout, "layout folder"))
        except (Refused, InputError) as exc:
            digest.add(f"unread-layout/{layout}", f"{exc}|{_stat(folder / layout)}")
    return digest.hexdigest(), len(files)


def _stat(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError as exc:
        return type(exc).__name__
    return f"{stat.st_size}|{stat.st_mtime_ns}"


def _image_names(data: bytes, encoding: str | None) -> list[str]:
    """The files a page's image lines name (a page that does not decode names none: it fails to load)."""
    try:
        text = data.decode(encoding or "utf-8-sig")
    except (LookupError, UnicodeError, ValueError):
        return []
    return [match["file"] for line in text.splitlines() if (match := IMAGE_LINE.match(line.strip(SPACE)))]


def _named_files(root: yaml.Node | None) -> tuple[list[tuple[str, str | None]], str | None, list[str]]:
    """The page files (with their encodings), the layout folder and the advertisements' images an
    issue.yaml names, read from its node tree."""
    files: list[tuple[str, str | None]] = []
    ads: list[str] = []
    layout = None
    if not isinstance(root, yaml.MappingNode):
        return files, layout, ads
    for key, value in root.value:
        if key.value == "layout" and isinstance(value, yaml.ScalarNode):
            layout = str(value.value)
        if key.value == "pages" and isinstance(value, yaml.SequenceNode):
            for page in value.value:
                if not isinstance(page, yaml.MappingNode):
                    continue
                scalars = {str(k.value): str(v.value) for k, v in page.value if isinstance(v, yaml.ScalarNode)}
                if "file" in scalars:
                    files.append((scalars["file"], scalars.get("encoding")))
                for k, v in page.value:
                    if k.value == "ads" and isinstance(v, yaml.SequenceNode):
                        ads += [str(f.value) for ad in v.value if isinstance(ad, yaml.MappingNode)
                                for n, f in ad.value if n.value == "file" and isinstance(f, yaml.ScalarNode)]
    return files, layout, ads
