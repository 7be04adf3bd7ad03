"""Headlines, kickers and subheadlines broken into lines and sized for their block.

A compositor sets a headline on one line when it fits; a headline too long for
its block is set smaller, down to the layout's minimum, before it wraps; when
it must wrap, it breaks at the spaces between its phrases where it has them
("一着不让防风险 全力以赴保安全") and into lines of about equal length, never
leaving a stub (a last line of fewer than a third of the longest line's
characters). Between ideographs a line may break anywhere the clreq rules allow.

The lines are decided here, with the fonts' real advances, and each is printed
as a line of its own: the height of every head is known before the page is
made up, and WeasyPrint never wraps a head differently.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .cjk.classes import (
    INSEPARABLE,
    LINE_END_PROHIBITED,
    LINE_START_PROHIBITED,
    Kind,
    is_ideograph,
    is_latin_alnum,
    kind,
)
from .cjk.measure import measure
from .fonts import Role

WORD_SPACING_EM = 0.5  # the space between a headline's phrases (print.css: word-spacing)
AUTOSPACE_EM = 0.25  # CJK–Latin spacing
_SAFETY = 1.01  # a line measured 1% wider than HarfBuzz says: Pango's rounding never makes it overhang
MAX_LINES = 3  # the most lines a head is set in, unless the caller allows more


@dataclass(frozen=True)
class SetText:
    """A head text broken into lines at one size."""

    lines: tuple[str, ...]
    size: float  # pt
    tracking: tuple[float, ...] = ()  # em between the characters of each line (a short line spread), if any

    @property
    def characters(self) -> tuple[int, ...]:
        return tuple(len(line.replace(" ", "")) for line in self.lines)

    def spacing(self, index: int) -> float:
        """em between the characters of line ``index``."""
        return self.tracking[index] if index < len(self.tracking) else 0.0

    def line_width(self, index: int, role: Role = "sans", weight: int = 700) -> float:
        """The printed width of line ``index`` in pt, its spacing included."""
        line = self.lines[index]
        return width(line, self.size, role, weight) + self.spacing(index) * self.size * max(0, len(line) - 1)


def spread(text: SetText, least_pt: float, most_em: float, role: Role = "sans", weight: int = 700) -> SetText:
    """``text`` with each of its lines narrower than ``least_pt`` spread to reach it (a headline's short line
    set to stand across its block), at most ``most_em`` between characters; a line that cannot is left as it
    is. A one-line head is not spread: a head that short wants a narrower block."""
    if len(text.lines) < 2 or least_pt <= 0:
        return text
    tracking = []
    for line in text.lines:
        short = least_pt - width(line, text.size, role, weight)
        gaps = len(line) - 1
        em = short / gaps / text.size if short > 0 and gaps else 0.0
        tracking.append(round(em, 3) if 0 < em <= most_em else 0.0)
    return SetText(text.lines, text.size, tuple(tracking)) if any(tracking) else text


def _is_space(ch: str) -> bool:
    return ch in " \u3000"


def _boundary(a: str, b: str) -> bool:
    """A CJK–Latin boundary, where layout puts a quarter em of space."""
    return (is_ideograph(a) and is_latin_alnum(b)) or (is_latin_alnum(a) and is_ideograph(b))


class _Measured:
    """A head text with the running sums of its advances (em), so that any piece's width is two lookups."""

    def __init__(self, text: str, role: Role, weight: int) -> None:
        face = measure(role, weight)
        self.text = text
        self.advance = [0.0]  # sum of advances (and word spacing) of text[:i]
        self.spacing = [0.0, 0.0]  # sum of the CJK–Latin spaces between text[j-1] and text[j] for j < i
        for index, ch in enumerate(text):
            self.advance.append(self.advance[-1] + face.advance(ch) + (WORD_SPACING_EM if ch == " " else 0.0))
            if index:
                self.spacing.append(self.spacing[-1] + (AUTOSPACE_EM if _boundary(text[index - 1], ch) else 0.0))

    def width(self, start: int, end: int) -> float:
        """The width of ``text[start:end]`` set as one line, in em."""
        if end <= start:
            return 0.0
        return self.advance[end] - self.advance[start] + self.spacing[end] - self.spacing[start + 1]


@lru_cache(maxsize=4096)
def _measured(text: str, role: Role, weight: int) -> _Measured:
    return _Measured(text, role, weight)


def width(text: str, size: float, role: Role = "sans", weight: int = 700) -> float:
    """The printed width of one line of ``text`` in pt, phrase spaces and CJK–Latin spacing included."""
    return _measured(text, role, weight).width(0, len(text)) * size * _SAFETY


def _breaks(text: str) -> Iterator[tuple[int, int, bool]]:
    """Where a line may end: (end of the line, start of the next, at a phrase space?). A phrase space is dropped."""
    for index in range(1, len(text)):
        before, after = text[index - 1], text[index]
        if _is_space(after) or _is_space(before):
            if _is_space(after) and not _is_space(before):
                start = index
                while start < len(text) and _is_space(text[start]):
                    start += 1
                yield index, start, True
            continue
        if after in LINE_START_PROHIBITED or before in LINE_END_PROHIBITED:
            continue
        if before in INSEPARABLE and after == before:
            continue
        if kind(before) is Kind.LATIN and kind(after) is Kind.LATIN:
            continue  # a Latin word or a number stays whole
        yield index, index, False


def _break_cost(text: str, index: int, phrase: bool) -> int:
    """Phrase spaces first, then script boundaries and after punctuation (word ends), then between ideographs."""
    if phrase:
        return 0
    before, after = text[index - 1], text[index]
    if _boundary(before, after) or not (is_ideograph(before) or is_latin_alnum(before)):
        return 1
    return 2


def _visible(text: str, start: int, end: int) -> int:
    return end - start - text.count(" ", start, end)


_Break = tuple[int, int, bool]


@lru_cache(maxsize=4096)
def _layouts(text: str, role: Role, weight: int, count: int,
             phrases_only: bool) -> tuple[tuple[float, float, tuple[_Break, ...]], ...]:
    """Every way worth trying to set ``text`` in ``count`` lines with no stub, best first, with its widest and
    narrowest lines in em.

    None of this depends on the size: the size only decides which of them fit.
    """
    measured = _measured(text, role, weight)
    candidates = [c for c in _breaks(text) if c[2] or not phrases_only]
    ranked: list[tuple[tuple[int, float], float, float, tuple[_Break, ...]]] = []
    for chosen in _choices(candidates, count - 1, len(text)):
        bounds = [(0, chosen[0][0])]
        bounds += [(chosen[k][1], chosen[k + 1][0]) for k in range(len(chosen) - 1)]
        bounds.append((chosen[-1][1], len(text)))
        chars = [_visible(text, a, b) for a, b in bounds]
        if min(chars) * 3 < max(chars) or min(chars) == 0:
            continue
        widths = [measured.width(a, b) for a, b in bounds]
        key = (sum(_break_cost(text, end, phrase) for end, _, phrase in chosen), max(widths) - min(widths))
        ranked.append((key, max(widths), min(widths), chosen))
    ranked.sort(key=lambda entry: entry[0])
    return tuple((widest, narrowest, chosen) for _, widest, narrowest, chosen in ranked)


def break_lines(text: str, measure_pt: float, size: float, role: Role = "sans", weight: int = 700,
                lines: int | None = None, phrases_only: bool = False, max_lines: int = MAX_LINES,
                least_pt: float = 0.0) -> SetText | None:
    """``text`` at ``size`` in the fewest lines that fit ``measure_pt`` (or exactly ``lines``), balanced.

    Phrase spaces are preferred to breaks between ideographs; among breaks of
    the same kind the most even lines win. None if it cannot be set in
    ``max_lines`` lines (or in ``lines``) without a stub or an overhang, or,
    in more than one line, with every line at least ``least_pt`` wide (a head
    whose lines reach across its block).
    """
    text = " ".join(text.split())
    if not text:
        return SetText((), size)
    room = measure_pt / (size * _SAFETY)  # in em
    for count in [lines] if lines is not None else range(1, max_lines + 1):
        if count == 1:
            if _measured(text, role, weight).width(0, len(text)) <= room:
                return SetText((text,), size)
            continue
        least = least_pt / (size * _SAFETY)
        for widest, narrowest, chosen in _layouts(text, role, weight, count, phrases_only):
            if widest <= room and narrowest >= least:
                points = [0, *(x for end, start, _ in chosen for x in (end, start)), len(text)]
                return SetText(tuple(text[a:b] for a, b in zip(points[::2], points[1::2], strict=True)), size)
    return None


def _choices(candidates: list[_Break], count: int, length: int) -> Iterator[tuple[_Break, ...]]:
    """Sets of ``count`` break points worth trying: each within reach of an even cut of the text.

    A balanced head has its breaks near the even cuts; one far from them
    would leave a line under a third of another, which is refused anyway.
    """
    if count == 1:
        yield from ((c,) for c in candidates)
        return
    share = length / (count + 1)
    reach = max(3.0, share * 0.4)
    near = [[c for c in candidates if abs(c[0] - share * k) <= reach] for k in range(1, count + 1)]
    for chosen in itertools.product(*near):
        if all(a[1] < b[0] for a, b in itertools.pairwise(chosen)):
            yield chosen


def fit(text: str, measure_pt: float, nominal: float, smallest: float, role: Role = "sans",
        weight: int = 700, max_lines: int = MAX_LINES, least_pt: float = 0.0) -> SetText:
    """The head text as a compositor sets it at its natural size.

    One line at the nominal size if it fits; else one line at a smaller size,
    down to ``smallest`` (in whole points); else the fewest lines broken at
    phrase spaces only, at the largest size that allows them; else the fewest
    lines broken where the rules allow, at the nominal size, then the
    smallest, in at most ``max_lines``; at worst greedy lines, so that a head
    is never lost (the make-up does not choose a block that needs them).
    Broken lines are chosen at least ``least_pt`` wide where they can be, so
    that each reaches across the block (phrase breaks first all the same).
    """
    text = " ".join(text.split())
    sizes = [nominal - step for step in range(int(nominal - smallest) + 1)]
    for size in sizes:
        if width(text, size, role, weight) <= measure_pt:
            return SetText((text,), size)
    if " " in text:  # at its phrase spaces, the lines reaching across the block if they can
        for least in dict.fromkeys((least_pt, 0.0)):
            for count in range(2, max_lines + 1):
                for size in sizes:
                    wrapped = break_lines(text, measure_pt, size, role, weight, lines=count, phrases_only=True,
                                          least_pt=least)
                    if wrapped is not None:
                        return wrapped
    for least in dict.fromkeys((least_pt, 0.0)):
        for size in (nominal, smallest):
            wrapped = break_lines(text, measure_pt, size, role, weight, max_lines=max_lines, least_pt=least)
            if wrapped is not None:
                return wrapped
    return _forced(text, measure_pt, smallest, role, weight)


def _forced(text: str, measure_pt: float, size: float, role: Role, weight: int) -> SetText:
    """Greedy lines, for a head longer than its most balanced lines: every character kept, none overhanging."""
    text = " ".join(text.split())
    measured = _measured(text, role, weight)
    room = measure_pt / (size * _SAFETY)
    ends = {end: start for end, start, _ in _breaks(text)}
    lines: list[str] = []
    start = 0
    while start < len(text):
        end = len(text) if measured.width(start, len(text)) <= room else next(
            (p for p in sorted(ends, reverse=True) if p > start and measured.width(start, p) <= room), None)
        if end is None:  # a single unit wider than the block (a long Latin word): cut it by characters
            end = start + 1
            while end < len(text) and measured.width(start, end + 1) <= room:
                end += 1
        lines.append(text[start:end])
        start = ends.get(end, end)
    return SetText(tuple(line for line in lines if line.strip()), size)


def larger_sets(text: str, measure_pt: float, natural: SetText, largest: float, height_pt: float,
                line_height: float, role: Role = "sans", weight: int = 700,
                least_pt: float = 0.0) -> Iterator[SetText]:
    """The head text set larger than its natural size, up to ``largest``, within ``height_pt``: largest first.

    As many lines as at the natural size; a one-line headline with phrase
    spaces may also take two lines broken at a phrase space (a display head,
    as a make-up editor sets a lead with room to fill). Broken lines at least
    ``least_pt`` wide where they can be.
    """
    counts = [len(natural.lines)] + ([2] if len(natural.lines) == 1 and " " in text.strip() else [])
    size = largest
    while size > natural.size:
        for count in counts:
            if count * size * line_height <= height_pt:
                bigger = next((found for least in dict.fromkeys((least_pt, 0.0)) if (found := break_lines(
                    text, measure_pt, size, role, weight, lines=count, phrases_only=count > 1,
                    least_pt=least)) is not None), None)
                if bigger is not None:
                    yield bigger
        size -= 1.0


def enlarge(text: str, measure_pt: float, natural: SetText, largest: float, height_pt: float,
            line_height: float, role: Role = "sans", weight: int = 700) -> SetText:
    """The largest size up to ``largest`` at which ``text`` fits ``height_pt``, for a head given room to spare
    (the first of ``larger_sets``, else the natural size)."""
    return next(larger_sets(text, measure_pt, natural, largest, height_pt, line_height, role, weight), natural)
