"""The body's lines put in the place the layout kept for them, as WeasyPrint writes the PDF.

The print layout holds each piece of a paragraph (its lines in one column) as
a placeholder image of the piece's height (``layouts/print/_lines.html``):
WeasyPrint places it in its column like any block, and draws it where the
lines belong in the page's order of painting, after the article's head and
before the bylines under it. When WeasyPrint has drawn a page, and before it
writes the file, each placeholder's drawing becomes the piece's lines
(``publisher.print.body_text``): the text layer keeps the reading order the layout
gives. In a tagged PDF (PDF/UA) the placeholder's figure becomes the
paragraph (``P``) its lines are.

The pieces are matched to the placeholders in the order the page draws them,
the template's order; each placeholder's height is checked against its
piece's lines, so a layout that places them otherwise stops the build.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from ..typeset.fonts import FontFace
from .body import held
from .body_text import PX, _number, draw
from .head_lines import HEAD_CLASS, TEXT_CLASS, PlacedHead, is_head_placeholder, is_run, place_line

if TYPE_CHECKING:
    from weasyprint import Document

    from .body import Body

# The placeholder every piece of body shares: a one-pixel bitmap (PBM), the
# shortest image Pillow reads, so the layout's HTML stays small (it is parsed
# once per part). One URL, so WeasyPrint decodes and stores it once; its
# drawings are replaced, and the joined PDF no longer refers to it.
PLACEHOLDER = "data:image/x-portable-bitmap,P4%0A1%201%0A%00"
PLACEHOLDER_CLASS = "set-lines"

# The heads' lines (``publisher.print.head_lines``) have a placeholder of their own, another one-pixel bitmap, so
# that the page's drawings of each kind are told apart and matched to their own boxes.
HEAD_PLACEHOLDER = "data:image/x-portable-bitmap,P4%0A1%201%0A%80"


def _xobject(url: str) -> str:
    """The name WeasyPrint gives an image's XObject: i + md5(url), then its interpolate flag."""
    return "/i" + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


PLACEHOLDER_XOBJECT_PREFIX = _xobject(PLACEHOLDER)
PLACEHOLDER_XOBJECT_PREFIXES = (PLACEHOLDER_XOBJECT_PREFIX, _xobject(HEAD_PLACEHOLDER))
_DRAWN = {f"{PLACEHOLDER_XOBJECT_PREFIX}{flag} Do".encode() for flag in (0, 1)}
_HEAD_DRAWN = {f"{_xobject(HEAD_PLACEHOLDER)}{flag} Do".encode() for flag in (0, 1)}
_SCALE = re.compile(rb"^(\S+) 0 0 (\S+) 0 (\S+) cm$")


@cache
def font_name(face: FontFace) -> str:
    """The resource name of a body face, the same in every part and every build."""
    digest = hashlib.sha256(f"{face.family}|{face.weight}|{face.index}|{face.path.name}".encode()).hexdigest()
    return "Body" + digest[:8].upper()


def _object(pdf: Any, reference: bytes | str) -> Any:
    """The pydyf object a reference (``b"12 0 R"``) names."""
    text = reference.decode("ascii") if isinstance(reference, bytes) else reference
    return pdf.objects[int(text.split()[0])]


class LinesFinisher:
    """A WeasyPrint ``finisher``: draws the body's lines of a part (its first sheet ``start``) at their placeholders."""

    def __init__(self, body: Body, start: int) -> None:
        self.body = body  # the part's sheets only
        self.start = start
        self.glyphs: list[PlacedHead] = []  # the heads' lines drawn, for the fonts the join embeds

    def __call__(self, document: Document, pdf: Any) -> None:
        laid_out = [_placed(list(placeholder_boxes(page._page_box)), self.start + number)
                    for number, page in enumerate(document.pages)]
        placed = [page for page, _ in laid_out]
        faces = {segment.face for sheet in self.body.sheets for piece in sheet for line in piece
                 for segment in line.segments}
        faces |= {segment.face for page in placed for head in page if isinstance(head, PlacedHead)
                  for segment in head.line.segments}
        names = {face: font_name(face) for face in faces}
        parents = _parent_tree(pdf)
        for number, reference in enumerate(pdf.page_references):
            page = _object(pdf, reference)
            stream = _object(pdf, page["Contents"])
            pieces = self.body.sheets[number]
            tagged = parents[number] if parents is not None else None
            self._page(stream.stream, pieces, names, placed[number], number, tagged, pdf)
            if laid_out[number][1]:  # lines wider than their place, once the page's placeholders are matched
                raise InputError(laid_out[number][1])

    def _page(self, items: list[Any], pieces: Any, names: dict[FontFace, str],
              placed: list[tuple[float, float, float] | PlacedHead], number: int, tagged: Any, pdf: Any) -> None:
        drawn = [index for index, item in enumerate(items) if isinstance(item, bytes) and item in _DRAWN]
        heads_drawn = [index for index, item in enumerate(items) if isinstance(item, bytes) and item in _HEAD_DRAWN]
        heads = [head for head in placed if isinstance(head, PlacedHead)]
        colors = [color for color in placed if not isinstance(color, PlacedHead)]
        if len(drawn) != len(colors):
            raise _misplaced(self.start + number, f"{len(colors)} placeholders laid out, {len(drawn)} drawn")
        if len(heads_drawn) != len(heads):
            raise InputError([Problem("layout", None, f"sheet {self.start + number + 1}: the heads' lines cannot "
                                      f"be placed: {len(heads)} placeholders laid out, {len(heads_drawn)} drawn; "
                                      "the layout's _head_lines.html must place every line of a head with its "
                                      "placeholder image, shown (and _text_lines.html every line of the page "
                                      "header, bylines, subheads and jump lines it draws)")])
        for index, head in zip(heads_drawn, heads, strict=True):
            # The head's line from the placeholder's top left: its start and baseline as WeasyPrint placed it.
            items[index - 1] = b"q 1 0 0 1 %s 0 cm\n" % _number(head.left).encode() + draw(
                (head.line,), names, size=head.size, pitch=0.0, baseline_pt=head.baseline * PX,
                color=head.color) + b"\nQ"
            items[index] = b""
            self.glyphs.append(head)
            if tagged is not None:
                _retagged(items, index, tagged, pdf, "/Span")
        remaining = iter(pieces)
        for index, color in zip(drawn, colors, strict=True):
            scale = _SCALE.match(items[index - 1])
            height = -float(scale.group(2)) * PX if scale else 0.0
            held_pieces = held(remaining, height, self.body.pitch) if scale else None
            if held_pieces is None:
                raise _misplaced(self.start + number, f"a placeholder {height:.2f} pt high is not filled by the "
                                 f"next pieces of body, in lines of {self.body.pitch} pt")
            if tagged is not None and len(held_pieces) > 1:
                raise _misplaced(self.start + number, "a placeholder holds several paragraphs, and a tagged PDF "
                                 "needs each on its own")
            lines = tuple(line for piece in held_pieces for line in piece)
            ops = draw(lines, names, size=self.body.size, pitch=self.body.pitch, baseline_pt=self.body.baseline,
                       color=color)
            # The image's own scale and its drawing go; the origin stays at the placeholder's top left.
            items[index - 1] = ops
            items[index] = b""
            if tagged is not None:
                _retagged(items, index, tagged, pdf, "/P")
        left = sum(1 for _ in remaining)
        if left:
            raise _misplaced(self.start + number, f"{len(pieces)} pieces of body set, {left} of them not placed")

    def head_glyphs(self) -> dict[FontFace, dict[int, tuple[float, str]]]:
        """Per face, each glyph the heads drawn show: its width (thousandths of an em) and its characters."""
        used: dict[FontFace, dict[int, tuple[float, str]]] = {}
        for head in self.glyphs:
            scale = 1000 / head.size
            for segment in head.line.segments:
                faced = used.setdefault(segment.face, {})
                faced.update((g.gid, (g.width * scale, g.text)) for g in segment.glyphs if g.text)
        return used


def _misplaced(sheet: int, what: str) -> InputError:
    return InputError([Problem("layout", None, f"sheet {sheet + 1}: the body's lines cannot be placed: {what}; "
                               "the layout's _lines.html must place every piece of a paragraph with the "
                               "placeholder image of its height")])


def _placed(boxes: list[Any], sheet: int) -> tuple[list[tuple[float, float, float] | PlacedHead], list[Problem]]:
    """Each placeholder of a page, in the order it paints them: a body's its colour, a line's (a head's, the
    page header's …) its run set and placed, a run with the runs before it on its line; and the lines of the
    page's furniture wider than their place."""
    placed: list[tuple[float, float, float] | PlacedHead] = []
    problems: list[Problem] = []
    line: list[Any] = []
    for box in [*boxes, None]:
        if line and (box is None or not is_head_placeholder(box) or not is_run(box)):
            runs = place_line(line)
            if (problem := _too_wide(line, runs, sheet)) is not None:
                problems.append(problem)
            placed += runs
            line = []
        if box is None:
            break
        if is_head_placeholder(box):
            line.append(box)
        else:
            placed.append(_color(box))
    return placed, problems


def _too_wide(boxes: list[Any], runs: list[PlacedHead], sheet: int) -> Problem | None:
    """A line of the page's furniture (``set-text``: _text_lines.html) must stand inside its box: the template
    chose to have it drawn as one line (its one_line filter, at layout.toml's type), and a drawn line never
    wraps; unless an element around it clips it (the masthead's ear). A head's lines are chosen to fit by the
    make-up, and a spread one may reach its box's edge."""
    first = boxes[0]
    if TEXT_CLASS not in (first.element.get("class") or "").split() or _clipped(first.style):
        return None
    left = first.content_box_x()
    shown = [(box, run) for box, run in zip(boxes, runs, strict=True) if run.line.segments]
    if not shown:
        return None
    start = min(run.left + box.content_box_x() - left for box, run in shown)
    end = max(run.left + box.content_box_x() - left + run.line.end / PX for box, run in shown)
    over = max(end - float(first.width), -start) * PX
    if over <= 0.5:
        return None
    text = "".join(box.element.get("alt") or "" for box in boxes)
    return Problem("layout", None, f"sheet {sheet + 1}: the line 「{text}」 is {over:.1f} pt wider than its place: "
                   "its CSS sets it larger than the size its template's one_line test was given (layout.toml's "
                   "[type]), and a line the toolkit draws never wraps; give both the same size, or give the layout "
                   "a _text_lines.html that prints the text for WeasyPrint to set")


def _clipped(style: Any) -> bool:
    """Is a placeholder inside an element that clips what overflows it (the masthead's ear)? Its line may be
    wider than its place: the layout asks for it to be cut there."""
    parent = getattr(style, "parent_style", None)
    while parent is not None:
        if parent["overflow"] != "visible":
            return True
        parent = getattr(parent, "parent_style", None)
    return False


def _color(box: Any) -> tuple[float, float, float]:
    """A piece's colour: its placeholder's, as the layout's CSS gives it (a caption's may differ)."""
    red, green, blue = box.style["color"].to("srgb").coordinates
    return float(red), float(green), float(blue)


def placeholder_boxes(box: Any) -> list[Any]:
    """The placeholders under ``box`` (a page) in the order the page paints them.

    That is the box tree's order inside a stacking context, but a context of
    its own (a positioned element with a ``z-index``: the stories, the page
    header over them) is painted after the context's flow, its siblings of
    z-index 0 (and positioned ones without one) in the tree's order, then those
    of positive z-index by their z-index: as ``weasyprint.stacking`` orders
    them for the drawing (the placeholders are blocks in the flow)."""
    return [found for child in getattr(box, "children", ()) for found in _context(child)]


def _context(root: Any) -> list[Any]:
    flow: list[Any] = []
    contexts: list[tuple[int, list[Any]]] = []
    if _is_placeholder(root):
        return [root]
    _collect(root, flow, contexts)
    below = sorted((c for c in contexts if c[0] < 0), key=lambda c: c[0])
    above = sorted((c for c in contexts if c[0] > 0), key=lambda c: c[0])
    zero = [c for c in contexts if c[0] == 0]
    return [found for _, boxes in below for found in boxes] + flow + \
        [found for _, boxes in zero + above for found in boxes]


def _collect(box: Any, flow: list[Any], contexts: list[tuple[int, list[Any]]]) -> None:
    for child in getattr(box, "children", ()):
        child = getattr(child, "_box", child)  # an absolutely positioned box's placeholder in the tree
        style = getattr(child, "style", None)
        if style is None:
            _collect(child, flow, contexts)
            continue
        positioned = style["position"] != "static"
        z_index = style["z_index"]
        if _is_placeholder(child):  # in the flow, or painted with the positioned boxes (a column placed as one)
            if positioned:
                contexts.append((0 if z_index == "auto" else int(z_index), [child]))
            else:
                flow.append(child)
            continue
        if (positioned and z_index != "auto") or style["opacity"] < 1 or style["transform"] or \
                style["overflow"] != "visible":
            contexts.append((0 if z_index == "auto" else int(z_index), _context(child)))
        elif positioned:  # painted as a context of z-index 0, its own contexts beside it in its parent's
            own: list[Any] = []
            at = len(contexts)
            _collect(child, own, contexts)
            contexts.insert(at, (0, own))
        else:
            _collect(child, flow, contexts)


def _is_placeholder(box: Any) -> bool:
    element = getattr(box, "element", None)
    return element is not None and getattr(box, "element_tag", None) == "img" and \
        bool({PLACEHOLDER_CLASS, HEAD_CLASS} & set((element.get("class") or "").split()))


def _parent_tree(pdf: Any) -> list[Any] | None:
    """Per page, the structure elements of its marked content, by MCID; None in an untagged PDF."""
    if "StructTreeRoot" not in pdf.catalog:
        return None
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    nums = _object(pdf, root["ParentTree"])["Nums"]
    pages = len(pdf.page_references)
    return [nums[2 * number + 1] for number in range(pages)]


def _retagged(items: list[Any], index: int, elements: Any, pdf: Any, tag: str) -> None:
    """The figure WeasyPrint tagged for the placeholder at ``items[index]`` becomes what its lines are: a
    paragraph (``/P``) of body, or a head's line (``/Span``) in its heading (``H2``) or paragraph."""
    for back in range(index - 1, max(index - 12, -1), -1):
        if items[back] == "/Figure" and items[back + 2] == b"BDC":
            mcid = int(items[back + 1]["MCID"])
            items[back] = tag
            element = _object(pdf, elements[mcid])
            element["S"] = tag
            for key in ("A", "Alt"):
                element.pop(key, None)
            return
    raise InputError([Problem("layout", None, "a placeholder of the body's lines is not tagged as WeasyPrint "
                              "tags images")])
