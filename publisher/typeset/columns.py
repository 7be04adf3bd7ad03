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

    None if an item cannot fit at all. This is the fill the renderer draws:
    the print layout places each column's pieces itself (``render.py``).
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
    """Items that go to a column together, as (first index, lines): a subhead and the line after it."""
    groups: list[tuple[int, int]] = []
    index = 0
    while index < len(items):
        size = 1
        while items[index + size - 1].keep_with_next and index + size < len(items):
            size += 1
        groups.append((index, size))
        index += size
    return groups


def even_fill(items: Sequence[Item], columns: int) -> tuple[int, list[int]]:
    """The balanced height of ``items`` in ``columns`` columns and the column of each item, columns ending evenly.

    A greedy fill at the balanced height fills every column but the last to
    the brim and leaves the shortfall in the last one; a block's columns
    should end on one line. Here each column takes its share of what is left
    (at most the balanced height), so the columns differ by a line at most
    where the items allow it; when the shares do not work out (tall items)
    the greedy fill is kept.
    """
    height = balanced_lines(items, columns)
    sizes = [sum(item.lines for item in items[first:first + count]) for first, count in _groups(items)]
    groups = _groups(items)
    placed: list[int] = []
    rest = sum(sizes)
    column = used = 0
    share = min(height, -(-rest // columns))
    for (_, count), size in zip(groups, sizes, strict=True):
        if used and used + size > share and column + 1 < columns:
            rest -= used
            column, used = column + 1, 0
            share = min(height, -(-rest // (columns - column)))
        if used + size > height:
            return height, fill(items, height) or []
        used += size
        placed += [column] * count
    return height, placed


def fill_to(items: Sequence[Item], height: int, columns: int) -> int:
    """How many of ``items`` fit in ``columns`` columns of ``height`` lines, filled in turn (the rest goes on)."""
    column = used = 0
    for first, count in _groups(items):
        size = sum(item.lines for item in items[first:first + count])
        if used + size > height:
            column, used = column + 1, 0
            if column == columns or size > height:
                return first
        used += size
    return len(items)


def columns_needed(items: Sequence[Item], height: int) -> int | None:
    """How many columns of ``height`` grid lines a greedy fill uses; None if an item cannot fit at all."""
    placed = fill(items, height)
    if placed is None:
        return None
    return placed[-1] + 1 if placed else 1


def balanced_lines(items: Sequence[Item], columns: int) -> int:
    """The smallest column height, in grid lines, that holds ``items`` in ``columns`` columns."""
    total = sum(item.lines for item in items)
    if total == 0:
        return 1
    height = max(1, math.ceil(total / columns))
    while (needed := columns_needed(items, height)) is None or needed > columns:
        height += 1
    return height
