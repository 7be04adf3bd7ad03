"""The masthead as WeasyPrint drew it, held to the lines the make-up keeps for it (``masthead_lines``).

The layout decides how the masthead looks (its template and CSS), so what it
drew is measured: a paper's name too long for the page (200 characters are
allowed in issue.yaml) wrapped into lines drawn over the front page's articles.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError, Problem, display_path
from ..model import Issue
from ..typeset.geometry import Geometry

PX_PER_PT = 96 / 72  # WeasyPrint lays out in CSS pixels


def check_masthead(page: Any, geometry: Geometry, issue: Issue) -> None:
    """Raise an InputError, at the paper's line of issue.yaml, if the masthead ``page`` drew overflows."""
    masthead = next((box for box in page._page_box.descendants() if "masthead" in _classes(box)), None)
    if masthead is None:
        return  # a layout without one
    room = masthead.position_y + geometry.make_up.masthead_lines * geometry.line_pitch * PX_PER_PT
    boxes = [box for box in masthead.descendants() if hasattr(box, "margin_height")]
    reach = max((box.position_y + box.margin_height() for box in boxes), default=0.0)
    wide = max((box.position_x + box.margin_width() for box in boxes), default=0.0)
    if reach > room + 1 or wide > masthead.position_x + masthead.margin_width() + 1:
        from ..ingest.issue_yaml import key_line

        lines = geometry.make_up.masthead_lines
        raise InputError([Problem(display_path(issue.source), key_line(issue.data, "paper"),
                                  f"the masthead does not fit the {lines} lines the page keeps for it (it takes "
                                  f"{(reach - masthead.position_y) / PX_PER_PT:.0f} pt of "
                                  f"{lines * geometry.line_pitch:.0f}, {(wide - masthead.position_x) / PX_PER_PT:.0f} "
                                  f"pt of {masthead.margin_width() / PX_PER_PT:.0f} across): the paper's name "
                                  f"「{issue.paper[:12]}…」 ({len(issue.paper)} characters) is too long for the page "
                                  "at the layout's masthead size; shorten it (or give the layout's layout.toml a "
                                  "smaller `type.masthead` or more `compose.masthead_lines`)")])


def _classes(box: Any) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None and hasattr(element, "get") else []
