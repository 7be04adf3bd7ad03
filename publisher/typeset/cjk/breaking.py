"""Line breaking and inter-character justification of a Chinese paragraph, in one pass.

WeasyPrint's ``text-align: justify`` stretches spaces only, so Chinese lines
come out ragged. Here we break the paragraph ourselves with the font's real
advances (``measure``), choosing all its breaks together (``totalfit``), and
give each line the ``letter-spacing`` that makes it end flush; the print
templates render one block per line (``layouts/print/_lines.html``).

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
one; ``——`` and ``……`` never split, and at the strict level (the default)
start no line but a paragraph's first; Latin words and numbers split only at
spaces, unless a run is wider than the line (a URL), which then breaks after
``/ . - ? & =`` and the like, else anywhere; consecutive punctuation is always
compressed with ``halt``. Adjustments go in clreq's order: punctuation is
compressed (at the line end first, then inside the line) before the space
between characters is stretched (``totalfit``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from ..fonts import Role
from .classes import Level
from .measure import measure
from .paragraph import Paragraph, Span, prepare_paragraph
from .totalfit import EPS, Fit, choose_breaks

__all__ = ["Line", "Run", "Span", "set_paragraph"]

# The one character whose glyph Noto CJK picks by script: a run of nothing but
# dashes has no Han neighbour to take its script from (WeasyPrint shapes each
# inline box on its own), and Pango would set a proportional Latin dash.
_DASH = "—"

# Marks compressed first inside a line: the pause marks (点号), whose blank
# half reads as the pause; brackets and quotes keep theirs longer.
_PAUSE_MARKS = frozenset("，、。．：；？！")


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


def set_paragraph(
    spans: Sequence[Span],
    width_pt: float,
    font_size_pt: float,
    *,
    indent_em: float = 2.0,
    role: Role = "serif",
    autospace_em: float = 0.25,
    level: Level = "strict",
) -> list[Line]:
    """Break a paragraph into lines of ``width_pt`` and justify each but the last.

    Concatenating the runs of all lines gives back the text of ``spans``
    exactly: nothing is inserted, dropped or reordered. The result is cached
    by its arguments: page make-up sets an article at several widths, and
    tries the same widths again.
    """
    return list(_set(tuple(spans), width_pt, font_size_pt, indent_em, role, autospace_em, level))


@lru_cache(maxsize=1024)
def _set(
    spans: tuple[Span, ...], width: float, size: float, indent_em: float, role: Role, autospace_em: float, level: Level
) -> tuple[Line, ...]:
    p = prepare_paragraph(spans, size, role, autospace_em, level)
    if not p.text:
        return ()
    indent = indent_em * size
    fits = choose_breaks(p, width, indent)
    return tuple(_line(p, f, indent if f.a == 0 else 0.0, f.b == p.n) for f in fits)


def _halted(p: Paragraph, f: Fit, vend: int) -> set[int]:
    """The marks set half width to make the line fit.

    The line-end mark first, then pause marks, then the rest, each from the end of the line.
    """
    if not f.halts:
        return set()
    squeezable = [i for i in range(vend - 1, f.a - 1, -1) if p.squeezable[i]]
    end = [i for i in squeezable if i == vend - 1]
    pauses = [i for i in squeezable if i != vend - 1 and p.text[i] in _PAUSE_MARKS]
    rest = [i for i in squeezable if i != vend - 1 and p.text[i] not in _PAUSE_MARKS]
    return set((end + pauses + rest)[: f.halts])


def _line(p: Paragraph, f: Fit, indent: float, last: bool) -> Line:
    start, end = f.a, f.b
    vend = p.visible_end[end]
    squeezed = _halted(p, f, vend)
    # The layout gaps as adjusted for this line; none after the last visible character.
    cap = p.gap_shrink if f.gap_ratio < 0 else p.gap_stretch
    gap = [p.gap_after[i] + f.gap_ratio * cap[i] if i < vend - 1 else 0.0 for i in range(start, end)]
    natural = sum(p.halt_adv[i] if (p.halted[i] or i in squeezed) else p.adv[i] for i in range(start, vend)) + sum(gap)
    if vend <= start:
        gaps = 0
    elif f.latin_spaced:
        gaps = sum(p.latin[start : vend - 1])
    else:
        gaps = p.spaced_to[vend] - p.sum_spaced[start]
    spacing = 0.0
    if gaps and not last and natural < f.room:
        spacing = (f.room - natural) / gaps
    elif gaps and natural > f.room + EPS:
        # Overflow that no break could avoid: tighten rather than run into the gutter,
        # up to a tenth of an em per gap.
        spacing = max((f.room - natural) / gaps, -0.1 * p.size)

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
            # Set as the breaker measured it: a word shaped whole (its kerning pairs); on a line of Latin
            # only it takes the line's letter-spacing too ("spaced"), the one place the line can stretch.
            classes += ("latin", "spaced") if f.latin_spaced else ("latin",)
        left = gap[i - 1 - start] if i > start and p.gap_is_margin_left[i - 1] else 0.0
        if cur and (classes != cur_classes or left):
            runs.append(Run("".join(cur), cur_classes, cur_left, 0.0))
            cur = []
        if not cur:
            cur_classes, cur_left = classes, left
        cur.append(p.text[i])
        right = gap[i - start] if not p.gap_is_margin_left[i] else 0.0
        if right:
            runs.append(Run("".join(cur), cur_classes, cur_left, right))
            cur = []
    if cur:
        runs.append(Run("".join(cur), cur_classes, cur_left, 0.0))
    # A run of dashes only: ask for the full-width form (``fwid``) we measured.
    runs = [replace(r, classes=(*r.classes, "fw")) if r.text.strip(_DASH) == "" else r for r in runs]
    return Line(tuple(runs), spacing, indent, natural, f.room, last)
