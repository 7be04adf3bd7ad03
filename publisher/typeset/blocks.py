"""A story placed: its block on the sheet, in pt, with its head sized for the height it was given and the
lines of every column, ready for the template.

A block's lines beyond its story's natural height go first to its headline
(larger, within its tier and below its sheet's lead), then to space around
the head (at most the layout's ``head_pad_lines``), then, a line at most
(``hole_lines``), under its body.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .columns import even_fill, fill
from .compose import Placed
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
    lines: int  # grid lines it fills


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


def _columns(story: Story, span: int, height: int, tail: bool, geometry: Geometry) -> tuple[Column, ...]:
    """The body's columns: the lines each holds, where it stands in the block."""
    placed = (fill(story.items, height) or []) if tail else even_fill(story.items, span)[1]
    held: list[list[tuple[int, Piece]]] = [[] for _ in range(max(placed, default=0) + 1)]
    lines = [0] * len(held)
    for (number, piece), item, column in zip(story.pieces, story.items, placed, strict=True):
        lines[column] += item.lines
        if held[column] and held[column][-1][0] == number and piece.kind in ("paragraph", "caption"):
            last = held[column][-1][1]  # the same paragraph goes on in this column
            held[column][-1] = (number, Piece(piece.kind, piece.text, last.lines + piece.lines))
        else:
            held[column].append((number, piece))
    width, gap = geometry.column_width, geometry.column_gap
    return tuple(Column(left=index * (width + gap), width=width, pieces=tuple(piece for _, piece in column),
                        lines=lines[index])
                 for index, column in enumerate(held))


def _head(story: Story, span: int, lines: int, geometry: Geometry, cap: float) -> Head | None:
    """The head in the ``lines`` grid lines it was given: a larger headline first (at most ``cap`` pt), then
    space around it, placed where it leaves no hole in the block's columns."""
    if story.article is None or not any(story.heads[span][:3]):
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
    head_lines = story.heads[span][3] if story.article is not None else 0
    if head_lines and not tail:
        head_lines += min(placed.extra, placed.option.stretch)  # spare lines to the head, the rest under the body
    body_lines = placed.lines - head_lines
    columns = _columns(story, span, body_lines, tail, geometry)
    block_top = top + placed.line * pitch
    return Block(
        head=_head(story, span, head_lines, geometry, cap) if head_lines else None,
        bylines=story.bylines,
        columns=columns,
        left=placed.column * (geometry.column_width + geometry.column_gap),
        top=block_top,
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
