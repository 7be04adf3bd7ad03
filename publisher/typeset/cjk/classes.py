"""Character classes for setting Chinese text, after W3C clreq (Requirements for Chinese Text Layout).

Only what line breaking and justification need: which characters may not
start or end a line, which sequences never split, which characters are CJK
(set one by one on the em grid) and which are Latin (set as words), and which
punctuation carries a blank half that the font's ``halt`` feature can remove.
"""

from __future__ import annotations

from enum import Enum
from functools import cache

from .prohibitions import LEVELS as LEVELS  # the levels' home is prohibitions; re-exported for their readers
from .prohibitions import Level as Level
from .prohibitions import tables

# The marks that may start (end) no line at clreq's basic level, one character each:
# the headline breaker's check (typeset/heads.py). The line breaker and the lint
# read the whole tables, levels and sequences (——) included: ``prohibitions``.
LINE_START_PROHIBITED = frozenset(
    r.text for r in tables().rules if r.position == "start" and r.level == "basic" and len(r.text) == 1
)
LINE_END_PROHIBITED = frozenset(
    r.text for r in tables().rules if r.position == "end" and r.level == "basic" and len(r.text) == 1
)

# Two-em dashes and ellipses are one mark each (破折号, 省略号): never split.
INSEPARABLE = frozenset("—…")

# Where a Latin run too long for any line (a URL, a long identifier) may
# break: after one of these, as a URL is broken by hand; else anywhere.
LATIN_BREAK_AFTER = frozenset("/.-?&=_#~+:;,!|\\")

# Full-width punctuation whose glyph sits in one half of the em box in
# Simplified Chinese (Noto CJK SC): the other half is blank and ``halt``
# removes it. Closing marks (and the SC 点号 ：；？！, set left in SC) have the
# blank on the right, opening marks on the left.
CLOSING_COMPRESSIBLE = frozenset("、。，．：；？！）］｝〕〉》」』】〗〙’”")
OPENING_COMPRESSIBLE = frozenset("（［｛〔〈《「『【〖〘‘“")
COMPRESSIBLE = CLOSING_COMPRESSIBLE | OPENING_COMPRESSIBLE

# Characters that are CJK punctuation in Chinese text although Unicode files
# them under General Punctuation or Latin-1 (quotes, dashes, middle dot).
_CJK_PUNCTUATION = frozenset("‘’“”—…·‰℃")

_IDEOGRAPH_RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs (never normalised away)
    (0x20000, 0x2FFFF),  # Extensions B-F and the compatibility supplement
    (0x30000, 0x323AF),  # Extensions G and H
    (0x3005, 0x3007),  # 々〆〇
    (0x3040, 0x30FF),  # kana
    (0x31F0, 0x31FF),
    (0x3100, 0x312F),  # bopomofo
)

_CJK_SYMBOL_RANGES = (
    (0x2460, 0x24FF),  # ① ⑴ ⒈: photo and list numbers, full-width in CJK faces
    (0x2776, 0x2793),  # ❶ ➀
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3130, 0x31EF),  # Hangul compatibility jamo, kanbun, bopomofo extended, CJK strokes
    (0x3200, 0x33FF),  # enclosed and compatibility
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
)


class Kind(Enum):
    CJK = "cjk"  # set on the em grid, break anywhere between two of them
    LATIN = "latin"  # letters, digits, half-width marks: set as words
    SPACE = "space"  # a breakable space


def _in(ranges: tuple[tuple[int, int], ...], cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


@cache  # a paper uses a few thousand distinct characters; classify each once
def is_ideograph(ch: str) -> bool:
    """Han (incl. Ext A/B…) or kana: the characters that get autospace next to Latin."""
    return _in(_IDEOGRAPH_RANGES, ord(ch))


@cache
def kind(ch: str) -> Kind:
    if ch == " ":
        return Kind.SPACE
    cp = ord(ch)
    if ch in _CJK_PUNCTUATION or _in(_IDEOGRAPH_RANGES, cp) or _in(_CJK_SYMBOL_RANGES, cp):
        return Kind.CJK
    # U+00A0 stays with its word: a no-break space must not become a break.
    return Kind.LATIN


def is_cjk(ch: str) -> bool:
    """Chinese context: an ideograph, kana, CJK or full-width punctuation or symbol (punctuation normalisation)."""
    return kind(ch) is Kind.CJK


@cache
def is_latin_alnum(ch: str) -> bool:
    """A Latin letter or digit: the side of a CJK–Latin boundary that gets autospace."""
    return kind(ch) is Kind.LATIN and ch.isalnum()
