"""The print layout's numbers: page size, margins, column grid, type sizes.

They come from ``layout.toml`` in the layout's search path, so the CSS and the
line breaker agree on the width of a column to the hundredth of a point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cjk.prohibitions import Level, level_named
from .layout_toml import load_layout_toml

MM = 72 / 25.4  # points per millimetre


TIERS = ("front_lead", "inside_lead", "second", "brief")


@dataclass(frozen=True)
class Tier:
    """A headline tier (``[compose.tiers.NAME]`` in layout.toml): sizes in pt by the block's span."""

    pt: tuple[float, ...]  # the natural size, by span (1 column, 2 …)
    max_pt: tuple[float, ...]  # the largest, when the sheet has height to spare
    min_pt: float  # a headline too long for its block is set smaller, down to this, before it wraps

    def natural(self, span: int) -> float:
        return by_span(self.pt, span)

    def largest(self, span: int) -> float:
        return max(self.natural(span), by_span(self.max_pt, span))

    def smallest(self, span: int) -> float:
        return min(self.min_pt, self.natural(span))

    def capped(self, cap: float) -> Tier:
        """The tier with no size over ``cap``."""
        return Tier(tuple(min(size, cap) for size in self.pt), tuple(min(size, cap) for size in self.max_pt),
                    min(self.min_pt, cap))


def by_span(sizes: tuple[float, ...], span: int) -> float:
    """A size of a by-span list; a grid wider than the list takes its last size."""
    return sizes[min(span, len(sizes)) - 1]


@dataclass(frozen=True)
class MakeUp:
    """The page make-up's limits and preferences (``[compose]`` in layout.toml)."""

    block_gap_lines: int  # between two blocks one above the other; a rule runs in it
    min_column_lines: int  # a block's columns hold at least this many lines, else it takes fewer (thin_cost)
    lead_min_columns: int  # the lead spans at least this many grid columns (when the page has more than one story)
    head_pad_lines: int  # lines of space a head may take around itself (half above, half below)
    hole_lines: int  # lines a block's body may end short of the block
    gap_extra_lines: int  # lines a gap between two blocks one above the other may open
    head_space_pt: float  # least space between a head and its body
    masthead_lines: int  # grid lines the masthead takes on the front page, with its rule
    flag_lines: int  # grid lines a section front's flag takes, with its rule
    max_head_lines: int  # no headline runs to more lines
    brief_characters: int  # a story of at most this many characters of body is a brief
    brief_lead_pt: float  # a brief that leads its page takes its lead tier, no larger than this
    inside_lead_ratio: float  # an inside page's largest headline against the front lead's
    rank_step_pt: float  # every other headline of a sheet is at least this much smaller than its lead's
    tiers: dict[str, Tier]  # TIERS by name
    full_width_cost: float  # against a story other than the lead across the whole page
    wrap_cost: float  # against each line a headline wraps onto
    flat_cost: float  # against a block whose columns are shorter than they are wide
    thin_cost: float  # against a block whose columns hold fewer than min_column_lines (a last resort)
    gap_cost: float  # against a head so much narrower than its block that its outer columns show a hole
    stretch_weight: float  # against spare lines given to a block, per line squared
    hole_weight: float  # against a body ending short of its block, per line squared
    gap_weight: float  # against a gap opened between two blocks, per line squared
    ragged_cost: float  # against blocks side by side ending on different lines over a short sheet's blank foot
    spare_weight: float  # against lines left blank at the sheet's foot, per line squared, up to spare_knee
    spare_knee: int  # beyond it each blank line at the foot costs the same
    foot_even_weight: float  # against a short sheet's blank foot deeper in some columns than others, per line squared


@dataclass(frozen=True)
class PictureRules:
    """layout.toml's [pictures]: how far a picture may be cropped, and what the make-up holds against a size."""

    max_crop: float  # the most of a picture's width or height a crop may cut
    min_ppi: float  # a photo printed under this is reported
    low_ppi_cost: float  # against a span at which a photo prints under min_ppi
    span_cost: float  # against a span other than the one its image line asks for


@dataclass(frozen=True)
class Furniture:
    """The page furniture's wording (``[furniture]`` in layout.toml)."""

    continued_label: str  # "{label}续": a page's second sheet
    continued_label_more: str  # "{label}续{number}": its third and later
    jump_to: str  # "（下转{label}版）"
    jump_from: str  # "（上接{label}版）"
    ear_title: str  # "导读"
    ear_entries: int

    def without_jump_lines(self, text: str) -> str:
        """``text`` (a text layer with its whitespace taken out) without the jump lines the make-up adds where
        a story breaks: they stand inside the story's text, which goes on across them."""
        def pattern(wording: str) -> str:
            return r"\S{1,60}?".join(re.escape("".join(part.split())) for part in wording.split("{label}"))

        return re.sub("|".join(f"(?:{pattern(w)})" for w in (self.jump_to, self.jump_from)), "", text)

    def sheet_label(self, label: str, sheet: int) -> str:
        """The label of a printed page's ``sheet``-th sheet (0: the page's own)."""
        if sheet == 0:
            return label
        if sheet == 1:
            return self.continued_label.format(label=label)
        return self.continued_label_more.format(label=label, number=sheet)


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
    furniture: Furniture
    pictures: PictureRules
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


def _make_up(rules: dict[str, Any]) -> MakeUp:
    """layout.toml's [compose], checked there, as the make-up's rules."""
    return MakeUp(
        block_gap_lines=int(rules["block_gap_lines"]),
        min_column_lines=int(rules["min_column_lines"]),
        lead_min_columns=int(rules["lead_min_columns"]),
        head_pad_lines=int(rules["head_pad_lines"]),
        hole_lines=int(rules["hole_lines"]),
        gap_extra_lines=int(rules["gap_extra_lines"]),
        head_space_pt=float(rules["head_space_pt"]),
        masthead_lines=int(rules["masthead_lines"]),
        flag_lines=int(rules["flag_lines"]),
        max_head_lines=int(rules["max_head_lines"]),
        brief_characters=int(rules["brief_characters"]),
        brief_lead_pt=float(rules["brief_lead_pt"]),
        inside_lead_ratio=float(rules["inside_lead_ratio"]),
        rank_step_pt=float(rules["rank_step_pt"]),
        tiers={name: _tier(rules["tiers"][name]) for name in TIERS},
        full_width_cost=float(rules["full_width_cost"]),
        wrap_cost=float(rules["wrap_cost"]),
        flat_cost=float(rules["flat_cost"]),
        thin_cost=float(rules["thin_cost"]),
        gap_cost=float(rules["gap_cost"]),
        stretch_weight=float(rules["stretch_weight"]),
        hole_weight=float(rules["hole_weight"]),
        gap_weight=float(rules["gap_weight"]),
        ragged_cost=float(rules["ragged_cost"]),
        spare_weight=float(rules["spare_weight"]),
        spare_knee=int(rules["spare_knee"]),
        foot_even_weight=float(rules["foot_even_weight"]),
    )


def load_geometry(size: str | None, layout: Path | None = None) -> Geometry:
    """The geometry for a page size; user layout values replace the project's key by key."""
    data = load_layout_toml(layout)  # checked there, typography.line_break included
    name = size or data["default_size"]
    page = data["sizes"][name]
    margins = data["margins_mm"]
    make_up = _make_up(data["compose"])
    words = data["furniture"]
    furniture = Furniture(**{key: str(words[key]) for key in (
        "continued_label", "continued_label_more", "jump_to", "jump_from", "ear_title")},
        ear_entries=int(words["ear_entries"]))
    shown = data["pictures"]
    pictures = PictureRules(max_crop=float(shown["max_crop"]), min_ppi=float(shown["min_ppi"]),
                            low_ppi_cost=float(shown["low_ppi_cost"]), span_cost=float(shown["span_cost"]))
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
        furniture=furniture,
        pictures=pictures,
        line_break=_line_break(data),
    )


def _tier(table: dict[str, Any]) -> Tier:
    return Tier(tuple(float(v) for v in table["pt"]), tuple(float(v) for v in table["max_pt"]),
                float(table["min_pt"]))


def line_break_level(layout: Path | None = None) -> Level:
    """The prohibition level the layout sets for the print edition, which the EPUB declares too."""
    return _line_break(load_layout_toml(layout))


def _line_break(data: dict[str, Any]) -> Level:
    # load_layout_toml has checked the value: an unknown name never gets here.
    return level_named(data.get("typography", {}).get("line_break", "strict")) or "strict"
