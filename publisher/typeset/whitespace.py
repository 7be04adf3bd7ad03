"""Text compared without its whitespace.

Line breaks, the spaces an extractor puts between glyphs and the space
between a dateline and its paragraph are layout, not text: the print
edition's ALTO and every check of an edition's text compare text squeezed.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)
