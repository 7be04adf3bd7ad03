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
the page (squared, heavily weighted); spare lines given to the blocks (spread
over many blocks they cost less than the same lines in one); the layout's
preferences (a story that is not the lead spanning the whole width, a
headline that wraps) cost what the caller says.
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
    lines: int  # the height filled
    cost: float


# A table entry: cost, then how it was made: ("leaf", option) / ("stack", m, h1, h2) / ("side", m, w1).
_Entry = tuple[float, tuple[object, ...]]


def arrange(
    stories: Sequence[Sequence[Option]],
    columns: int,
    height: int,
    *,
    gap: int,
    lead_spans: Sequence[int],
    stretch_weight: float = 1.0,
    spare_weight: float = 100.0,
    hole_lines: int = 0,
    hole_weight: float = 10.0,
) -> Arrangement | None:
    """The cheapest arrangement of every story in an area ``columns`` wide, as tall as can be filled.

    ``stories`` are in page order; the first is the lead: it takes one of
    ``lead_spans`` (the widest first is preferred only through the options'
    costs) and no other story is wider. ``gap`` is the lines between two
    blocks one above the other (a rule goes there). The area is filled to
    ``height`` lines where it can: lines left blank at the area's foot cost
    ``spare_weight`` each, squared, so a page whose text is too short to fill
    it in a mosaic within the stories' stretch may still be made up as a
    mosaic rather than as full-width strips with bloated heads. With
    ``spare_weight`` 0 the stories are as little stretched as can be (a story
    below them takes the rest). Beyond its stretch a story may take up to
    ``hole_lines`` more as blank space under its body, at ``hole_weight`` per
    line squared: a last resort that lets blocks of unequal heights stand side
    by side. None if no arrangement fits under ``height`` at all.
    """
    best: tuple[int, float, Arrangement] | None = None
    for lead_span in sorted(set(lead_spans), reverse=True):
        table = _search(stories, columns, height, gap, lead_span, stretch_weight, hole_lines, hole_weight)
        root = table.get((0, len(stories), columns))
        if not root:
            continue
        lines = min(root, key=lambda h: (root[h][0] + spare_weight * (height - h) ** 2, -h))
        cost = root[lines][0] + spare_weight * (height - lines) ** 2
        if best is None or cost < best[1]:
            best = (lines, cost, Arrangement(tuple(_unfold(table, 0, len(stories), columns, lines, 0, 0, gap)),
                                             lines, cost))
    return best[2] if best else None


def _search(
    stories: Sequence[Sequence[Option]], columns: int, height: int, gap: int, lead_span: int, weight: float,
    hole_lines: int, hole_weight: float,
) -> dict[tuple[int, int, int], dict[int, _Entry]]:
    """For each run of stories [i, j) and width w: height -> cheapest entry that fills it exactly."""
    table: dict[tuple[int, int, int], dict[int, _Entry]] = {}
    count = len(stories)
    for index, options in enumerate(stories):
        for option in options:
            if (option.span != lead_span) if index == 0 else (option.span > lead_span):
                continue
            cell = table.setdefault((index, index + 1, option.span), {})
            for extra in range(option.stretch + hole_lines + 1):
                lines = option.lines + extra
                if lines > height:
                    break
                hole = max(0, extra - option.stretch)
                cost = option.cost + weight * (extra - hole) ** 2 + hole_weight * hole * hole
                if cost < cell.get(lines, (_INFINITY,))[0]:
                    cell[lines] = (cost, ("leaf", option))
    for length in range(2, count + 1):
        for i in range(count - length + 1):
            j = i + length
            for width in range(1, columns + 1):
                cell = {}
                for m in range(i + 1, j):
                    upper, lower = table.get((i, m, width)), table.get((m, j, width))
                    if upper and lower:
                        for h1, (c1, _) in upper.items():
                            room = height - gap - h1
                            for h2, (c2, _) in lower.items():
                                if h2 <= room:
                                    lines, cost = h1 + gap + h2, c1 + c2
                                    if cost < cell.get(lines, (_INFINITY,))[0]:
                                        cell[lines] = (cost, ("stack", m, h1, h2))
                    for w1 in range(1, width):
                        left, right = table.get((i, m, w1)), table.get((m, j, width - w1))
                        if left and right:
                            for lines in left.keys() & right.keys():
                                cost = left[lines][0] + right[lines][0]
                                if cost < cell.get(lines, (_INFINITY,))[0]:
                                    cell[lines] = (cost, ("side", m, w1))
                if cell:
                    table[(i, j, width)] = cell
    return table


def _unfold(
    table: dict[tuple[int, int, int], dict[int, _Entry]],
    i: int, j: int, width: int, lines: int, column: int, line: int, gap: int,
) -> list[Placed]:
    """The blocks of the entry that fills [i, j) in ``width`` x ``lines`` at (column, line), in reading order."""
    _, how = table[(i, j, width)][lines]
    if how[0] == "leaf":
        option = how[1]
        assert isinstance(option, Option)
        return [Placed(i, column, width, line, lines, lines - option.lines, option)]
    if how[0] == "stack":
        m, h1, h2 = how[1], how[2], how[3]
        assert isinstance(m, int) and isinstance(h1, int) and isinstance(h2, int)
        return (_unfold(table, i, m, width, h1, column, line, gap)
                + _unfold(table, m, j, width, h2, column, line + h1 + gap, gap))
    m, w1 = how[1], how[2]
    assert isinstance(m, int) and isinstance(w1, int)
    return (_unfold(table, i, m, w1, lines, column, line, gap)
            + _unfold(table, m, j, width - w1, lines, column + w1, line, gap))


def feather(arrangement: Arrangement, columns: int, spare: int, per_gap: int) -> Arrangement:
    """The arrangement with up to ``spare`` blank lines spread over the gaps that run across the whole area.

    When the stories cannot fill the area even stretched, a make-up editor
    opens the space between the rows of blocks a little (up to ``per_gap``
    lines each, the top rows first) rather than leave it all at the foot.
    """
    blocks = arrangement.blocks
    cuts = sorted({b.line for b in blocks if b.line > 0 and all(
        o.line >= b.line or o.line + o.lines < b.line for o in blocks)})
    if columns <= 0 or not cuts or spare <= 0:
        return arrangement
    share, rest = divmod(min(spare, per_gap * len(cuts)), len(cuts))
    extra = {cut: share + (1 if index < rest else 0) for index, cut in enumerate(cuts)}
    moved = tuple(
        Placed(b.story, b.column, b.span, b.line + sum(e for cut, e in extra.items() if cut <= b.line), b.lines,
               b.extra, b.option)
        for b in blocks)
    return Arrangement(moved, arrangement.lines + sum(extra.values()), arrangement.cost)
