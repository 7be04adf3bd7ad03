"""layout.toml: read from each folder of the print layout's search path, merged, and checked.

A layout folder may be a user's or an issue's, so its layout.toml is input
like any other: invalid TOML, a wrong type or a number out of range is a
``file:line: message``, never a ZeroDivisionError in the middle of a build.
The checks cover what the page geometry is made of; other sections (the
composer's) belong to the modules that read them.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, display_path
from ..layouts import layout_files_named, read_layout_file
from ..untrusted import Refused
from .cjk.prohibitions import LEVELS, level_named

NAME = "layout.toml"
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")

# key path -> (low, high) for numbers; columns must be whole.
_RANGES: dict[str, tuple[float, float]] = {
    "width_mm": (20.0, 2000.0),
    "height_mm": (20.0, 2000.0),
    "columns": (1, 24),
    "column_gap_mm": (0.0, 100.0),
    "margins_mm": (0.0, 500.0),
    "type": (0.01, 1000.0),
    "body": (4.0, 72.0),  # pt; a large-print edition sets 20
    "body_line_height": (1.0, 3.0),  # the body's line pitch in its size: lines may not overlap nor drift apart
}
MIN_COLUMN_PT = 12.0  # a column narrower than this holds no character of body type
# The derived grid, bounded so that what the numbers ask for ends: a column holds at least this many
# characters of body type, and a sheet at most this many lines of it (the page make-up's search grows with
# the square of a sheet's lines: the tabloid has 85, a broadsheet at 7 pt 160).
MIN_COLUMN_CHARS = 4
MAX_SHEET_LINES = 250


def load_layout_toml(layout: Path | None) -> dict[str, Any]:
    """The merged layout.toml of the print layout: the user folder's values replace the project's key by key."""
    data: dict[str, Any] = {}
    problems: list[Problem] = []
    for position, path in enumerate(reversed(_files(layout))):
        shown = display_path(path)
        try:
            text = read_layout_file(path, NAME).decode("utf-8")
        except Refused as refused:
            problems.append(Problem(shown, None, str(refused)))
            continue
        except UnicodeDecodeError as exc:
            problems.append(Problem(shown, None, f"not valid UTF-8 (byte offset {exc.start})"))
            continue
        try:
            own = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            at = _AT.search(message)
            problems.append(Problem(shown, int(at.group(1)) if at else None,
                                    f"not valid TOML: {_AT.sub('', message)}"))
            continue
        problems += [Problem(shown, _line(text, key), message) for key, message in _check(own)]
        if position > 0:  # a user's file: each value of the kind the project's file gives that key
            problems += [Problem(shown, _line(text, key), message) for key, message in _like(data, own, "")]
        data = _merge(data, own)
    if not problems:
        problems += [Problem(display_path(layout or Path(NAME)), None, message) for message in _complete(data)]
    if problems:
        raise InputError(problems)
    return data


def _files(layout: Path | None) -> list[Path]:
    try:
        return layout_files_named("print", NAME, layout)
    except Refused as refused:
        raise InputError([Problem(display_path(layout or Path(NAME)), None, str(refused))]) from None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, message) for each value of one file that the geometry cannot use."""
    if "default_size" in data and not isinstance(data["default_size"], str):
        yield "default_size", "`default_size` must be the name of a page size"
    sizes = data.get("sizes", {})
    if not isinstance(sizes, dict):
        yield "sizes", "`sizes` must be a table of page sizes"
        sizes = {}
    for name, size in sizes.items():
        if not isinstance(size, dict):
            yield name, f"`sizes.{name}` must be a table (width_mm, height_mm, columns)"
            continue
        for key in ("width_mm", "height_mm", "columns"):
            if key in size:
                yield from _in_range(f"sizes.{name}.{key}", key, size[key], _RANGES[key], whole=key == "columns")
    typography = data.get("typography", {})
    if isinstance(typography, dict) and "line_break" in typography and level_named(typography["line_break"]) is None:
        choices = ", ".join(f'"{level}"' for level in LEVELS[:-1]) + f' or "{LEVELS[-1]}"'
        yield "line_break", f"typography.line_break must be {choices}, not {typography['line_break']!r}"
    yield from _check_tiers(data.get("compose", {}))
    yield from _check_furniture(data.get("furniture", {}))
    yield from _check_pictures(data.get("pictures", {}))
    for section, key_range in (("margins_mm", "margins_mm"), ("grid", "column_gap_mm"), ("type", "type")):
        table = data.get(section, {})
        if not isinstance(table, dict):
            yield section, f"`{section}` must be a table"
            continue
        for key, value in table.items():
            yield from _in_range(f"{section}.{key}", key, value, _RANGES.get(key, _RANGES[key_range])
                                 if section == "type" else _RANGES[key_range])


HEADLINE_PT = (4.0, 400.0)  # a headline size: at least legible, at most a sheet's width of one character
# The furniture's wording and the fields each may name; {label} is required where it is listed first.
_WORDING: dict[str, tuple[str, ...]] = {
    "continued_label": ("label",),
    "continued_label_more": ("label", "number"),
    "jump_to": ("label",),
    "jump_from": ("label",),
    "ear_title": (),
}


def _check_tiers(compose: object) -> Iterator[tuple[str, str]]:
    """Each headline tier's sizes: lists of sizes a headline can be set in, and a smallest size."""
    if isinstance(compose, dict) and "inside_lead_ratio" in compose:
        yield from _in_range("compose.inside_lead_ratio", "inside_lead_ratio", compose["inside_lead_ratio"], (0.1, 1.0))
    if isinstance(compose, dict) and "brief_lead_pt" in compose:
        yield from _in_range("compose.brief_lead_pt", "brief_lead_pt", compose["brief_lead_pt"], HEADLINE_PT)
    tiers = compose.get("tiers", {}) if isinstance(compose, dict) else {}
    if not isinstance(tiers, dict):
        yield "tiers", "`compose.tiers` must be a table of headline tiers"
        return
    for name, tier in tiers.items():
        if not isinstance(tier, dict):
            yield name, f"`compose.tiers.{name}` must be a table (pt, max_pt, min_pt)"
            continue
        for key in ("pt", "max_pt"):  # their kind is checked with every other value's (_like)
            sizes = tier.get(key, [])
            for size in sizes if isinstance(sizes, list) else []:
                yield from _in_range(f"compose.tiers.{name}.{key}", key, size, HEADLINE_PT)
        if "min_pt" in tier:
            yield from _in_range(f"compose.tiers.{name}.min_pt", "min_pt", tier["min_pt"], HEADLINE_PT)


# [pictures]: key -> (low, high)
_PICTURE_RANGES: dict[str, tuple[float, float]] = {
    "max_crop": (0.0, 0.5),  # half a side cut away is no longer the photograph
    "min_ppi": (1.0, 2400.0),
    "low_ppi_cost": (0.0, 10_000.0),
    "span_cost": (0.0, 10_000.0),
}


def _check_pictures(pictures: object) -> Iterator[tuple[str, str]]:
    if not isinstance(pictures, dict):
        yield "pictures", "`pictures` must be a table"
        return
    for key, value in pictures.items():
        if key not in _PICTURE_RANGES:
            yield key, f"`pictures.{key}` is not a setting; the settings are {', '.join(_PICTURE_RANGES)}"
        else:
            yield from _in_range(f"pictures.{key}", key, value, _PICTURE_RANGES[key])


def _check_furniture(furniture: object) -> Iterator[tuple[str, str]]:
    """The furniture's wording: text, naming the fields its place gives it and no other."""
    if not isinstance(furniture, dict):
        yield "furniture", "`furniture` must be a table"
        return
    for key, fields in _WORDING.items():
        if key not in furniture:
            continue
        value = furniture[key]
        if not isinstance(value, str):
            yield key, f"`furniture.{key}` must be text, not {value!r}"
            continue
        try:
            named = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            yield key, f"`furniture.{key}` = {value!r}: {exc} (write {{{{ and }}}} for a brace)"
            continue
        if unknown := sorted(named - set(fields)):
            allowed = ", ".join(f"{{{f}}}" for f in fields) or "no field"
            yield key, f"`furniture.{key}` names {{{unknown[0]}}}; it can name {allowed}"
        elif missing := [f for f in fields if f not in named]:
            yield key, f"`furniture.{key}` must name {{{missing[0]}}}: {value!r}"
    if "ear_entries" in furniture:
        yield from _in_range("furniture.ear_entries", "ear_entries", furniture["ear_entries"], (0, 20), whole=True)


COMPOSE_MAX = 1000.0  # the make-up's numbers are lines, points and weights: none is near this


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list of numbers"
    if isinstance(value, bool):
        return "true or false"
    if _number(value):
        return "a number"
    return "text"


# Settings the make-up no longer reads, and what took their place: a layout written for them would be
# silently ignored.
_RETIRED = {
    "compose.headline_pt": "headline sizes are set by tier: `compose.tiers.<tier>.pt`",
    "compose.headline_max_pt": "headline sizes are set by tier: `compose.tiers.<tier>.max_pt`",
    "compose.lead_headline_pt": "the lead's headline sizes are `compose.tiers.front_lead` and `inside_lead`",
    "compose.lead_headline_max_pt": "the lead's headline sizes are `compose.tiers.front_lead` and `inside_lead`",
    "compose.headline_min_pt": "headline sizes are set by tier: `compose.tiers.<tier>.min_pt`",
    "compose.head_extra_lines": "the space a head may take is `compose.head_pad_lines`",
}


def _like(reference: dict[str, Any], own: dict[str, Any], prefix: str) -> Iterator[tuple[str, str]]:
    """(key, message) for each value of a user's file that differs in kind from the project's value of that key."""
    for key, value in own.items():
        if prefix + key in _RETIRED:
            yield key, f"`{prefix + key}` is no longer a setting: {_RETIRED[prefix + key]}"
            continue
        if key not in reference:
            continue
        dotted, expected = prefix + key, reference[key]
        if _kind(value) != _kind(expected):
            yield key, f"`{dotted}` must be {_kind(expected)}, not {str(value)[:40]!r}"
        elif isinstance(value, dict):
            yield from _like(expected, value, dotted + ".")
        elif isinstance(value, list):
            if not value or not all(_number(item) and 0 <= item <= COMPOSE_MAX for item in value):
                yield key, f"`{dotted}` must be a list of at least one number from 0 to {COMPOSE_MAX:g}"
        elif _number(value) and dotted.startswith("compose."):
            if isinstance(expected, int) and not isinstance(value, int):
                yield key, f"`{dotted}` must be a whole number, not {value}"
            elif not 0 <= value <= COMPOSE_MAX:
                yield key, f"`{dotted}` = {value} is out of range (0 to {COMPOSE_MAX:g})"


def _in_range(dotted: str, key: str, value: object, bounds: tuple[float, float],
              whole: bool = False) -> Iterator[tuple[str, str]]:
    low, high = bounds
    if not _number(value) or (whole and not isinstance(value, int)):
        yield key, f"`{dotted}` must be {'a whole number' if whole else 'a number'}, not {value!r}"
    elif not low <= value <= high:  # type: ignore[operator]
        yield key, f"`{dotted}` = {value} is out of range ({low:g} to {high:g})"


def _complete(data: dict[str, Any]) -> Iterator[str]:
    """What the merged layout must hold, and that its page leaves room for columns."""
    sizes = data.get("sizes", {})
    default = data.get("default_size")
    if default not in sizes:
        yield f"`default_size` {default!r} is not one of the sizes ({', '.join(sizes)})"
    margins = data.get("margins_mm", {})
    gap = data.get("grid", {}).get("column_gap_mm", 0.0)
    for name, size in sizes.items():
        missing = [key for key in ("width_mm", "height_mm", "columns") if key not in size]
        if missing:
            yield f"`sizes.{name}` lacks {', '.join(missing)}"
            continue
        width = size["width_mm"] - margins.get("inside", 0.0) - margins.get("outside", 0.0)
        column = (width - (size["columns"] - 1) * gap) / size["columns"] * 72 / 25.4
        height = size["height_mm"] - margins.get("top", 0.0) - margins.get("bottom", 0.0)
        if column < MIN_COLUMN_PT or height <= 0:
            yield (f"page size {name}: the margins and {size['columns']} columns leave no room for text "
                   f"(a column {column:.1f} pt wide, the type area {height:.1f} mm high)")
            continue
        yield from _grid(name, column, height * 72 / 25.4, data)


def _grid(name: str, column: float, height: float, data: dict[str, Any]) -> Iterator[str]:
    """What the type sizes make of a page's grid: enough characters to a column, not too many lines to a sheet."""
    kind = data.get("type", {})
    grid = data.get("grid", {})
    body, leading = kind.get("body"), kind.get("body_line_height")
    if not (_number(body) and _number(leading)):
        return
    if column / body < MIN_COLUMN_CHARS:
        yield (f"page size {name}: a column {column:.0f} pt wide holds {column / body:.1f} characters of "
               f"{body:g} pt body type; at least {MIN_COLUMN_CHARS} are needed (a smaller `type.body` or fewer "
               "columns)")
    room = height - grid.get("header_rule_pt", 0.0) - grid.get("header_gap_pt", 0.0)
    lines = room / (body * leading)
    masthead = data.get("compose", {}).get("masthead_lines", 0)
    if lines > MAX_SHEET_LINES:
        yield (f"page size {name}: a sheet holds {lines:.0f} lines of {body:g} pt body type at line height "
               f"{leading:g}; at most {MAX_SHEET_LINES} (a larger `type.body` or `type.body_line_height`)")
    elif _number(masthead) and lines < masthead + 3:
        yield (f"page size {name}: a sheet holds {lines:.0f} lines of {body:g} pt body type at line height "
               f"{leading:g}, too few for the masthead's {masthead} and some text under it")


def _line(text: str, key: str) -> int | None:
    """The first line that sets ``key`` (for a message; TOML parsers keep no positions)."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=|^\s*\[+[^\]]*\b{re.escape(key)}\]")
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.match(line):
            return number
    return None
