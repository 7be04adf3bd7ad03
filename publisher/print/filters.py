"""The template filters only the print layout uses, registered with its environment."""

from __future__ import annotations

from collections.abc import Iterable

from ..templates import StageFilters
from ..typeset.figures import PlacedAd, PlacedFigure
from ..typeset.fonts import Role
from ..typeset.stories import Piece
from ..typeset.textruns import text_runs
from .pictures import placeholder_url


def needs_autospace(text: str) -> bool:
    """Does ``text`` mix Latin and Chinese where the CJK–Latin space goes?"""
    return any(classes for _, classes in text_runs(text))


def one_line(text: str, width: float, size: float, weight: int = 400, role: Role = "sans") -> bool:
    """Does ``text``, set as the toolkit draws a line (``publisher.print.head_lines``) in ``role``'s face at
    ``weight`` and ``size`` pt, fit a line ``width`` pt wide, with the 2% the make-up keeps to spare
    (``publisher.typeset.stories.grid_lines``)? A line that does not is left to WeasyPrint, which wraps it
    into the lines the make-up kept for it: the toolkit draws one line a placeholder."""
    from .head_lines import set_head_line

    return set_head_line(text, role, weight, size, 0.0, 0.0).end * 1.02 <= width


def frame_src(figure: PlacedFigure | PlacedAd) -> str:
    """The placeholder image of a picture's frame, which the picture takes the place of in the PDF."""
    return placeholder_url(figure.key)


def body_runs(pieces: Iterable[Piece], apart: bool = False) -> list[Piece]:
    """A column's pieces, each run of consecutive paragraphs as one piece holding all their lines, so that the
    layout gives the run one placeholder: WeasyPrint computes a style, lays out and draws a box for each,
    about a third of a millisecond apiece. ``apart`` keeps every paragraph on its own (a tagged PDF makes
    each placeholder one paragraph, ``P``). A photo caption in a column keeps its own, as a caption."""
    runs: list[Piece] = []
    for piece in pieces:
        if not apart and runs and piece.kind == runs[-1].kind == "paragraph":
            runs[-1] = Piece(piece.kind, runs[-1].text + piece.text, runs[-1].lines + piece.lines)
        else:
            runs.append(piece)
    return runs


PRINT_FILTERS: StageFilters = (("needs_autospace", needs_autospace), ("frame_src", frame_src),
                               ("body_runs", body_runs), ("one_line", one_line))
