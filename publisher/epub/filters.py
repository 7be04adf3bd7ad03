"""The template filters only the EPUB layout uses, registered with its environment."""

from __future__ import annotations

from ..templates import StageFilters
from .phrasing import autospace, marked_phrases
from .vertical import label_segments, tcy_segments, upright_segments

EPUB_FILTERS: StageFilters = (
    ("tcy", tcy_segments),  # vertical writing: short numbers across the line
    ("upright_numbers", upright_segments),
    ("page_label", label_segments),  # vertical writing: A1 as one upright label
    ("phrasing", marked_phrases),  # heads break between phrases, then words, never leaving one character
    ("autospace", autospace),  # text_runs of one weight, quicker on a text with no Latin in it
)
