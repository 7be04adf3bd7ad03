"""The template filters only the EPUB layout uses, registered with its environment."""

from __future__ import annotations

from ..templates import StageFilters
from ..typeset.headlines import phrase_runs
from .vertical import tcy_segments, upright_segments

EPUB_FILTERS: StageFilters = (
    ("tcy", tcy_segments),  # vertical writing: short numbers across the line
    ("upright_numbers", upright_segments),
    ("phrases", phrase_runs),  # a headline breaks only between the phrases its editor spaced
)
