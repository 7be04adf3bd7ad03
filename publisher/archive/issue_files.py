"""The archive files of an issue, as newspaper archives ingest them (NDNP's issue profile).

Into one folder, per sheet of the print edition (``0001`` …, in print
order): the page image (``0001.tif``), the sheet's own PDF (``0001.pdf``) and
its ALTO (``0001.xml``); per issue, the original image file of every picture
and advertisement, byte for byte (``pictures/`` + its name in the issue), and
the METS document (``mets.xml``) that ties them together and describes the
issue, its sections and its articles.

The text and positions come from the print edition's layout itself: the
build that wrote the edition hands them on (``publisher.print.pdf.LaidOut``); for an
edition built before, the issue is laid out again with the options the
edition was made with (the layout is deterministic, and that layout writes
no PDF). The sheet count is checked against the PDF. `publisher check`
compares every ALTO with the PDF it describes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import write_atomic
from ..errors import ToolError
from ..model import Image, Issue
from ..print.pdf import LaidOut
from ..print.print_options import PrintOptions
from ..print.sheet_pdf import split_sheets
from ..timestamps import build_datetime
from .alto import AltoPage, alto_context, render_alto
from .mets import SheetFiles, mets_context, render_mets
from .page_images import SUFFIX, render_image

METS_NAME = "mets.xml"
PICTURES_DIR = "pictures"



@dataclass
class Timings:
    """Wall time of each step, in seconds, for the benchmark and the notes."""

    steps: dict[str, float] = field(default_factory=dict)

    def add(self, step: str, started: float) -> None:
        self.steps[step] = self.steps.get(step, 0.0) + time.perf_counter() - started


def write_archive(issue: Issue, edition_pdf: Path, folder: Path, options: PrintOptions | None = None,
                  timings: Timings | None = None, laid_out: LaidOut | None = None) -> Path:
    """Write the archive files of ``issue`` (print edition ``edition_pdf``) into ``folder``; return the METS.

    ``laid_out`` is the text of the edition's sheets as the build that wrote it laid them out; without
    it the issue is laid out again.
    """
    from ..print.pdf import lay_out_text

    timings = timings or Timings()
    options = options or PrintOptions()
    if laid_out is None or laid_out.plan is None:
        started = time.perf_counter()
        laid_out = lay_out_text(issue, PrintOptions(bleed=options.bleed, marks=options.marks))
        timings.add("layout", started)
    sheet_map = laid_out.plan
    assert sheet_map is not None
    laid_out_sheets = laid_out.sheets
    from ..pdflib import pikepdf

    with pikepdf.open(edition_pdf) as pdf:
        count = len(pdf.pages)
    if count != len(laid_out_sheets):
        raise ToolError(f"{edition_pdf.name} has {count} sheets but the issue lays out on {len(laid_out_sheets)}: "
                        "was it built from another issue or layout?")

    folder.mkdir(parents=True, exist_ok=True)
    created = build_datetime(issue).strftime("%Y-%m-%dT%H:%M:%SZ")
    names = [f"{sheet.number + 1:04d}" for sheet in laid_out_sheets]
    started = time.perf_counter()
    split_sheets(edition_pdf, [folder / f"{name}.pdf" for name in names])
    timings.add("pdf", started)
    originals: list[tuple[str, Path, Image]] = []
    for number, shown in enumerate(issue.images(), start=1):
        # The bytes the editions were made from, not the file again: it may have changed since.
        (folder / PICTURES_DIR / shown.file).parent.mkdir(parents=True, exist_ok=True)
        original = write_atomic(folder / PICTURES_DIR / shown.file, shown.data)
        originals.append((f"imageFile{number}", original, shown))
    image_ids = {shown.file: file_id for file_id, _, shown in originals}
    files: list[SheetFiles] = []
    altos: list[AltoPage] = []
    for sheet, name in zip(laid_out_sheets, names, strict=True):
        started = time.perf_counter()
        image = render_image(edition_pdf, sheet.number, folder / f"{name}{SUFFIX}")
        timings.add("image", started)
        started = time.perf_counter()
        label = sheet_map.labels[sheet.number]
        context, alto = alto_context(sheet, label, image.name, issue.language, created,
                                     issue.publisher or issue.paper, image_ids)
        alto_path = write_atomic(folder / f"{name}.xml", render_alto(context, issue.layout))
        timings.add("alto", started)
        altos.append(alto)
        section = issue.pages[sheet_map.printed[sheet.number]].section
        files.append(SheetFiles(sheet.number + 1, label, section, image, folder / f"{name}.pdf", alto_path))
    started = time.perf_counter()
    context = mets_context(issue, files, altos, created,
                           [(file_id, path, shown.format) for file_id, path, shown in originals], image_ids)
    mets = write_atomic(folder / METS_NAME, render_mets(context, issue.layout))
    timings.add("mets", started)
    return mets
