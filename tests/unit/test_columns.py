"""Balanced column heights."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from publisher.typeset.columns import Item, balanced_lines, columns_needed, fill


def test_even_lines_balance_exactly() -> None:
    assert balanced_lines([Item(1)] * 50, 5) == 10
    assert balanced_lines([Item(1)] * 51, 5) == 11


def test_a_subhead_moves_with_the_line_after_it() -> None:
    # 4 lines, a 2-line subhead, 4 lines in 2 columns: 5 per column would leave the subhead at a column foot.
    items = [Item(1)] * 4 + [Item(2, keep_with_next=True)] + [Item(1)] * 4
    assert balanced_lines(items, 2) == 6


def test_nothing_is_empty() -> None:
    assert balanced_lines([], 5) == 1


@given(st.lists(st.tuples(st.integers(1, 3), st.booleans()), min_size=1, max_size=60), st.integers(1, 6))
def test_the_height_found_is_the_smallest_that_fits(spec: list[tuple[int, bool]], columns: int) -> None:
    items = [Item(lines, keep) for lines, keep in spec]
    height = balanced_lines(items, columns)
    needed = columns_needed(items, height)
    assert needed is not None and needed <= columns
    smaller = columns_needed(items, height - 1) if height > 1 else None
    assert smaller is None or smaller > columns


@given(st.lists(st.tuples(st.integers(1, 3), st.booleans()), min_size=1, max_size=60), st.integers(1, 6))
def test_fill_places_items_in_order_within_the_height(spec: list[tuple[int, bool]], columns: int) -> None:
    items = [Item(lines, keep) for lines, keep in spec]
    height = balanced_lines(items, columns)
    placed = fill(items, height)
    assert placed is not None
    assert placed == sorted(placed) and placed[0] == 0
    assert placed[-1] + 1 == columns_needed(items, height)
    for column in set(placed):
        assert sum(item.lines for item, c in zip(items, placed, strict=True) if c == column) <= height
    for index, item in enumerate(items[:-1]):
        if item.keep_with_next:  # a subhead never ends a column
            assert placed[index] == placed[index + 1]
