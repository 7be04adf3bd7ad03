"""Line breaking and inter-character justification of a Chinese paragraph, in one pass.

WeasyPrint's ``text-align: justify`` stretches spaces only, so Chinese lines
come out ragged. Here we break the paragraph ourselves with the font's real
advances (``measure``) and give each line the ``letter-spacing`` that makes it
end flush; the print templates render one block per line (``layouts/print/
_lines.html``).

How WeasyPrint/Pango applies ``letter-spacing`` (measured on WeasyPrint 70 /
Pango 1.50): every character of the element gets the spacing *after* it,
including the last one of a span and of the line; a span with
``letter-spacing: 0`` adds none. So a character's position is the sum of the
advances, spacings and CSS margins before it, and a line of ``n`` spaced
characters is flush when ``letter-spacing = slack / n``, counting every spaced
character before the last visible one. Latin runs are not spaced (inter-letter
spacing inside a word looks wrong). The last character's own spacing falls
after its glyph, past the column edge, where it moves nothing: it is left in
the line's run rather than wrapped in an unspaced span of its own, which cost
WeasyPrint a fifth of its layout time (one more box per line). A trailing
space hangs past the column edge, as CSS hangs trailing white space, and is
not counted.

Rules (clreq): no line starts with a closing mark nor ends with an opening
one; ``——`` and ``……`` never split; Latin words and numbers split only at
spaces; consecutive punctuation is always compressed with ``halt``. When the
character that would start the next line is prohibited, the line first tries
to take it by compressing its own punctuation (the line-end mark first), and
otherwise pushes its last breakable unit to the next line (推出) and spreads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from publisher.fonts import Role

from .classes import (
    CLOSING_COMPRESSIBLE,
    COMPRESSIBLE,
    INSEPARABLE,
    LINE_END_PROHIBITED,
    LINE_START_PROHIBITED,
    OPENING_COMPRESSIBLE,
    Kind,
    is_ideograph,
    is_latin_alnum,
    kind,
)
from .measure import measure

# The one character whose glyph Noto CJK picks by script: a run of nothing but
# dashes has no Han neighbour to take its script from (WeasyPrint shapes each
# inline box on its own), and Pango would set a proportional Latin dash.
_DASH = "—"

# Sub-point tolerance for "fits": Pango positions are 1/1024 px.
_EPS = 0.01


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
class Run:
    """Characters of one line that share their CSS classes, ready for the template.

    Classes: ``b`` bold, ``halt`` half-width punctuation, ``latin`` a Latin word
    or number (unspaced), ``fw`` a run of dashes only (full-width form, see ``_DASH``).
    Margins are the CJK–Latin autospace and the dateline gap, in pt.
    """

    text: str
    classes: tuple[str, ...] = ()
    margin_left_pt: float = 0.0
    margin_right_pt: float = 0.0

    @property
    def css_class(self) -> str:
        return " ".join(self.classes)


@dataclass(frozen=True)
class Line:
    """One printed line: its runs, the spacing that makes it flush, its indent."""

    runs: tuple[Run, ...]
    letter_spacing_pt: float
    indent_pt: float
    natural_width_pt: float  # width of the line with no letter-spacing, indent excluded
    measure_pt: float  # the width the line is set to, indent excluded
    last: bool  # last line of its paragraph: not stretched

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class _Para:
    """The paragraph as per-character arrays, built once."""

    text: str
    size: float
    weight: list[int]
    adv: list[float]  # pt, full width
    halt_adv: list[float]  # pt, with halt
    halted: list[bool]  # compressed whatever the breaks (consecutive punctuation)
    eff_adv: list[float]  # pt, with the consecutive-punctuation compression
    latin: list[bool]
    spaced: list[bool]
    gap_after: list[float]  # pt of layout space between char i and i+1 on one line
    gap_is_margin_left: list[bool]  # gap belongs to the run starting at i+1 (else to the run ending at i)
    units: list[tuple[int, int]]  # unbreakable [start, end)
    role: Role = "serif"


def _flatten(spans: Sequence[Span]) -> tuple[str, list[int], list[int]]:
    text, weight, span_end = "", [], []
    for span in spans:
        if not span.text:
            continue
        text += span.text
        weight += [span.weight] * len(span.text)
        span_end.append(len(text) - 1)
    return text, weight, span_end


def _units(text: str, kinds: list[Kind]) -> list[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        if kinds[i] is Kind.LATIN:
            while j < n and kinds[j] is Kind.LATIN:
                j += 1
        elif text[i] in INSEPARABLE:
            while j < n and text[j] == text[i]:
                j += 1
        units.append((i, j))
        i = j
    return units


def _prepare(spans: Sequence[Span], size: float, role: Role, autospace_em: float) -> _Para:
    text, weight, span_end = _flatten(spans)
    n = len(text)
    kinds = [kind(c) for c in text]
    units = _units(text, kinds)
    adv = [0.0] * n
    halt_adv = [0.0] * n
    latin = [k is Kind.LATIN for k in kinds]
    # Characters that get the line's letter-spacing after them (one per glyph cluster).
    spaced = [not x for x in latin]
    for start, end in units:
        if latin[start]:
            # Shape each same-weight stretch of the word as a whole (kerning).
            i = start
            while i < end:
                j = i
                while j < end and weight[j] == weight[i]:
                    j += 1
                for k, a in enumerate(measure(role, weight[i]).run(text[i:j])):
                    adv[i + k] = halt_adv[i + k] = a * size
                i = j
        elif end - start > 1:
            # ——, ……: shaped together in the Han context Pango gives them; the
            # font may ligate a pair into one two-em glyph, which Pango spaces once.
            for k, a in enumerate(measure(role, weight[start]).run(text[start:end])):
                adv[start + k] = halt_adv[start + k] = a * size
                spaced[start + k] = k == 0 or a > 0
        else:
            for i in range(start, end):
                m = measure(role, weight[i])
                adv[i] = m.advance(text[i]) * size
                halt_adv[i] = m.halt_advance(text[i]) * size if text[i] in COMPRESSIBLE else adv[i]

    halted = [False] * n
    for i in range(n - 1):
        c, d = text[i], text[i + 1]
        if c in COMPRESSIBLE and d in COMPRESSIBLE:
            # Remove the blank between the two marks: the closing mark's right
            # half, or else the second opening mark's left half.
            if c in CLOSING_COMPRESSIBLE:
                halted[i] = True
            elif c in OPENING_COMPRESSIBLE and d in OPENING_COMPRESSIBLE:
                halted[i + 1] = True

    gap_after = [0.0] * n
    gap_left = [False] * n
    for i in range(n - 1):
        if is_ideograph(text[i]) and is_latin_alnum(text[i + 1]):
            gap_after[i], gap_left[i] = autospace_em * size, True
        elif is_latin_alnum(text[i]) and is_ideograph(text[i + 1]):
            gap_after[i] = autospace_em * size
    # The span gap (dateline) replaces any autospace at that boundary.
    for end, span in zip(span_end, (s for s in spans if s.text), strict=True):
        if span.gap_after_em and end < n - 1:
            gap_after[end], gap_left[end] = span.gap_after_em * size, False

    eff_adv = [h if c else a for a, h, c in zip(adv, halt_adv, halted, strict=True)]
    return _Para(text, size, weight, adv, halt_adv, halted, eff_adv, latin, spaced, gap_after, gap_left, units, role)


class _Setter:
    def __init__(self, p: _Para) -> None:
        self.p = p

    def can_break(self, u: int) -> bool:
        """May a line end after unit ``u - 1`` and the next start with unit ``u``?"""
        p, units = self.p, self.p.units
        if u <= 0 or u >= len(units):
            return u > 0
        first = p.text[units[u][0]]
        if kind(first) is Kind.SPACE:
            return False  # the space stays at the end of the line, hanging
        # The line's last visible character decides: spaces before the break hang
        # past the column, so "“ " still ends the line with “.
        end = self.visible_end(0, units[u - 1][1])
        last = p.text[end - 1] if end > 0 else ""
        return first not in LINE_START_PROHIBITED and last not in LINE_END_PROHIBITED

    def visible_end(self, start: int, end: int) -> int:
        """Index after the last non-space character of chars [start, end)."""
        while end > start and kind(self.p.text[end - 1]) is Kind.SPACE:
            end -= 1
        return end

    def width(self, start: int, end: int, halted: set[int]) -> float:
        p = self.p
        vend = self.visible_end(start, end)
        w = 0.0
        for i in range(start, vend):
            w += p.halt_adv[i] if (p.halted[i] or i in halted) else p.adv[i]
            if i < vend - 1:
                w += p.gap_after[i]
        return w

    def squeeze(self, start: int, end: int, room: float) -> set[int] | None:
        """The fewest punctuation marks to set half-width so chars [start, end) fit ``room``.

        The line-end mark goes first, then marks from the end backwards.
        """
        p = self.p
        over = self.width(start, end, set()) - room
        if over <= _EPS:
            return set()
        vend = self.visible_end(start, end)
        chosen: set[int] = set()
        for i in range(vend - 1, start - 1, -1):
            c = p.text[i]
            if p.halted[i] or c not in COMPRESSIBLE:
                continue
            # A line-end opening mark cannot happen; a line-start closing one neither.
            if i == vend - 1 and c not in CLOSING_COMPRESSIBLE:
                continue
            chosen.add(i)
            over -= p.adv[i] - p.halt_adv[i]
            if over <= _EPS:
                return chosen
        return None

    def next_line(self, u0: int, room: float) -> tuple[int, set[int]]:
        """Units [u0, u1) for the line, and the marks compressed to fit them."""
        p, units = self.p, self.p.units
        start = units[u0][0]
        # Fill greedily, adding each unit's width to a running total (the
        # paragraph is long, this is the hot loop). Spaces hang at a line end,
        # so they count only once a visible unit follows them.
        w, vend, u = 0.0, start, u0
        while u < len(units):
            s_, e_ = units[u]
            if p.text[s_] == " ":
                u += 1
                continue
            add = sum(p.eff_adv[vend:e_]) + sum(p.gap_after[max(vend - 1, start) : e_ - 1])
            if vend > start and w + add > room + _EPS:
                break
            w, vend, u = w + add, e_, u + 1
        if u == len(units) or self.can_break(u):
            return u, set()
        # The next unit may not start a line: take it in by compressing (挤进) ...
        ahead = u + 1
        while ahead < len(units) and not self.can_break(ahead) and ahead - u < 4:
            ahead += 1
        if self.can_break(ahead):
            squeezed = self.squeeze(start, units[ahead - 1][1], room)
            if squeezed is not None:
                return ahead, squeezed
        # ... or push back to the last break that is allowed (推出) and spread.
        back = u - 1
        while back > u0 and not self.can_break(back):
            back -= 1
        if back > u0:
            return back, set()
        # Nothing breakable fits: the unit overflows; break at the next allowed place.
        while u < len(units) and not self.can_break(u):
            u += 1
        return u, set()


def set_paragraph(
    spans: Sequence[Span],
    width_pt: float,
    font_size_pt: float,
    *,
    indent_em: float = 2.0,
    role: Role = "serif",
    autospace_em: float = 0.25,
) -> list[Line]:
    """Break a paragraph into lines of ``width_pt`` and justify each but the last.

    Concatenating the runs of all lines gives back the text of ``spans``
    exactly: nothing is inserted, dropped or reordered.
    """
    p = _prepare(spans, font_size_pt, role, autospace_em)
    if not p.text:
        return []
    setter = _Setter(p)
    lines: list[Line] = []
    u0 = 0
    indent = indent_em * font_size_pt
    while u0 < len(p.units):
        room = width_pt - (indent if not lines else 0.0)
        u1, squeezed = setter.next_line(u0, room)
        first = not lines
        lines.append(_line(setter, p.units[u0:u1], squeezed, room, indent if first else 0.0, u1 == len(p.units)))
        u0 = u1
    return lines


def _line(
    s: _Setter, units: Sequence[tuple[int, int]], squeezed: set[int], room: float, indent: float, last: bool
) -> Line:
    p = s.p
    start, end = units[0][0], units[-1][1]
    vend = s.visible_end(start, end)
    natural = s.width(start, end, squeezed)
    # The last visible unit is unspaced as a whole: a class change inside
    # —— would split the ligature, and each run is shaped on its own.
    tail = next((u for u in reversed(units) if u[0] < vend), units[0])[0]
    gaps = sum(1 for i in range(start, tail) if p.spaced[i])
    spacing = 0.0
    if not last and gaps and natural < room:
        spacing = (room - natural) / gaps
    elif natural > room + _EPS and gaps:
        # Overflow that no break could avoid: tighten rather than run into the gutter,
        # up to a tenth of an em per gap.
        spacing = max((room - natural) / gaps, -0.1 * p.size)

    runs: list[Run] = []
    cur: list[str] = []
    cur_classes: tuple[str, ...] = ()
    cur_left = 0.0
    for i in range(start, end):
        classes: tuple[str, ...] = ()
        # Bold only where the bold face has the glyph: a fallback face (HanaMin)
        # has no bold, and fontconfig would fake one. Measured regular, set regular.
        if p.weight[i] >= 700 and measure(p.role, 700).in_primary(p.text[i]):
            classes += ("b",)
        if p.halted[i] or i in squeezed:
            classes += ("halt",)
        if p.latin[i]:
            classes += ("latin",)
        left = p.gap_after[i - 1] if i > start and p.gap_is_margin_left[i - 1] else 0.0
        if cur and (classes != cur_classes or left):
            runs.append(Run("".join(cur), cur_classes, cur_left, 0.0))
            cur = []
        if not cur:
            cur_classes, cur_left = classes, left
        cur.append(p.text[i])
        right = p.gap_after[i] if i < vend - 1 and not p.gap_is_margin_left[i] else 0.0
        if right:
            runs.append(Run("".join(cur), cur_classes, cur_left, right))
            cur = []
    if cur:
        runs.append(Run("".join(cur), cur_classes, cur_left, 0.0))
    # A run of dashes only: ask for the full-width form (``fwid``) we measured.
    runs = [replace(r, classes=(*r.classes, "fw")) if r.text.strip(_DASH) == "" else r for r in runs]
    return Line(tuple(runs), spacing, indent, natural, room, last)
