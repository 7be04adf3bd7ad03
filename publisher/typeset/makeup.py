"""The printed page made up: each printed page's articles as blocks on its sheets.

Every article is set first (its paragraphs broken into justified lines at the
grid's column width, ``publisher.typeset.cjk``), then offered to the composer
(``publisher.typeset.compose``) in every span it can take: its head set for the
block's width (``publisher.typeset.heads``), its body balanced in the block's columns
(``publisher.typeset.columns``). The composer arranges the blocks so that they tile the
type area; here the arrangement becomes sheets of placed blocks, ready for the
template: positions in pt, heads sized for the height they were given, the
lines of every column.

A printed page whose articles do not fit one sheet goes on to more sheets:
whole articles move on, the lead never; the composer chooses which so that the
sheet is filled. An article taller than a whole sheet is set at the foot of
the sheet across the full width and goes on at the top of the next sheet.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from ..errors import InputError, Problem
from ..model import Article, Page, Picture
from .cjk.breaking import Line, Span, set_paragraph
from .cjk.classes import CLOSING_COMPRESSIBLE, Level
from .cjk.measure import measure
from .columns import Item, even_fill, fill, fill_to
from .compose import Arrangement, Option, Placed, arrange, feather
from .geometry import Geometry
from .heads import SetText, enlarge, fit

DATELINE_GAP_EM = 1.0  # space between a bold dateline and the text, made by layout
KICKER_LEADING = 1.3  # line height of kickers and subheadlines, in em
HEADLINE_LEADING = 1.2
KICKER_GAP_PT = 2.0  # between a kicker and its headline
SUBHEADLINE_GAP_PT = 3.0  # between a headline and its subheadline
_MOVES_TRIED = 64  # arrangements tried when whole articles must move to the next sheet


@dataclass(frozen=True)
class Piece:
    """What one column holds of a block: some lines of a paragraph, a subhead, or the bylines."""

    kind: str  # "paragraph", "caption", "subhead" or "bylines"
    text: str = ""
    lines: tuple[Line, ...] = ()
    names: tuple[str, ...] = ()  # the bylines of a "bylines" piece
    head: bool = False  # bylines that stood before the first paragraph (under the headline)


@dataclass(frozen=True)
class Column:
    """One column of a block's body: its left edge in the block, its width, what it holds."""

    left: float
    width: float
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Head:
    """A block's head as set: its texts in lines, the height it was given, the space above it."""

    kicker: SetText | None
    headline: SetText | None
    subheadline: SetText | None
    height: float  # pt, the grid lines the head takes
    pad_top: float  # pt above the kicker (or headline): the head's spare height, spread
    label: str  # the whole headline, for the PDF outline


@dataclass(frozen=True)
class Block:
    """An article (or the part of it on this sheet) placed on the sheet, in pt from the type area's top left."""

    head: Head | None
    bylines: tuple[str, ...]
    columns: tuple[Column, ...]
    left: float
    top: float
    width: float
    height: float
    body_top: float  # pt from the block's top
    body_height: float
    rule_top: bool  # a block above it: a rule in the gap
    rule_left: bool  # a block to its left: a rule in the gutter
    lead: bool
    continued: bool = False  # its first part is on the sheet before
    continues: bool = False  # it goes on on the next sheet
    span: int = 1


@dataclass(frozen=True)
class Sheet:
    """One sheet of paper: a printed page, or a part of one that runs over."""

    label: str
    section: str
    anchor: str | None  # the first sheet of a printed page: its outline entry and running strings
    masthead: bool  # the first sheet carries the masthead
    blocks: tuple[Block, ...]
    top: float  # pt where the blocks start (under the masthead)
    continued: bool  # the printed page began on the sheet before (接上页)
    continues: bool  # the printed page goes on on the next sheet (转下页)
    spare_lines: int = 0  # grid lines left at the foot: the text could not fill the sheet


@dataclass
class _Story:
    """An article ready to be placed: its body items and, for each span it may take, its option."""

    article: Article | None  # None for the part of an article that goes on from the sheet before
    lead: bool
    items: list[Item]
    pieces: list[tuple[int, Piece]]  # per item: the index of its text block, and what it holds
    bylines: tuple[str, ...]
    options: list[Option] = field(default_factory=list)
    heads: dict[int, tuple[SetText | None, SetText | None, SetText | None, int]] = field(default_factory=dict)
    continued: bool = False


# --- setting an article's texts -----------------------------------------------------------------------------


def _paragraph_lines(
    article: Article, width: float, size: float, level: Level = "strict"
) -> list[tuple[str, str, tuple[Line, ...]]]:
    """The article's blocks as (kind, text, lines), paragraphs broken into justified lines of ``width``."""
    blocks: list[tuple[str, str, tuple[Line, ...]]] = []
    dateline = article.dateline.value if article.dateline else None
    for block in article.blocks:
        if isinstance(block, Picture):
            # Until the make-up places pictures, a picture prints as its caption and credit (nothing is lost);
            # one with neither stays a block without lines, so that blocks and the article's blocks pair up.
            text = block.caption_with_credit()
            lines = set_paragraph([Span(text)], width, size, indent_em=0, role="sans", level=level) if text else []
            blocks.append(("caption", text, tuple(lines)))
            continue
        if block.kind == "subhead":
            blocks.append(("subhead", block.text.value, ()))
            continue
        if block.kind == "caption":  # a photo caption: sans, unindented, on the body's grid
            lines = set_paragraph([Span(block.text.value)], width, size, indent_em=0, role="sans", level=level)
            blocks.append(("caption", block.text.value, tuple(lines)))
            continue
        spans = [Span(block.text.value)]
        if dateline is not None:
            spans.insert(0, Span(dateline, weight=700, gap_after_em=_dateline_gap(dateline)))
            dateline = None
        blocks.append(("paragraph", block.text.value, tuple(set_paragraph(spans, width, size, level=level))))
    if dateline is not None:  # a dateline with no paragraph after it
        lines = set_paragraph([Span(dateline, weight=700)], width, size, level=level)
        blocks.insert(0, ("paragraph", dateline, tuple(lines)))
    return blocks


def _dateline_gap(dateline: str) -> float:
    """The gap after a dateline, in em. One that ends with its reporters in brackets
    (本报讯（记者 王某）) has the blank half of the closing mark already."""
    return DATELINE_GAP_EM - (0.5 if dateline[-1:] in CLOSING_COMPRESSIBLE else 0.0)


def _grid_lines(text: str, weight: int, size: float, width: float) -> int:
    """Lines a short sans text (subhead, bylines) takes in a column; a rough upper bound is enough."""
    advance = sum(measure("sans", weight).run(text)) * size
    return max(1, -int(-advance * 1.02 // width))


def _body(article: Article, geometry: Geometry) -> tuple[list[Item], list[tuple[int, Piece]], tuple[str, ...]]:
    """The article's body as items of the column grid (a line, a subhead, the bylines) and what each holds."""
    width = geometry.column_width
    bylines = tuple(b.value for b in article.bylines)
    items: list[Item] = []
    pieces: list[tuple[int, Piece]] = []
    blocks = _paragraph_lines(article, width, geometry.type["body"], geometry.line_break)
    # Bylines go where they stood in the page, so the printed article reads as its source: under the
    # headline (at the top of the body), after a block, or at the end. A dateline set alone comes first.
    shift = len(blocks) - len(article.blocks)
    stood: dict[int, list[str]] = {}
    for byline, place in zip(article.bylines, article.byline_places(), strict=True):
        stood.setdefault(place + shift, []).append(byline.value)
    first = next((i for i, block in enumerate(blocks) if block[0] == "paragraph"), len(blocks))

    def add_bylines(at: int) -> None:
        if names := stood.get(at):
            text = "\u3000".join(names)  # the gap between bylines is about one em
            head = at <= first < len(blocks)
            items.append(Item(_grid_lines(text, 400, geometry.type["byline"], width), keep_with_next=head))
            pieces.append((-1 - at, Piece("bylines", names=tuple(names), head=head)))

    for number, (kind, text, lines) in enumerate(blocks):
        add_bylines(number)
        if kind == "subhead":
            # Set on the grid: its own lines plus half a line above and below.
            items.append(Item(_grid_lines(text, 700, geometry.type["subhead"], width) + 1, keep_with_next=True))
            pieces.append((number, Piece("subhead", text)))
        else:
            for line in lines:
                items.append(Item(1))
                pieces.append((number, Piece(kind, text, (line,))))
    add_bylines(len(blocks))
    return items, pieces, bylines


# --- heads --------------------------------------------------------------------------------------------------


def _head_texts(story: _Story, geometry: Geometry, span: int) -> tuple[SetText | None, SetText | None, SetText | None]:
    """Kicker, headline and subheadline set at their natural sizes for a block of ``span`` columns."""
    article = story.article
    if article is None:
        return None, None, None
    rules = geometry.make_up
    measure_pt = geometry.block_width(span)
    nominal = rules.by_span(rules.lead_headline_pt if story.lead else rules.headline_pt, span)
    smallest = min(rules.headline_min_pt, nominal)
    kicker_pt, sub_pt = geometry.type["kicker"], geometry.type["subheadline"]
    kicker = fit(article.kicker.value, measure_pt, kicker_pt, kicker_pt, weight=400) if article.kicker else None
    headline = fit(article.headline.value, measure_pt, nominal, smallest) if article.headline else None
    sub = fit(article.subheadline.value, measure_pt, sub_pt, sub_pt, weight=400) if article.subheadline else None
    return kicker, headline, sub


def _text_height(kicker: SetText | None, headline: SetText | None, sub: SetText | None) -> float:
    height = 0.0
    if kicker:
        height += len(kicker.lines) * kicker.size * KICKER_LEADING + KICKER_GAP_PT
    if headline:
        height += len(headline.lines) * headline.size * HEADLINE_LEADING
    if sub:
        height += SUBHEADLINE_GAP_PT + len(sub.lines) * sub.size * KICKER_LEADING
    return height


def _head_lines(texts: tuple[SetText | None, SetText | None, SetText | None], geometry: Geometry) -> int:
    if not any(texts):
        return 0
    return math.ceil((_text_height(*texts) + geometry.make_up.head_space_pt) / geometry.line_pitch - 1e-6)


# --- the stories and their options --------------------------------------------------------------------------


def _story(article: Article | None, lead: bool, items: list[Item], pieces: list[tuple[int, Piece]],
           bylines: tuple[str, ...], geometry: Geometry, stories_on_page: int, continued: bool = False) -> _Story:
    story = _Story(article, lead, items, pieces, bylines, continued=continued)
    rules = geometry.make_up
    columns = geometry.columns
    for span in range(1, columns + 1):
        height, placed = even_fill(items, span)
        used = placed[-1] + 1 if placed else 1
        texts = _head_texts(story, geometry, span)
        head = _head_lines(texts, geometry)
        story.heads[span] = (*texts, head)
        cost = 0.0
        if span > 1 and height < rules.min_column_lines:
            cost += rules.thin_cost  # a last resort: a short item spread over many short columns
        if used < span:
            # A column would be empty: only for a story too short for the sheet's width that has
            # nothing beside it (a page of one brief).
            cost += 2 * rules.thin_cost
        if span == columns and not lead and stories_on_page > 1:
            cost += rules.full_width_cost
        if texts[1] is not None:
            cost += rules.wrap_cost * (len(texts[1].lines) - 1)
        if span > 1 and height * geometry.line_pitch < geometry.block_width(span) / 3:
            cost += rules.flat_cost
        if lead:
            cost += columns - span  # the widest lead the page allows
        # Spare lines go to the head: a larger headline, then a little space. A block with no head
        # takes them as space under its body, which shows more.
        stretch = _head_growth(story, span, geometry) + rules.head_extra_lines if head else rules.head_extra_lines
        story.options.append(Option(span, head + height, stretch, cost))
    return story


def _stories(page: Page, geometry: Geometry) -> list[_Story]:
    """The page's articles ready to be placed, the lead first, as issue.yaml's hints ask."""
    count = len(page.articles)
    order = list(range(count))
    if page.lead is not None:  # the named lead goes first; the others keep their order
        order.remove(page.lead.article)
        order.insert(0, page.lead.article)
    spans = {hint.article: hint for hint in page.spans}
    stories = []
    problems: list[Problem] = []
    for number, index in enumerate(order):
        article = page.articles[index]
        items, pieces, bylines = _body(article, geometry)
        story = _story(article, number == 0, items, pieces, bylines, geometry, count)
        if (hint := spans.get(index)) is not None:
            empty = 2 * geometry.make_up.thin_cost  # the cost of an option that leaves a column empty
            story.options = [o for o in story.options if o.span == hint.value and o.cost < empty]
            if hint.value > geometry.columns:
                problems.append(Problem(hint.file, hint.line, f"page {page.label}, article {index + 1}: "
                                        f"{hint.value} columns asked, the page's grid has {geometry.columns}"))
            elif not story.options:
                problems.append(Problem(hint.file, hint.line, f"page {page.label}, article {index + 1}: too "
                                        f"little text for {hint.value} columns (a column would be empty)"))
        stories.append(story)
    if problems:
        raise InputError(problems)
    return stories


# --- sheets ---------------------------------------------------------------------------------------------------


def _arrange(stories: Sequence[_Story], geometry: Geometry, height: int, lead: bool,
             fill: bool = True) -> Arrangement | None:
    rules = geometry.make_up
    columns = geometry.columns
    lead_spans = (range(min(rules.lead_min_columns, columns), columns + 1) if lead and len(stories) > 1
                  else range(1, columns + 1))
    return arrange([s.options for s in stories], columns, height, gap=rules.block_gap_lines,
                   lead_spans=tuple(lead_spans), stretch_weight=rules.stretch_weight,
                   spare_weight=rules.spare_weight if fill else 0.0, hole_lines=rules.hole_lines,
                   hole_weight=rules.hole_weight)


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


def _area(story: _Story) -> int:
    """The least area a story takes, in grid column lines."""
    return min(option.span * option.lines for option in story.options)


def _over_tall(story: _Story, height: int) -> bool:
    return min(option.lines for option in story.options) > height


def _split(story: _Story, lines: int, geometry: Geometry) -> tuple[_Story, _Story | None, int]:
    """The part of a story that fills a full-width block of ``lines`` lines, and the rest (None if it all fits).

    Returns the part, the rest, and the lines of the part's head.
    """
    columns = geometry.columns
    _, _, _, head = story.heads.get(columns, (None, None, None, 0))
    taken = fill_to(story.items, lines - head, columns)
    if taken >= len(story.items):
        return story, None, head
    part = replace(story, items=story.items[:taken], pieces=story.pieces[:taken],
                   options=[Option(columns, lines, 0)])
    rest = _story(None, False, story.items[taken:], story.pieces[taken:], story.bylines, geometry, 2,
                  continued=True)
    return part, rest, head


@dataclass(frozen=True)
class _Plan:
    """A sheet's stories and their arrangement, and the part of a split story that goes on."""

    stories: tuple[_Story, ...]
    arrangement: Arrangement
    spare: int
    split_last: bool = False  # the last story goes on on the next sheet


def _jump(above: list[_Story], story: _Story, later: list[_Story], geometry: Geometry, height: int,
          lead: bool, body_lines: int = 3) -> tuple[_Plan, list[_Story]] | None:
    """The stories ``above``, and ``story`` across the full width at the sheet's foot going on on the next sheet.

    None if the stories above leave no room for a useful part of it (its head
    and ``body_lines`` lines across the width), or if all of it would fit
    there (then it is no jump).
    """
    gap = geometry.make_up.block_gap_lines
    minimum = story.heads[geometry.columns][3] + body_lines
    arranged = _arrange(above, geometry, height - gap - minimum, lead, fill=False) if above else None
    if above and arranged is None:
        return None
    used = arranged.lines + gap if arranged is not None else 0
    part, rest, _ = _split(story, height - used, geometry)
    if rest is None:
        return _foot(above, arranged, story, later, geometry, height, used)
    arrangement = _with_tail(arranged, len(above), part, geometry, used, height - used)
    return _Plan((*above, part), arrangement, 0, split_last=True), [rest, *later]


def _foot(above: list[_Story], arranged: Arrangement | None, story: _Story, later: list[_Story],
          geometry: Geometry, height: int, used: int) -> tuple[_Plan, list[_Story]] | None:
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
    return _Plan((*above, story), arrangement, height - used - lines), later


def _plan_sheet(pending: list[_Story], geometry: Geometry, height: int, lead: bool) -> tuple[_Plan, list[_Story]]:
    """What the next sheet holds and how it is arranged; the stories left for the sheets after it."""
    over = next((index for index, story in enumerate(pending) if _over_tall(story, height)), None)
    fits = pending if over is None else pending[:over]
    if over is not None:
        # The first story taller than a sheet goes at the foot, across the full width, and on to the next sheet.
        jumped = _jump(fits, pending[over], pending[over + 1:], geometry, height, lead)
        if jumped is not None:
            return jumped
    whole = _arrange(fits, geometry, height, lead)
    if whole is not None and over is None:
        # Too little text to fill the sheet within the stories' stretch: the rows open up a little.
        opened = feather(whole, geometry.columns, height - whole.lines, geometry.make_up.gap_extra_lines)
        return _Plan(tuple(fits), opened, height - opened.lines), []
    # Not every story fits: whole stories move on, the first never. First the longest run of
    # stories from the first that fits; then, if that leaves the sheet short, other choices.
    best: tuple[tuple[int, int], _Plan, list[_Story]] | None = None

    def consider(keep: tuple[int, ...]) -> bool:
        """Arrange the stories ``keep``; remember the best; True when the sheet is filled."""
        nonlocal best
        kept = [fits[i] for i in keep]
        found = _arrange(kept, geometry, height, lead)
        if found is None:
            return False
        moved = [story for index, story in enumerate(fits) if index not in keep]
        key = (height - found.lines, len(moved))
        if best is None or key < best[0]:
            best = (key, _Plan(tuple(kept), found, key[0]), moved + pending[len(fits):])
        return key[0] <= 1

    prefix = len(fits) - 1
    while prefix > 1 and _arrange(fits[:prefix], geometry, height, lead) is None:
        prefix -= 1
    if not consider(tuple(range(prefix))):
        room = height * geometry.columns
        for tried, keep in enumerate(_keep_sets(len(fits), prefix)):
            if tried == _MOVES_TRIED:
                break
            if sum(_area(fits[i]) for i in keep) <= room and consider(keep):
                break
    if best is not None and best[0][0] > 1 and best[2]:
        # Whole stories leave the sheet short: the next story starts at its foot and jumps to the next sheet.
        # As many whole stories above it as leave it room; a story that would fit whole there goes above.
        # A part of three lines across the width is wanted; two, rather than a sheet left short.
        order = list(best[1].stories) + best[2]
        for body_lines in (3, 2):
            for count in range(len(best[1].stories), len(order)):
                for above in range(count, 0, -1):
                    jumped = _jump(order[:above], order[above], order[above + 1:], geometry, height, lead,
                                   body_lines)
                    if jumped is not None:
                        return jumped
                    if above < count - 2:
                        break
    if best is None:
        # Every story alone fits a sheet in some span: only the spans issue.yaml asks for can prevent it.
        raise _Unplaceable
    return best[1], best[2]


class _Unplaceable(Exception):
    """The stories cannot tile a sheet in the spans they are held to."""


def _with_tail(above: Arrangement | None, count: int, part: _Story, geometry: Geometry, line: int,
               lines: int) -> Arrangement:
    option = Option(geometry.columns, lines, 0)
    blocks = (*(above.blocks if above else ()), Placed(count, 0, geometry.columns, line, lines, 0, option))
    return Arrangement(blocks, line + lines, above.cost if above else 0.0)


# --- placing the blocks ---------------------------------------------------------------------------------------


def _columns(story: _Story, span: int, height: int, tail: bool, geometry: Geometry) -> tuple[Column, ...]:
    """The body's columns: the lines each holds, where it stands in the block."""
    placed = (fill(story.items, height) or []) if tail else even_fill(story.items, span)[1]
    held: list[list[tuple[int, Piece]]] = [[] for _ in range(max(placed, default=0) + 1)]
    for (number, piece), column in zip(story.pieces, placed, strict=True):
        if held[column] and held[column][-1][0] == number and piece.kind in ("paragraph", "caption"):
            last = held[column][-1][1]  # the same paragraph goes on in this column
            held[column][-1] = (number, Piece(piece.kind, piece.text, last.lines + piece.lines))
        else:
            held[column].append((number, piece))
    width, gap = geometry.column_width, geometry.column_gap
    return tuple(Column(left=index * (width + gap), width=width, pieces=tuple(piece for _, piece in column))
                 for index, column in enumerate(held))


def _largest_headline(story: _Story, span: int, geometry: Geometry, room_pt: float) -> SetText | None:
    """The headline at the largest size its block allows within ``room_pt``, in as many lines as at its natural size."""
    headline = story.heads[span][1]
    if headline is None or story.article is None or story.article.headline is None:
        return headline
    rules = geometry.make_up
    largest = rules.by_span(rules.lead_headline_max_pt if story.lead else rules.headline_max_pt, span)
    return enlarge(story.article.headline.value, geometry.block_width(span), headline, largest, room_pt,
                   HEADLINE_LEADING)


def _head_growth(story: _Story, span: int, geometry: Geometry) -> int:
    """Lines the head gains with its headline at the largest size its block allows."""
    kicker, _, sub, natural = story.heads[span]
    largest = _largest_headline(story, span, geometry, math.inf)
    return _head_lines((kicker, largest, sub), geometry) - natural


def _head(story: _Story, span: int, lines: int, geometry: Geometry) -> Head | None:
    """The head in the ``lines`` grid lines it was given: a larger headline first, then space around it."""
    kicker, headline, sub, _ = story.heads[span]
    if story.article is None or not (kicker or headline or sub):
        return None
    room = lines * geometry.line_pitch - geometry.make_up.head_space_pt
    headline = _largest_headline(story, span, geometry, room - _text_height(kicker, None, sub))
    text = _text_height(kicker, headline, sub)
    label = story.article.headline.value if story.article.headline else ""
    return Head(kicker, headline, sub, lines * geometry.line_pitch, max(0.0, (room - text) / 2), label)


def _block(story: _Story, placed: Placed, geometry: Geometry, top: float, tail: bool, continues: bool) -> Block:
    pitch = geometry.line_pitch
    span = placed.span
    head_lines = story.heads[span][3] if story.article is not None else 0
    if head_lines and not tail:
        head_lines += min(placed.extra, placed.option.stretch)  # spare lines to the head, the rest under the body
    body_lines = placed.lines - head_lines
    return Block(
        head=_head(story, span, head_lines, geometry) if head_lines else None,
        bylines=story.bylines,
        columns=_columns(story, span, body_lines, tail, geometry),
        left=placed.column * (geometry.column_width + geometry.column_gap),
        top=top + placed.line * pitch,
        width=geometry.block_width(span),
        height=placed.lines * pitch,
        body_top=head_lines * pitch,
        body_height=body_lines * pitch,
        rule_top=placed.line > 0,
        rule_left=placed.column > 0,
        lead=story.lead,
        continued=story.continued,
        continues=continues,
        span=span,
    )


def make_up(pages: Sequence[Page], geometry: Geometry) -> list[Sheet]:
    """Every printed page of the issue made up on one sheet or more, in print order."""
    sheets: list[Sheet] = []
    pitch = geometry.line_pitch
    for index, page in enumerate(pages):
        pending = _stories(page, geometry)
        first = True
        while first or pending:
            masthead = index == 0 and first
            top = geometry.make_up.masthead_lines * pitch if masthead else 0.0
            height = geometry.sheet_lines - (geometry.make_up.masthead_lines if masthead else 0)
            if pending:
                try:
                    plan, pending = _plan_sheet(pending, geometry, height, lead=first)
                except _Unplaceable:
                    raise InputError([Problem(hint.file, hint.line, f"page {page.label}: the columns asked for "
                                              "its articles cannot tile a sheet")
                                      for hint in page.spans]
                                     or [Problem(str(page.source), None, "cannot be made up")]) from None
                blocks = tuple(
                    _block(plan.stories[p.story], p, geometry, top, tail=plan.split_last and n == len(plan.stories) - 1,
                           continues=plan.split_last and n == len(plan.stories) - 1)
                    for n, p in enumerate(plan.arrangement.blocks))
                spare = plan.spare
            else:
                blocks, spare = (), height  # a page with no article still gets its sheet
            sheets.append(Sheet(page.label, page.section, f"{index}" if first else None, masthead, blocks, top,
                                continued=not first, continues=bool(pending), spare_lines=spare))
            first = False
    return sheets
