"""The print layout's numbers: page size, margins, column grid, type sizes.

They come from ``layout.toml`` in the layout's search path, so the CSS and the
line breaker agree on the width of a column to the hundredth of a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .layout_toml import load_layout_toml

MM = 72 / 25.4  # points per millimetre


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

    @property
    def column_widths(self) -> tuple[float, ...]:
        """Every width a column can have: an article fills the width in 1 to ``columns`` columns."""
        return tuple(self.column_width_for(n) for n in range(1, self.columns + 1))

    def column_width_for(self, columns: int) -> float:
        """The width of a column when the content width is shared by ``columns`` columns."""
        return (self.content_width - (columns - 1) * self.column_gap) / columns


def load_geometry(size: str | None, user_dir: Path | None = None) -> Geometry:
    """The geometry for a page size; user layout values replace the project's key by key."""
    data = load_layout_toml(user_dir)
    name = size or data["default_size"]
    page = data["sizes"][name]
    margins = data["margins_mm"]
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
    )
