"""The print layout's numbers: page size, margins, column grid, type sizes.

They come from ``layout.toml`` in the layout's search path, so the CSS and the
line breaker agree on the width of a column to the hundredth of a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cjk.prohibitions import Level, level_named
from .layout_toml import load_layout_toml

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class MakeUp:
    """The page make-up's limits and preferences (``[compose]`` in layout.toml)."""

    block_gap_lines: int  # between two blocks one above the other; a rule runs in it
    min_column_lines: int  # a block's columns hold at least this many lines, else it takes fewer (thin_cost)
    lead_min_columns: int  # the lead spans at least this many grid columns (when the page has more than one story)
    head_extra_lines: int  # lines of space a head may take besides a larger headline, to fill the page
    gap_extra_lines: int  # lines a gap between rows of blocks may open when the stories cannot fill the page
    head_space_pt: float  # least space between a head and its body
    masthead_lines: int  # grid lines the masthead takes on the front page, with its rule
    headline_pt: tuple[float, ...]  # natural headline size by the block's span (1 column, 2 …)
    headline_max_pt: tuple[float, ...]  # largest size when the page has height to spare
    lead_headline_pt: tuple[float, ...]
    lead_headline_max_pt: tuple[float, ...]
    headline_min_pt: float  # a headline too long for its block is set smaller, down to this, before it wraps
    full_width_cost: float  # against a story other than the lead across the whole page
    wrap_cost: float  # against each line a headline wraps onto
    flat_cost: float  # against a block whose columns are shorter than they are wide
    thin_cost: float  # against a block whose columns hold fewer than min_column_lines (a last resort)
    stretch_weight: float  # against spare lines given to a block, per line squared
    spare_weight: float  # against lines left blank at the sheet's foot, per line squared
    hole_lines: int  # lines a block may leave blank under its body, a last resort
    hole_weight: float  # against those lines, per line squared

    @staticmethod
    def by_span(sizes: tuple[float, ...], span: int) -> float:
        """A size of a by-span list; a grid wider than the list takes its last size."""
        return sizes[min(span, len(sizes)) - 1]


@dataclass(frozen=True)
class Geometry:
    """Page and grid of one page size, in points."""

    size: str
    width: float
    height: float
    columns: int
    column_gap: float
    margin_top: float
    margin_bottom: float
    margin_inside: float
    margin_outside: float
    type: dict[str, float]
    header_rule: float  # the page header's rule and the space under it, above the type area
    header_gap: float
    make_up: MakeUp
    line_break: Level = "strict"  # clreq's prohibition level for line starts and ends (cjk/prohibitions.toml)

    @property
    def sheet_lines(self) -> int:
        """Lines of the body's grid in the type area under the page header."""
        room = self.height - self.margin_top - self.margin_bottom - self.header_rule - self.header_gap
        return int((room + 0.01) // self.line_pitch)

    def block_width(self, span: int) -> float:
        """The width of a block that spans ``span`` columns of the grid, the gutters between them included."""
        return span * self.column_width + (span - 1) * self.column_gap

    @property
    def content_width(self) -> float:
        return self.width - self.margin_inside - self.margin_outside

    @property
    def line_pitch(self) -> float:
        """The body's line grid: every line, subhead and byline of a column sits on it."""
        return self.type["body"] * self.type["body_line_height"]

    @property
    def column_width(self) -> float:
        """The width of one column of the page's grid, as CSS multi-column layout computes it."""
        return self.column_width_for(self.columns)

    def column_width_for(self, columns: int) -> float:
        """The width of a column when the content width is shared by ``columns`` columns."""
        return (self.content_width - (columns - 1) * self.column_gap) / columns


def load_geometry(size: str | None, layout: Path | None = None) -> Geometry:
    """The geometry for a page size; user layout values replace the project's key by key."""
    data = load_layout_toml(layout)  # checked there, typography.line_break included
    name = size or data["default_size"]
    page = data["sizes"][name]
    margins = data["margins_mm"]
    rules = data["compose"]
    sizes = {key: tuple(float(v) for v in rules[key])
             for key in ("headline_pt", "headline_max_pt", "lead_headline_pt", "lead_headline_max_pt")}
    make_up = MakeUp(
        block_gap_lines=int(rules["block_gap_lines"]),
        min_column_lines=int(rules["min_column_lines"]),
        lead_min_columns=int(rules["lead_min_columns"]),
        head_extra_lines=int(rules["head_extra_lines"]),
        gap_extra_lines=int(rules["gap_extra_lines"]),
        head_space_pt=float(rules["head_space_pt"]),
        masthead_lines=int(rules["masthead_lines"]),
        headline_min_pt=float(rules["headline_min_pt"]),
        full_width_cost=float(rules["full_width_cost"]),
        wrap_cost=float(rules["wrap_cost"]),
        flat_cost=float(rules["flat_cost"]),
        thin_cost=float(rules["thin_cost"]),
        stretch_weight=float(rules["stretch_weight"]),
        spare_weight=float(rules["spare_weight"]),
        hole_lines=int(rules["hole_lines"]),
        hole_weight=float(rules["hole_weight"]),
        **sizes,
    )
    return Geometry(
        size=name,
        width=page["width_mm"] * MM,
        height=page["height_mm"] * MM,
        columns=int(page["columns"]),
        column_gap=data["grid"]["column_gap_mm"] * MM,
        margin_top=margins["top"] * MM,
        margin_bottom=margins["bottom"] * MM,
        margin_inside=margins["inside"] * MM,
        margin_outside=margins["outside"] * MM,
        type={key: float(value) for key, value in data["type"].items()},
        header_rule=float(data["grid"]["header_rule_pt"]),
        header_gap=float(data["grid"]["header_gap_pt"]),
        make_up=make_up,
        line_break=_line_break(data),
    )


def line_break_level(layout: Path | None = None) -> Level:
    """The prohibition level the layout sets for the print edition, which the EPUB declares too."""
    return _line_break(load_layout_toml(layout))


def _line_break(data: dict[str, Any]) -> Level:
    # load_layout_toml has checked the value: an unknown name never gets here.
    return level_named(data.get("typography", {}).get("line_break", "strict")) or "strict"
