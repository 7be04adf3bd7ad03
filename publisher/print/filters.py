"""The template filters only the print layout uses, registered with its environment."""

from __future__ import annotations

from ..templates import StageFilters
from ..typeset.textruns import text_runs


def needs_autospace(text: str) -> bool:
    """Does ``text`` mix Latin and Chinese where the CJK–Latin space goes?"""
    return any(classes for _, classes in text_runs(text))


PRINT_FILTERS: StageFilters = (("needs_autospace", needs_autospace),)
