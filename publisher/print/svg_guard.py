"""What an SVG of a layout asks WeasyPrint to draw, counted before it is drawn.

A layout may come from an untrusted issue folder, and SVG can multiply: a
2 KB file whose groups each ``<use>`` the one below ten times asks for a
thousand million rectangles (WeasyPrint drew for over 200 s). Here every
element is weighed as the renderer will meet it, each ``<use>`` as the whole
of what it names, memoised so that the weighing itself stays linear; past
``SVG_ELEMENTS`` (or in a loop of ``<use>``, or nested past the parser's
depth) the SVG is refused with the layout file's name. The layout's SVG
files and ``data:`` images are weighed when the fetcher hands them over, an
SVG written into a template when the page's HTML is parsed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from typing import Any

from ..limits import SVG_ELEMENTS

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


class TooComplex(ValueError):
    """An SVG that asks for more drawing than any layout needs, or that uses itself."""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def weigh(root: Any) -> int:
    """The elements a renderer draws for ``root`` (an ElementTree-like element), ``<use>`` expanded."""
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    weights: dict[int, int] = {}
    open_now: set[int] = set()

    def weight(element: Any) -> int:
        key = id(element)
        if key in weights:
            return weights[key]
        if key in open_now:
            raise TooComplex("a <use> that draws itself (a loop of references)")
        open_now.add(key)
        total = 1 + sum(weight(child) for child in element)
        if _local(element.tag) == "use":
            reference = element.get("href") or element.get(_XLINK_HREF) or ""
            if reference.startswith("#") and reference[1:] in ids:
                total += weight(ids[reference[1:]])
        if total > SVG_ELEMENTS:
            raise TooComplex(f"it draws more than {SVG_ELEMENTS:,} elements, counting each <use> as all it "
                             "names")
        open_now.discard(key)
        weights[key] = total
        return total

    try:
        return weight(root)
    except RecursionError:
        raise TooComplex("its elements are nested too deeply") from None


def check_file(data: bytes) -> None:
    """Refuse an SVG file's bytes that ask for too much (TooComplex); bytes that are no XML are left to the renderer."""
    try:
        # The standard parser expands no external entity, and expat bounds the amplification of internal ones.
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        if "amplification" in str(exc):
            raise TooComplex(f"its entities expand out of proportion ({exc})") from None
        return  # not XML: WeasyPrint refuses it as an image
    weigh(root)


def check_tree(elements: Iterable[Any]) -> None:
    """Refuse any ``<svg>`` element of a parsed page (a template's inline SVG) that asks for too much."""
    for element in elements:
        if _local(element.tag) == "svg":
            weigh(element)
