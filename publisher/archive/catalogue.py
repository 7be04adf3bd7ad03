"""The issue manifest of a preservation package: what an archive catalogues about an issue.

Everything is read from the issue and from the editions as written (page
labels from the PDF, the identifier from the EPUB), and every file is named
relative to the bag's payload, so the manifest does not depend on where or
when the package was made.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .. import __version__
from ..check.fidelity import source_texts
from ..checksums import sha256
from ..model import Issue
from ..pdflib import pikepdf
from ..timestamps import build_datetime
from ..typeset import coverage
from ..typeset.fonts import FontFace, Role

# The roles and weights both editions set text in.
_FACES: tuple[tuple[Role, int], ...] = (("serif", 400), ("serif", 700), ("sans", 700))
_DC_IDENTIFIER = "{http://purl.org/dc/elements/1.1/}identifier"


@dataclass(frozen=True)
class Payload:
    """A file of the bag's payload: where it is now, and its name inside data/."""

    path: Path
    name: str


@cache
def _font_facts(path: Path, index: int, size: int, mtime_ns: int) -> tuple[str, str, str]:
    """PostScript name, version string (name ID 5) and SHA-256 of a font file; cached on its identity."""
    font = TTFont(str(path), fontNumber=index, lazy=True)
    try:
        name = font["name"]
        postscript = str(name.getDebugName(6) or "")
        version = str(name.getDebugName(5) or "")
    finally:
        font.close()
    return postscript, version, sha256(path)


def faces_used(issue: Issue) -> list[FontFace]:
    """The faces the issue's text is set in: each role's face, and the fallbacks its characters need."""
    text = "".join(t for _file, _line, t in source_texts(issue))
    text += issue.paper + "".join(issue.shown_metadata())
    text += "".join(page.label + page.section for page in issue.pages)
    faces: dict[tuple[Path, int, int], FontFace] = {}
    for role, weight in _FACES:
        for face in coverage.faces_for(text, role, weight):
            faces.setdefault((face.path, face.index, face.weight), face)
    return list(faces.values())


def font_record(face: FontFace) -> dict[str, object]:
    stat = face.path.stat()
    postscript, version, digest = _font_facts(face.path, face.index, stat.st_size, stat.st_mtime_ns)
    return {
        "family": face.family,
        "weight": face.weight,
        "postscript_name": postscript,
        "version": version,
        "file": face.path.name,
        "index": face.index,
        "bytes": stat.st_size,
        "sha256": digest,
    }


def _pdf_facts(path: Path) -> dict[str, object]:
    with pikepdf.open(path) as pdf:
        labels_tree = pdf.Root.get("/PageLabels")
        labels = []
        if labels_tree is not None:
            nums = labels_tree.Nums
            labels = [str(nums[i + 1].get("/P", "")) for i in range(0, len(nums), 2)]
        claim = str(pdf.open_metadata().pdfa_status or "")
        return {"pages": len(pdf.pages), "page_labels": labels, "conformance": f"PDF/A-{claim}" if claim else None}


def _epub_facts(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as book:
        opf_name = next(n for n in book.namelist() if n.endswith(".opf"))
        opf = ElementTree.fromstring(book.read(opf_name))
    identifier = opf.find(f".//{_DC_IDENTIFIER}")
    return {"identifier": identifier.text if identifier is not None else None, "conformance": "EPUB 3"}


def edition_record(edition: Payload) -> dict[str, object]:
    record: dict[str, object] = {
        "file": edition.name,
        "bytes": edition.path.stat().st_size,
        "sha256": sha256(edition.path),
    }
    if edition.path.suffix == ".pdf":
        record["format"] = "application/pdf"
        record.update(_pdf_facts(edition.path))
    else:
        record["format"] = "application/epub+zip"
        record.update(_epub_facts(edition.path))
    return record


def issue_manifest(issue: Issue, editions: list[Payload], sources: dict[Path, Payload],
                   report: Payload, passed: bool) -> dict[str, object]:
    """The manifest as a JSON-ready dict; ``sources`` maps each source file to its payload entry."""
    return {
        **issue.metadata(),
        "issue_file": sources[issue.source].name,
        "pages": [
            {
                "sequence": sequence,
                "label": page.label,
                "section": page.section,
                "articles": len(page.articles),
                "source": sources[page.source].name,
                "sha256": sha256(sources[page.source].path),  # the copy in the bag: the bytes built from
            }
            for sequence, page in enumerate(issue.pages, start=1)
        ],
        "editions": [edition_record(edition) for edition in editions],
        "fonts": [font_record(face) for face in faces_used(issue)],
        "check": {"report": report.name, "passed": passed},
        "built": build_datetime(issue).isoformat(),
        "toolkit": {"name": "publisher", "version": __version__},
    }
