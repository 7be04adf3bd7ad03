"""Balanced column heights, computed instead of searched by the renderer.

WeasyPrint balances a multi-column box (``column-fill: balance``) by laying
its content out again and again at trial heights; on a newspaper page of
balanced articles that was half of the whole build. The toolkit already knows
the height of everything in an article body: every paragraph line is one
line of the body's line grid, subheads and bylines are set on that grid too.
So the balanced height is computed here, and with it the column each line
goes to (``fill``): the renderer places the columns and lays every line out
once.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """An unbreakable piece of a column (a paragraph line, a subhead, a byline), in grid lines."""

    lines: int
    keep_with_next: bool = False  # a subhead stays with the paragraph after it


def fill(items: Sequence[Item], height: int) -> list[int] | None:
    """The column each item goes to when columns of ``height`` grid lines are filled in turn.

    None if an item cannot fit at all. This is the fill the editions show:
    ``blocks`` puts each column's pieces where it places their items.
    """
    placed: list[int] = []
    column, used, index = 0, 0, 0
    while index < len(items):
        group = 1
        while items[index + group - 1].keep_with_next and index + group < len(items):
            group += 1  # a subhead goes to the next column with the line after it
        size = sum(item.lines for item in items[index : index + group])
        if size > height:
            return None
        if used + size > height:
            column, used = column + 1, 0
        used += size
        placed += [column] * group
        index += group
    return placed


def _groups(items: Sequence[Item]) -> list[tuple[int, int]]:
    """Items that go to a column together, as (first index, count): a subhead and the line after it."""
    return _grouped(items)[0]


def _grouped(items: Sequence[Item]) -> tuple[list[tuple[int, int]], list[int]]:
    """The groups of ``_groups`` and the lines each takes."""
    groups: list[tuple[int, int]] = []
    sizes: list[int] = []
    index, count = 0, len(items)
    while index < count:
        size, lines = 1, items[index].lines
        while items[index + size - 1].keep_with_next and index + size < count:
            lines += items[index + size].lines
            size += 1
        groups.append((index, size))
        sizes.append(lines)
        index += size
    return groups, sizes


_SHORT = 4  # lines a column may end short of its block's height in the search for even columns


def even_fill(items: Sequence[Item], columns: int) -> tuple[int, list[int]]:
    """The height of ``items`` in ``columns`` columns and the column of each item, the columns ending evenly.

    A greedy fill at the balanced height fills every column but the last to
    the brim and leaves the shortfall in the last one; a block's columns
    should end on one line. So the column breaks are searched (only where a
    column may end: between groups that keep together): at the balanced
    height, or a line or two more, the breaks whose columns fall short of the
    height by the fewest lines, a line at most where the items allow it.
    Where no column can come within a few lines of the height (tall items),
    the greedy fill is kept.
    """
    groups, sizes = _grouped(items)  # once, for every height tried
    return _even(items, _balanced(sizes, columns), (0,) * columns, None, groups, sizes)


def fill_beside(items: Sequence[Item], offsets: Sequence[int]) -> tuple[int, list[int]]:
    """As ``even_fill``, for columns that start ``offsets`` lines down the block (those under a picture
    narrower than the block): the height of the tallest column, from the block's top, and each item's column."""
    groups, sizes = _grouped(items)
    total = sum(sizes) + sum(offsets)
    height = max(max(offsets, default=0) + 1, math.ceil(total / max(1, len(offsets))))
    while True:
        placed = _fill_groups(groups, sizes, [height - offset for offset in offsets])
        if placed is not None:
            return _even(items, height, tuple(offsets), placed, groups, sizes)
        height += 1


def fill_capacities(items: Sequence[Item], capacities: Sequence[int]) -> list[int] | None:
    """The greedy fill of columns holding ``capacities`` lines each, in turn; None if the items overflow."""
    return _fill_groups(*_grouped(items), capacities)


def _fill_groups(groups: Sequence[tuple[int, int]], sizes: Sequence[int],
                 capacities: Sequence[int]) -> list[int] | None:
    placed: list[int] = []
    column, used = 0, 0
    for (_, count), size in zip(groups, sizes, strict=True):
        while column < len(capacities) and used + size > capacities[column]:
            column, used = column + 1, 0
        if column == len(capacities):
            return None
        used += size
        placed += [column] * count
    return placed


def _even(items: Sequence[Item], height: int, offsets: tuple[int, ...], greedy: list[int] | None,
          groups: Sequence[tuple[int, int]], sizes: Sequence[int]) -> tuple[int, list[int]]:
    best: tuple[tuple[bool, int, int, int], int, list[int]] | None = None
    for tried in range(height, height + 3):
        found = _breaks(sizes, [tried - offset for offset in offsets])
        if found is None:
            continue
        (worst, squares), ends = found
        key = (worst > 1, tried, worst, squares)
        if best is None or key < best[0]:
            best = (key, tried, ends)
    if best is None:
        return height, greedy if greedy is not None else fill(items, height) or []
    _, tried, ends = best
    placed: list[int] = []
    start = 0
    for column, end in enumerate(ends):
        placed += [column] * sum(count for _, count in groups[start:end])
        start = end
    return tried, placed


def _breaks(sizes: Sequence[int], capacities: Sequence[int]) -> tuple[tuple[int, int], list[int]] | None:
    """The ends (in groups) of columns of at most ``capacities`` lines each holding groups of ``sizes``
    lines in turn, every column within ``_SHORT`` lines of its capacity: those whose largest shortfall is
    smallest, then the sum of its squares. None if there are none."""
    count = len(sizes)
    if count < len(capacities):
        return None
    reach = list(itertools.accumulate(sizes, initial=0))  # reach[end]: the lines of groups [0, end)
    # best[g]: the cheapest way to fill the columns so far with the first g groups: (worst, squares), ends
    best: dict[int, tuple[tuple[int, int], list[int]]] = {0: ((0, 0), [])}
    for height in capacities:
        following: dict[int, tuple[tuple[int, int], list[int]]] = {}
        for start, ((worst, squares), ends) in best.items():
            # The column's possible ends, in turn: from the first within _SHORT lines of its height to the last
            # that fits (found by bisection, not by adding the groups before them one by one).
            full = reach[start] + height
            end = bisect.bisect_left(reach, full - _SHORT, start + 1)
            while end <= count and reach[end] <= full:
                short = full - reach[end]
                key = (max(worst, short), squares + short * short)
                if end not in following or key < following[end][0]:
                    following[end] = (key, [*ends, end])
                end += 1
        best = following
        if not best:
            return None
    return best.get(count)


def fill_to(items: Sequence[Item], height: int, columns: int, tail: int = 0,
            offsets: Sequence[int] = ()) -> int:
    """How many of ``items`` fit in ``columns`` columns of ``height`` lines, filled in turn (the rest goes on).

    Only whole groups: a story breaks where a column may end. ``tail`` lines
    (a jump line) must follow the last item taken, in its column. ``offsets``:
    lines each column starts down (under a picture), none by default.
    """
    def room(column: int) -> int:
        return height - (offsets[column] if column < len(offsets) else 0)

    column = used = taken = 0
    for first, count in _groups(items):
        if used + tail <= room(column):
            taken = first
        size = sum(item.lines for item in items[first:first + count])
        if used + size > room(column):
            column, used = column + 1, 0
            if column == columns or size > room(column):
                return taken
        used += size
    return len(items) if used + tail <= room(column) else taken


def columns_needed(items: Sequence[Item], height: int) -> int | None:
    """How many columns of ``height`` grid lines a greedy fill uses; None if an item cannot fit at all."""
    placed = fill(items, height)
    if placed is None:
        return None
    return placed[-1] + 1 if placed else 1


def balanced_lines(items: Sequence[Item], columns: int) -> int:
    """The smallest column height, in grid lines, that holds ``items`` in ``columns`` columns."""
    return _balanced(_grouped(items)[1], columns)


def _balanced(sizes: Sequence[int], columns: int) -> int:
    total = sum(sizes)
    if total == 0:
        return 1
    height = max(1, math.ceil(total / columns))
    while (needed := _columns_for(sizes, height)) is None or needed > columns:
        height += 1
    return height


def _columns_for(sizes: Sequence[int], height: int) -> int | None:
    """``columns_needed`` from the groups' lines."""
    column, used = 0, 0
    for size in sizes:
        if size > height:
            return None
        if used + size > height:
            column, used = column + 1, 0
        used += size
    return column + 1
