"""What one sheet of a printed page holds, and the arrangement of its stories.

A page whose stories fit its sheet is arranged by the composer
(``publisher.typeset.compose``): a mosaic filled to the foot where the copy
can fill it; what it cannot fill is left at the foot, in one band, for the
make-up to report (and, later, for pictures to take).

A page whose copy does not fit its sheet goes on to more sheets: whole
stories move on, the lead never; the composer chooses which so that the sheet
is filled. If whole stories leave the sheet short, the next story starts at
its foot across the width and breaks there, with a jump line naming the sheet
it goes on on (（下转A4续版）); its rest opens with one naming the sheet it came
from (（上接A4版）). A story taller than a whole sheet goes on the same way
across as many sheets as it needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from ..limits import STORIES_PER_SHEET
from .columns import fill_to
from .compose import Arrangement, Option, Placed, arrange, exact_arrangements
from .geometry import Geometry
from .stories import Story, jump_item, rest_of

_MOVES_TRIED = 64  # arrangements tried when whole stories must move to the next sheet


@dataclass(frozen=True)
class Jumps:
    """The jump lines of a sheet whose last story may break: to the next sheet, and from this one."""

    to: str  # （下转A4续版）
    back: str  # （上接A4版）


@dataclass(frozen=True)
class SheetPlan:
    """A sheet's stories and their arrangement, and the part of a broken story that goes on."""

    stories: tuple[Story, ...]
    arrangement: Arrangement
    spare: int  # lines left blank at the sheet's foot
    split_last: bool = False  # the last story goes on on the next sheet


class Unplaceable(Exception):
    """The stories cannot tile a sheet in the spans they are held to."""


def _lead_spans(stories: Sequence[Story], geometry: Geometry, lead: bool, holes: bool = False) -> list[int]:
    """The spans the first story may take: a page's lead at least ``lead_min_columns`` wide when other stories
    stand with it, unless issue.yaml holds it narrower or its head cannot fill so wide a block (``holes``: it
    may all the same, at its cost, where nothing else can be made up)."""
    spans = sorted({option.span for option in stories[0].options}) if stories else []
    if lead and len(stories) > 1:
        least = min(geometry.make_up.lead_min_columns, geometry.columns)
        # Not a span whose head would leave a hole (a short headline over a wide block): a brief leading
        # a page of briefs keeps to the columns its head fills.
        wide = [o.span for o in stories[0].options
                if o.span >= least and (holes or o.cost < geometry.make_up.gap_cost)]
        return sorted(set(wide)) or spans
    return spans


def arrange_stories(stories: Sequence[Story], geometry: Geometry, height: int, lead: bool,
                    fill: bool = True) -> Arrangement | None:
    rules = geometry.make_up
    columns = geometry.columns
    lead_spans = _lead_spans(stories, geometry, lead)
    return arrange([s.options for s in stories], columns, height, gap=rules.block_gap_lines,
                   lead_spans=tuple(lead_spans), stretch_weight=rules.stretch_weight,
                   spare_weight=rules.spare_weight if fill else 0.0, spare_knee=rules.spare_knee,
                   hole_lines=rules.hole_lines, hole_weight=rules.hole_weight, gap_extra=rules.gap_extra_lines,
                   gap_weight=rules.gap_weight, ragged_cost=rules.ragged_cost,
                   even_weight=rules.foot_even_weight)


def spare_lines(arrangement: Arrangement, geometry: Geometry, height: int) -> int:
    """The blank the arrangement leaves at the sheet's foot, in lines across the width (rounded up)."""
    blank = max(arrangement.blank, (height - arrangement.lines) * geometry.columns)
    return -(-blank // geometry.columns)


def _keep_sets(count: int, prefix: int) -> Iterator[tuple[int, ...]]:
    """Other stories to keep on a sheet whose longest fitting prefix is ``prefix`` stories long.

    The first story always stays. As many stories as the prefix or more,
    fewest moved first, and among those the later stories moved first, so
    that the page order is kept where it can be.
    """
    later_first = range(count - 1, 0, -1)
    for moved in range(1, count - prefix + 1):
        for gone in itertools.combinations(later_first, moved):
            keep = (0, *(i for i in range(1, count) if i not in gone))
            if keep != tuple(range(prefix)):
                yield keep


def _area(story: Story) -> int:
    """The least area a story takes, in grid column lines."""
    return min(option.span * option.lines for option in story.options)


def _over_tall(story: Story, height: int) -> bool:
    return min(option.lines for option in story.options) > height


def _split(story: Story, lines: int, geometry: Geometry, jumps: Jumps,
           span: int | None = None, variant: int = 0) -> tuple[Story, Story | None]:
    """The part of a story that fills a block of ``span`` columns (the full width by default) and ``lines``
    lines, and the rest (None if it all fits, or if not one line of the body fits).

    The part ends with its jump line, the rest opens with its own.
    """
    span = span or geometry.columns
    head = story.top_lines(span, variant)
    item, piece = jump_item(jumps.to, geometry)
    offsets = story.offsets(span, variant)
    if fill_to(story.items, lines - head, span, offsets=offsets) >= len(story.items):
        return story, None
    taken = fill_to(story.items, lines - head, span, tail=item.lines, offsets=offsets)
    if taken == 0 or taken >= len(story.items):
        return story, None
    part = replace(story, items=[*story.items[:taken], item], pieces=[*story.pieces[:taken], (-200, piece)],
                   options=[Option(span, lines, 0, variant=variant)])
    return part, rest_of(story, taken, jumps.back, geometry)


def _cut(story: Story, geometry: Geometry, height: int, jumps: Jumps, body_lines: int) -> Story:
    """``story`` offered cut short: in each span it is offered in, at every height from its head and
    ``body_lines`` lines to a line less than it needs, its columns filled in turn and its jump line last."""
    item, _ = jump_item(jumps.to, geometry)
    options = []
    for option in story.options:
        head = story.top_lines(option.span, option.variant)
        for lines in range(head + body_lines, min(option.lines, height + 1)):
            taken = fill_to(story.items, lines - head, option.span, tail=item.lines,
                            offsets=story.offsets(option.span, option.variant))
            if 0 < taken < len(story.items):
                options.append(Option(option.span, lines, 0, option.cost, variant=option.variant))
    return replace(story, options=options)


def _break(above: list[Story], story: Story, later: list[Story], geometry: Geometry, height: int,
           lead: bool, jumps: Jumps, body_lines: int = 3) -> tuple[SheetPlan, list[Story]] | None:
    """The stories ``above`` and, last in their mosaic, ``story`` cut short where the sheet ends, going on on
    the next sheet: at the foot of whatever columns the search gives it (across the width, or beside the
    stories above). None if no arrangement leaves it its head and ``body_lines`` lines."""
    cut = _cut(story, geometry, height, jumps, body_lines)
    if not cut.options:
        return None
    # Every column filled to the foot (within a line): a story breaks to fill its sheet, or not at all.
    filled = [a for lines, a in _above([*above, cut], geometry, height, lead).items() if lines >= height - 1]
    if not filled:
        return None
    arranged = min(filled, key=lambda a: (height - a.lines, a.cost))
    placed = arranged.blocks[-1]
    part, rest = _split(story, placed.lines, geometry, jumps, placed.span, placed.option.variant)
    if rest is None or len(rest.items) < body_lines * placed.span:
        return None  # what goes on is not worth a jump: a few lines
    return SheetPlan((*above, part), arranged, height - arranged.lines, split_last=True), [rest, *later]


def _above(stories: Sequence[Story], geometry: Geometry, height: int, lead: bool) -> dict[int, Arrangement]:
    """The arrangements of ``stories`` that end on one line (a story across the width goes under them), by height."""
    rules = geometry.make_up
    columns = geometry.columns
    lead_spans = _lead_spans(stories, geometry, lead, holes=True)
    return exact_arrangements([s.options for s in stories], columns, height, gap=rules.block_gap_lines,
                              lead_spans=tuple(lead_spans), stretch_weight=rules.stretch_weight,
                              hole_lines=rules.hole_lines, hole_weight=rules.hole_weight)


def _jump(above: list[Story], story: Story, later: list[Story], geometry: Geometry, height: int,
          lead: bool, jumps: Jumps, body_lines: int = 3) -> tuple[SheetPlan, list[Story]] | None:
    """The stories ``above``, and ``story`` across the full width at the sheet's foot going on on the next sheet.

    The stories above end on one line, at any height that leaves the story
    its head and ``body_lines`` lines across the width and breaks it there
    (the cheapest such); if it fits there whole, filling the sheet within a
    line, it is no jump but a story at the foot. None if neither can be.
    """
    gap = geometry.make_up.block_gap_lines
    minimum = story.top_lines(geometry.columns) + body_lines
    if above:
        heights: dict[int, Arrangement | None] = dict(_above(above, geometry, height - gap - minimum, lead))
    else:
        heights = {-gap: None}
    best: tuple[float, SheetPlan, list[Story]] | None = None
    for lines, arranged in heights.items():
        used = lines + gap
        cost = arranged.cost if arranged is not None else 0.0
        if best is not None and cost >= best[0]:
            continue
        part, rest = _split(story, height - used, geometry, jumps)
        if rest is None:
            footed = _foot(above, arranged, story, later, geometry, height, used)
            if footed is not None:
                best = (cost, *footed)
            continue
        option = Option(geometry.columns, height - used, 0)
        blocks = (*(arranged.blocks if arranged else ()),
                  Placed(len(above), 0, geometry.columns, used, height - used, 0, option))
        # What the story's head costs across the width (a hole under a short head) counts with the rest.
        whole = cost + min((o.cost for o in story.options if o.span == geometry.columns), default=0.0)
        best = (cost, SheetPlan((*above, part), Arrangement(blocks, height, whole), 0, split_last=True), [rest, *later])
    return (best[1], best[2]) if best is not None else None


def _foot(above: list[Story], arranged: Arrangement | None, story: Story, later: list[Story],
          geometry: Geometry, height: int, used: int) -> tuple[SheetPlan, list[Story]] | None:
    """``story`` whole across the width under the stories ``above``, if that fills the sheet (within a line).

    The arrangement search keeps every block narrower than the lead; at the
    foot of a sheet the stories above cannot fill, a story across the width
    fills it as the part of a jumped story would, without a jump.
    """
    whole = next((option for option in story.options if option.span == geometry.columns), None)
    room = height - used
    if whole is None or not whole.lines <= room <= whole.lines + whole.stretch + 1:
        return None
    lines = min(room, whole.lines + whole.stretch)
    placed = Placed(len(above), 0, geometry.columns, used, lines, lines - whole.lines, whole)
    blocks = (*(arranged.blocks if arranged is not None else ()), placed)
    arrangement = Arrangement(blocks, used + lines, arranged.cost if arranged is not None else 0.0)
    return SheetPlan((*above, story), arrangement, height - used - lines), later


def _break_at_foot(order: list[Story], kept: int, geometry: Geometry, height: int, lead: bool,
                   jumps: Jumps) -> tuple[SheetPlan, list[Story]] | None:
    """A story of ``order`` breaking at the sheet's foot under the stories before it, the first ``kept``
    whole stories of ``order`` or fewer; None if none can.

    As many whole stories above it as leave it room; a story that would fit
    whole there goes above. A part of three lines across the width is
    wanted; two, rather than a sheet left short. The first that leaves no
    hole (a short head across the width) is taken, else the first.
    """
    first: tuple[SheetPlan, list[Story]] | None = None
    for above, body_lines in _foot_breaks(kept, len(order)):
        jumped = _break(order[:above], order[above], order[above + 1:], geometry, height, lead,
                        jumps, body_lines) or _jump(order[:above], order[above], order[above + 1:],
                                                    geometry, height, lead, jumps, body_lines)
        if jumped is not None:
            if jumped[0].arrangement.cost < geometry.make_up.gap_cost:
                return jumped
            first = first or jumped
    return first


def _foot_breaks(kept: int, stories: int) -> Iterator[tuple[int, int]]:
    """(stories above, body lines of the part) for a story breaking at the foot, in the order tried: for
    each run of ``kept`` stories or more, the story after it and up to three before that. The runs
    overlap from one length to the next: each pair comes once."""
    tried: set[tuple[int, int]] = set()
    for body_lines in (3, 2):
        for count in range(kept, stories):
            for above in range(count, max(count - 4, 0), -1):
                if (above, body_lines) not in tried:
                    tried.add((above, body_lines))
                    yield above, body_lines


@dataclass(frozen=True, slots=True)
class _Choice:
    """Whole stories of a sheet, arranged, and the stories that go on to the next sheets."""

    spare: int  # lines left at the sheet's foot
    moved: int  # whole stories moved on
    plan: SheetPlan
    later: list[Story]


def _choice(fits: list[Story], keep: tuple[int, ...], rest: list[Story], geometry: Geometry, height: int,
            lead: bool) -> _Choice | None:
    """The stories ``keep`` of ``fits`` arranged on the sheet; None if they cannot be."""
    kept = [fits[i] for i in keep]
    found = arrange_stories(kept, geometry, height, lead)
    if found is None:
        return None
    moved = [story for index, story in enumerate(fits) if index not in keep]
    spare = spare_lines(found, geometry, height)
    return _Choice(spare, len(moved), SheetPlan(tuple(kept), found, spare), moved + rest)


def _choices(fits: list[Story], rest: list[Story], geometry: Geometry, height: int, lead: bool) -> list[_Choice]:
    """Whole stories move on, the first never: first the longest run of stories from the first that fits;
    then, if that leaves the sheet short, other choices, until one fills it. The best first: the least left
    at the sheet's foot, then the fewest stories moved, then the first tried."""
    prefix = len(fits) - 1
    while prefix > 1 and arrange_stories(fits[:prefix], geometry, height, lead) is None:
        prefix -= 1
    room = height * geometry.columns
    # Only the choices whose stories can fit the sheet's area are arranged, and only those counted.
    fitting = (keep for keep in _keep_sets(len(fits), prefix) if sum(_area(fits[i]) for i in keep) <= room)
    choices: list[_Choice] = []
    for keep in itertools.chain([tuple(range(prefix))], itertools.islice(fitting, _MOVES_TRIED)):
        choice = _choice(fits, keep, rest, geometry, height, lead)
        if choice is not None:
            choices.append(choice)
            if choice.spare <= 1:
                break
    choices.sort(key=lambda choice: (choice.spare, choice.moved))
    return choices


def plan_sheet(pending: list[Story], geometry: Geometry, height: int, lead: bool,
               jumps: Jumps) -> tuple[SheetPlan, list[Story]]:
    """What the next sheet holds and how it is arranged; the stories left for the sheets after it."""
    if len(pending) > STORIES_PER_SHEET:
        # The arrangement search grows with about the fourth power of the stories weighed: a sheet weighs the
        # first STORIES_PER_SHEET, and the stories after them go on to the next sheets in page order.
        planned, left = plan_sheet(pending[:STORIES_PER_SHEET], geometry, height, lead, jumps)
        return planned, left + pending[STORIES_PER_SHEET:]
    over = next((index for index, story in enumerate(pending) if _over_tall(story, height)), None)
    fits = pending if over is None else pending[:over]
    if over is not None:
        # The first story taller than a sheet goes at the foot, across the full width, and on to the next sheet.
        jumped = _break(fits, pending[over], pending[over + 1:], geometry, height, lead, jumps)
        if jumped is None:
            jumped = _jump(fits, pending[over], pending[over + 1:], geometry, height, lead, jumps)
        if jumped is not None:
            return jumped
    whole = arrange_stories(fits, geometry, height, lead)
    if whole is not None and over is None:
        return SheetPlan(tuple(fits), whole, spare_lines(whole, geometry, height)), []
    # Not every story fits: whole stories move on.
    choices = _choices(fits, pending[len(fits):], geometry, height, lead)
    if choices and choices[0].spare > 1:
        # Whole stories leave the sheet short: the next story starts at its foot and jumps to the next sheet,
        # under the best choice's stories; where none can (they never end on one line, nor beside a story cut
        # short, as a lead and a tall story in the columns beside it), under the next choice's.
        for choice in choices:
            if choice.later and (jumped := _break_at_foot(list(choice.plan.stories) + choice.later,
                                                          len(choice.plan.stories), geometry, height, lead,
                                                          jumps)) is not None:
                return jumped
    if not choices:
        # Every story alone fits a sheet in some span: only the spans issue.yaml asks for can prevent it.
        raise Unplaceable
    return choices[0].plan, choices[0].later
