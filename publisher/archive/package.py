"""`publisher package`: one BagIt bag per issue, for preservation.

The bag (Library of Congress ``bagit``, SHA-256 manifests) holds, under data/:

    editions/<slug>.pdf      the print edition, PDF/A-3u with the sources attached
    editions/<slug>.epub     the EPUB 3 edition
    source/issue.yaml …      the source files, byte for byte, in their own folder layout
    archive/mets.xml         the issue as METS (NDNP's issue profile) with MODS: pages, sections, articles
    archive/0001.tif …       per sheet: page image (TIFF, 300 dpi, lossless), the sheet's PDF, its ALTO v4
    check-report.json        what `publisher check` found (the bag is made only if it passed)
    issue-manifest.json      what an archive catalogues: paper, ISSN/LCCN, date, issue, pages, fonts …

PDF/A-3u rather than PDF/A-2u: the print edition is the file most likely to
leave the bag alone (a repository's access copy, a reader's download), and
PDF/A-3 lets it carry the exact source bytes it was made from, so any copy of
it can be rebuilt and verified; "u" keeps the text layer Unicode, so it stays
searchable. The sources are in the bag as plain files as well, for tools that
never open a PDF.

A bag is reproducible: every date in it is the issue's build date
(``build_datetime``), never the clock, and the files are listed in a fixed
order; packaging the bag's own data/source/issue.yaml gives the same bytes.
It is written into a temporary folder beside the target and renamed into place
only when complete.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import bagit
import yaml

from .. import __version__
from ..atomic import locked_folder, make_folder, output_error, remove_empty, remove_stale_parts
from ..build import BuildOptions, EpubOptions, build_issue, overwrites
from ..check.editions import check_editions, report_json
from ..check.findings import CheckReport
from ..errors import InputError, Problem, display_path
from ..ingest.issue_yaml import compose
from ..model import Issue
from ..print.pdf import LaidOut
from ..print.print_options import ARCHIVAL_PRINT
from ..timestamps import build_datetime
from .catalogue import Payload, issue_manifest
from .issue_files import write_archive

__all__ = ["ARCHIVAL_PRINT", "CheckFailed", "package"]
REPORT_NAME = "check-report.json"
MANIFEST_NAME = "issue-manifest.json"
ARCHIVE_DIR = "archive"

# bagit.make_bag changes the working directory while it runs: one bag at a time per process.
_BAGGING = threading.Lock()


class CheckFailed(Exception):
    """The editions did not pass `publisher check`; no bag was written."""

    exit_code = 1

    def __init__(self, issue: Path, report: CheckReport) -> None:
        codes = sorted({f.code for f in report.findings if f.severity == "error"})
        super().__init__(f"{display_path(issue)}: not packaged, the editions fail the check ({', '.join(codes)})")
        self.report = report


def source_files(issue: Issue) -> dict[Path, str]:
    """issue.yaml, every page file and every image file, with their names inside source/ (as laid out beside
    issue.yaml)."""
    folder = issue.source.parent
    names = {issue.source: issue.source.name}
    outside = []
    for page in issue.pages:
        relative = Path(os.path.relpath(page.source, folder))
        if relative.parts[0] == "..":
            outside.append(page.source)
        names.setdefault(page.source, relative.as_posix())
    if outside:
        lines = _file_lines(issue)
        raise InputError([
            Problem(display_path(issue.source), lines.get(os.path.relpath(p, folder)),
                    f"page file {os.path.relpath(p, folder)} is outside the issue's folder; "
                    "a package keeps the sources in their own layout, so move it beside issue.yaml")
            for p in outside
        ])
    for image in issue.images():  # read through the issue folder's confinement: always inside it
        names.setdefault(folder / image.file, image.file)
    return names


def _file_lines(issue: Issue) -> dict[str, int]:
    """The line each page's `file:` value is on, for messages."""
    lines: dict[str, int] = {}
    root = compose(issue.data.decode("utf-8-sig"))
    for node in _walk(root):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "file" and isinstance(value, yaml.ScalarNode):
                    lines.setdefault(str(value.value), value.start_mark.line + 1)
    return lines


def _walk(node: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every node once: YAML aliases share nodes, and a walk that followed each would be exponential."""
    seen: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack += [value, key]
        elif isinstance(current, yaml.SequenceNode):
            stack += reversed(current.value)


def bag_info(issue: Issue) -> dict[str, str]:
    identifier = " ".join(v for v in (issue.issn and f"ISSN {issue.issn}", issue.lccn and f"LCCN {issue.lccn}",
                                      issue.paper, issue.date.isoformat(), issue.issue and f"No. {issue.issue}") if v)
    return {
        "Source-Organization": issue.publisher or issue.paper,
        "External-Identifier": identifier,
        "External-Description": f"{issue.title}: print edition (PDF/A-3u), EPUB 3 edition, "
                                "METS/ALTO archive files with page images, sources, check report",
        # The build date, not the clock: the same issue packages to the same bytes.
        "Bagging-Date": build_datetime(issue).date().isoformat(),
        "Bag-Software-Agent": f"publisher {__version__} (bagit.py {bagit.VERSION})",
    }


def package(issue: Issue, out_dir: Path, *, editions: list[Path] | None = None) -> Path:
    """Write the bag of one issue into ``out_dir``/<slug>/ and return its folder.

    ``editions`` are already built editions (PDF/A-3u with the sources attached,
    and the EPUB) to put in the bag instead of building them again.
    """
    sources = source_files(issue)
    target = out_dir / issue.slug
    if problems := overwrites(issue, [target]):
        raise InputError(problems)
    if target.exists() and not (target / "bagit.txt").is_file():
        raise InputError([Problem(display_path(issue.source), None, f"{display_path(target)} exists and is not a "
                                  "bag: a package replaces only a bag of its own; write into another folder")])
    created = make_folder(out_dir)
    recover_old_bags(out_dir)
    remove_stale_parts(out_dir)
    try:
        with locked_folder(target) as staging:
            _fill(staging, issue, sources, editions)
            os.chmod(staging, 0o755)
            with _BAGGING:
                bag = bagit.make_bag(str(staging), bag_info(issue), processes=1, checksums=["sha256"])
            _sort_tag_manifests(staging)
            bag.validate()
            _replace(staging, target)
    except OSError as exc:
        remove_empty(created)
        raise output_error(exc, out_dir) from None
    except BaseException:
        remove_empty(created)
        raise
    return target


def _fill(staging: Path, issue: Issue, sources: dict[Path, str], editions: list[Path] | None) -> None:
    edition_dir = staging / "editions"
    laid_out = None
    if editions is None:
        # The build hands on its layout of the sheets: the archive's ALTO is read from it.
        laid_out = LaidOut()
        editions = build_issue(issue, edition_dir,
                               BuildOptions(json=False, layout=issue.layout, print=ARCHIVAL_PRINT,
                                            ebook=EpubOptions(reproducible=True)),
                               laid_out=laid_out)
    else:
        edition_dir.mkdir()
        for edition in editions:
            shutil.copyfile(edition, edition_dir / edition.name)
        editions = [edition_dir / edition.name for edition in editions]
    copied: dict[Path, Payload] = {}
    data = {issue.source: issue.data, **{page.source: page.data for page in issue.pages},
            **{issue.source.parent / image.file: image.data for image in issue.images()}}
    for path, name in sources.items():
        destination = staging / "source" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        # The bytes the editions were built from, untouched (no decoding, no newline
        # conversion), not the file again: it may have changed or gone since.
        destination.write_bytes(data[path])
        copied[path] = Payload(destination, f"source/{name}")

    def shown(path: Path) -> str:
        return path.relative_to(staging).as_posix()

    mets = write_archive(issue, next(e for e in editions if e.suffix == ".pdf"), staging / ARCHIVE_DIR,
                         laid_out=laid_out)
    report = check_editions([*sorted(editions), mets], issue, shown=shown)
    if not report.passed:
        raise CheckFailed(issue.source, report)
    (staging / REPORT_NAME).write_bytes(report_json(report))
    payload = [Payload(e, shown(e)) for e in sorted(editions)]
    manifest = issue_manifest(issue, payload, copied, Payload(staging / REPORT_NAME, REPORT_NAME), report.passed)
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (staging / MANIFEST_NAME).write_text(text, encoding="utf-8")


def _sort_tag_manifests(bag_dir: Path) -> None:
    """bagit lists tag files in directory order, which differs between folders: sort the lines."""
    for tag_manifest in bag_dir.glob("tagmanifest-*.txt"):
        lines = tag_manifest.read_text(encoding="utf-8").splitlines()
        tag_manifest.write_text("".join(f"{line}\n" for line in sorted(lines, key=lambda ln: ln.split(" ", 1)[1])),
                                encoding="utf-8")


OLD_SUFFIX = ".old"


def _replace(staging: Path, target: Path) -> None:
    """Put the finished bag in place of ``target``; the old bag is removed only once the new one is there.

    The old bag waits in a locked ``.<name>.<random>.old`` folder between the
    two renames. Killed there (even by kill -9), the run leaves it unlocked,
    and the next package into the folder puts it back where it was
    (``recover_old_bags``) before anything else.
    """
    if not target.exists():
        os.replace(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=OLD_SUFFIX, dir=target.parent))
    fd = os.open(old, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(target, old / "bag")
        try:
            os.replace(staging, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.replace(old / "bag", target)
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
        os.close(fd)


def recover_old_bags(out_dir: Path) -> None:
    """Put back the bags a killed re-package left in ``.<name>.*.old`` folders, or remove them.

    An old bag whose target is missing was moved aside and never replaced: it
    goes back. One whose target is there was replaced: it goes. A folder
    another run holds a lock on is being written and stays.
    """
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(OLD_SUFFIX)) or \
                not entry.is_dir(follow_symlinks=False):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a live run holds it
        try:
            target = out_dir / entry.name[1:].rsplit(".", 2)[0]
            bag = Path(entry.path) / "bag"
            if bag.is_dir() and not os.path.lexists(target):
                with contextlib.suppress(OSError):
                    os.replace(bag, target)
            shutil.rmtree(entry.path, ignore_errors=True)
        finally:
            os.close(fd)
