"""The empty height a head leaves in its block's columns.

A head is set centred across its block; a kicker or a headline line narrower
than the block does not reach its outer columns. Read down one of those
columns, the space from the rule above the block to the first text of the
head that reaches it, and from the last to the body, is empty. An editor
keeps it small: no column of a page shows a hole of more than a few lines
(``max_gap_lines``). This module measures it, so that the make-up can choose
a span and a headline size whose head fills its block, and put a head's
spare height where it leaves no hole.

Lengths in pt, from the block's top.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .geometry import Geometry
from .heads import SetText

# Noto CJK's line metrics (hhea ascent and descent, em): where CSS puts a line's baseline in its line box.
ASCENT, DESCENT = 1.16, 0.288
# A glyph's box around its baseline as readers of the PDF take it (em): the font descriptor's descent, one em high.
EM_ABOVE, EM_BELOW = 0.712, 0.288
KICKER_LEADING = 1.3  # line height of kickers and subheadlines, in em (print.css)
HEADLINE_LEADING = 1.1  # of headlines: display type, set close
KICKER_GAP_PT = 2.0  # between a kicker's line box and its headline's,
KICKER_PULL = 0.12  # less this share of the headline's size: the headline's own leading is space enough
SUBHEADLINE_GAP_PT = 3.0  # between a headline and its subheadline
MAX_GAP_LINES = 2.75  # the most empty height in a column, in lines: under 3 with room for rounding
REACH = 0.2  # the share of a column's width a line must reach into to show in it (readers judge by eye)
SPREAD_EM = 0.4  # the most space a headline's short line is spread by to reach across its block


@dataclass(frozen=True)
class Row:
    """One line of a head as printed: its glyphs' top and bottom, and its width (centred in the block)."""

    top: float
    bottom: float
    width: float


def reach(span: int, geometry: Geometry) -> float:
    """The least width of a centred line that shows in every column of a block of ``span`` columns."""
    if span < 3:
        return 0.0
    return geometry.block_width(span) - 2 * (1 - REACH) * geometry.column_width


def kicker_gap(headline: SetText | None) -> float:
    """pt between a kicker's line box and the headline's under it (negative: the boxes overlap, the glyphs not)."""
    return KICKER_GAP_PT - KICKER_PULL * (headline.size if headline else 0.0)


def _rows(texts: tuple[SetText | None, SetText | None, SetText | None], pad_top: float) -> Iterator[Row]:
    kicker, headline, sub = texts
    y = pad_top
    for text, leading, weight, gap_after in ((kicker, KICKER_LEADING, 400, kicker_gap(headline)),
                                             (headline, HEADLINE_LEADING, 700, 0.0),
                                             (sub, KICKER_LEADING, 400, 0.0)):
        if text is None:
            continue
        if text is sub:
            y += SUBHEADLINE_GAP_PT
        size = text.size
        baseline = ((leading - ASCENT - DESCENT) / 2 + ASCENT) * size
        for index in range(len(text.lines)):
            yield Row(y + baseline - EM_ABOVE * size, y + baseline + EM_BELOW * size,
                      text.line_width(index, weight=weight))
            y += leading * size
        y += gap_after


def text_bottom(texts: tuple[SetText | None, SetText | None, SetText | None]) -> float:
    """pt from the head's top to the foot of its last line box, with no space above it."""
    height = 0.0
    kicker, headline, sub = texts
    if kicker:
        height += len(kicker.lines) * kicker.size * KICKER_LEADING + kicker_gap(headline)
    if headline:
        height += len(headline.lines) * headline.size * HEADLINE_LEADING
    if sub:
        height += SUBHEADLINE_GAP_PT + len(sub.lines) * sub.size * KICKER_LEADING
    return height


def _gaps(texts: tuple[SetText | None, SetText | None, SetText | None], span: int, body_top: float,
          geometry: Geometry) -> tuple[float, float, float]:
    """With no space above the head: the largest empty height in any of the block's columns above the head's
    first text that reaches it (from the rule above the block), between two of its texts, and below its last
    (to the body's first line). Space put above the head adds to the first and takes from the last."""
    pitch, size = geometry.line_pitch, geometry.type["body"]
    rule = -geometry.make_up.block_gap_lines * pitch / 2
    # The first body line's glyphs (the serif's line metrics are the sans's within a hundredth of an em).
    body = body_top + (pitch - (ASCENT + DESCENT) * size) / 2 + (ASCENT - EM_ABOVE) * size
    above = inside = below = 0.0
    for seen in _seen(texts, span, geometry.column_width, geometry.column_gap, geometry.block_width(span)):
        if not seen:
            inside = max(inside, body - rule)
            continue
        above = max(above, seen[0].top - rule)
        inside = max([inside, *(b.top - a.bottom for a, b in itertools.pairwise(seen))])
        below = max(below, body - seen[-1].bottom)
    return above, inside, below


# The make-up asks of the same head in the same block many times, at every height its block may take.
@lru_cache(maxsize=4096)
def _seen(texts: tuple[SetText | None, SetText | None, SetText | None], span: int, column_width: float,
          column_gap: float, block: float) -> tuple[tuple[Row, ...], ...]:
    """For each column of a block ``block`` pt wide, the head's lines that reach into it, top to bottom."""
    rows = list(_rows(texts, 0.0))
    edge = REACH * column_width
    seen = []
    for column in range(span):
        left = column * (column_width + column_gap) + edge
        right = left + column_width - 2 * edge
        seen.append(tuple(r for r in rows if (block - r.width) / 2 < right and (block + r.width) / 2 > left))
    return tuple(seen)


def gaps(texts: tuple[SetText | None, SetText | None, SetText | None], span: int, body_top: float,
         pad_top: float, geometry: Geometry) -> tuple[float, float]:
    """The largest empty height in any of the block's columns above the head's last text that reaches it
    (from the rule above the block) and below it (to the body's first line), with ``pad_top`` above the head."""
    above, inside, below = _gaps(texts, span, body_top, geometry)
    return max(above + pad_top, inside), below - pad_top


def worst_gap(texts: tuple[SetText | None, SetText | None, SetText | None], span: int, body_top: float,
              pad_top: float, geometry: Geometry) -> float:
    return max(gaps(texts, span, body_top, pad_top, geometry))


def best_pad(texts: tuple[SetText | None, SetText | None, SetText | None], span: int, body_top: float,
             geometry: Geometry) -> tuple[float, float]:
    """The space above the head (of the room its block gives it, ``body_top``) that leaves the smallest
    hole in its columns, and that hole: the head's spare height shared between above and below it."""
    spare = max(0.0, body_top - geometry.make_up.head_space_pt - text_bottom(texts))
    above, inside, below = _gaps(texts, span, body_top, geometry)
    pad = min(spare, max(0.0, (below - above) / 2))
    return pad, max(above + pad, inside, below - pad)


def fills(texts: tuple[SetText | None, SetText | None, SetText | None], span: int, body_top: float,
          geometry: Geometry) -> bool:
    """Whether the head, its spare height placed at best, leaves no hole in its block's columns."""
    return best_pad(texts, span, body_top, geometry)[1] <= MAX_GAP_LINES * geometry.line_pitch
