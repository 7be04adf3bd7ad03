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
