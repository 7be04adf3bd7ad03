"""Checks of a built print PDF: embedded fonts with ToUnicode, the PDF/A claim and
the basics it needs, the typography lint, and (given the issue) the text layer
against the source.

What is checked of PDF/A is what a build can get wrong, not the whole of
ISO 19005 (veraPDF is not installable here): a claim in the XMP metadata, an
output intent, a document ID, an unfiltered metadata stream, no encryption,
and attachments only where the claimed part allows them.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ToolError, missing_tool
from ..limits import PDF_EXPANDED_BYTES, PDF_PAGES, PDF_STREAM_BYTES
from ..model import Issue
from ..pdflib import pikepdf
from ..typeset.cjk.classes import Level
from ..typeset.geometry import Geometry, load_geometry
from ..typeset.whitespace import squeeze
from ..untrusted import size_text
from .fidelity import missing_texts
from .findings import EditionReport, Finding, Metric, sorted_findings
from .lint import LOOSEST, NOT_FLUSH, PROHIBITED_END, PROHIBITED_START, lint_pdf
from .pdf_reading import TooMuchContent
from .pictures_audit import ERROR_PPI, WARN_PPI, drawn_pictures

FLUSH_MINIMUM = 0.98
# A share needs lines to be a share of: on a sheet of a few short paragraphs
# the lint cannot tell a paragraph's end from a ragged line (every line there
# may start indented), and a 98% rule over three lines is noise.
FLUSH_SAMPLE = 20
# Looseness of justified lines (em between characters) that is still even
# grey: the 95th percentile, the loosest line, the share over 0.1 em.
LOOSE_P95, LOOSE_MAX, LOOSE_SHARE = 0.03, 0.25, 0.01


def audit_pdf(
    path: Path,
    shown: str,
    issue: Issue | None = None,
    column_widths: tuple[float, ...] | None = None,
    level: Level = "strict",
) -> EditionReport:
    """Check the PDF at ``path`` (reported as ``shown``)."""
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return EditionReport(shown, "pdf", {}, (Finding("PDF001", str(exc).strip() or "cannot open", shown),))
    try:
        bomb = out_of_proportion(pdf)
    except pikepdf.PdfError as exc:
        bomb = f"damaged PDF structure: {exc}"
    if bomb is None and len(pdf.pages) > PDF_PAGES:
        bomb = f"{len(pdf.pages):,} pages, more than the limit of {PDF_PAGES:,}"
    if bomb is not None:
        pdf.close()
        return EditionReport(shown, "pdf", {}, (Finding("PDF001", f"{bomb}; not read further", shown),))
    metrics: dict[str, Metric] = {"pages": len(pdf.pages)}
    overdrawn: TooMuchContent | None = None  # the pictures' walk past its bound: no reader is given the file
    try:
        findings = [*_fonts(pdf, shown, metrics), *_pdfa(pdf, shown, metrics)]
        try:
            findings += _pictures(pdf, shown, metrics)
        except TooMuchContent as exc:
            overdrawn = exc
    except pikepdf.PdfError as exc:
        findings = [Finding("PDF001", str(exc).strip() or "damaged PDF structure", shown)]
    except (AttributeError, TypeError, KeyError, ValueError, IndexError, RecursionError) as exc:
        # An object of the wrong kind where the structure needs another, which no check above foresaw.
        findings = [Finding("PDF001", f"damaged PDF structure: {type(exc).__name__}: {exc}", shown)]
    finally:
        pdf.close()
    try:
        findings += _typography(path, shown, metrics, column_widths, level)
    except TooMuchContent as exc:
        # Out of all proportion: no other reader (pdftotext included) is given it either.
        findings.append(Finding("PDF001", f"not read further: {exc}", shown))
        return EditionReport(shown, "pdf", metrics, sorted_findings(findings))
    except Exception as exc:  # pdfminer raises many kinds on a damaged content stream
        findings.append(Finding("PDF001", f"the text could not be read: {type(exc).__name__}: {exc}", shown))
    if overdrawn is not None:
        findings.append(Finding("PDF001", f"not read further: {overdrawn}", shown))
        return EditionReport(shown, "pdf", metrics, sorted_findings(findings))
    if issue is not None:
        geometry = load_geometry(issue.page_size, issue.layout)
        try:
            layer = text_layer(path, _type_area(path, geometry))
        except TextUnread as exc:
            findings.append(Finding("PDF001", str(exc), shown))
        else:
            for missing in missing_texts(issue, geometry.furniture.without_jump_lines(squeeze(layer))):
                findings.append(Finding("PDF014", missing.describe(), shown, f"source {missing.location}"))
    return EditionReport(shown, "pdf", metrics, sorted_findings(findings))


def out_of_proportion(pdf: Any) -> str | None:
    """Why the PDF's streams must not be decoded (a decompression bomb), or None.

    Every Flate stream is inflated once, a bounded amount at a time, before
    the lint, pdfminer or pdftotext decode them all in memory.
    """
    total = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        filters = obj.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
        if names != ["/FlateDecode"]:
            continue  # unfiltered, or filters that do not multiply the size by thousands
        inflate = zlib.decompressobj()
        data = obj.read_raw_bytes()
        size = 0
        try:
            while data and size <= PDF_STREAM_BYTES:
                size += len(inflate.decompress(data, 1 << 20))
                data = inflate.unconsumed_tail
        except zlib.error:
            continue  # a damaged stream: the readers report it
        if size > PDF_STREAM_BYTES:
            return f"a stream (object {obj.objgen[0]}) decodes to more than {size_text(PDF_STREAM_BYTES)}"
        total += size
        if total > PDF_EXPANDED_BYTES:
            return f"the streams decode to more than {size_text(PDF_EXPANDED_BYTES)}"
    return None


def _type_area(path: Path, geometry: Geometry) -> tuple[float, float, float, float] | None:
    """The type area of the first sheet (x, y from the top left, width, height in pt), inside its trim box."""
    try:
        with pikepdf.open(path) as pdf:
            page = pdf.pages[0]
            media = [float(v) for v in page.mediabox]
            trim = [float(v) for v in page.get("/TrimBox", page.mediabox)]
    except (pikepdf.PdfError, OSError, IndexError):
        return None
    side = min(geometry.margin_inside, geometry.margin_outside)  # left and right pages swap their margins
    x = trim[0] - media[0] + side
    y = media[3] - trim[3] + geometry.margin_top
    return (x, y, trim[2] - trim[0] - 2 * side, trim[3] - trim[1] - geometry.margin_top - geometry.margin_bottom)


class TextUnread(Exception):
    """pdftotext did not read the PDF in its time: a finding about the PDF, not a missing tool."""


PDFTOTEXT_SECONDS = 120  # the sample takes 0.1 s; a PDF the lint could read within its bounds, a few seconds


def text_layer(path: Path, area: tuple[float, float, float, float] | None = None) -> str:
    """The PDF's text in content stream order (poppler's ``pdftotext -raw``), of ``area`` of each sheet if given.

    Stream order is the order the layout drew the text in, the source's order;
    a layout analysis (pdfminer's, poppler's default) can splice a headline of
    the next column into the middle of a paragraph. The area keeps the running
    heads and the 转下页 marks out: drawn in the margins of every sheet, they
    would fall inside a paragraph that goes on from one sheet to the next.
    """
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        raise missing_tool("pdftotext")
    crop: list[str] = []
    if area is not None:  # whole points at 72 dpi, never narrower than the area
        x, y, width, height = area
        crop = ["-r", "72", "-x", str(math.floor(x)), "-y", str(math.floor(y)),
                "-W", str(math.ceil(width) + 2), "-H", str(math.ceil(height) + 2)]
    try:
        done = subprocess.run([pdftotext, "-raw", *crop, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              check=True, timeout=PDFTOTEXT_SECONDS)
    except subprocess.TimeoutExpired:
        raise TextUnread(f"pdftotext did not read the text layer within {PDFTOTEXT_SECONDS} s") from None
    except subprocess.CalledProcessError as exc:  # poppler refuses the file: the PDF's fault, not the tool's
        reason = exc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {exc.returncode}"]
        raise TextUnread(f"pdftotext cannot read the text layer: {reason[0][:200]}") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise ToolError(f"pdftotext failed on {path.name}: {exc}") from exc
    return done.stdout.decode("utf-8", "replace")


# --- fonts -----------------------------------------------------------------


def _page_fonts(resources: Any, seen_forms: set[tuple[int, int]], damaged: list[str]) -> Iterator[Any]:
    """The font dictionaries a page uses, including those of its form XObjects.

    A PDF from elsewhere may hold anything where a dictionary belongs (a
    number, an array): that is noted in ``damaged`` and skipped.
    """
    if not isinstance(resources, pikepdf.Dictionary):
        if resources is not None:
            damaged.append("/Resources is not a dictionary")
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for name, font in fonts.items():
            if isinstance(font, pikepdf.Dictionary):
                yield font
            else:
                damaged.append(f"the font {name} is not a font dictionary")
    elif fonts is not None:
        damaged.append("/Font is not a dictionary of fonts")
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return
    if not isinstance(xobjects, pikepdf.Dictionary):
        damaged.append("/XObject is not a dictionary")
        return
    for name, xobject in xobjects.items():
        if not isinstance(xobject, pikepdf.Stream | pikepdf.Dictionary):
            damaged.append(f"the XObject {name} is not a stream")
        elif xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen_forms:
            seen_forms.add(xobject.objgen)
            yield from _page_fonts(xobject.get("/Resources"), seen_forms, damaged)


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # its glyphs are drawn by content streams inside the font
    try:
        descriptor_owner = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
        descriptor = descriptor_owner.get("/FontDescriptor")
        return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    except (AttributeError, IndexError, KeyError, TypeError):
        return False  # a malformed font dictionary embeds nothing usable


def _fonts(pdf: Any, shown: str, metrics: dict[str, Metric]) -> Iterator[Finding]:
    seen: set[tuple[int, int]] = set()
    forms: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        damaged: list[str] = []
        for font in _page_fonts(page.obj.get("/Resources"), forms, damaged):
            key = font.objgen
            if key in seen and key != (0, 0):
                continue
            seen.add(key)
            name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
            if not _embedded(font):
                yield Finding("PDF002", f"font {name} is not embedded", shown, f"page {number}")
            if "/ToUnicode" not in font:
                yield Finding("PDF003", f"font {name} has no ToUnicode map", shown, f"page {number}")
        for problem in dict.fromkeys(damaged):
            yield Finding("PDF001", f"damaged PDF structure: {problem}", shown, f"page {number}")
    metrics["fonts"] = len(seen)


# --- pictures --------------------------------------------------------------


def _pictures(pdf: Any, shown: str, metrics: dict[str, Metric]) -> Iterator[Finding]:
    pictures = drawn_pictures(pdf)
    metrics["pictures"] = len(pictures)
    if pictures:
        metrics["lowest_ppi"] = round(min(p.ppi for p in pictures))
    for picture in pictures:
        where = f"page {picture.page}"
        size = f"{picture.pixels[0]}x{picture.pixels[1]} px over {picture.size_pt[0]:.0f}x{picture.size_pt[1]:.0f} pt"
        if picture.ppi < ERROR_PPI:
            yield Finding("PDF017", f"a picture prints at {picture.ppi:.0f} ppi ({size})", shown, where)
        elif picture.ppi < WARN_PPI:
            yield Finding("PDF016", f"a picture prints at {picture.ppi:.0f} ppi ({size})", shown, where)


# --- PDF/A -----------------------------------------------------------------


def _pdfa(pdf: Any, shown: str, metrics: dict[str, Metric]) -> Iterator[Finding]:
    metrics["attachments"] = len(pdf.attachments)
    # Read the stream as written: open_metadata() as a context manager would rewrite it.
    stream = pdf.Root.get("/Metadata")
    claim = str(pdf.open_metadata().pdfa_status or "")
    metrics["pdfa"] = claim or None
    if not claim:
        yield Finding("PDF004", "the PDF claims no PDF/A conformance", shown)
        return
    part = claim[0]
    intents = pdf.Root.get("/OutputIntents")
    intents = list(intents) if isinstance(intents, pikepdf.Array) else []  # a dictionary there is no list of intents
    if not any(isinstance(i, pikepdf.Dictionary) and i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i
               for i in intents):
        yield Finding("PDF005", f"PDF/A-{claim} without a GTS_PDFA1 output intent and ICC profile", shown)
    ids = pdf.trailer.get("/ID")
    if ids is None or len(ids) != 2:
        yield Finding("PDF006", "the trailer has no /ID", shown)
    if stream is None or stream.get("/Type") != "/Metadata" or stream.get("/Subtype") != "/XML":
        why = "is missing" if stream is None else "is not /Type /Metadata /Subtype /XML"
        yield Finding("PDF007", f"the XMP metadata stream {why}", shown)
    elif part == "1" and "/Filter" in stream:
        # Only PDF/A-1 forbids a filter on the XMP stream (ISO 19005-1, 6.7.2); PDF/A-2 and 3 allow it.
        yield Finding("PDF007", "PDF/A-1 with a filtered XMP metadata stream", shown)
    if pdf.is_encrypted:
        yield Finding("PDF010", "the file is encrypted", shown)
    for name, spec in pdf.attachments.items():
        if part in "12":
            yield Finding("PDF008", f"PDF/A-{claim} carries the attachment {name}", shown)
        elif "/AFRelationship" not in spec.obj:
            yield Finding("PDF009", f"the attachment {name} has no /AFRelationship", shown)


# --- typography ------------------------------------------------------------


def _typography(
    path: Path, shown: str, metrics: dict[str, Metric], widths: tuple[float, ...] | None, level: Level
) -> Iterator[Finding]:
    from ..typeset.fonts import primary

    # The body is set in the serif role's face (fonts/fonts.toml), whatever else the sheet shows most.
    report = lint_pdf(path, column_width_pt=widths, body_family=primary("serif").family, level=level)
    metrics["justified_lines"] = report.justified
    metrics["flush_share"] = round(report.flush_share, 4)
    metrics["prohibited_starts"] = report.prohibited_starts
    metrics["prohibited_ends"] = report.prohibited_ends
    metrics["looseness_p95"] = None if report.loose_p95 is None else round(report.loose_p95, 3)
    metrics["looseness_max"] = None if report.loose_max is None else round(report.loose_max, 3)
    metrics["loose_share"] = None if report.loose_share is None else round(report.loose_share, 4)
    loosest = None
    not_flush = []
    for finding in report.findings:
        where = f"page {finding.page}"
        if finding.code == PROHIBITED_START:
            yield Finding(finding.code, f"line starts with “{finding.mark}” ({finding.detail}): "
                          f"「{finding.text.strip()[:30]}」", shown, where)
        elif finding.code == PROHIBITED_END:
            yield Finding(finding.code, f"line ends with “{finding.mark}” ({finding.detail}): "
                          f"「{finding.text.strip()[-30:]}」", shown, where)
        elif finding.code == NOT_FLUSH:
            not_flush.append(finding)
        elif finding.code == LOOSEST:
            loosest = finding
    if report.justified >= FLUSH_SAMPLE and report.flush_share < FLUSH_MINIMUM:
        first = not_flush[0] if not_flush else None
        example = f"; first: page {first.page} 「{first.text.strip()[-20:]}」 {first.detail}" if first else ""
        yield Finding(NOT_FLUSH, f"{report.flush} of {report.justified} justified lines flush "
                      f"({report.flush_share:.1%}, minimum {FLUSH_MINIMUM:.0%}){example}", shown,
                      f"page {first.page}" if first else None)
    p95, worst, share = report.loose_p95, report.loose_max, report.loose_share
    if (len(report.looseness) >= FLUSH_SAMPLE and p95 is not None and worst is not None and share is not None
            and (p95 > LOOSE_P95 or worst > LOOSE_MAX or share > LOOSE_SHARE)):
        on_page = f"page {loosest.page}" if loosest else None
        example = f" on page {loosest.page} 「{loosest.text.strip()[:20]}」" if loosest else ""
        yield Finding(LOOSEST, f"justified lines loose: 95th percentile {p95:.3f} em, loosest {worst:.3f} em"
                      f"{example}, {share:.1%} over 0.1 em (even grey: at most {LOOSE_P95} em, {LOOSE_MAX} em, "
                      f"{LOOSE_SHARE:.0%})", shown, on_page)
