"""Image lines of a page file: ``![alt text](photos/a1-1.jpg){span=3 focus=0.3,0.6 type=photo}``.

The Markdown image syntax, on a line of its own; the path is relative to the
issue's folder. After the closing parenthesis an optional attribute block,
in pandoc's style, carries the editor's wishes:

- ``span=N``: the picture spans N columns of the page's grid;
- ``focus=X,Y``: the point a crop must keep, as fractions of the upright
  picture's width and height from its top left (``focus=0.5,0.3``: centred
  across, a third of the way down); the centre when not given;
- ``type=photo`` (the default) or ``type=graphic`` (a chart, a map, a drawing).

A line that starts like an image (``![``) but is not one is an error, so that
a typo never prints as text; ``{paragraph} ![…`` keeps such a line as text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import get_args

from ..model import PictureType

# Paths hold no spaces or brackets: a Markdown title ("…") or a space would make the file name ambiguous.
IMAGE_LINE = re.compile(r"^!\[(?P<alt>[^\[\]]*)\]\((?P<file>[^()\s]*)\)[ \t\u3000]*(?:\{(?P<attributes>[^{}]*)\})?$")
ATTRIBUTES = ("span", "focus", "type")
MAX_SPAN = 24  # layout.toml's widest grid; the page's own is checked against its page size at load
SYNTAX = "![alt text](photos/file.jpg) with an optional {span=N focus=X,Y type=photo|graphic}"
_WHOLE = re.compile(r"[0-9]{1,3}")
_FRACTION = re.compile(r"(?:0(?:\.[0-9]+)?|1(?:\.0*)?|\.[0-9]+)")


def looks_like_image(line: str) -> bool:
    return line.startswith("![")


@dataclass(frozen=True)
class ImageLine:
    """What an image line says, its markup taken off."""

    alt: str
    file: str
    span: int | None = None
    focus: tuple[float, float] | None = None
    type: PictureType = "photo"


class BadImageLine(Exception):
    """An image line that cannot be read: each message is a problem at its line."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def read_image_line(line: str) -> ImageLine:
    """The image line's parts; BadImageLine listing everything wrong with it."""
    match = IMAGE_LINE.match(line)
    if match is None:
        raise BadImageLine([_malformed(line)])
    if not match["file"]:
        raise BadImageLine(["the image line names no file: write " + SYNTAX])
    values: dict[str, str] = {}
    problems: list[str] = []
    for token in (match["attributes"] or "").split():
        key, equals, value = token.partition("=")
        if key not in ATTRIBUTES:
            close = difflib.get_close_matches(key, ATTRIBUTES, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f" (the attributes are {', '.join(ATTRIBUTES)})"
            problems.append(f"unknown picture attribute `{token[:40]}`{hint}")
        elif not equals or not value:
            problems.append(f"picture attribute `{key}` has no value: write {key}=…")
        elif key in values:
            problems.append(f"picture attribute `{key}` is given twice")
        else:
            values[key] = value
    span = focus = None
    kind: PictureType = "photo"
    if "span" in values:
        span = _span(values["span"], problems)
    if "focus" in values:
        focus = _focus(values["focus"], problems)
    if "type" in values:
        if values["type"] in get_args(PictureType):
            kind = values["type"]  # type: ignore[assignment]  # one of PictureType's values, checked above
        else:
            problems.append(f"type={values['type'][:20]}: a picture's type is photo or graphic")
    if problems:
        raise BadImageLine(problems)
    return ImageLine(match["alt"].strip(" \t\u3000"), match["file"], span, focus, kind)


def _span(value: str, problems: list[str]) -> int | None:
    if not _WHOLE.fullmatch(value) or not 1 <= int(value) <= MAX_SPAN:
        problems.append(f"span={value[:20]}: a picture spans a whole number of columns, 1 or more")
        return None
    return int(value)


def _focus(value: str, problems: list[str]) -> tuple[float, float] | None:
    parts = value.split(",")
    if len(parts) != 2 or not all(_FRACTION.fullmatch(p) for p in parts):
        problems.append(f"focus={value[:20]}: the focus is two fractions from 0 to 1, across and down from the "
                        f"top left (focus=0.5,0.3)")
        return None
    return float(parts[0]), float(parts[1])


def _malformed(line: str) -> str:
    """Why a line that starts like an image is not an image line."""
    if re.match(r"^!\[[^\]]*\[", line):
        why = "the alt text holds a bracket [ or ]"
    elif "](" not in line:
        why = "it has no ](file) after the alt text"
    elif re.match(r"^!\[[^\]]*\]\([^)]*$", line):
        why = "the file's parenthesis is not closed"
    elif re.match(r"^!\[[^\]]*\]\([^)]*[\s(]", line):
        why = "the file name holds a space or a parenthesis (a Markdown title is not read)"
    elif "{" in line and "}" not in line.split("{", 1)[1]:
        why = "the attribute block's brace is not closed"
    else:
        why = "something follows the image on its line"
    return f"not an image line: {why}; write {SYNTAX}, or start the line with {{paragraph}} to keep it as text"
