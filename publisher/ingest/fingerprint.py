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

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import __version__
from ..errors import InputError
from ..layouts import layout_files
from ..limits import IMAGE_FILE_BYTES, ISSUE_FILE_BYTES, LAYOUT_FILE_BYTES, PAGE_FILE_BYTES
from ..names import safe_stem
from ..resources import FONTS_DIR, LAYOUTS_DIR
from ..typeset import fonts
from ..untrusted import Refused, inside, read_regular
from .bylines import SPACE
from .issue_yaml import compose
from .pictures import IMAGE_LINE
from .stamps import PACKAGE_DIR


@dataclass(frozen=True)
class Environment:
    """What every issue of a batch shares, hashed; and the font files fontconfig named for it."""

    digest: str
    faces: tuple[str, ...]


@dataclass(frozen=True)
class IssueInputs:
    """One issue's fingerprint and what it was made from (for its stamp and its output names)."""

    fingerprint: str | None  # an unreadable issue.yaml has one too: of why it could not be read
    pages: int
    files: tuple[str, ...] = ()  # the page files and pictures it names, as it names them
    layout: str | None = None  # the layout folder it names
    slug: str | None = None  # its editions' file stem, if its paper and date are valid


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
    return environment(options, layout).digest


def environment(options: object, layout: Path | None) -> Environment:
    """``environment_digest``, with the font files it names."""
    digest = _Digest()
    faces: list[str] = []
    digest.add("version", __version__)
    # The code itself (the whole package), not only its version number: a fix without a release must rebuild.
    digest.add_tree("code", PACKAGE_DIR)
    digest.add_layout("layouts", LAYOUTS_DIR)
    if layout is not None:
        digest.add_layout("user-layout", layout)
    digest.add_tree("fonts", FONTS_DIR)
    for role, _, weight, chain in fonts.all_faces():
        for face in chain:
            stat = face.path.stat()
            digest.add(f"face/{role}/{weight}", f"{face.path}|{face.index}|{stat.st_size}|{stat.st_mtime_ns}")
            faces.append(str(face.path))
    digest.add("options", repr(options))
    digest.add("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", ""))
    return Environment(digest.hexdigest(), tuple(sorted(set(faces))))


def issue_digest(issue_yaml: Path, environment: str) -> tuple[str | None, int]:
    """The fingerprint of one issue and its page count (0 when issue.yaml cannot be read)."""
    inputs = issue(issue_yaml, environment)
    return inputs.fingerprint, inputs.pages


def issue(issue_yaml: Path, environment: str) -> IssueInputs:
    """``issue_digest``, with the names of the files it read and the issue's slug."""
    digest = _Digest()
    digest.add("environment", environment)
    try:
        data = read_regular(issue_yaml, ISSUE_FILE_BYTES, "issue file")
    except Refused as exc:
        # A named pipe, a folder, a file past its limit: it fails as it did until what stat says of it
        # changes, and a re-run reports it from the manifest (opening a pipe again could block).
        digest.add("unread/issue.yaml", f"{exc}|{_stat(issue_yaml)}")
        return IssueInputs(digest.hexdigest(), 0)
    digest.add("issue.yaml", data)
    try:
        root = compose(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return IssueInputs(digest.hexdigest(), 0)  # fails to load whatever else there is: its bytes are all
    files, layout, images = _named_files(root)
    folder = issue_yaml.absolute().parent
    for name, encoding in dict.fromkeys(files):  # each file once, however often issue.yaml names it
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
    named = [name for name, _encoding in files] + images  # what the stamp watches: every file read
    return IssueInputs(digest.hexdigest(), len(files), tuple(dict.fromkeys(named)), layout, _slug(root))


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _slug(root: yaml.Node | None) -> str | None:
    """The editions' file stem (``model.Issue.slug``) from issue.yaml's paper and date, if both are usable."""
    if not isinstance(root, yaml.MappingNode):
        return None
    values = {str(key.value): str(value.value) for key, value in root.value
              if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)}
    paper, date = values.get("paper", ""), values.get("date", "")
    try:
        day = dt.date.fromisoformat(date) if _DATE.fullmatch(date) else None
    except ValueError:
        day = None
    if not paper.strip() or day is None:
        return None
    return f"{safe_stem(paper)}-{day.isoformat()}"


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
