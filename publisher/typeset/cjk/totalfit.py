"""Total fit: all of a paragraph's breaks chosen together (Knuth and Plass).

Every way of setting a line from one break point to another is scored by
how much it has to be adjusted, in clreq's order (JIS X 4051):

1. shrink: the CJK–Latin space down to 1/8 em (and a dateline's gap a
   little), then punctuation marks to half width (``halt``), as few as make
   the line fit; only if that is not enough, the space between characters
   by at most 0.02 em;
2. stretch: the CJK–Latin space up to 1/2 em (a dateline's gap a little),
   then the space between characters, evenly.

A line's demerits grow with the cube of its stretch per character gap (in
em), squared, as in TeX: one very loose line costs far more than several
slightly loose ones, which is what a greedy first fit cannot weigh. The
paragraph's breaks are the path of least total demerits; the last line is not
stretched. Only lines between their longest fitting length and a few ems
shorter are tried for each end, so the work grows with the paragraph, not
with its square.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .paragraph import BreakKind, Paragraph

EPS = 0.01  # pt: Pango positions are 1/1024 px
LOOSE_CUTOFF_EM = 3.0  # lines shorter than the measure by more are tried only when nothing longer fits
HALT_END_PENALTY = 4.0  # a line-end mark set half width
HALT_INSIDE_PENALTY = 20.0  # a mark inside the line set half width
SHORT_LAST_PENALTY = 150.0  # a paragraph's last line of one character (段末孤字)
BREAK_PENALTY = {BreakKind.NORMAL: 0.0, BreakKind.LATIN_SAFE: 3e3, BreakKind.LATIN_ANY: 3e5}
OVERFULL = 1e18  # a line that cannot fit at all: only when nothing else can be done
# Where nothing else makes a line fit, the space between characters may
# tighten by this much (em), weighted as a stretch of ``TIGHT_WEIGHT`` times
# as much: a line that takes its next mark that way beats one pushed loose.
TIGHT_EM = 0.02
TIGHT_WEIGHT = 3.0


@dataclass(frozen=True)
class Fit:
    """How one line from character ``a`` to ``b`` is set."""

    a: int
    b: int
    room: float  # pt the line is set to
    halts: int  # marks to set half width, beyond the fixed ones
    gap_ratio: float  # share of each layout gap's shrink (< 0) or stretch (> 0) taken
    spacing: float  # pt of letter-spacing per gap
    latin_spaced: bool  # no CJK gap to stretch: the Latin characters take the spacing
    demerits: float


# (demerits, halts, gap ratio, spacing, latin spaced)
Adjustment = tuple[float, int, float, float, bool]


def _demerits(loose: float) -> float:
    """Demerits of a line stretched by ``loose`` em a gap: (1 + 100·(loose/0.1)³)², linear past 1 em
    so that any line that fits stays below an overfull one."""
    badness = 1e5 * loose * loose * loose if loose <= 1.0 else 1e5 * loose
    return (1.0 + badness) ** 2


Adjuster = Callable[[int, int, float, bool], Adjustment]
TooLong = Callable[[int, int, float], bool]


def _scorers(p: Paragraph) -> tuple[Adjuster, TooLong]:
    """Measure and score candidate lines of ``p`` in constant time each (the hot path: closures over
    the paragraph's arrays, which Python reads faster than attributes)."""
    return _adjuster(p), _too_long(p)


def _adjuster(p: Paragraph) -> Adjuster:
    size = p.size
    half = size / 2
    tight_max = TIGHT_EM * size
    sum_adv, sum_gap, sum_shrink, sum_stretch = p.sum_adv, p.sum_gap, p.sum_gap_shrink, p.sum_gap_stretch
    sum_squeezable, sum_spaced, sum_latin = p.sum_squeezable, p.sum_spaced, p.sum_latin
    visible_end, spaced_to, squeezable = p.visible_end, p.spaced_to, p.squeezable

    def adjust(a: int, b: int, room: float, last: bool) -> Adjustment:
        """The adjustments that set characters [a, b) to ``room``, and their demerits."""
        ve = visible_end[b]
        if ve <= a:
            return 0.0, 0, 0.0, 0.0, False
        over = sum_adv[ve] - sum_adv[a] + sum_gap[ve - 1] - sum_gap[a] - room
        shrink = sum_shrink[ve - 1] - sum_shrink[a]
        gaps = spaced_to[ve] - sum_spaced[a]
        halts = 0
        ratio = 0.0
        penalty = 0.0
        if over > EPS:
            if over > shrink + EPS:
                halts = min(sum_squeezable[ve] - sum_squeezable[a], math.ceil((over - shrink - EPS) / half))
                over -= halts * half
                if halts:
                    end_mark = squeezable[ve - 1]
                    penalty = HALT_END_PENALTY * end_mark + HALT_INSIDE_PENALTY * (halts - end_mark)
            if over > shrink + EPS:
                # The last resort: tighten the space between characters a little.
                tight = (over - shrink) / gaps if gaps else math.inf
                ratio = -1.0 if shrink else 0.0
                if tight > tight_max + EPS:
                    return OVERFULL + (over - shrink) * 1e6, halts, ratio, max(-tight, -0.1 * size), False
                return _demerits(TIGHT_WEIGHT * tight / size) + penalty, halts, ratio, -tight, False
            if over > EPS:
                ratio, over = -over / shrink, 0.0
        if last:
            if ve - a == 1 and a > 0:
                penalty += SHORT_LAST_PENALTY
            return penalty, halts, ratio, 0.0, False
        slack = -over
        if slack > EPS and ratio == 0.0:
            stretch = sum_stretch[ve - 1] - sum_stretch[a]
            if stretch:
                take = min(slack, stretch)
                ratio, slack = take / stretch, slack - take
        if gaps:
            spacing = slack / gaps
            return _demerits(spacing / size) + penalty, halts, ratio, spacing, False
        # Nothing but Latin (a long URL broken over lines): its letters take the spacing.
        letters = sum_latin[ve - 1] - sum_latin[a]
        if letters:
            spacing = slack / letters
            return _demerits(spacing / size) + penalty, halts, ratio, spacing, True
        # One character alone: it cannot end flush; as loose as a line of one gap.
        return _demerits(slack / size) + penalty, halts, ratio, 0.0, False

    return adjust


def _too_long(p: Paragraph) -> TooLong:
    half = p.size / 2
    tight_max = TIGHT_EM * p.size
    sum_adv, sum_gap, sum_shrink = p.sum_adv, p.sum_gap, p.sum_gap_shrink
    sum_squeezable, sum_spaced, spaced_to = p.sum_squeezable, p.sum_spaced, p.spaced_to

    def too_long(a: int, ve: int, room: float) -> bool:
        """Is [a, ve) wider than ``room`` even with every shrink? (It grows as ``a`` moves back.)"""
        if ve <= a:
            return False
        shrunk = (
            sum_adv[ve] - sum_adv[a]
            + sum_gap[ve - 1] - sum_gap[a]
            - (sum_shrink[ve - 1] - sum_shrink[a])
            - (sum_squeezable[ve] - sum_squeezable[a]) * half
            - (spaced_to[ve] - sum_spaced[a]) * tight_max
        )
        return shrunk > room + EPS

    return too_long


def fit_line(p: Paragraph, a: int, b: int, room: float, last: bool) -> Fit:
    """How characters [a, b) are set to ``room`` (the last line of a paragraph is not stretched)."""
    demerits, halts, ratio, spacing, latin_spaced = _scorers(p)[0](a, b, room, last)
    return Fit(a, b, room, halts, ratio, spacing, latin_spaced, demerits)


def choose_breaks(p: Paragraph, width: float, indent: float, inside_words: bool = False) -> list[Fit]:
    """The lines of least total demerits for a measure of ``width`` pt, the first indented by ``indent``.

    A Latin run is broken inside only when it is wider than the line, or
    (``inside_words``) when the lines chosen without that leave one overfull:
    a URL that fits a line alone may not fit it with the marks that cannot
    start the next line (``…page=1，，``).
    """
    normal = BreakKind.NORMAL
    usable = [(k, kind) for k, kind in p.breaks if kind == normal or inside_words or p.word_width[k] > width - EPS]
    ends = [0, *(k for k, _ in usable), p.n]
    penalties = [0.0, *(BREAK_PENALTY[kind] for _, kind in usable), 0.0]
    adjust, too_long = _scorers(p)
    came_from = _least_demerits(p, ends, penalties, width, indent, adjust, too_long)
    chosen = _fits(ends, came_from, width, width - indent, adjust)
    if not inside_words and len(usable) < len(p.breaks) and \
            any(too_long(fit.a, p.visible_end[fit.b], fit.room) for fit in chosen):
        return choose_breaks(p, width, indent, inside_words=True)
    return chosen


def _least_demerits(p: Paragraph, ends: list[int], penalties: list[float], width: float, indent: float,
                    adjust: Adjuster, too_long: TooLong) -> list[int]:
    """For each break point (an index into ``ends``), the one the line ending there starts at on the path of
    least total demerits from the paragraph's start (the inner loop, inlined for the common line)."""
    count = len(ends)
    best = [math.inf] * count
    came_from = [0] * count
    best[0] = 0.0
    sum_adv, sum_gap, sum_spaced = p.sum_adv, p.sum_gap, p.sum_spaced
    sum_shrink, sum_squeezable = p.sum_gap_shrink, p.sum_squeezable
    visible_end, spaced_to, size = p.visible_end, p.spaced_to, p.size
    half, tight = size / 2, TIGHT_EM * size
    shortest = width - LOOSE_CUTOFF_EM * p.size
    first_room = width - indent
    first_fits = True  # the line from the paragraph's start fits: tried for every end until it no longer does
    lo = 1  # the earliest start (after the paragraph's own) from which the line to the current end fits
    for j in range(1, count):
        b = ends[j]
        ve = visible_end[b]
        last = j == count - 1
        total, origin = math.inf, -1
        if first_fits:
            if too_long(0, ve, first_room):
                first_fits = False
            else:
                total, origin = adjust(0, b, first_room, last)[0], 0
        if lo < j:
            # The shortest any line ending here can be made, from the start at ``lo``.
            last_start = spaced_to[ve]
            base = sum_adv[ve] + sum_gap[ve - 1] - sum_shrink[ve - 1] - sum_squeezable[ve] * half - last_start * tight
            while lo < j:
                a = ends[lo]
                shrunk = (base - sum_adv[a] - sum_gap[a] + sum_shrink[a] + sum_squeezable[a] * half
                          + sum_spaced[a] * tight)
                if ve > a and shrunk > width + EPS:
                    lo += 1
                else:
                    break
        for i in range(lo, j):
            a = ends[i]
            # Only lines a few ems short of the measure are worth trying, but
            # the longest that fits always is: it may be all there is.
            natural = sum_adv[ve] - sum_adv[a]
            if i > lo and not last and natural < shortest:
                break
            gaps = spaced_to[ve] - sum_spaced[a]
            if not last and gaps and natural < width - EPS and sum_gap[ve - 1] == sum_gap[a]:
                # The common line, inlined: no layout gap, nothing to shrink, stretched evenly.
                loose = (width - natural) / gaps / size
                d = best[i] + (1.0 + 1e5 * loose * loose * loose) ** 2 if loose <= 1.0 else best[i] + _demerits(loose)
            else:
                d = best[i] + adjust(a, b, width, last)[0]
            if d < total:
                total, origin = d, i
        if origin < 0:
            # Nothing fits: the shortest line ending here, overfull.
            origin = j - 1
            total = best[origin] + adjust(ends[origin], b, first_room if origin == 0 else width, last)[0]
        best[j], came_from[j] = total + penalties[j], origin
    return came_from


def _fits(ends: list[int], came_from: list[int], width: float, first_room: float, adjust: Adjuster) -> list[Fit]:
    """The lines of the path that ends at the paragraph's end, first to last."""
    chosen: list[Fit] = []
    j = len(ends) - 1
    while j > 0:
        i = came_from[j]
        room = first_room if i == 0 else width
        demerits, halts, ratio, spacing, latin_spaced = adjust(ends[i], ends[j], room, j == len(ends) - 1)
        chosen.append(Fit(ends[i], ends[j], room, halts, ratio, spacing, latin_spaced, demerits))
        j = i
    chosen.reverse()
    return chosen
