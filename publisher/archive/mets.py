"""The issue's METS document: descriptive metadata (MODS), the files of every sheet, two structure maps.

The profile is NDNP's issue profile (Library of Congress, National Digital
Newspaper Program, ``urn:library-of-congress:mets:profiles:ndnp:issue:v1.5``)
for a born-digital issue: NDNP's dmdSec IDs, structure-map types, file IDs
and USE values (master image, derivative PDF, ocr ALTO), with the files in one
group per kind rather than per page, and a logical structure map that NDNP
leaves out: issue, sections, articles, and for each article its kicker,
headline, subheadline, body and bylines pointing at their ALTO blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..checksums import sha256
from ..model import Issue
from ..templates import environment
from .alto import AltoPage

PART_TYPES = {"kicker": "kicker", "headline": "headline", "subheadline": "subheadline", "body": "body",
              "bylines": "byline", "illustration": "illustration", "caption": "caption"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}


@dataclass(frozen=True)
class SheetFiles:
    """The files of one sheet, by METS file group."""

    sequence: int
    label: str
    section: str
    image: Path
    pdf: Path
    alto: Path


@dataclass(frozen=True)
class Area:
    file: str  # the ALTO file's ID (or an original image's, for an illustration)
    block: str  # the block's ID in it; empty for a whole file


@dataclass(frozen=True)
class Part:
    type: str  # kicker, headline, subheadline, body, byline
    areas: list[Area]


# (group USE, file ID prefix, MIME type, attribute of SheetFiles), in NDNP's words.
GROUPS = (
    ("master", "masterFile", "image/tiff", "image"),
    ("derivative", "otherDerivativeFile", "application/pdf", "pdf"),
    ("ocr", "ocrFile", "text/xml", "alto"),
)


def mets_context(issue: Issue, sheets: list[SheetFiles], altos: list[AltoPage], created: str,
                 originals: list[tuple[str, Path, str]] | None = None,
                 image_ids: dict[str, str] | None = None) -> dict[str, object]:
    """The METS template's context; ``originals``: (file ID, path, format) of each picture's original image
    file, in its own group (USE original), which each illustration part of an article points at too."""
    agency = issue.publisher or issue.paper
    facts = {
        **issue.metadata(),  # every field of issue.yaml under its own name (model.METADATA)
        "number": issue.issue, "agency": agency, "pages": len(issue.pages),
        "label": f"{issue.paper}, {issue.date.isoformat()}" + (f", {issue.edition}" if issue.edition else ""),
        "objid": f"{issue.lccn or issue.issn or issue.paper}/{issue.date.isoformat()}/ed-1",
    }
    groups = []
    for use, prefix, mimetype, attribute in GROUPS:
        files = []
        for sheet in sheets:
            path: Path = getattr(sheet, attribute)
            files.append({"id": f"{prefix}{sheet.sequence}", "mimetype": mimetype, "sequence": sheet.sequence,
                          "size": path.stat().st_size, "sha256": sha256(path), "href": path.name})
        groups.append({"id": f"{use}Files", "use": use, "files": files})
    if originals:
        folder = sheets[0].alto.parent if sheets else None
        groups.append({"id": "originalFiles", "use": "original", "files": [
            {"id": file_id, "mimetype": MIME_TYPES.get(fmt, "application/octet-stream"), "sequence": number,
             "size": path.stat().st_size, "sha256": sha256(path),
             "href": path.relative_to(folder).as_posix() if folder else path.name}
            for number, (file_id, path, fmt) in enumerate(originals, start=1)]})
    pages = [{"sequence": s.sequence, "label": s.label, "section": s.section,
              "files": [f"{prefix}{s.sequence}" for _, prefix, _, _ in GROUPS]} for s in sheets]
    articles, sections = _logical(issue, altos, image_ids or {})
    return {"issue": facts, "pages": pages, "file_groups": groups, "articles": articles, "sections": sections,
            "created": created, "version": __version__}


def _logical(issue: Issue, altos: list[AltoPage],
             image_ids: dict[str, str]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The articles (for their dmdSecs) and the sections holding them, each part with its ALTO areas."""
    articles: list[dict[str, object]] = []
    sections: list[dict[str, object]] = []
    held: list[dict[str, object]] = []
    for page_number, page in enumerate(issue.pages):
        if not sections or sections[-1]["label"] != page.section:
            held = []
            sections.append({"label": page.section, "articles": held})
        for article_number, article in enumerate(page.articles):
            key = (page_number, article_number)
            parts: list[Part] = []
            pictures = iter(article.pictures)
            for alto in altos:
                for role, block in alto.parts.get(key, []):
                    area = Area(f"ocrFile{alto.sequence}", block)
                    if role == "illustration":
                        # The picture where it prints, and its original image file, whole.
                        picture = next(pictures, None)
                        original = image_ids.get(picture.image.file) if picture is not None else None
                        parts.append(Part("illustration", [area, *([Area(original, "")] if original else [])]))
                    elif parts and parts[-1].type == PART_TYPES[role]:
                        parts[-1].areas.append(area)
                    else:
                        parts.append(Part(PART_TYPES[role], [area]))
            number = len(articles) + 1
            headline = article.headline.value if article.headline else None
            kicker = article.kicker.value if article.kicker else None
            entry: dict[str, object] = {
                "id": f"article{number}", "dmdid": f"articleModsBib{number}",
                "label": headline or kicker or f"{page.label} ({article_number + 1})",
                "headline": headline, "kicker": kicker,
                "subheadline": article.subheadline.value if article.subheadline else None,
                "bylines": [b.value for b in article.bylines], "parts": parts,
            }
            articles.append(entry)
            held.append(entry)
    return articles, sections


def render_mets(context: dict[str, object], layout: Path | None = None) -> bytes:
    return environment("archive", layout).get_template("mets.xml").render(**context).encode("utf-8")
