"""The template filters only the print layout uses, registered with its environment."""

from __future__ import annotations

from ..templates import StageFilters
from ..typeset.figures import PlacedAd, PlacedFigure
from ..typeset.textruns import text_runs
from .pictures import placeholder_url


def needs_autospace(text: str) -> bool:
    """Does ``text`` mix Latin and Chinese where the CJK–Latin space goes?"""
    return any(classes for _, classes in text_runs(text))


def frame_src(figure: PlacedFigure | PlacedAd) -> str:
    """The placeholder image of a picture's frame, which the picture takes the place of in the PDF."""
    return placeholder_url(figure.key)


PRINT_FILTERS: StageFilters = (("needs_autospace", needs_autospace), ("frame_src", frame_src))
