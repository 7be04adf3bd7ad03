"""Page make-up: the arrangement of a printed page's articles as blocks on the column grid.

An evening paper's page is a mosaic: every article is a rectangle spanning
whole columns of the grid, the lead at the top and widest, the others beside
and under it, and the blocks together tile the type area. This module decides
the arrangement only; it knows nothing of text. Each story comes with its
options, one per column span it may take: the height it needs there (in lines
of the body's grid) and how many lines more it can take (space around its
head, a larger headline) when the page has height to spare.

The arrangements searched are the guillotine ones whose blocks, read top to
bottom and left to right, keep the page order: a region is either one story,
or two regions one above the other (the upper read first), or two regions side
by side (the left read first). That is the structure of a newspaper page
(a band across the top, columns of stacked items under it) and it makes the
search a dynamic programme over runs of consecutive stories: for each run, each
width in grid columns and each height in grid lines, the cheapest way to fill
exactly that rectangle. With the handful of stories a page holds this is
exhaustive and fast, and the same input always gives the same arrangement.

Costs, all small numbers or squares of them: lines left blank at the foot of
the page (squared up to a knee, then each line alike: a sheet its copy can
fill is filled, one it cannot is made up as well as its stories allow and
the rest left at the foot, in one place); spare lines given to the blocks
(spread over many blocks they cost less than the same lines in one); the
layout's preferences (a story that is not the lead spanning the whole width,
a headline that wraps) cost what the caller says.

A block's spare lines come from its option's ``stretch`` (a larger headline,
space around the head: the caller keeps it small, so that no column shows a
hole) and at most ``hole_lines`` more under its body. A story's pictures
are in its options: one per way they may stand in a span (``Option.variant``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_INFINITY = float("inf")


@dataclass(frozen=True)
class Option:
    """A story set in ``span`` grid columns."""

    span: int
    lines: int  # the height it needs, in grid lines
    stretch: int  # lines more it can take (space and a larger head)
    cost: float = 0.0  # the layout's own preference against this option
    short: int = 0  # lines its shortest column ends above its body's foot
    variant: int = 0  # which way the story's pictures stand in this span (the caller's)


@dataclass(frozen=True)
class Placed:
    """A story's block on the grid. Columns and lines count from the area's top left, from 0."""

    story: int
    column: int
    span: int
    line: int
    lines: int
    extra: int  # lines over the option's natural height (beyond the option's stretch: blank under the body)
    option: Option


@dataclass(frozen=True)
class Arrangement:
    blocks: tuple[Placed, ...]  # in reading order, which is the stories' order
    lines: int  # the height filled (to the lowest block's foot)
    cost: float
    blank: int = 0  # grid column lines left blank at the foot, under the blocks that end above it


# How a region of the search is filled. Stories [i, j) of a region: a run in page order.
# These records are not frozen, though nothing changes them once made: the search makes one each time
# it finds a cheaper way to fill a region, and a frozen dataclass takes four times as long to build
# (the 16-page benchmark issue's make-up ran 20% slower with them frozen).


@dataclass(slots=True)
class Leaf:
    """One story, set as ``option``."""

    option: Option


@dataclass(slots=True)
class Stack:
    """Stories [i, split) above stories [split, j), across the region's width."""

    split: int
    upper: int  # lines of the upper region
    lower: int  # lines of the lower region; for a region reaching the foot, the room left to it


@dataclass(slots=True)
class Side:
    """Stories [i, split) in the region's first ``left`` columns, stories [split, j) beside them, as tall."""

    split: int
    left: int


@dataclass(slots=True)
class Exact:
    """A region reaching the foot filled exactly to ``lines``, the blank under it."""

    lines: int


@dataclass(slots=True)
class Aside:
    """A region reaching the foot filled in its first ``columns`` columns, the blank beside them."""

    columns: int


Fill = Leaf | Stack | Side
FootFill = Exact | Aside | Stack | Side
# A table entry: its cost, and how it is made. A pair, not a record: the search's innermost loops read
# and compare entries' costs, and a tuple's is the quickest to reach.
_Entry = tuple[float, Fill]


@dataclass(slots=True)
class _FootEntry:
    """A region reaching the foot: its cost, how it is made, the lines it fills, the blank column lines under
    its blocks."""

    cost: float
    how: FootFill
    lines: int
    blank: int


def arrange(
    stories: Sequence[Sequence[Option]],
    columns: int,
    height: int,
    *,
    gap: int,
    lead_spans: Sequence[int],
    stretch_weight: float = 1.0,
    spare_weight: float = 100.0,
    spare_knee: int = 1000,
    hole_lines: int = 0,
    hole_weight: float = 10.0,
    gap_extra: int = 0,
    gap_weight: float = 1.0,
    ragged_cost: float = 0.0,
    even_weight: float = 0.0,
) -> Arrangement | None:
    """The cheapest arrangement of every story in an area ``columns`` wide, as tall as can be filled.

    ``stories`` are in page order; the first is the lead: it takes one of
    ``lead_spans`` (the widest first is preferred only through the options'
    costs) and no other story is wider. ``gap`` is the lines between two
    blocks one above the other (a rule goes there). The area is filled to
    ``height`` lines where it can: lines left blank at the area's foot cost
    ``spare_weight`` each, squared, so a page whose text is too short to fill
    it in a mosaic within the stories' stretch may still be made up as a
    mosaic rather than as full-width strips with bloated heads; beyond
    ``spare_knee`` lines each line costs what the knee's last did, so that a
    sheet its copy cannot fill is not stretched into strips to fill it. With
    ``spare_weight`` 0 the stories are as little stretched as can be (a story
    below them takes the rest). Beyond its stretch a story may take up to
    ``hole_lines`` more as blank space under its body, at ``hole_weight`` per
    line squared: a last resort that lets blocks of unequal heights stand side
    by side. The gap between two blocks one above the other may open by up to
    ``gap_extra`` lines, at ``gap_weight`` per line squared. Blocks that
    stand side by side at the foot of a sheet the copy cannot fill may end on
    different lines (``ragged_cost`` each time), the blank under them left at
    the foot: a lead beside a column of briefs needs no equal heights. The
    blank at the foot costs ``even_weight`` per column and line squared beyond
    what the same blank spread evenly over the width would: what the copy
    cannot fill goes into one band across the width, not a tall hole in a few
    columns (over a foot advertisement that hole is in the middle of the
    page). None if no arrangement fits under ``height`` at all.
    """
    best: Arrangement | None = None
    for lead_span in sorted(set(lead_spans), reverse=True):
        table = _search(stories, columns, height, gap, lead_span, stretch_weight, hole_lines, hole_weight,
                        gap_extra, gap_weight)
        if spare_weight == 0.0:
            found = _least(table, len(stories), columns, gap)
        else:
            foot = _Foot(table, gap, 2 * spare_knee * spare_weight / columns, ragged_cost, even_weight)
            found = _to_foot(foot, len(stories), columns, height, spare_weight, spare_knee)
        if found is not None and (best is None or found.cost < best.cost):
            best = found
    return best


def _least(table: dict[tuple[int, int, int], dict[int, _Entry]], count: int, columns: int,
           gap: int) -> Arrangement | None:
    """As little as can be: the least height, the least stretched."""
    root = table.get((0, count, columns))
    if not root:
        return None
    lines = min(root, key=lambda h: (root[h][0], h))
    return Arrangement(tuple(_unfold(table, 0, count, columns, lines, 0, 0, gap)), lines, root[lines][0])


def _to_foot(foot: _Foot, count: int, columns: int, height: int, spare_weight: float,
             spare_knee: int) -> Arrangement | None:
    """Filled to the foot where it can be, the blank left there costing ``_foot_cost``."""
    entry = foot.best(0, count, columns, height)
    if entry is None:
        return None
    blocks = tuple(foot.unfold(0, count, columns, height, 0, 0))
    blank = _blank(blocks, columns, height)
    # The blank's own cost is the foot's, of its mean height; what the regions added for it beyond that is the
    # unevenness of its columns (the sum of their squares less the mean's square over the width).
    cost = (entry.cost - entry.blank * foot.blank_weight - foot.even_weight * entry.blank ** 2 / columns
            + _foot_cost(blank / columns, spare_weight, spare_knee))
    return Arrangement(blocks, entry.lines, cost, blank)


def exact_arrangements(
    stories: Sequence[Sequence[Option]],
    columns: int,
    height: int,
    *,
    gap: int,
    lead_spans: Sequence[int],
    stretch_weight: float = 1.0,
    hole_lines: int = 0,
    hole_weight: float = 10.0,
) -> dict[int, Arrangement]:
    """For each height up to ``height`` that the stories fill exactly (every column to the same line), the
    cheapest arrangement: what a story across the width can go under (the head of a page that runs over)."""
    found: dict[int, Arrangement] = {}
    for lead_span in sorted(set(lead_spans), reverse=True):
        table = _search(stories, columns, height, gap, lead_span, stretch_weight, hole_lines, hole_weight)
        for lines, (cost, _) in table.get((0, len(stories), columns), {}).items():
            if lines not in found or cost < found[lines].cost:
                found[lines] = Arrangement(tuple(_unfold(table, 0, len(stories), columns, lines, 0, 0, gap)),
                                           lines, cost)
    return dict(sorted(found.items()))


class _Foot:
    """Regions whose foot is the sheet's: their blocks may end above it, the blank under them left at the
    sheet's foot (a sheet its copy cannot fill). Each region is filled exactly (the composer's table), or
    split: an exact region above one that reaches the foot, or two that reach it side by side, whose
    blocks may end on different lines (``ragged_cost``)."""

    def __init__(self, table: dict[tuple[int, int, int], dict[int, _Entry]], gap: int, blank_weight: float,
                 ragged_cost: float, even_weight: float = 0.0) -> None:
        self.table, self.gap = table, gap
        self.blank_weight, self.ragged_cost, self.even_weight = blank_weight, ragged_cost, even_weight
        # (i, j, width, room) -> (cost, how, lines filled, blank column lines)
        self.memo: dict[tuple[int, int, int, int], _FootEntry | None] = {}
        # (i, j, width) -> the table's exact fills as (lines, cost), in the table's order
        self.exact: dict[tuple[int, int, int], list[tuple[int, float]]] = {}

    def best(self, i: int, j: int, width: int, room: int) -> _FootEntry | None:
        # The hot path of a sheet's make-up: the regions below and beside are read from the memo where they
        # are there already (most of the time), and the table and weights from locals.
        memo, table, gap = self.memo, self.table, self.gap
        key = (i, j, width, room)
        if key in memo:
            return memo[key]
        blank_weight, even_weight = self.blank_weight, self.even_weight
        found: _FootEntry | None = None
        # The cheapest exact fill (its cost, its lines), the first found of equal ones.
        least_cost, least_lines = 0.0, -1
        cell = (i, j, width)
        exact = self.exact.get(cell)
        if exact is None:
            exact = self.exact[cell] = [(lines, cost) for lines, (cost, _) in table.get(cell, {}).items()]
        for lines, cost in exact:
            if lines <= room:
                under = room - lines
                total = cost + width * under * (blank_weight + even_weight * under)  # _blank_cost
                if least_lines < 0 or total < least_cost:
                    least_cost, least_lines = total, lines
        if least_lines >= 0:
            found = _FootEntry(least_cost, Exact(least_lines), least_lines, (room - least_lines) * width)
        for m in range(i + 1, j):
            upper = table.get((i, m, width), {})
            for h1, (c1, _) in upper.items():
                rest = room - h1 - gap
                if rest <= 0:
                    continue
                below = (m, j, width, rest)
                lower = memo[below] if below in memo else self.best(m, j, width, rest)
                if lower is not None and (found is None or c1 + lower.cost < found.cost):
                    found = _FootEntry(c1 + lower.cost, Stack(m, h1, rest), h1 + gap + lower.lines, lower.blank)
        for w1 in range(1, width if j == i + 1 else 1):
            # A story in fewer columns, the blank beside it (a sheet of one short story; the last story of one).
            narrower = self.best(i, j, w1, room)
            if narrower is not None:
                blank = room * (width - w1)
                cost = narrower.cost + self._blank_cost(width - w1, room) + self.ragged_cost
                if found is None or cost < found.cost:
                    found = _FootEntry(cost, Aside(w1), narrower.lines, narrower.blank + blank)
        for m in range(i + 1, j):
            for w1 in range(1, width):
                beside = (i, m, w1, room)
                left = memo[beside] if beside in memo else self.best(i, m, w1, room)
                if left is None:
                    continue
                beside = (m, j, width - w1, room)
                right = memo[beside] if beside in memo else self.best(m, j, width - w1, room)
                if right is None:
                    continue
                cost = left.cost + right.cost + (self.ragged_cost if left.lines != right.lines else 0.0)
                if found is None or cost < found.cost:
                    found = _FootEntry(cost, Side(m, w1), max(left.lines, right.lines), left.blank + right.blank)
        memo[key] = found
        return found

    def _blank_cost(self, width: int, lines: int) -> float:
        """``width`` columns left blank ``lines`` lines deep: each column's blank line alike, and its square."""
        return width * lines * (self.blank_weight + self.even_weight * lines)

    def unfold(self, i: int, j: int, width: int, room: int, column: int, line: int) -> list[Placed]:
        entry = self.memo[(i, j, width, room)]
        assert entry is not None
        match entry.how:
            case Exact(lines):
                return _unfold(self.table, i, j, width, lines, column, line, self.gap)
            case Aside(w1):
                return self.unfold(i, j, w1, room, column, line)
            case Stack(m, h1, rest):
                return (_unfold(self.table, i, m, width, h1, column, line, self.gap)
                        + self.unfold(m, j, width, rest, column, line + h1 + self.gap))
            case Side(m, w1):
                return (self.unfold(i, m, w1, room, column, line)
                        + self.unfold(m, j, width - w1, room, column + w1, line))


def _blank(blocks: Sequence[Placed], columns: int, height: int) -> int:
    """Grid column lines under each column's last block, down to ``height``."""
    bottoms = [0] * columns
    for block in blocks:
        for column in range(block.column, block.column + block.span):
            bottoms[column] = max(bottoms[column], block.line + block.lines)
    return sum(height - bottom for bottom in bottoms)


def _foot_cost(spare: float, weight: float, knee: int) -> float:
    """Lines left blank at the foot: squared up to ``knee``, then each line as the knee's last."""
    if spare <= knee:
        return weight * spare * spare
    return weight * (knee * knee + 2 * knee * (spare - knee))


def _search(
    stories: Sequence[Sequence[Option]], columns: int, height: int, gap: int, lead_span: int, weight: float,
    hole_lines: int, hole_weight: float, gap_extra: int = 0, gap_weight: float = 1.0,
) -> dict[tuple[int, int, int], dict[int, _Entry]]:
    """For each run of stories [i, j) and width w: height -> cheapest entry that fills it exactly."""
    table: dict[tuple[int, int, int], dict[int, _Entry]] = {}
    count = len(stories)
    for index, options in enumerate(stories):
        for option in options:
            if (option.span != lead_span) if index == 0 else (option.span > lead_span):
                continue
            cell = table.setdefault((index, index + 1, option.span), {})
            # A body may end above its block's foot: its shortest column at most a line more than its others.
            holes = max(0, min(hole_lines, hole_lines + 1 - option.short))
            for extra in range(option.stretch + holes + 1):
                lines = option.lines + extra
                if lines > height:
                    break
                hole = max(0, extra - option.stretch)
                cost = option.cost + weight * (extra - hole) ** 2 + hole_weight * hole * hole
                if cost < cell.get(lines, (_INFINITY,))[0]:
                    cell[lines] = (cost, Leaf(option))
    for length in range(2, count + 1):
        for i in range(count - length + 1):
            j = i + length
            for width in range(1, columns + 1):
                cell = {}
                for m in range(i + 1, j):
                    upper, lower = table.get((i, m, width)), table.get((m, j, width))
                    if upper and lower:
                        _stack(cell, m, upper, lower, height, gap, gap_extra, gap_weight)
                    for w1 in range(1, width):
                        left, right = table.get((i, m, w1)), table.get((m, j, width - w1))
                        if left and right:
                            for lines in left.keys() & right.keys():
                                cost = left[lines][0] + right[lines][0]
                                if cost < cell.get(lines, (_INFINITY,))[0]:
                                    cell[lines] = (cost, Side(m, w1))
                if cell:
                    table[(i, j, width)] = cell
    return table


def _stack(cell: dict[int, _Entry], m: int, upper: dict[int, _Entry], lower: dict[int, _Entry], height: int,
           gap: int, gap_extra: int, gap_weight: float) -> None:
    """Into ``cell``: the regions ``upper`` above ``lower`` (their split at story ``m``), where cheaper."""
    if gap_extra:
        for h1, (c1, _) in upper.items():
            room = height - gap - h1
            for h2, (c2, _) in lower.items():
                for opened in range(min(gap_extra, room - h2) + 1):
                    lines, cost = h1 + gap + opened + h2, c1 + c2 + gap_weight * opened * opened
                    if cost < cell.get(lines, (_INFINITY,))[0]:
                        cell[lines] = (cost, Stack(m, h1, h2))
        return
    # No gap opens: for each upper height the lower ones give different heights, so they are tried shortest
    # first and no further than the room (the same cheapest, ties as before).
    lowers = sorted((h2, c2) for h2, (c2, _) in lower.items())
    for h1, (c1, _) in upper.items():
        room = height - gap - h1
        for h2, c2 in lowers:
            if h2 > room:
                break
            lines, cost = h1 + gap + h2, c1 + c2 + gap_weight * 0 * 0
            if cost < cell.get(lines, (_INFINITY,))[0]:
                cell[lines] = (cost, Stack(m, h1, h2))


def _unfold(
    table: dict[tuple[int, int, int], dict[int, _Entry]],
    i: int, j: int, width: int, lines: int, column: int, line: int, gap: int,
) -> list[Placed]:
    """The blocks of the entry that fills [i, j) in ``width`` x ``lines`` at (column, line), in reading order."""
    match table[(i, j, width)][lines][1]:
        case Leaf(option):
            return [Placed(i, column, width, line, lines, lines - option.lines, option)]
        case Stack(m, h1, h2):
            return (_unfold(table, i, m, width, h1, column, line, gap)
                    + _unfold(table, m, j, width, h2, column, line + lines - h2, gap))
        case Side(m, w1):
            return (_unfold(table, i, m, w1, lines, column, line, gap)
                    + _unfold(table, m, j, width - w1, lines, column + w1, line, gap))
