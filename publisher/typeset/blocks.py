"""A story placed: its block on the sheet, in pt, with its head sized for the height it was given and the
lines of every column, ready for the template.

A block's lines beyond its story's natural height go first to its pictures
(each as tall as its crop limit allows, in turn), then to its headline
(larger, within its tier and below its sheet's lead), then to space around
the head (at most the layout's ``head_pad_lines``), then, a line at most
(``hole_lines``), under its body. The pictures stand under the head, across
the block, each with its caption under it; the body's columns under them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .columns import even_fill, fill_beside, fill_capacities
from .compose import Placed
from .figures import PlacedFigure, place_figure
from .geometry import Geometry
from .headroom import kicker_gap
from .heads import SetText
from .stories import Piece, Story, set_head


@dataclass(frozen=True)
class Column:
    """One column of a block's body: its left edge in the block, its width, what it holds."""

    left: float
    width: float
    pieces: tuple[Piece, ...]
    lines: int  # grid lines it fills (from the body's top, with the picture above it if one stands there)
    top: float = 0.0  # pt down the body where it starts: under a picture beside the body


@dataclass(frozen=True)
class Head:
    """A block's head as set: its texts in lines, the height it was given, the space above it."""

    kicker: SetText | None
    headline: SetText | None
    subheadline: SetText | None
    height: float  # pt, the grid lines the head takes
    pad_top: float  # pt above the kicker (or headline): the head's spare height, spread
    label: str  # the whole headline, for the PDF outline
    kicker_gap: float = 0.0  # pt between the kicker's line box and the headline's


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
    rule_height: float = 0.0  # pt, the rule in the gutter to its left: as long as the text beside it
    figures: tuple[PlacedFigure, ...] = ()  # its pictures, under the head, over the body


def _columns(story: Story, span: int, height: int, tail: bool, geometry: Geometry,
             variant: int = 0) -> tuple[Column, ...]:
    """The body's columns: the lines each holds, where it stands in the block."""
    offsets = story.offsets(span, variant)
    if tail:
        placed = fill_capacities(story.items, [height - offset for offset in offsets]) or []
    else:
        placed = fill_beside(story.items, offsets)[1] if any(offsets) else even_fill(story.items, span)[1]
    held: list[list[tuple[int, Piece]]] = [[] for _ in range(max(placed, default=0) + 1)]
    lines = [offsets[index] for index in range(len(held))]
    for (number, piece), item, column in zip(story.pieces, story.items, placed, strict=True):
        lines[column] += item.lines
        if held[column] and held[column][-1][0] == number and piece.kind in ("paragraph", "caption"):
            last = held[column][-1][1]  # the same paragraph goes on in this column
            held[column][-1] = (number, Piece(piece.kind, piece.text, last.lines + piece.lines))
        else:
            held[column].append((number, piece))
    width, gap = geometry.column_width, geometry.column_gap
    return tuple(Column(left=index * (width + gap), width=width, pieces=tuple(piece for _, piece in column),
                        lines=lines[index], top=offsets[index] * geometry.line_pitch)
                 for index, column in enumerate(held))


def _head(story: Story, span: int, lines: int, geometry: Geometry, cap: float) -> Head | None:
    """The head in the ``lines`` grid lines it was given: a larger headline first (at most ``cap`` pt), then
    space around it, placed where it leaves no hole in the block's columns."""
    if story.article is None or not any(story.heads[span].texts):
        return None
    height = lines * geometry.line_pitch
    (kicker, headline, sub), pad = set_head(story, span, height, geometry, cap)
    label = story.article.headline.value if story.article.headline else ""
    return Head(kicker, headline, sub, height, pad, label, kicker_gap(headline))


def place(story: Story, placed: Placed, geometry: Geometry, top: float, tail: bool, continues: bool,
          cap: float = math.inf) -> Block:
    """``story`` in the block the composer gave it, ``top`` pt down the sheet; its headline at most ``cap`` pt."""
    pitch = geometry.line_pitch
    span = placed.span
    head_lines = story.heads[span].lines if story.article is not None else 0
    spare = min(placed.extra, placed.option.stretch) if not tail else 0
    variant = placed.option.variant
    grown = min(spare, sum(f.growth for f in story.figures.get((span, variant), ())))  # the pictures first
    if head_lines:
        head_lines += spare - grown  # then the head (its stretch); the rest under the body
    figures = _figures(story, span, variant, grown, head_lines, geometry)
    top_lines = head_lines + sum(f.lines for f in figures if not f.beside)
    body_lines = placed.lines - top_lines
    columns = _columns(story, span, body_lines, tail, geometry, variant)
    block_top = top + placed.line * pitch
    return Block(
        head=_head(story, span, head_lines, geometry, cap) if head_lines else None,
        bylines=story.bylines,
        columns=columns,
        left=placed.column * (geometry.column_width + geometry.column_gap),
        top=block_top,
        width=geometry.block_width(span),
        height=placed.lines * pitch,
        body_top=top_lines * pitch,
        body_height=body_lines * pitch,
        rule_top=placed.line > 0,
        rule_left=placed.column > 0,
        lead=story.lead,
        continued=story.continued,
        continues=continues,
        span=span,
        figures=figures,
    )


def _figures(story: Story, span: int, variant: int, grown: int, head_lines: int,
             geometry: Geometry) -> tuple[PlacedFigure, ...]:
    """The story's pictures under its head (``head_lines``), the ``grown`` lines shared out in turn, each
    picture as tall as its crop limit allows before the next grows."""
    placed: list[PlacedFigure] = []
    figures = story.figures.get((span, variant), ())
    line = head_lines
    for shown in figures:  # across the block, one under the other
        if not shown.beside:
            grow = min(shown.growth, grown)
            grown -= grow
            frame = shown.least + grow
            placed.append(place_figure(shown, frame, line * geometry.line_pitch, 0.0, geometry))
            line += frame + shown.caption_lines
    body = geometry.block_width(span)
    for shown in figures:  # beside the body's first columns, at the block's right, one under the other
        if shown.beside:
            placed.append(place_figure(shown, shown.least, line * geometry.line_pitch, body - shown.width, geometry))
            line += shown.least + shown.caption_lines
    return tuple(placed)


def _column_bottom(block: Block, column: int, pitch: float) -> float:
    """pt from the type area's top to the foot of one of the block's columns (its head's, if it has none)."""
    if not block.columns:
        return block.top + block.body_top
    return block.top + block.body_top + block.columns[column].lines * pitch


def rules_beside(blocks: list[Block], gap: float, pitch: float) -> list[Block]:
    """The blocks with each gutter rule as long as what it divides: the block's first column and the last
    column of each block to its left."""
    ruled = []
    for block in blocks:
        if not block.rule_left:
            ruled.append(block)
            continue
        bottom = block.top + block.height
        beside = [_column_bottom(other, -1, pitch) for other in blocks
                  if abs(other.left + other.width + gap - block.left) < 0.5
                  and other.top < bottom and block.top < other.top + other.height]
        reach = min(bottom, max([_column_bottom(block, 0, pitch), *beside]))
        ruled.append(replace(block, rule_height=reach - block.top))
    return ruled
