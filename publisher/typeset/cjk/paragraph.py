"""A paragraph made ready for breaking: per-character advances, adjustments and break points.

Everything here is independent of the column width, so one preparation
serves every width an article is tried at (``prepare_paragraph`` is cached). The
arrays are plain lists indexed by character, with prefix sums so that the
breaker measures any candidate line in constant time.

Adjustable space, after JIS X 4051 and clreq:

- a full-width punctuation mark can lose its blank half (``halt``): 0.5 em;
  consecutive marks always lose it between them, whatever the breaks;
- the CJK–Latin space (autospace) is 1/4 em, may shrink to 1/8 em and
  stretch to 1/2 em; the gap after a dateline (1 em) may go from 3/4 em to
  1.1 em (wider, it would read as a column gutter, to a reader and to the
  typography lint alike);
- the space between characters stretches, evenly, last; where nothing else
  can make a line fit, it may tighten by a fiftieth of an em at most.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import cache, lru_cache

from ..fonts import Role
from .classes import (
    CLOSING_COMPRESSIBLE,
    LATIN_BREAK_AFTER,
    OPENING_COMPRESSIBLE,
    Kind,
    Level,
    is_ideograph,
    is_latin_alnum,
    kind,
)
from .measure import measure
from .prohibitions import LONGEST, prohibitions

# Bounds of the layout gaps, as multiples of their nominal width: the CJK–Latin
# space (JIS X 4051: 1/8 to 1/2 em around 1/4) and a span's gap (the dateline's).
AUTOSPACE_MIN, AUTOSPACE_MAX = 0.5, 2.0
SPAN_GAP_MIN, SPAN_GAP_MAX = 0.75, 1.1



class BreakKind(IntEnum):
    """Where a break point is, which decides what it costs the breaker (``totalfit.BREAK_PENALTY``)."""

    NORMAL = 0  # between two characters where clreq allows a break
    LATIN_SAFE = 1  # inside a Latin run, after a mark a URL breaks at
    LATIN_ANY = 2  # inside a Latin run, anywhere


@dataclass(frozen=True)
class Span:
    """A run of input text with one weight, e.g. the bold dateline and the body after it.

    ``gap_after_em`` is space made by layout (a CSS margin) after the span, such
    as the gap after a dateline; it is dropped when the span ends a line.
    """

    text: str
    weight: int = 400
    gap_after_em: float = 0.0


@dataclass(frozen=True)
class Paragraph:
    """The paragraph as per-character arrays (pt), built once for every width."""

    text: str
    size: float
    role: Role
    weight: tuple[int, ...]
    adv: tuple[float, ...]  # full width
    halt_adv: tuple[float, ...]  # with halt
    halted: tuple[bool, ...]  # compressed whatever the breaks (consecutive punctuation)
    squeezable: tuple[bool, ...]  # may be compressed to make a line fit
    latin: tuple[bool, ...]
    spaced: tuple[bool, ...]  # gets the line's letter-spacing after it
    gap_after: tuple[float, ...]  # nominal layout space between char i and i+1 on one line
    gap_shrink: tuple[float, ...]  # how much of it may go
    gap_stretch: tuple[float, ...]  # how much may be added to it
    gap_is_margin_left: tuple[bool, ...]  # the gap belongs to the run starting at i+1 (else to the run ending at i)
    spaced_to: tuple[int, ...]  # for a line ending before k: the spaced characters before k whose spacing falls
    # inside the line, i.e. all but the last glyph's (a —— ligature is one glyph), as a prefix sum
    visible_end: tuple[int, ...]  # for a break at k: the end of the visible text before it (trailing spaces hang)
    breaks: tuple[tuple[int, BreakKind], ...]  # (k, kind): a line may end before character k
    word_width: dict[int, float]  # for a break inside a Latin run: the run's width
    # Prefix sums over characters: [i] is the total over characters 0 .. i-1.
    sum_adv: tuple[float, ...]  # advances with the fixed compression
    sum_gap: tuple[float, ...]  # layout gaps, nominal
    sum_gap_shrink: tuple[float, ...]
    sum_gap_stretch: tuple[float, ...]
    sum_squeezable: tuple[int, ...]  # count of marks that may be compressed
    sum_spaced: tuple[int, ...]  # count of spaced characters
    sum_latin: tuple[int, ...]  # count of Latin characters

    @property
    def n(self) -> int:
        return len(self.text)


def _flatten(spans: Sequence[Span]) -> tuple[str, list[int], list[int]]:
    text, weight, span_end = "", [], []
    for span in spans:
        if not span.text:
            continue
        text += span.text
        weight += [span.weight] * len(span.text)
        span_end.append(len(text) - 1)
    return text, weight, span_end


@cache
def _letter(ch: str) -> str:
    """One letter per character class, so that runs and boundaries are found by regular expressions."""
    k = kind(ch)
    if k is Kind.SPACE:
        return "S"
    if k is Kind.LATIN:
        return "A" if is_latin_alnum(ch) else "L"
    if ch == "—":
        return "D"
    if ch == "…":
        return "E"
    if ch in CLOSING_COMPRESSIBLE:
        return "P"
    if ch in OPENING_COMPRESSIBLE:
        return "O"
    return "I" if is_ideograph(ch) else "C"


# Unbreakable units: a Latin word, a —— or ……, else one character.
_UNIT = re.compile(r"[AL]+|D+|E+|.", re.S)
_AUTOSPACE = re.compile(r"I(?=A)|A(?=I)")  # the CJK–Latin boundaries, at the first character
_HALT_FIRST = re.compile(r"P(?=[PO])")  # a closing mark before another mark loses its right half
_HALT_SECOND = re.compile(r"(?<=O)O")  # the second of two opening marks loses its left half


def _prefix(values: Sequence[float]) -> tuple[float, ...]:
    return tuple(itertools.accumulate(values, initial=0.0))


def _count(values: Sequence[bool]) -> tuple[int, ...]:
    return tuple(itertools.accumulate(map(int, values), initial=0))


# A prepared paragraph weighs about half a kilobyte a character: enough are kept for the
# paragraphs of the articles being made up (set at several widths in turn), not a batch's worth.
@lru_cache(maxsize=128)
def prepare_paragraph(spans: tuple[Span, ...], size: float, role: Role, autospace_em: float,
                      level: Level) -> Paragraph:
    """Measure ``spans`` once: advances, what may adjust, and where lines may break."""
    text, weight, span_end = _flatten(spans)
    letters = "".join(map(_letter, text))
    units = [m.span() for m in _UNIT.finditer(letters)]
    latin = [c in "AL" for c in letters]
    adv, halt_adv, spaced = _advances(text, weight, letters, latin, units, size, role)
    halted, squeezable = _squeezable(letters, adv, halt_adv)
    gaps = _Gaps.of(letters, spans, span_end, autospace_em * size, size)
    eff_adv = [h if c else a for a, h, c in zip(adv, halt_adv, halted, strict=True)]
    visible_end = _visible_end(letters)
    breaks, word_width = _breaks(text, letters, units, visible_end, eff_adv, level)
    return Paragraph(
        text=text,
        size=size,
        role=role,
        weight=tuple(weight),
        adv=tuple(adv),
        halt_adv=tuple(halt_adv),
        halted=tuple(halted),
        squeezable=tuple(squeezable),
        latin=tuple(latin),
        spaced=tuple(spaced),
        gap_after=tuple(gaps.after),
        gap_shrink=tuple(gaps.shrink),
        gap_stretch=tuple(gaps.stretch),
        gap_is_margin_left=tuple(gaps.left),
        spaced_to=tuple(_spaced_to(spaced, adv, letters)),
        visible_end=tuple(visible_end),
        breaks=tuple(breaks),
        word_width=word_width,
        sum_adv=_prefix(eff_adv),
        sum_gap=_prefix(gaps.after),
        sum_gap_shrink=_prefix(gaps.shrink),
        sum_gap_stretch=_prefix(gaps.stretch),
        sum_squeezable=_count(squeezable),
        sum_spaced=_count(spaced),
        sum_latin=_count(latin),
    )


def _advances(text: str, weight: list[int], letters: str, latin: list[bool], units: list[tuple[int, int]],
              size: float, role: Role) -> tuple[list[float], list[float], list[bool]]:
    """Each character's advance full width and with halt (pt), and whether the line's letter-spacing follows
    it (one per glyph cluster): a Latin word and a —— or …… are shaped as a whole."""
    faces = {w: measure(role, w) for w in set(weight)}
    spaced = [not x for x in latin]
    adv = [faces[w].advance(c) * size for c, w in zip(text, weight, strict=True)]
    halt_adv = [
        faces[w].halt_advance(c) * size if k in "PO" else a
        for c, w, k, a in zip(text, weight, letters, adv, strict=True)
    ]
    for start, end in units:
        if end - start == 1:
            continue
        if latin[start]:
            # Shape each same-weight stretch of the word as a whole (kerning).
            i = start
            while i < end:
                j = i
                while j < end and weight[j] == weight[i]:
                    j += 1
                for k, a in enumerate(faces[weight[i]].run(text[i:j])):
                    adv[i + k] = halt_adv[i + k] = a * size
                i = j
        else:
            # ——, ……: shaped together in the Han context Pango gives them; the
            # font may ligate a pair into one two-em glyph, which Pango spaces once.
            for k, a in enumerate(faces[weight[start]].run(text[start:end])):
                adv[start + k] = halt_adv[start + k] = a * size
                spaced[start + k] = k == 0 or a > 0
    return adv, halt_adv, spaced


def _squeezable(letters: str, adv: list[float], halt_adv: list[float]) -> tuple[list[bool], list[bool]]:
    """The marks compressed whatever the breaks (consecutive ones), and those that may be to make a line fit."""
    # Consecutive marks: the blank between them goes, whatever the breaks.
    halted = [False] * len(letters)
    for m in _HALT_FIRST.finditer(letters):
        halted[m.start()] = True
    for m in _HALT_SECOND.finditer(letters):
        halted[m.start()] = True
    squeezable = [k in "PO" and not h and a > ha for k, h, a, ha in zip(letters, halted, adv, halt_adv, strict=True)]
    # Between two marks half an em of blank stays (clreq): after a mark, an
    # opening mark keeps the left half that is all that is left between them.
    for i in range(1, len(letters)):
        if letters[i] == "O" and letters[i - 1] in "PO":
            squeezable[i] = False
    return halted, squeezable


@dataclass(frozen=True, slots=True)
class _Gaps:
    """The layout space after each character (pt): nominal, what of it may go, what may be added, and
    whether it belongs to the run that starts after it."""

    after: list[float]
    shrink: list[float]
    stretch: list[float]
    left: list[bool]

    @classmethod
    def of(cls, letters: str, spans: Sequence[Span], span_end: list[int], autospace_pt: float,
           size: float) -> _Gaps:
        n = len(letters)
        gaps = cls([0.0] * n, [0.0] * n, [0.0] * n, [False] * n)
        if autospace_pt:
            for m in _AUTOSPACE.finditer(letters):
                i = m.start()
                gaps.after[i], gaps.left[i] = autospace_pt, letters[i] == "I"
                gaps.shrink[i] = autospace_pt * (1 - AUTOSPACE_MIN)
                gaps.stretch[i] = autospace_pt * (AUTOSPACE_MAX - 1)
        # The span gap (dateline) replaces any autospace at that boundary.
        for end, span in zip(span_end, (s for s in spans if s.text), strict=True):
            if span.gap_after_em and end < n - 1:
                gap = span.gap_after_em * size
                gaps.after[end], gaps.left[end] = gap, False
                gaps.shrink[end], gaps.stretch[end] = gap * (1 - SPAN_GAP_MIN), gap * (SPAN_GAP_MAX - 1)
        return gaps


def _visible_end(letters: str) -> list[int]:
    """For a break before each k: the end of the visible text before it (trailing spaces hang)."""
    visible_end = list(range(len(letters) + 1))
    for k in range(1, len(letters) + 1):
        if letters[k - 1] == "S":
            visible_end[k] = visible_end[k - 1]
    return visible_end


def _spaced_to(spaced: list[bool], adv: list[float], letters: str) -> list[int]:
    """The prefix sum of spaced characters, less the spacing of the glyph that ends at each k.

    The last glyph's spacing falls past the column edge. A glyph is one
    character, or a ligature of dashes (the characters after the first have
    no advance): its spacing is its first character's.
    """
    out = [0]
    total = 0
    for i, is_spaced in enumerate(spaced):
        total += is_spaced
        j = i
        while j > 0 and adv[j] == 0 and letters[j] in "DE" and letters[j - 1] == letters[j]:
            j -= 1
        out.append(total - spaced[j])
    return out


def _breaks(
    text: str, letters: str, units: list[tuple[int, int]], visible_end: list[int], adv: list[float], level: Level
) -> tuple[list[tuple[int, BreakKind]], dict[int, float]]:
    """Where a line may end (before character k), by the prohibition tables at ``level``.

    A line never starts with a space (it hangs at the end of the line before),
    nor with a mark the tables keep off a line's head (a closing mark, ——
    at the strict level), nor ends with one they keep off its end (an
    opening mark); —— and …… never split. Inside a Latin run there are
    emergency break points, used only when the run is wider than the line.
    """
    rules = prohibitions(level)
    starters, enders = rules.starters, rules.enders
    always_starts, always_ends = rules.always_starters, rules.always_enders
    breaks: list[tuple[int, BreakKind]] = []
    word_width: dict[int, float] = {}
    for start, end in units:
        if start > 0 and letters[start] != "S" and visible_end[start] > 0:  # a line holds a visible character
            # The line's last visible character decides: spaces before the
            # break hang past the column, so "“ " still ends the line with “.
            head, vend = text[start], visible_end[start]
            tail = text[vend - 1]
            forbidden = (
                head in always_starts
                or tail in always_ends
                or (head in starters and rules.at_start(text[start:start + LONGEST]) is not None)
                or (tail in enders and rules.at_end(text[max(0, vend - LONGEST):vend]) is not None)
            )
            if not forbidden:
                breaks.append((start, BreakKind.NORMAL))
        if end - start > 1 and letters[start] in "AL":
            width = sum(adv[start:end])
            for k in range(start + 1, end):
                if text[k] in always_starts or (text[k] in starters and rules.at_start(text[k:k + LONGEST])):
                    continue
                safe = text[k - 1] in LATIN_BREAK_AFTER and text[k] not in LATIN_BREAK_AFTER
                breaks.append((k, BreakKind.LATIN_SAFE if safe else BreakKind.LATIN_ANY))
                word_width[k] = width
    return breaks, word_width
