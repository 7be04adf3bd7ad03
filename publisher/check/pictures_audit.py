"""The pictures a PDF prints, and the resolution each prints at.

A newspaper's prepress asks 170-200 ppi of a photograph (1.5-2 times an 85-100
lpi screen); under 200 a photo prints soft, under 100 it prints in visible
pixels. The resolution is read from the file alone, as a preflight tool reads
it: for each image a page draws (inside forms too), its pixels over the size
the drawing's matrix gives it. Small images (rules, dots, a placeholder) are
not pictures and are passed over.

A file from elsewhere may draw a form that draws another ten times, eight
deep: the walk counts every instruction it reads, a form's each time it is
drawn, and stops past ``PDF_READ_MARKS`` (our 2-page sample reads 2,600) with
``TooMuchContent``, as the reading of the text does.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..limits import PDF_READ_MARKS
from ..pdflib import pikepdf
from .pdf_reading import TooMuchContent

WARN_PPI = 200.0
ERROR_PPI = 100.0
SMALLEST_PT = 20.0  # an image drawn smaller than this on either side is not a picture
_DEPTH = 8  # forms inside forms, at most

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class DrawnPicture:
    page: int  # from 1
    name: str  # the image's resource name
    pixels: tuple[int, int]
    size_pt: tuple[float, float]  # the sides the pixels' width and height are drawn along

    @property
    def ppi(self) -> float:
        return min(self.pixels[0] / (self.size_pt[0] / 72.0), self.pixels[1] / (self.size_pt[1] / 72.0))


def _times(first: Matrix, second: Matrix) -> Matrix:
    a, b, c, d, e, f = first
    p, q, r, s, t, u = second
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _matrix(values: Any) -> Matrix | None:
    try:
        numbers = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        return None
    if len(numbers) != 6 or not all(math.isfinite(v) for v in numbers):
        return None
    return numbers


class _Walk:
    """What the walk has read so far: each content stream parsed once, every instruction counted each time."""

    def __init__(self) -> None:
        self.parsed: dict[tuple[int, int], list[Any]] = {}
        self.read = 0

    def instructions(self, stream: Any) -> list[Any]:
        key = stream.objgen
        found = self.parsed.get(key) if key != (0, 0) else None
        if found is None:
            found = list(pikepdf.parse_content_stream(stream))
            if key != (0, 0):
                self.parsed[key] = found
        self.read += len(found)
        if self.read > PDF_READ_MARKS:
            raise TooMuchContent(f"its pages and forms, each counted every time it is drawn, run past "
                                 f"{PDF_READ_MARKS:,} instructions")
        return found


def _walk(walk: _Walk, stream: Any, resources: Any, ctm: Matrix, page: int, depth: int) -> Iterator[DrawnPicture]:
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    stack: list[Matrix] = []
    for instruction in walk.instructions(stream):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # an inline image: a few bytes, never a picture of the issue
        operands, name = instruction.operands, str(instruction.operator)
        if name == "q":
            stack.append(ctm)
        elif name == "Q" and stack:
            ctm = stack.pop()
        elif name == "cm" and (matrix := _matrix(operands)) is not None:
            ctm = _times(matrix, ctm)
        elif name == "Do" and operands and isinstance(xobjects, pikepdf.Dictionary):
            xobject = xobjects.get(str(operands[0]))
            if not isinstance(xobject, pikepdf.Stream):
                continue
            subtype = xobject.get("/Subtype")
            if subtype == "/Image":
                width, height = xobject.get("/Width"), xobject.get("/Height")
                across = math.hypot(ctm[0], ctm[1])
                down = math.hypot(ctm[2], ctm[3])
                if isinstance(width, int) and isinstance(height, int) and min(across, down) >= SMALLEST_PT:
                    yield DrawnPicture(page, str(operands[0]), (width, height), (across, down))
            elif subtype == "/Form" and depth < _DEPTH:
                inner = _matrix(xobject.get("/Matrix", pikepdf.Array([1, 0, 0, 1, 0, 0]))) or _IDENTITY
                inner_resources = xobject.get("/Resources", resources)
                yield from _walk(walk, xobject, inner_resources, _times(inner, ctm), page, depth + 1)


def drawn_pictures(pdf: Any) -> list[DrawnPicture]:
    """Every picture the PDF's pages draw, in page order; ``TooMuchContent`` past the walk's bound."""
    found: list[DrawnPicture] = []
    walk = _Walk()
    for number, page in enumerate(pdf.pages, start=1):
        try:
            found += _walk(walk, page.obj, page.obj.get("/Resources"), _IDENTITY, number, 0)
        except TooMuchContent:
            raise
        except (pikepdf.PdfError, TypeError, ValueError, AttributeError):
            continue  # a damaged page: the structure checks report the file
    return found
