"""Typography lint over a finished PDF: prohibited line starts/ends, flush and loose justified lines.

Method (everything is read back from the PDF, nothing from the build):

1. Characters come from pdfminer.six (``LTChar``, no layout analysis). A text
   line is the characters that share a baseline (the text matrix's *y*),
   sorted by *x* and cut where a gap exceeds the median gap so far in the line
   (its letter-spacing) by ``min_column_gap_em`` (1.2 em: more than a
   dateline gap, less than a gutter), or, with a known column width, where the
   line would grow wider than its column — that is how two columns on one
   baseline come apart. A closing mark counts half-width there, since a
   ``halt`` mark keeps its full-width box in the PDF. Spaces are kept in the text but
   never count as a line's first or last character.
2. Body lines are lines whose characters are mostly in the most common font
   family (subset prefix and weight suffix removed, so the bold dateline
   counts) at the most common size.
3. A body line's column starts at the left edge most body lines of its page
   start at, among those from 3 em left of it (this absorbs the 2 em indent
   of first lines) to 1 em right of it (an opening mark hung into the margin,
   as Typst hangs it); the leftmost of a tie. The column's right edge is ``left +
   column_width_pt`` when the caller knows the width; otherwise the most
   common right edge of the column's lines (0.1 pt bins, needs 3 lines), or
   the largest one; a line ending in a closing mark has its edge where the
   mark would end set half-width.
4. A line is the last of its paragraph (not justified) when the next line in
   the same column, directly below it (within 1.6 line pitches), is not a body
   line or starts indented. For the last line of a column block the next line
   is the first line of the block in the next column that starts at the same
   height (or, for the last column, of the first column of the next page). When
   no such line exists the line is *unresolved*: it counts as justified only if
   it is flush, and the report says how many there were.
5. A justified line is flush when the right edge of its last visible glyph is
   within ``tolerance_pt`` of the column's right edge. A closing mark compressed
   to half width (``halt``) at the line end keeps its full-width box in the
   PDF, so for those the edge half an em earlier counts.
6. A justified line's looseness is the median (the upper one of an even
   count) of the extra space between consecutive ideographs (from one glyph's
   advance to the next glyph), in em of the line's size: the letter-spacing
   that justification added. The report gives the 95th percentile over the
   justified lines, the loosest line, and the share of lines over 0.1 em.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pdfminer.layout import LTChar

from ..typeset.cjk.classes import CLOSING_COMPRESSIBLE, is_ideograph
from ..typeset.cjk.prohibitions import Level, Prohibitions, Rule, prohibitions
from .pdf_reading import pages as _pages

_SUBSET = re.compile(r"^[A-Z]{2,6}\+")
_WEIGHT = re.compile(r"[-,]?(Bold|Regular|Medium|Light|Heavy|Black|SemiBold|ExtraLight)$")


# The registry's codes (``findings.RULES``) the lint's records carry, the words ``check`` reports them under.
LintCode = Literal["PDF011", "PDF012", "PDF013", "PDF015"]
PROHIBITED_START: LintCode = "PDF011"
PROHIBITED_END: LintCode = "PDF012"
NOT_FLUSH: LintCode = "PDF013"  # one line of those PDF013 counts, not a finding of its own
LOOSEST: LintCode = "PDF015"  # the loosest line, the example PDF015 quotes


@dataclass(frozen=True)
class LineFinding:
    """One offending line, under the code ``check`` reports it with (``LintCode``)."""

    code: LintCode
    page: int  # 1-based
    text: str
    detail: str = ""
    mark: str = ""  # for a prohibited start or end: the table's entry the line starts or ends with


@dataclass(frozen=True)
class TypographyReport:
    lines: int  # all text lines
    body_lines: int
    justified: int  # body lines that are not the last of their paragraph
    flush: int  # justified lines that end flush
    unresolved: int  # column-final lines whose paragraph could not be followed
    prohibited_starts: int
    prohibited_ends: int
    findings: tuple[LineFinding, ...] = field(default=())
    looseness: tuple[float, ...] = ()  # em, each justified line with two ideographs side by side, loosest last

    @property
    def flush_share(self) -> float:
        return self.flush / self.justified if self.justified else 1.0

    @property
    def loose_p95(self) -> float | None:
        """The 95th percentile of the justified lines' looseness (em)."""
        return self.looseness[int(0.95 * (len(self.looseness) - 1))] if self.looseness else None

    @property
    def loose_max(self) -> float | None:
        return self.looseness[-1] if self.looseness else None

    @property
    def loose_share(self) -> float | None:
        """The share of justified lines looser than 0.1 em."""
        return sum(x > 0.1 for x in self.looseness) / len(self.looseness) if self.looseness else None


@dataclass
class _Line:
    page: int
    chars: list[Any]  # LTChar
    baseline: float
    size: float
    family: str
    text: str
    visible: list[Any]  # the characters that are not white space
    x0: float  # left edge of the first visible glyph
    x1: float  # right edge of the last one
    body: bool = False
    left: float = 0.0  # column left edge
    right: float = 0.0  # column right edge


def _family(fontname: str) -> str:
    return _WEIGHT.sub("", _SUBSET.sub("", fontname))


class _Char:
    """What the lint reads of a pdfminer character: a tenth of an ``LTChar``'s memory, kept for every page."""

    __slots__ = ("fontname", "matrix", "size", "text", "x0", "x1")

    def __init__(self, char: Any) -> None:
        self.text = char.get_text()
        self.x0, self.x1, self.size = char.x0, char.x1, char.size
        self.fontname = char.fontname
        self.matrix = (0.0, 0.0, 0.0, 0.0, 0.0, char.matrix[5])  # only the baseline is read

    def get_text(self) -> str:
        return str(self.text)


def _chars(obj: Any) -> Iterator[Any]:
    if isinstance(obj, LTChar):
        yield _Char(obj)
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from _chars(child)


def _lines(pdf: Path | bytes, min_gap_em: float, column_width: float | None = None) -> list[_Line]:
    out: list[_Line] = []
    for number, page in enumerate(_pages(pdf), start=1):
        rows: dict[float, list[Any]] = {}
        for ch in _chars(page):
            rows.setdefault(round(float(ch.matrix[5]), 1), []).append(ch)
        for baseline, row in rows.items():
            row.sort(key=lambda c: c.x0)
            current: list[Any] = [row[0]]
            gaps = _RunningMedian()  # of the gaps between the characters of ``current``
            seen = row[0]  # the last visible character before ``ch``
            for prev, ch in itertools.pairwise(row):
                if prev.get_text().strip():
                    seen = prev
                # A space hanging at a line's end reaches into the gutter: measure from the glyph before it.
                gap = ch.x0 - _right(seen if not prev.get_text().strip() and ch.get_text().strip() else prev)
                em = max(ch.size, prev.size)
                # Letter-spacing widens every gap of a justified line alike: a
                # gutter stands out from the line's usual gap, a dateline gap
                # (1 em) does not. A line never runs wider than its column.
                usual = gaps.median()
                too_wide = column_width is not None and ch.x1 - current[0].x0 > column_width + 0.75 * em
                if gap - usual > min_gap_em * em or (too_wide and gap > 0.5 * em):
                    out.append(_make(number, current, baseline))
                    current, gaps = [], _RunningMedian()
                else:
                    gaps.add(gap)
                current.append(ch)
            out.append(_make(number, current, baseline))
    return out


class _RunningMedian:
    """The median of the values added so far (the mean of the middle two of an even count), in log time each.

    A line of a hostile PDF may hold a million characters: a median taken
    again over all its gaps at every character made the lint quadratic.
    """

    def __init__(self) -> None:
        self._low: list[float] = []  # the smaller half, negated (a max-heap)
        self._high: list[float] = []  # the larger half

    def add(self, value: float) -> None:
        if self._low and value > -self._low[0]:
            heapq.heappush(self._high, value)
        else:
            heapq.heappush(self._low, -value)
        if len(self._low) > len(self._high) + 1:
            heapq.heappush(self._high, -heapq.heappop(self._low))
        elif len(self._high) > len(self._low):
            heapq.heappush(self._low, -heapq.heappop(self._high))

    def median(self) -> float:
        if not self._low:
            return 0.0
        if len(self._low) > len(self._high):
            return -self._low[0]
        return (-self._low[0] + self._high[0]) / 2


def _right(ch: Any) -> float:
    """Right edge of a glyph's advance; a closing mark may be half-width (its box is not)."""
    if ch.get_text() in CLOSING_COMPRESSIBLE:
        return min(float(ch.x1), float(ch.x0) + float(ch.size) / 2)
    return float(ch.x1)


def _make(page: int, chars: list[Any], baseline: float) -> _Line:
    size = Counter(round(float(c.size), 1) for c in chars).most_common(1)[0][0]
    family = Counter(_family(c.fontname) for c in chars).most_common(1)[0][0]
    text = "".join(c.get_text() for c in chars)
    vis = [c for c in chars if c.get_text().strip()]
    x0, x1 = (float(vis[0].x0), float(vis[-1].x1)) if vis else (0.0, 0.0)
    return _Line(page, chars, baseline, size, family, text, vis, x0, x1)


def _squeezed(family: str) -> str:
    """A family name as fontconfig and as a PDF font name spell it alike: "Noto Serif CJK SC", "Noto-Serif-CJK-SC"."""
    return re.sub(r"[^0-9a-z]", "", family.lower())


def _mark_body(lines: list[_Line], body_family: str | None = None) -> None:
    chars = [c for ln in lines for c in ln.visible]
    if body_family is not None:
        # The caller knows the body face: on a sheet of little text (a page of
        # headlines) the most common face would be the headlines'.
        own = [c for c in chars if _squeezed(_family(c.fontname)) == _squeezed(body_family)]
        chars = own or chars
    if not chars:
        return
    size = Counter(round(float(c.size), 1) for c in chars).most_common(1)[0][0]
    family = Counter(_family(c.fontname) for c in chars).most_common(1)[0][0]
    for ln in lines:
        vis = ln.visible
        ok = sum(1 for c in vis if round(float(c.size), 1) == size and _family(c.fontname) == family)
        ln.body = bool(vis) and ok * 2 > len(vis)


def _columns(body: list[_Line], widths: Sequence[float]) -> None:
    by_page: dict[int, list[_Line]] = {}
    for ln in body:
        by_page.setdefault(ln.page, []).append(ln)
    for lines in by_page.values():
        lefts = Counter(round(ln.x0, 1) for ln in lines)
        for ln in lines:
            em = ln.size
            # The edge most lines start at, from 3 em left of this line (its indent) to 1 em right
            # of it (a tool that hangs an opening mark into the margin); the leftmost of a tie.
            near = [x for x in lefts if ln.x0 - 3 * em <= x <= ln.x0 + em]
            ln.left = max(near, key=lambda x: (lefts[x], -x))
        columns: dict[float, list[_Line]] = {}
        for ln in lines:
            columns.setdefault(round(ln.left, 1), []).append(ln)
        for col in (run for column in columns.values() for run in _vertical_runs(column)):
            if widths:
                # Articles may be set in fewer, wider columns than the page's grid:
                # the column's width is the known one most of its lines end at.
                def votes(w: float, col: list[_Line] = col) -> int:
                    return sum(1 for ln in col if _is_flush(ln, 0.5, col[0].left + w))

                right = col[0].left + max(widths, key=votes)
            else:
                # A line ending in a closing mark set half-width has its glyph's full box
                # past the edge: its edge is where the half-width mark ends.
                edges = [_right(ln.visible[-1]) if ln.visible else ln.x1 for ln in col]
                common = Counter(round(edge, 1) for edge in edges).most_common(1)[0]
                right = common[0] if common[1] >= 3 else max(edges)
            for ln in col:
                ln.right = right


def _vertical_runs(column: list[_Line]) -> Iterator[list[_Line]]:
    """A column's lines cut where a gap of more than two lines opens: one article's column each."""
    ordered = sorted(column, key=lambda ln: -ln.baseline)
    run = [ordered[0]]
    for above, below in itertools.pairwise(ordered):
        if above.baseline - below.baseline > 2.5 * above.size:
            yield run
            run = []
        run.append(below)
    yield run


def _pitch(body: list[_Line]) -> float:
    steps: Counter[float] = Counter()
    ordered = sorted(body, key=lambda ln: (ln.page, round(ln.left, 1), -ln.baseline))
    for a, b in itertools.pairwise(ordered):
        if a.page == b.page and round(a.left, 1) == round(b.left, 1):
            steps[round(a.baseline - b.baseline, 1)] += 1
    return steps.most_common(1)[0][0] if steps else 0.0


def _is_flush(ln: _Line, tol: float, right: float | None = None) -> bool:
    gap = (ln.right if right is None else right) - ln.x1
    if abs(gap) <= tol:
        return True
    last = ln.visible[-1].get_text() if ln.visible else ""
    return last in CLOSING_COMPRESSIBLE and abs(gap + ln.size / 2) <= tol


def lint_pdf(
    pdf: Path | bytes,
    *,
    tolerance_pt: float = 0.5,
    column_width_pt: float | Sequence[float] | None = None,
    min_column_gap_em: float = 1.2,
    body_family: str | None = None,
    level: Level = "strict",
) -> TypographyReport:
    """Measure prohibited line starts/ends and the share of flush justified lines of ``pdf``.

    ``column_width_pt`` is the column width when the caller knows it, or the
    widths columns may have (an article set in fewer columns has wider ones).
    ``body_family``, when the caller knows it, is the body text's font family;
    else the most common family of the PDF is taken for the body's. The
    prohibitions are those of the tables (``typeset/cjk/prohibitions.toml``)
    at ``level``, as the line breaker applied them: what a level above the
    basic one adds is asked of body lines, and of a line's head only where it
    is not the first of its paragraph (not indented).
    """
    widths = _widths(column_width_pt)
    lines = _lines(pdf, min_column_gap_em, max(widths) if widths else None)
    rules = prohibitions(level)
    findings = _basic_breaches(lines, rules)
    _mark_body(lines, body_family)
    # Non-body lines stay in the layout (a headline below a paragraph ends it).
    everything = [ln for ln in lines if ln.visible]
    body = [ln for ln in everything if ln.body]
    if body:
        _columns(body, widths)
        findings += _body_breaches(body, rules)
    starts = sum(1 for f in findings if f.code == PROHIBITED_START)
    ends = len(findings) - starts
    if not body:
        return TypographyReport(len(everything), 0, 0, 0, 0, starts, ends, tuple(findings))
    tally = _justification(body, everything, tolerance_pt)
    return TypographyReport(len(everything), len(body), tally.justified, tally.flush, tally.unresolved, starts, ends,
                            tuple(findings + tally.findings), tuple(value for value, _ in tally.loose))


def _widths(column_width_pt: float | Sequence[float] | None) -> tuple[float, ...]:
    if column_width_pt is None:
        return ()
    return (column_width_pt,) if isinstance(column_width_pt, int | float) else tuple(column_width_pt)


def _basic_breaches(lines: list[_Line], rules: Prohibitions) -> list[LineFinding]:
    """The basic level's rules hold for every line, headlines and captions too; what the stricter levels add is
    asked of the body's lines, which the line breaker sets at the layout's level (a headline is set at basic)."""
    return [_finding(ln, rule) for ln in lines for rule in _broken(ln, rules) if rule.level == "basic"]


def _body_breaches(body: list[_Line], rules: Prohibitions) -> list[LineFinding]:
    """What the levels above the basic one add, asked of the body's lines."""
    findings = []
    for ln in body:
        # A paragraph's first line (indented) was not broken into: clreq's strict
        # level keeps a dash off the head of every line "but a paragraph's first".
        first = ln.x0 - ln.left >= 0.5 * ln.size
        for rule in _broken(ln, rules):
            if rule.level != "basic" and not (first and rule.position == "start"):
                findings.append(_finding(ln, rule))
    return findings


@dataclass
class _Justification:
    """The body's justified lines counted: how many end flush, how loose each is."""

    justified: int = 0
    flush: int = 0
    unresolved: int = 0
    findings: list[LineFinding] = field(default_factory=list)
    loose: list[tuple[float, _Line]] = field(default_factory=list)  # em, each line's; loosest last


def _justification(body: list[_Line], everything: list[_Line], tolerance_pt: float) -> _Justification:
    tally = _Justification()
    for ln, after in _successors(body, everything, _pitch(body)):
        if after is None:
            # Column-final line with no traceable continuation.
            tally.unresolved += 1
            if _is_flush(ln, tolerance_pt):
                tally.justified += 1
                tally.flush += 1
                _add_looseness(tally.loose, ln)
            continue
        if not after.body or after.x0 - after.left >= 0.5 * after.size:
            continue  # last line of its paragraph
        tally.justified += 1
        _add_looseness(tally.loose, ln)
        if _is_flush(ln, tolerance_pt):
            tally.flush += 1
        else:
            tally.findings.append(
                LineFinding(NOT_FLUSH, ln.page, ln.text, f"ends {ln.right - ln.x1:+.2f} pt from the column edge")
            )
    tally.loose.sort(key=lambda pair: pair[0])
    if tally.loose:
        worst, line = tally.loose[-1]
        tally.findings.append(LineFinding(LOOSEST, line.page, line.text, f"{worst:.3f} em between characters"))
    return tally


def _broken(ln: _Line, rules: Prohibitions) -> Iterator[Rule]:
    """The rules ``ln`` breaks at its head and at its end (spaces never count as either)."""
    text = "".join(c.get_text() for c in ln.visible)
    if not text:
        return
    head = rules.at_start(text)
    if head is not None:
        yield head
    tail = rules.at_end(text)
    if tail is not None:
        yield tail


def _finding(ln: _Line, rule: Rule) -> LineFinding:
    code: LintCode = PROHIBITED_START if rule.position == "start" else PROHIBITED_END
    return LineFinding(code, ln.page, ln.text, rule.describe(), rule.text)


def _ideograph(text: str) -> bool:
    return len(text) == 1 and is_ideograph(text)  # a ligature (——) is one character of several


def _add_looseness(loose: list[tuple[float, _Line]], ln: _Line) -> None:
    """The median extra space between consecutive ideographs of ``ln``, in em, if it has two side by side."""
    gaps = sorted(
        float(b.x0) - float(a.x1)
        for a, b in itertools.pairwise(ln.chars)
        if _ideograph(a.get_text()) and _ideograph(b.get_text())
    )
    if gaps:
        loose.append((gaps[len(gaps) // 2] / ln.size, ln))


def _successors(body: list[_Line], everything: list[_Line], pitch: float) -> Iterator[tuple[_Line, _Line | None]]:
    """Each body line with the line that follows it in reading order (None if unknown)."""
    reach = 1.6 * pitch if pitch else 0.0
    blocks = _column_blocks(body, reach)
    below = _LinesBelow(everything, reach)
    following = _FollowingBlocks(blocks, sorted({ln.page for ln in body}), pitch)
    for block in blocks:
        yield from itertools.pairwise(block)
        last = block[-1]
        direct = below.nearest(last)
        if direct is not None:
            yield last, direct
            continue
        after = following.after(block)
        yield last, after[0] if after else None


def _column_blocks(body: list[_Line], reach: float) -> list[list[_Line]]:
    """Runs of body lines in one column, one pitch apart."""
    columns: dict[tuple[int, float], list[_Line]] = {}
    for ln in body:
        columns.setdefault((ln.page, round(ln.left, 1)), []).append(ln)
    blocks: list[list[_Line]] = []
    for col in columns.values():
        col.sort(key=lambda ln: -ln.baseline)
        block = [col[0]]
        for a, b in itertools.pairwise(col):
            if a.baseline - b.baseline > reach:
                blocks.append(block)
                block = []
            block.append(b)
        blocks.append(block)
    return blocks


class _LinesBelow:
    """Every line by page, in (baseline, reading) order: the lines just below one are found by bisection, not by a
    walk over the whole document for each line."""

    def __init__(self, everything: list[_Line], reach: float) -> None:
        self.reach = reach
        self.by_page: dict[int, list[tuple[float, int, _Line]]] = {}
        for index, ln in enumerate(everything):
            self.by_page.setdefault(ln.page, []).append((ln.baseline, index, ln))
        for rows in self.by_page.values():
            rows.sort(key=lambda row: (row[0], row[1]))
        self.baselines = {page: [row[0] for row in rows] for page, rows in self.by_page.items()}

    def nearest(self, ln: _Line) -> _Line | None:
        """The nearest line of any kind directly below, overlapping the column (the first of a tie)."""
        reach = self.reach
        rows = self.by_page.get(ln.page, [])
        keys = self.baselines.get(ln.page, [])
        lowest = bisect.bisect_left(keys, ln.baseline - reach)
        best: tuple[float, int, _Line] | None = None
        for row in reversed(rows[lowest:bisect.bisect_left(keys, ln.baseline)]):
            if best is not None and row[0] < best[0]:
                break
            other = row[2]
            if other is ln or not (0 < ln.baseline - other.baseline <= reach):
                continue
            if other.x1 < ln.left or other.x0 > ln.right:
                continue
            best = row  # rows of one baseline come last-read first: the earliest overlapping one stays
        return best[2] if best is not None else None


class _FollowingBlocks:
    """Blocks by page, in (left, reading) order: the next column's block is the first to the right that starts at
    about the same height, found without a walk over every block of the page."""

    def __init__(self, blocks: list[list[_Line]], pages: list[int], pitch: float) -> None:
        self.pages, self.pitch = pages, pitch
        self.page_blocks: dict[int, list[tuple[float, int, list[_Line]]]] = {}
        for index, block in enumerate(blocks):
            self.page_blocks.setdefault(block[0].page, []).append((block[0].left, index, block))
        for entries in self.page_blocks.values():
            entries.sort(key=lambda entry: (entry[0], entry[1]))
        self.lefts = {page: [entry[0] for entry in entries] for page, entries in self.page_blocks.items()}
        # Where a page's text starts: its leftmost block, the highest of a tie (the first read of a tie of both).
        self.page_start = {page: min((entry[2] for entry in entries), key=lambda b: (b[0].left, -b[0].baseline))
                           for page, entries in self.page_blocks.items()}

    def after(self, block: list[_Line]) -> list[_Line] | None:
        first = block[0]
        entries = self.page_blocks.get(first.page, [])
        start = bisect.bisect_right(self.lefts.get(first.page, []), first.left + 0.5)
        for _left, _index, candidate in entries[start:]:
            if candidate[0].left > first.left + 0.5 and abs(candidate[0].baseline - first.baseline) <= 2 * self.pitch:
                return candidate  # the leftmost, the first read of a tie
        later = bisect.bisect_right(self.pages, first.page)
        return self.page_start.get(self.pages[later]) if later < len(self.pages) else None
