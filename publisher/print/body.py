"""The body's lines of the print edition, set: every line of every sheet shaped with HarfBuzz, ready to draw.

The lines are broken by the page make-up (``publisher.typeset``); here they
are shaped in the faces and features they were measured with
(``publisher.print.body_text``), per sheet and per piece of paragraph in the order
the layout draws their placeholders. The layout's parts, the PDF writer that
draws them (``publisher.print.pdf_lines``) and the archive's text
(``publisher.print.sheet_text``) take them from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..typeset.fonts import FontFace
from ..typeset.geometry import Geometry
from ..typeset.makeup import MadeUpSheet
from ..typeset.stories import Piece
from .body_text import ROLE, SetLine, baseline, set_lines


@dataclass(frozen=True)
class Body:
    """The body's lines of a run of sheets, set: per sheet, the lines of each paragraph piece in the layout's order."""

    sheets: tuple[tuple[tuple[SetLine, ...], ...], ...]
    size: float  # pt
    pitch: float  # pt between baselines
    baseline: float  # pt from a grid line's top to its baseline

    def glyphs(self) -> dict[FontFace, dict[int, tuple[float, str]]]:
        """Per face, each glyph the lines show: its width (thousandths of an em) and its characters."""
        used: dict[FontFace, dict[int, tuple[float, str]]] = {}
        scale = 1000 / self.size
        for sheet in self.sheets:
            for piece in sheet:
                for line in piece:
                    for segment in line.segments:
                        faced = used.setdefault(segment.face, {})
                        faced.update((g.gid, (g.width * scale, g.text)) for g in segment.glyphs if g.text)
        return used


Lines = tuple[SetLine, ...]


def held(pieces: Iterator[Lines], height: float, pitch: float) -> list[Lines] | None:
    """The pieces one placeholder ``height`` pt high holds, taken from ``pieces`` in order: one, or a run of
    consecutive ones (``print.filters.body_runs``) whose lines fill it. None when the next pieces do not fill
    it exactly (a layout that places them otherwise), or when there are none left."""
    rows = height / pitch
    wanted = round(rows)
    if abs(rows - wanted) * pitch > 0.01:
        return None
    taken: list[Lines] = []
    count = 0
    while count < wanted or not taken:
        piece = next(pieces, None)
        if piece is None:
            return None
        taken.append(piece)
        count += len(piece)
    return taken if count == wanted else None


def set_body(sheets: Sequence[MadeUpSheet], geometry: Geometry) -> Body:
    """Shape every line of the body on ``sheets``."""
    size = geometry.type["body"]
    return Body(
        tuple(tuple(set_lines(piece.lines, size, "sans" if piece.kind == "caption" else ROLE)
                    for piece in _pieces(sheet)) for sheet in sheets),
        size, geometry.line_pitch, baseline(geometry.line_pitch, size))


def _pieces(sheet: MadeUpSheet) -> Iterator[Any]:
    """The pieces of a sheet set as lines (paragraphs and photo captions), in the order the layout
    draws their placeholders: a block's pictures' captions (under its head), then its columns."""
    for block in sheet.blocks:
        for shown in block.figures:
            if shown.caption:
                yield Piece("caption", shown.caption_text, shown.caption)
        for column in block.columns:
            for piece in column.pieces:
                if piece.kind in ("paragraph", "caption"):
                    yield piece
