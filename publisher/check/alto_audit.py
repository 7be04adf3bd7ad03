"""`publisher check` of an issue's archive files: the METS document, and each ALTO against its PDF.

Read back as an archive gets them: the METS names the files, their sizes and
checksums; each sheet's PDF is read with pdfminer.six (its characters, where
it draws them) and compared with the sheet's ALTO: every character the PDF
draws must be in exactly one String, whose CONTENT it spells and whose box it
sits on, and no String may hold text the PDF does not draw. Given the issue,
each article's text, read from the ALTO blocks the METS logical structure map
points at, must be the source's, in reading order.
"""

from __future__ import annotations

import math
import warnings
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..checksums import sha256
from ..limits import ARCHIVE_XML_BYTES
from ..model import Issue
from ..typeset.whitespace import squeeze
from ..untrusted import Refused, inside, size_text
from .findings import EditionReport, Finding, Metric, sorted_findings

METS = "{http://www.loc.gov/METS/}"
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"
XLINK = "{http://www.w3.org/1999/xlink}href"
UNITS_PER_PT = {"inch1200": 1200 / 72, "mm10": 254 / 72, "pixel": None}
TOLERANCE_PT = 0.5  # a String's edges and its glyph's, and how far a box may reach past the page
GRID_PT = 24.0
# A String box over more grid cells than this covers no glyph (a glyph of a 64 pt head takes 9, a Latin
# word a column wide 20): it is not gridded, so a box of a billion points costs nothing.
GRID_CELLS = 64
SHOWN = 5  # examples quoted in one finding


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, x: float, y: float, slack: float = 0.0) -> bool:
        return self.left - slack <= x <= self.right + slack and self.top - slack <= y <= self.bottom + slack


@dataclass(frozen=True)
class AltoString:
    id: str
    content: str
    box: Rect
    block: str


@dataclass(frozen=True)
class PdfChar:
    text: str
    box: Rect


def audit_archive(mets_path: Path, shown: str, issue: Issue | None = None) -> EditionReport:
    """Check the METS document at ``mets_path`` and every sheet it lists (reported as ``shown``)."""
    root = _mets_root(mets_path, shown)
    if isinstance(root, Finding):
        return EditionReport(shown, "archive", {}, (root,))
    findings: list[Finding] = []
    files = _files(root, mets_path.parent, shown, findings)
    pages = _pages(root)
    sheets = _Sheets(shown)
    for sequence, file_ids in pages:
        findings += sheets.check(sequence, {files[f][0]: (f, files[f][1]) for f in file_ids if f in files})
    if sheets.repeated:
        findings.append(Finding("ARC005", f"{len(sheets.repeated)} pages list files already listed for another "
                                "page, checked once: " + ", ".join(sheets.repeated[:SHOWN]), shown))
    metrics: dict[str, Metric] = {"sheets": len(pages), "strings": sheets.strings, "pdf_characters": sheets.chars}
    if issue is not None:
        findings += _articles(root, sheets.blocks, issue, shown)
    return EditionReport(shown, "archive", metrics, sorted_findings(findings))


def _mets_root(mets_path: Path, shown: str) -> ElementTree.Element | Finding:
    """The METS document's root element, or why it is not read (ARC001)."""
    if (size := _size(mets_path)) > ARCHIVE_XML_BYTES:
        return Finding("ARC001", f"{size_text(size)}: larger than {size_text(ARCHIVE_XML_BYTES)}, not read", shown)
    try:
        root = ElementTree.parse(mets_path).getroot()
    except (ElementTree.ParseError, OSError) as exc:
        return Finding("ARC001", f"not a readable METS document: {exc}", shown)
    if root.tag != f"{METS}mets":
        return Finding("ARC001", "the root element is not mets:mets", shown)
    return root


@dataclass
class _Sheets:
    """The sheets a METS lists, checked one after the other: each file once, what was read counted."""

    shown: str
    blocks: dict[str, dict[str, str]] = field(default_factory=dict)  # ALTO file ID -> TextBlock ID -> text
    strings: int = 0
    chars: int = 0
    listed: dict[Path, int] = field(default_factory=dict)  # each file of a page, and the first page that lists it
    repeated: list[str] = field(default_factory=list)

    def check(self, sequence: int, by_use: dict[str, tuple[str, Path]]) -> list[Finding]:
        """One page's files (file ID and path by their group's USE): its ALTO against its PDF, its image."""
        shown = self.shown
        if "ocr" not in by_use or "derivative" not in by_use:
            return [Finding("ARC002", "the page has no ALTO (ocr) or no PDF (derivative) file", shown,
                            f"sheet {sequence}")]
        alto_id, alto_path = by_use["ocr"]
        pdf_path = by_use["derivative"][1]
        where = f"sheet {sequence} ({alto_path.name})"
        again = [(path, self.listed[path]) for _, path in by_use.values() if path in self.listed]
        if again:
            # Each page has files of its own; one listed again is checked once (a METS listing one sheet
            # 300 times read its PDF 300 times).
            self.repeated.append(f"sheet {sequence} ({again[0][0].name}, the file of sheet {again[0][1]})")
            return []
        self.listed.update((path, sequence) for _, path in by_use.values())
        try:
            alto_strings, page_box, block_texts = read_alto(alto_path)
        except (ElementTree.ParseError, OSError, ValueError) as exc:
            return [Finding("ALTO001", f"not a readable ALTO v4 file: {exc}", shown, where)]
        self.blocks[alto_id] = block_texts
        if (bomb := _pdf_bomb(pdf_path)) is not None:
            return [Finding("ARC002", bomb, shown, where)]
        try:
            pdf_chars = pdf_characters(pdf_path)
        except Exception as exc:  # pdfminer raises many kinds on a damaged sheet, and TooMuchContent past bounds
            return [Finding("ARC002", f"{pdf_path.name}: not read: {exc}", shown, where)]
        self.strings += len(alto_strings)
        self.chars += len(pdf_chars)
        findings = compare(alto_strings, pdf_chars, page_box, shown, where)
        if "master" in by_use:
            findings += _image(by_use["master"][1], page_box, shown, f"sheet {sequence}")
        return findings


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the parser reports the file that cannot be read


def _pdf_bomb(path: Path) -> str | None:
    """Why a sheet's PDF is not read (a decompression bomb, or not a PDF), or None."""
    from ..pdflib import pikepdf
    from .pdf_audit import out_of_proportion

    try:
        with pikepdf.open(path) as pdf:
            reason = out_of_proportion(pdf)
    except (pikepdf.PdfError, OSError) as exc:
        return f"{path.name} is not a readable PDF: {exc}"
    return f"{path.name}: {reason}; not read" if reason else None


def _files(root: ElementTree.Element, folder: Path, shown: str,
           findings: list[Finding]) -> dict[str, tuple[str, Path]]:
    """file ID -> (USE of its group, path); missing files and wrong checksums are findings."""
    files: dict[str, tuple[str, Path]] = {}
    digests: dict[Path, str] = {}  # a file listed under many IDs is hashed once
    for group in root.iter(f"{METS}fileGrp"):
        for file in group.iter(f"{METS}file"):
            location = file.find(f"{METS}FLocat")
            href = location.get(XLINK) if location is not None else None
            try:
                # A package from elsewhere is not trusted: a link in it must not lead out of it.
                path = inside(folder, href or "", "file") if href and ".." not in Path(href).parts else None
            except Refused:
                path = None
            if path is None:
                findings.append(Finding("ARC002", f"file {file.get('ID')} has no location inside the package",
                                        shown))
                continue
            if not path.is_file():  # also a pipe or a device, never opened
                findings.append(Finding("ARC002", f"{href} is listed in the METS but missing", shown))
                continue
            checksum = file.get("CHECKSUM")
            if checksum is not None and path not in digests:
                digests[path] = sha256(path)
            if checksum is not None and digests[path] != checksum.lower():
                findings.append(Finding("ARC003", f"{href} does not match its SHA-256 in the METS", shown))
            files[file.get("ID", "")] = (group.get("USE", ""), path)
    return files


def _pages(root: ElementTree.Element) -> list[tuple[int, list[str]]]:
    """The physical structure map's pages in order, with the IDs of their files."""
    for struct_map in root.iter(f"{METS}structMap"):
        if struct_map.get("TYPE") == "physical":
            divs = [d for d in struct_map.iter(f"{METS}div") if d.get("TYPE") == "np:page"]
            return [(_order(d.get("ORDER"), index + 1), [f.get("FILEID", "") for f in d.iter(f"{METS}fptr")])
                    for index, d in enumerate(divs)]
    return []


def _order(value: str | None, default: int) -> int:
    """A page's ORDER as written, if it is a number (a damaged METS may say anything)."""
    return int(value) if value is not None and value.isascii() and value.isdigit() and len(value) < 10 else default


def read_alto(path: Path) -> tuple[list[AltoString], Rect, dict[str, str]]:
    """The Strings of an ALTO v4 file in points, the page's box, and each TextBlock's text."""
    if (size := _size(path)) > ARCHIVE_XML_BYTES:
        raise ValueError(f"{size_text(size)}: larger than {size_text(ARCHIVE_XML_BYTES)}, not read")
    root = ElementTree.parse(path).getroot()
    unit = root.findtext(f"{ALTO}Description/{ALTO}MeasurementUnit", "")
    scale = UNITS_PER_PT.get(unit)
    if scale is None:
        raise ValueError(f"MeasurementUnit {unit!r}: expected inch1200 or mm10")
    page = root.find(f"{ALTO}Layout/{ALTO}Page")
    if page is None:
        raise ValueError("no Layout/Page element")
    page_box = Rect(0.0, 0.0, _number(page, "WIDTH") / scale, _number(page, "HEIGHT") / scale)
    strings: list[AltoString] = []
    texts: dict[str, str] = {}
    for block in page.iter(f"{ALTO}TextBlock"):
        block_id = block.get("ID", "")
        parts = []
        for string in block.iter(f"{ALTO}String"):
            left, top = _number(string, "HPOS") / scale, _number(string, "VPOS") / scale
            width, height = _number(string, "WIDTH") / scale, _number(string, "HEIGHT") / scale
            content = string.get("CONTENT", "")
            strings.append(AltoString(string.get("ID", ""), content, Rect(left, top, left + width, top + height),
                                      block_id))
            parts.append(content)
        texts[block_id] = "".join(parts)
    return strings, page_box, texts


def _number(element: ElementTree.Element, name: str) -> float:
    """A measurement of the ALTO file; ValueError (an unreadable file) for text or NaN and infinities."""
    value = element.get(name, "0")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name}={value!r} on a {element.tag.rsplit('}', 1)[-1]} is not a measurement")
    return number


def pdf_characters(path: Path) -> list[PdfChar]:
    """The characters a one-page PDF draws, with their boxes in points from the top left corner."""
    from .pdf_reading import pages

    chars: list[PdfChar] = []
    for layout in pages(path):
        height = layout.height
        for item in _chars(layout):
            text = item.get_text()
            if text.strip():
                chars.append(PdfChar(text, Rect(item.x0, height - item.y1, item.x1, height - item.y0)))
    return chars


def _chars(item: Any) -> Iterator[Any]:
    from pdfminer.layout import LTChar

    if isinstance(item, LTChar):
        yield item
    elif hasattr(item, "__iter__"):
        for child in item:
            yield from _chars(child)


def compare(strings: list[AltoString], chars: list[PdfChar], page: Rect, shown: str,
            where: str) -> list[Finding]:
    """Findings where the ALTO's Strings and the PDF's characters disagree."""
    findings: list[Finding] = []
    outside = [s for s in strings if not (page.holds(s.box.left, s.box.top, TOLERANCE_PT)
                                          and page.holds(s.box.right, s.box.bottom, TOLERANCE_PT))]
    if outside:
        findings.append(Finding("ALTO004", f"{len(outside)} String boxes reach outside the page: "
                                + ", ".join(s.id for s in outside[:SHOWN]), shown, where))
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    off_page = {id(s) for s in outside}
    for index, string in enumerate(strings):
        columns = int(string.box.right // GRID_PT) - int(string.box.left // GRID_PT) + 1
        rows = int(string.box.bottom // GRID_PT) - int(string.box.top // GRID_PT) + 1
        if id(string) in off_page or columns * rows > GRID_CELLS:
            continue  # not on a glyph of the page (ALTO004 or, holding no character, ALTO002): never gridded
        for cx in range(int(string.box.left // GRID_PT), int(string.box.right // GRID_PT) + 1):
            for cy in range(int(string.box.top // GRID_PT), int(string.box.bottom // GRID_PT) + 1):
                grid[(cx, cy)].append(index)
    held: dict[int, list[PdfChar]] = defaultdict(list)
    unheld: list[PdfChar] = []
    for char in chars:
        x, y = (char.box.left + char.box.right) / 2, (char.box.top + char.box.bottom) / 2
        candidates = [i for i in grid.get((int(x // GRID_PT), int(y // GRID_PT)), [])
                      if strings[i].box.holds(x, y, TOLERANCE_PT) and char.text in strings[i].content]
        if not candidates:
            unheld.append(char)
            continue
        # Compressed punctuation overlaps its neighbour's box: the String that starts nearest the glyph holds it.
        best = min(candidates, key=lambda i: abs(strings[i].box.left - char.box.left))
        held[best].append(char)
    if unheld:
        sample = "".join(c.text for c in unheld[:20])
        findings.append(Finding("ALTO002", f"{len(unheld)} characters the PDF draws are in no String on them: "
                                f"「{sample}」", shown, where))
    wrong_text: list[str] = []
    wrong_box: list[str] = []
    for index, string in enumerate(strings):
        glyphs = sorted(held.get(index, []), key=lambda c: c.box.left)
        if squeeze("".join(c.text for c in glyphs)) != squeeze(string.content):
            wrong_text.append(f"{string.id} 「{string.content}」")
            continue
        first, last = glyphs[0], glyphs[-1]
        if (abs(first.box.left - string.box.left) > TOLERANCE_PT or abs(last.box.right - string.box.right)
                > TOLERANCE_PT or not string.box.holds(string.box.left, (first.box.top + first.box.bottom) / 2)):
            wrong_box.append(string.id)
    if wrong_text:
        findings.append(Finding("ALTO002", f"{len(wrong_text)} Strings hold text the PDF does not draw there: "
                                + ", ".join(wrong_text[:SHOWN]), shown, where))
    if wrong_box:
        findings.append(Finding("ALTO003", f"{len(wrong_box)} String boxes are not on their glyphs "
                                f"(more than {TOLERANCE_PT} pt off): " + ", ".join(wrong_box[:SHOWN]), shown, where))
    return findings


def _image(path: Path, page: Rect, shown: str, where: str) -> list[Finding]:
    """The page image opens, states its resolution, and covers the page at it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # A header claiming a huge image is refused, not decoded (Pillow's decompression bomb check).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                dpi = image.info.get("dpi")
                size = image.size
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        return [Finding("ARC004", f"the page image {path.name} does not open: {exc}", shown, where)]
    if not dpi:
        return [Finding("ARC004", f"the page image {path.name} states no resolution", shown, where)]
    try:
        expected = (round(page.right / 72 * float(dpi[0])), round(page.bottom / 72 * float(dpi[1])))
    except (TypeError, ValueError, IndexError, OverflowError):  # a resolution of NaN, of one number …
        return [Finding("ARC004", f"the page image {path.name} states no usable resolution: {dpi!r}", shown, where)]
    if abs(size[0] - expected[0]) > 1 or abs(size[1] - expected[1]) > 1:
        return [Finding("ARC004", f"the page image {path.name} is {size[0]}×{size[1]} px, the page at "
                        f"{float(dpi[0]):g} dpi is {expected[0]}×{expected[1]}", shown, where)]
    return []


def _articles(root: ElementTree.Element, blocks: dict[str, dict[str, str]], issue: Issue,
              shown: str) -> list[Finding]:
    """Each article of the logical structure map reads, through its ALTO blocks, as the source's article."""
    divs = [d for m in root.iter(f"{METS}structMap") if m.get("TYPE") == "logical"
            for d in m.iter(f"{METS}div") if d.get("TYPE") == "article"]
    articles = [(page, article) for page in issue.pages for article in page.articles]
    findings: list[Finding] = []
    if len(divs) != len(articles):
        return [Finding("ALTO005", f"the METS lists {len(divs)} articles, the issue has {len(articles)}", shown)]
    for div, (page, article) in zip(divs, articles, strict=True):
        text = "".join(blocks.get(area.get("FILEID", ""), {}).get(area.get("BEGIN", ""), "")
                       for area in div.iter(f"{METS}area"))
        expected = "".join(t.value for t in article.printed_texts())
        if squeeze(text) != squeeze(expected):
            at = next((i for i, (a, b) in enumerate(zip(squeeze(text), squeeze(expected), strict=False)) if a != b),
                      min(len(squeeze(text)), len(squeeze(expected))))
            findings.append(Finding("ALTO005", f"article 「{div.get('LABEL', '')[:24]}」 reads differently from its "
                                    f"source from character {at}: 「{squeeze(text)[at:at + 12]}」 for "
                                    f"「{squeeze(expected)[at:at + 12]}」", shown,
                                    f"{page.source.name}:{article.line}"))
    return findings
