"""The page composer's search: blocks on the grid that tile the area, in page order."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.typeset.compose import Arrangement, Option, Placed, arrange

GAP = 1


def options(body: int, head: int, columns: int, stretch: int) -> list[Option]:
    """A story of ``body`` lines with a head of ``head`` lines in every span; thin columns cost, as in the make-up."""
    return [Option(span, head + -(-body // span), stretch,
                   (5.0 if span == columns else 0.0) + (400.0 if span > 1 and -(-body // span) < 3 else 0.0))
            for span in range(1, columns + 1)]


def assert_tiles(arrangement: Arrangement, columns: int, height: int) -> None:
    """Every grid column is covered from the top by blocks one gap apart, no overlap; what is blank is at the
    foot of its column, under the column's last block (a short sheet's blank in one place, never between blocks)."""
    assert arrangement.lines <= height
    bottoms = []
    for column in range(columns):
        here = sorted((b for b in arrangement.blocks if b.column <= column < b.column + b.span), key=lambda b: b.line)
        if not here:
            bottoms.append(0)  # a column left blank beside a story set narrower (a sheet of one short story)
            continue
        assert here[0].line == 0
        for above, below in itertools.pairwise(here):
            assert below.line == above.line + above.lines + GAP
        bottoms.append(here[-1].line + here[-1].lines)
    assert max(bottoms) == arrangement.lines
    assert arrangement.blank == sum(height - bottom for bottom in bottoms)


def assert_reading_order(blocks: tuple[Placed, ...]) -> None:
    """Read top to bottom, left to right: every later block lies wholly below an earlier one or wholly to its right.

    (A column of stacked blocks is read down before the column beside it.)
    """
    for i, first in enumerate(blocks):
        for later in blocks[i + 1:]:
            below = later.line >= first.line + first.lines
            right = later.column >= first.column + first.span
            assert below or right, (first, later)


stories_strategy = st.lists(st.tuples(st.integers(1, 120), st.integers(0, 6), st.integers(0, 6)), min_size=1,
                            max_size=8)


@settings(max_examples=150, deadline=None)
@given(stories_strategy, st.integers(3, 6), st.integers(40, 90))
def test_blocks_tile_the_area_in_page_order(spec: list[tuple[int, int, int]], columns: int, height: int) -> None:
    stories = [options(body, head, columns, stretch) for body, head, stretch in spec]
    arrangement = arrange(stories, columns, height, gap=GAP, lead_spans=range(1, columns + 1))
    if arrangement is None:
        # Nothing fits: not even every story across the whole width, one under the other.
        assert sum(s[-1].lines for s in stories) + GAP * (len(stories) - 1) > height
        return
    assert [b.story for b in arrangement.blocks] == list(range(len(stories)))
    for block in arrangement.blocks:
        assert block.span == block.option.span and block.option in stories[block.story]
        assert 0 <= block.extra <= block.option.stretch and block.lines == block.option.lines + block.extra
        assert block.column + block.span <= columns
    assert_tiles(arrangement, columns, height)
    assert_reading_order(arrangement.blocks)
    lead = arrangement.blocks[0]
    assert lead.line == 0 and lead.column == 0
    assert all(b.span <= lead.span for b in arrangement.blocks)


def test_the_area_is_filled_exactly_when_it_can_be() -> None:
    # Two stories that stack to 30 + 1 + 49 lines only with some stretch: the search finds it.
    stories = [[Option(5, 28, 4)], [Option(5, 46, 4)]]
    arrangement = arrange(stories, 5, 80, gap=GAP, lead_spans=[5])
    assert arrangement is not None and arrangement.lines == 80
    assert sum(b.extra for b in arrangement.blocks) == 80 - 28 - 46 - GAP


def test_spare_lines_are_spread_over_the_blocks() -> None:
    # Squared costs: four spare lines go two and two, not four to one block.
    stories = [[Option(5, 20, 6)], [Option(5, 20, 6)]]
    arrangement = arrange(stories, 5, 45, gap=GAP, lead_spans=[5])
    assert arrangement is not None
    assert sorted(b.extra for b in arrangement.blocks) == [2, 2]


def test_a_mosaic_is_preferred_to_strips() -> None:
    # A lead across the page, two stories side by side under it, rather than three strips.
    lead = [Option(5, 20, 2)]
    other = [Option(2, 40, 2), Option(3, 28, 2), Option(5, 19, 2, cost=60.0)]
    third = [Option(2, 58, 2), Option(3, 39, 2), Option(5, 18, 2, cost=60.0)]
    arrangement = arrange([lead, other, third], 5, 62, gap=GAP, lead_spans=[5])
    assert arrangement is not None and arrangement.lines == 62
    assert [(b.column, b.span) for b in arrangement.blocks] == [(0, 5), (0, 2), (2, 3)]


def test_the_lead_is_never_narrower_than_another_story() -> None:
    # The only tiling puts the lead in 2 columns beside a story in 3: refused.
    stories = [[Option(2, 30, 0), Option(3, 22, 0)], [Option(3, 30, 0), Option(2, 41, 0)]]
    assert arrange(stories, 5, 30, gap=GAP, lead_spans=[2, 3]) is None
    wider = arrange([[Option(3, 22, 0)], [Option(2, 22, 0)]], 5, 30, gap=GAP, lead_spans=[2, 3])
    assert wider is not None and [b.span for b in wider.blocks] == [3, 2]


def test_nothing_fits_is_none() -> None:
    assert arrange([[Option(5, 90, 0)]], 5, 85, gap=GAP, lead_spans=[5]) is None


def test_what_the_copy_cannot_fill_is_left_at_the_foot_not_spread_over_the_rows() -> None:
    # Three stories that cannot fill 60 lines: they stand one gap apart from the top, the rest at the foot.
    # (The make-up used to open the gaps between rows instead, leaving holes inside the columns.)
    stories = [[Option(5, 10, 0)], [Option(5, 10, 0)], [Option(5, 10, 0)]]
    arrangement = arrange(stories, 5, 60, gap=GAP, lead_spans=[5])
    assert arrangement is not None and arrangement.lines == 32
    assert [b.line for b in arrangement.blocks] == [0, 11, 22]
    assert arrangement.blank == (60 - 32) * 5


def test_a_lead_stands_beside_a_column_of_briefs_on_a_short_sheet() -> None:
    # A lead and three briefs that no heights make equal: the briefs are stacked beside the lead (a mosaic),
    # the blocks ending on different lines over the blank foot, rather than stacked across the width.
    lead = [Option(3, 30, 0, 2.0), Option(4, 24, 0, 11.0), Option(5, 20, 0, 40.0)]  # wide, it reads as a strip
    brief = [Option(1, 9, 0), Option(2, 6, 0, cost=400.0), Option(5, 4, 0, cost=460.0)]
    arrangement = arrange([lead, brief, brief, brief], 5, 80, gap=GAP, lead_spans=[3, 4, 5], spare_weight=1.0,
                          spare_knee=4, ragged_cost=20.0)
    assert arrangement is not None
    first, *briefs = arrangement.blocks
    assert (first.column, first.line) == (0, 0) and first.span < 5
    assert all(b.column >= first.span and b.span == 1 for b in briefs)  # beside the lead, none under it
    assert first.lines != max(b.line + b.lines for b in briefs)  # no heights made equal: a ragged foot
    assert_tiles(arrangement, 5, 80)
    assert_reading_order(arrangement.blocks)


def test_one_short_story_takes_the_columns_it_reads_best_in() -> None:
    # Alone on its sheet, a brief keeps to two columns; the columns beside it are left blank, at the foot.
    brief = [Option(1, 20, 0, cost=4.0), Option(2, 11, 0, cost=3.0), Option(5, 6, 0, cost=500.0)]
    arrangement = arrange([brief], 5, 80, gap=GAP, lead_spans=range(1, 6), spare_weight=1.0, spare_knee=4,
                          ragged_cost=20.0)
    assert arrangement is not None and [b.span for b in arrangement.blocks] == [2]
    assert_tiles(arrangement, 5, 80)


def test_same_input_same_arrangement() -> None:
    stories = [options(body, 4, 5, 4) for body in (140, 60, 75, 30, 22)]
    first = arrange(stories, 5, 85, gap=GAP, lead_spans=[3, 4, 5])
    assert first == arrange(stories, 5, 85, gap=GAP, lead_spans=[3, 4, 5])
