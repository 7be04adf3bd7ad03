"""Tate-chu-yoko (縦中横) for the vertical EPUB: short numbers set upright across the line.

In vertical text a run of half-width digits lies on its side; Chinese and
Japanese vertical setting turns one- and two-digit numbers (11月28日) into a
single upright cell. Longer numbers and numbers inside Latin tokens, times,
decimals or percentages (2022, COVID-19, 12:30, 5.2%) keep the reader's
default, because squeezing them into one em would make them unreadable.
"""

from __future__ import annotations

import re

# One or two digits, not touching another digit, a letter, or a mark that
# makes them part of a longer token.
_SHORT_NUMBER = re.compile(r"(?<![0-9A-Za-z.%:/,\-])[0-9]{1,2}(?![0-9A-Za-z.%:/,\-])")


def tcy_segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, upright) pairs; joining the pieces gives ``text`` back."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in _SHORT_NUMBER.finditer(text):
        if match.start() > position:
            segments.append((text[position : match.start()], False))
        segments.append((match.group(), True))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], False))
    return segments


# Any run of digits, for the cover and title page.
_DIGITS = re.compile(r"[0-9]+")


def upright_segments(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (piece, kind) pairs for the cover and title page of the vertical edition.

    kind is "tcy" for a one- or two-digit number (across one cell), "upright"
    for a longer run of digits (a year, an issue number: each digit upright in
    its own cell, as vertical mastheads print them), "" for the rest. There the
    numbers stand alone, unlike the articles' 5.2% or 12:30, so every run of
    digits stands upright.
    """
    segments: list[tuple[str, str]] = []
    position = 0
    for match in _DIGITS.finditer(text):
        if match.start() > position:
            segments.append((text[position : match.start()], ""))
        segments.append((match.group(), "tcy" if len(match.group()) <= 2 else "upright"))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], ""))
    return segments


# A page label of up to three letters and digits (A1, B12) is one upright
# cell across the line in vertical text, as vertical papers print it; a
# longer one stands upright character by character.
_LABEL = re.compile(r"[0-9A-Za-z]+")
_LABEL_CELL = 3


def label_segments(label: str) -> list[tuple[str, str]]:
    """A page label cut into (piece, kind) for vertical text: kind "tcy", "upright" or ""."""
    if _LABEL.fullmatch(label):
        return [(label, "tcy" if len(label) <= _LABEL_CELL else "upright")]
    return [(piece, "tcy" if upright else "") for piece, upright in tcy_segments(label)]
