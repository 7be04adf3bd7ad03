"""A page's articles as stories ready to be made up: ranked, set, and offered in every span they can take.

Every article is set first: its paragraphs broken into justified lines at the
grid's column width (``publisher.typeset.cjk``), its body a list of items of
the column grid with what keeps them together (``publisher.typeset.columns``),
its head set for each span in its tier (``publisher.typeset.heads``). Then it
is offered to the composer (``publisher.typeset.compose``) in every span whose
head it fits in at most ``max_head_lines`` lines: the height it needs there,
how many lines more it can take, and what the layout holds against it.

Rank, as an editor gives it: the page's lead is the story issue.yaml names
(``lead:``), else the one its source marks ``# ``, else the first; the lead
takes the front page's or an inside page's lead tier; a story of a few lines
(``brief_characters``) the brief tier, with a small head; the others the
second tier.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..errors import InputError, Problem
from ..model import Article, BlockKind, Page, Picture
from .cjk.breaking import Line, Span, set_paragraph
from .cjk.classes import CLOSING_COMPRESSIBLE, Level
from .cjk.measure import measure
from .columns import Item, even_fill, fill_beside
from .compose import Option
from .figures import Figure, figure
from .geometry import Geometry, Tier
from .headroom import HEADLINE_LEADING, MAX_GAP_LINES, SPREAD_EM, best_pad, fills, reach, text_bottom
from .heads import SetText, fit, larger_sets, spread

DATELINE_GAP_EM = 1.0  # space between a bold dateline and the text, made by layout

Heads = tuple[SetText | None, SetText | None, SetText | None]  # kicker, headline, subheadline
PieceKind = BlockKind | Literal["bylines", "jump"]
# An article's block as set for the columns: a picture's keeps the blocks paired with the article's.
SetBlock = tuple[BlockKind | Literal["picture"], str, tuple[Line, ...]]


@dataclass(frozen=True, slots=True)
class SetHead:
    """A story's head set at its natural sizes for one span, and the grid lines it takes."""

    kicker: SetText | None
    headline: SetText | None
    sub: SetText | None
    lines: int

    @property
    def texts(self) -> Heads:
        return self.kicker, self.headline, self.sub


@dataclass(frozen=True)
class Piece:
    """What one column holds of a block: some lines of a paragraph, a subhead, the bylines or a jump line."""

    kind: PieceKind
    text: str = ""
    lines: tuple[Line, ...] = ()
    names: tuple[str, ...] = ()  # the bylines of a "bylines" piece
    head: bool = False  # bylines that stood before the first paragraph (under the headline)


@dataclass
class Story:
    """An article ready to be placed: its body items and, for each span it may take, its option."""

    article: Article | None  # None for the part of an article that goes on from the sheet before
    lead: bool
    tier: Tier | None  # its headline's tier; None for a part with no head
    items: list[Item]
    pieces: list[tuple[int, Piece]]  # per item: the index of its text block, and what it holds
    bylines: tuple[str, ...]
    options: list[Option] = field(default_factory=list)
    heads: dict[int, SetHead] = field(default_factory=dict)  # by span
    continued: bool = False
    too_narrow: set[int] = field(default_factory=set)  # spans its head does not fit in (max_head_lines)
    pictures: tuple[Picture, ...] = ()  # its photographs and graphics, under its head, in source order
    # The pictures set at each span, in each way they may stand there (Option.variant).
    figures: dict[tuple[int, int], tuple[Figure, ...]] = field(default_factory=dict)
    head_stretch: dict[int, int] = field(default_factory=dict)  # lines more its head can take, at each span

    def figure_lines(self, span: int, variant: int = 0) -> int:
        """Lines the pictures across the block take at ``span`` at their least (most cropped) heights, with their
        captions (those beside the body are counted in its columns: ``offsets``)."""
        return sum(f.least + f.caption_lines for f in self.figures.get((span, variant), ()) if not f.beside)

    def offsets(self, span: int, variant: int = 0) -> tuple[int, ...]:
        """Lines each body column at ``span`` starts down: under the pictures beside the body, at the right."""
        down = [0] * span
        for shown in self.figures.get((span, variant), ()):
            if shown.beside:
                for column in range(span - shown.columns, span):
                    down[column] += shown.least + shown.caption_lines
        return tuple(down)

    def top_lines(self, span: int, variant: int = 0) -> int:
        """Lines above the body at ``span``: the head's and the pictures' (at their least)."""
        return self.heads[span].lines + self.figure_lines(span, variant)


# --- rank ------------------------------------------------------------------------------------------------------


def lead_index(page: Page) -> int:
    """The page's lead: the article issue.yaml names, else the first its source marks ``# ``, else the first."""
    if page.lead is not None:
        return page.lead.article
    return next((i for i, a in enumerate(page.articles) if a.level == 1 and a.headline is not None), 0)


def tier_of(article: Article, lead: bool, lead_tier: Tier, geometry: Geometry, cap: float = math.inf) -> Tier:
    """The headline tier of an article: the lead's (a brief's at most ``brief_lead_pt``), else by its length
    the brief tier or the second; no size over ``cap`` (an inside page's share of the front lead's)."""
    rules = geometry.make_up
    brief = article.body_characters <= rules.brief_characters
    if lead:  # the lead's tier, a brief's no larger than a brief may be
        tier = lead_tier.capped(rules.brief_lead_pt) if brief else lead_tier
    else:
        tier = rules.tiers["brief"] if brief else rules.tiers["second"]
    return tier.capped(cap) if cap < math.inf else tier


# --- setting an article's texts ---------------------------------------------------------------------------------


def _paragraph_lines(
    article: Article, width: float, size: float, level: Level = "strict"
) -> list[SetBlock]:
    """The article's blocks as (kind, text, lines), paragraphs broken into justified lines of ``width``."""
    blocks: list[SetBlock] = []
    dateline = article.dateline.value if article.dateline else None
    for block in article.blocks:
        if isinstance(block, Picture):
            # A picture stands under the head with its caption (figures.py), not in the columns: a block
            # without lines keeps blocks and the article's blocks paired.
            blocks.append(("picture", "", ()))
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


def grid_lines(text: str, weight: int, size: float, width: float) -> int:
    """Lines a short sans text (subhead, bylines, a jump line) takes in a column; a rough upper bound is enough."""
    advance = sum(measure("sans", weight).run(text)) * size
    return max(1, -int(-advance * 1.02 // width))


def _line_items(kind: BlockKind, count: int, dateline: bool) -> list[Item]:
    """The items of a paragraph's (or caption's) ``count`` lines, held so that a column ends clean.

    No widow (its last line alone at a column's head) and no orphan (its
    first line alone at a column's foot): the first line stays with the
    second, the last with the one before. A caption stays whole. The line
    that carries the dateline never ends a column.
    """
    if kind == "caption":
        return [Item(1, keep_with_next=index < count - 1) for index in range(count)]
    keep = {0, count - 2} if count > 1 else set()
    return [Item(1, keep_with_next=index in keep or (dateline and index == 0)) for index in range(count)]


def set_body(article: Article, geometry: Geometry) -> tuple[list[Item], list[tuple[int, Piece]], tuple[str, ...]]:
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
            if not head and items:
                # Bylines after a text stay with its last line: never alone at the head of a column.
                items[-1] = Item(items[-1].lines, keep_with_next=True)
            items.append(Item(grid_lines(text, 400, geometry.type["byline"], width), keep_with_next=head))
            pieces.append((-1 - at, Piece("bylines", names=tuple(names), head=head)))

    for number, (kind, text, lines) in enumerate(blocks):
        add_bylines(number)
        if kind == "picture":
            continue
        if kind == "subhead":
            # Set on the grid: its own lines plus half a line above and below; it stays with the
            # paragraph's first two lines (its first line stays with the second).
            items.append(Item(grid_lines(text, 700, geometry.type["subhead"], width) + 1, keep_with_next=True))
            pieces.append((number, Piece("subhead", text)))
        else:
            if kind == "caption" and items:
                # A caption stays with what comes before it: never alone at the head of a column.
                items[-1] = Item(items[-1].lines, keep_with_next=True)
            dateline = number == first and article.dateline is not None
            items += _line_items(kind, len(lines), dateline)
            pieces += [(number, Piece(kind, text, (line,))) for line in lines]
    add_bylines(len(blocks))
    if items:
        items[-1] = Item(items[-1].lines)  # nothing after the last item to keep it with
    return items, pieces, bylines


def jump_item(text: str, geometry: Geometry) -> tuple[Item, Piece]:
    """A jump line (（下转A4续版）, （上接A4版）) as an item of the column grid."""
    return Item(grid_lines(text, 400, geometry.type["body"], geometry.column_width)), Piece("jump", text)


# --- heads ------------------------------------------------------------------------------------------------------


def head_texts(article: Article | None, tier: Tier | None, geometry: Geometry, span: int) -> Heads:
    """Kicker, headline and subheadline set at their natural sizes for a block of ``span`` columns."""
    if article is None or tier is None:
        return None, None, None
    rules = geometry.make_up
    measure_pt = geometry.block_width(span)
    kicker_pt, sub_pt = geometry.type["kicker"], geometry.type["subheadline"]
    most = rules.max_head_lines
    kicker = fit(article.kicker.value, measure_pt, kicker_pt, kicker_pt, weight=400, max_lines=most) \
        if article.kicker else None
    headline = spread(fit(article.headline.value, measure_pt, tier.natural(span), tier.smallest(span),
                          max_lines=most, least_pt=reach(span, geometry)), reach(span, geometry) + 2, SPREAD_EM) \
        if article.headline else None
    sub = fit(article.subheadline.value, measure_pt, sub_pt, sub_pt, weight=400, max_lines=most) \
        if article.subheadline else None
    return kicker, headline, sub


def head_lines(texts: Heads, geometry: Geometry) -> int:
    if not any(texts):
        return 0
    return math.ceil((text_bottom(texts) + geometry.make_up.head_space_pt) / geometry.line_pitch - 1e-6)


def headline_sets(story: Story, span: int, geometry: Geometry, room_pt: float,
                  cap: float = math.inf) -> Iterator[SetText]:
    """The story's headline for a block of ``span`` columns: set larger (within its tier, at most ``cap`` pt)
    in ``room_pt``, largest first, then at its natural size (at most ``cap`` pt)."""
    natural = story.heads[span].headline
    if natural is None or story.article is None or story.article.headline is None or story.tier is None:
        return
    largest = min(story.tier.largest(span), cap)
    least = reach(span, geometry)
    if largest > natural.size:
        for larger in larger_sets(story.article.headline.value, geometry.block_width(span), natural, largest,
                                  room_pt, HEADLINE_LEADING, least_pt=least):
            yield spread(larger, least + 2, SPREAD_EM)
    # The same lines, smaller, if it must be: they fit as they did (spread again, for the smaller size).
    yield natural if natural.size <= cap else spread(SetText(natural.lines, cap), least + 2, SPREAD_EM)


def set_head(story: Story, span: int, height: float, geometry: Geometry,
             cap: float = math.inf) -> tuple[Heads, float]:
    """The head in ``height`` pt: the largest headline that leaves no hole in the block's columns (else the
    one that leaves the smallest), and the space above it that does."""
    natural = story.heads[span]
    kicker, sub = natural.kicker, natural.sub
    room = height - geometry.make_up.head_space_pt - text_bottom((kicker, None, sub))
    best: tuple[Heads, float] | None = None  # the head that leaves the smallest hole, and its pad
    least_gap = math.inf
    for headline in headline_sets(story, span, geometry, room, cap) if natural.headline else [None]:
        texts = (kicker, headline, sub)
        pad, gap = best_pad(texts, span, height, geometry)
        if gap <= MAX_GAP_LINES * geometry.line_pitch:
            return texts, pad
        if best is None or gap < least_gap:
            best, least_gap = (texts, pad), gap
    assert best is not None
    return best


def head_stretch(story: Story, span: int, geometry: Geometry) -> int | None:
    """How many lines more the head can take, every count from none to that many, and leave no hole in its
    block's columns: a larger headline, and the space around it that its lines allow. None if it leaves a
    hole even as it is (a head much narrower than its block)."""
    head = story.heads[span]
    kicker, sub, natural = head.kicker, head.sub, head.lines
    pitch = geometry.line_pitch
    most = geometry.make_up.head_pad_lines
    reachable: set[int] = set()
    tried: set[int] = set()
    for headline in headline_sets(story, span, geometry, math.inf):
        texts = (kicker, headline, sub)
        lines = head_lines(texts, geometry)
        if lines in tried or not fills(texts, span, lines * pitch, geometry):
            continue
        tried.add(lines)  # the largest headline that fills in this many lines: the one a head is set in
        pads = 0
        while pads < most and fills(texts, span, (lines + pads + 1) * pitch, geometry):
            pads += 1
        reachable.update(range(lines - natural, lines - natural + pads + 1))
    if 0 not in reachable:
        return None
    stretch = 0
    while stretch + 1 in reachable:
        stretch += 1
    return stretch


# --- the stories and their options --------------------------------------------------------------------------


def _fits_head(texts: Heads, geometry: Geometry) -> bool:
    most = geometry.make_up.max_head_lines
    return all(text is None or len(text.lines) <= most for text in texts)


def offer(story: Story, geometry: Geometry, stories_on_page: int, leads: bool | None = None) -> Story:
    """``story`` with its options: one per span whose head it fits (the widest at least, so that nothing is lost),
    and per way its pictures may stand in that span (across the block, or narrower beside the body).

    ``leads``: it leads its sheet's arrangement (the page's lead; on a sheet a page runs over onto, the
    first story there), so it is offered widest first and across the whole width at no cost.
    """
    leading = story.lead if leads is None else leads
    story.options = []
    for span in range(1, geometry.columns + 1):
        texts = head_texts(story.article, story.tier, geometry, span)
        head = head_lines(texts, geometry)
        story.heads[span] = SetHead(*texts, head)
        if not _fits_head(texts, geometry) and span < geometry.columns:
            story.too_narrow.add(span)  # a block too narrow for its head
            continue
        # Spare lines go to the head: a larger headline, then a little space around it, as much as
        # leaves no hole in the block's columns. A block with no head (the part of a story that goes on)
        # takes none: its lines are where the jump put them.
        reach = head_stretch(story, span, geometry) if head else 0
        story.head_stretch[span] = reach or 0
        for variant, widths in enumerate(_picture_widths(story, span, geometry)):
            option = _option(story, span, variant, widths, geometry, leading, stories_on_page, reach)
            if option is not None:
                story.options.append(option)
    return story


def _picture_widths(story: Story, span: int, geometry: Geometry) -> list[list[int]]:
    """The ways the story's pictures may stand in a block of ``span`` columns, as each picture's columns.

    A picture spans the block, or the columns its image line asks for when the block is wider (at its right,
    the body's first columns beside it); a picture story is as wide as its picture. A photo is never set so
    wide that it prints in visible pixels (under half of min_ppi, what `check` calls an error) when it can
    stand narrower beside the body, and a picture story that wide is not offered. Where the pictures would
    span the block, they are offered narrower too, beside the body (half the block): a page with much copy
    keeps its photos small rather than run over.
    """
    if not story.pictures:
        return [[]]
    if not story.items:
        fits = span == 1 or all(span <= _widest(p, geometry) for p in story.pictures)
        return [[span] * len(story.pictures)] if fits else []
    asked = [min(p.span if p.span is not None and p.span < span else span, _widest(p, geometry))
             for p in story.pictures]
    ways = [asked]
    if span > 1 and any(w == span for w in asked):
        narrower = [max(1, span // 2) if w == span else w for w in asked]
        ways.append(narrower)
    return ways


def _option(story: Story, span: int, variant: int, widths: list[int], geometry: Geometry, leading: bool,
            stories_on_page: int, reach: int | None) -> Option | None:
    """The story set in ``span`` columns with its pictures ``widths`` columns wide; None if a picture cannot
    stand on the grid within its crop limit there."""
    rules = geometry.make_up
    columns = geometry.columns
    shown = tuple(figure(p, geometry.block_width(w), geometry, beside=w < span)
                  for p, w in zip(story.pictures, widths, strict=True))
    if any(f is None for f in shown):
        return None
    figures = tuple(f for f in shown if f is not None)
    story.figures[(span, variant)] = figures
    offsets = story.offsets(span, variant)
    height, placed = fill_beside(story.items, offsets) if any(offsets) else even_fill(story.items, span)
    used = placed[-1] + 1 if placed else (0 if figures else 1)
    filled = list(offsets[:used]) + [0] * max(0, used - len(offsets))
    for item, column in zip(story.items, placed, strict=True):
        filled[column] += item.lines
    short = height - min(filled, default=height)
    head = story.heads[span].lines
    cost = _figure_cost(figures, span, geometry)
    if span > 1 and 0 < height < rules.min_column_lines:
        cost += rules.thin_cost  # a last resort: a short item spread over many short columns
    if story.items and used < span:
        # A column would be empty: only for a story too short for the sheet's width that has
        # nothing beside it (a page of one brief).
        cost += 2 * rules.thin_cost
    if span == columns and not leading and stories_on_page > 1:
        cost += rules.full_width_cost
    headline = story.heads[span].headline
    if headline is not None:
        cost += rules.wrap_cost * (len(headline.lines) - 1)
    pictured = story.figure_lines(span, variant)
    shallow = geometry.block_width(span) / 3 / geometry.line_pitch - (head + pictured + height)
    if span > 1 and shallow > 0:
        cost += rules.flat_cost * shallow  # a block lower than a third of its width: a strip
    if leading:
        cost += columns - span  # the widest lead the page allows
    if head and reach is None:
        cost += rules.gap_cost  # a head much narrower than its block: a hole in its outer columns
    if short > 1:
        cost += rules.hole_weight * short * short  # columns that end unevenly: at a sheet's foot, not above a block
    if short + rules.block_gap_lines + 0.5 > MAX_GAP_LINES and height >= rules.min_column_lines:
        # Over a block below, that shortest column would show a hole a reader sees (with the gap to the rule);
        # a block of short columns already pays thin_cost, which the span hints read as "a column empty".
        cost += rules.thin_cost
    # The pictures grow first (cropped less, within the limit): a sheet with photos fills with photos.
    growth = sum(f.growth for f in figures)
    return Option(span, head + pictured + height, story.head_stretch[span] + growth, cost, short, variant)


def _widest(picture: Picture, geometry: Geometry) -> int:
    """The most columns a photo may span and print at half the resolution a paper asks or more (a graphic, any);
    one column at least."""
    if picture.type != "photo":
        return geometry.columns
    floor = geometry.pictures.min_ppi / 2
    crop = 1 - geometry.pictures.max_crop  # a crop of its width, to fill the grid, takes pixels away too
    fits = [c for c in range(1, geometry.columns + 1)
            if picture.image.width * crop / (geometry.block_width(c) / 72.0) >= floor]
    return max(fits, default=1)


def _figure_cost(figures: tuple[Figure, ...], span: int, geometry: Geometry) -> float:
    """What the layout holds against setting these pictures at ``span``: a photo printed under the resolution
    a paper asks (the wider, the worse), a span other than the one its image line asks for."""
    rules = geometry.pictures
    cost = 0.0
    for shown in figures:
        picture = shown.picture
        if picture.type == "photo" and shown.ppi < rules.min_ppi:
            # Squared: a photo at half the resolution asked (in visible pixels) is kept for want of any other.
            cost += rules.low_ppi_cost * (rules.min_ppi / shown.ppi) ** 2
        if picture.span is not None and picture.span != span:
            cost += rules.span_cost
    return cost


def page_stories(page: Page, geometry: Geometry, lead_tier: Tier, cap: float = math.inf) -> list[Story]:
    """The page's articles ready to be placed, the lead first (in ``lead_tier``), no headline over ``cap`` pt."""
    count = len(page.articles)
    order = list(range(count))
    lead = lead_index(page) if count else 0
    if count:  # the lead goes first; the others keep their order
        order.remove(lead)
        order.insert(0, lead)
    spans = {hint.article: hint for hint in page.spans}
    stories = []
    problems: list[Problem] = []
    for number, index in enumerate(order):
        article = page.articles[index]
        items, pieces, bylines = set_body(article, geometry)
        tier = tier_of(article, number == 0, lead_tier, geometry, cap)
        story = offer(Story(article, number == 0, tier, items, pieces, bylines, pictures=article.pictures),
                      geometry, count)
        if (hint := spans.get(index)) is not None:
            empty = 2 * geometry.make_up.thin_cost  # the cost of an option that leaves a column empty
            story.options = [o for o in story.options if o.span == hint.value and o.cost < empty]
            where = f"page {page.label}, article {index + 1}"
            if hint.value > geometry.columns:
                problems.append(Problem(hint.file, hint.line, f"{where}: {hint.value} columns asked, the page's "
                                        f"grid has {geometry.columns}"))
            elif hint.value in story.too_narrow:
                problems.append(Problem(hint.file, hint.line, f"{where}: its headline does not fit {hint.value} "
                                        f"columns in {geometry.make_up.max_head_lines} lines"))
            elif not story.options:
                problems.append(Problem(hint.file, hint.line, f"{where}: too little text for {hint.value} columns "
                                        "(a column would be empty)"))
        stories.append(story)
    if problems:
        raise InputError(problems)
    return stories


def rest_of(story: Story, taken: int, jump_from: str, geometry: Geometry) -> Story:
    """The part of ``story`` after its first ``taken`` items, opened by its jump line, as a story of its own."""
    item, piece = jump_item(jump_from, geometry)
    rest = Story(None, False, None, [Item(item.lines, keep_with_next=True), *story.items[taken:]],
                 [(-100, piece), *story.pieces[taken:]], story.bylines, continued=True)
    return offer(rest, geometry, 2, leads=True)
