"""The text of each laid-out sheet, read from WeasyPrint's boxes: blocks, lines, words, with their boxes.

Nothing here assumes a page make-up: the print layout marks what things are
(``article.story``, ``header.story-head`` with ``.kicker``, ``h2.headline``,
``.subheadline``; a body's columns are ``.column``, or the children of a
``.story-body``, the bylines ``p.bylines``), and every position is the laid-out one. Characters
are placed where the PDF writer puts their glyphs: each text box is shaped
again by Pango exactly as WeasyPrint does when it draws it (``draw_first_line``),
and a character's box is its glyph's advance from the pen position plus the
glyph's own offset, one em high on the baseline (the ideographic em box).
A line the toolkit draws (a head's, the page header's, a byline's: the
placeholders of ``publisher.print.head_lines``, a line's runs together) is
read where it is drawn, one line of the element that holds it.

Lengths are in points from the sheet's top left corner.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..typeset.whitespace import squeeze

if TYPE_CHECKING:
    from weasyprint import Document

    from ..model import Issue
    from .body import Body
    from .body_text import SetLine

Pieces = Iterator[tuple["SetLine", ...]]

PX = 0.75  # WeasyPrint lays out in CSS pixels; a point is 4/3 of them
# The ideographic em box of a CJK face sits 0.88 em above and 0.12 em below
# the alphabetic baseline (OS/2 typo metrics of Noto CJK and of Adobe-Japan1
# and -GB1 fonts); Pango's ascent and descent are the taller line metrics.
EM_ABOVE = 0.88

Role = Literal["running-head", "masthead", "kicker", "headline", "subheadline", "body", "bylines", "continuation",
               "jump", "illustration", "caption", "advertisement"]
# The print layout marks a picture's frame so (article.html, ad.html): its image file and what it is.
FRAME_CLASS = "picture-frame"
# The page header (版头, page_header.html): an element of the sheet, its pieces in reading order.
RUNNING_HEAD_CLASS = "page-header"
HEAD_ROLES: dict[str, Role] = {"kicker": "kicker", "headline": "headline", "subheadline": "subheadline"}


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


def union(boxes: list[Box]) -> Box:
    left, top = min(b.x for b in boxes), min(b.y for b in boxes)
    right, bottom = max(b.right for b in boxes), max(b.bottom for b in boxes)
    return Box(left, top, right - left, bottom - top)


@dataclass(frozen=True)
class Word:
    """A String of ALTO (``space`` False) or the space between two (an SP)."""

    text: str
    box: Box
    space: bool = False


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    box: Box

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)


@dataclass(frozen=True)
class Block:
    role: Role
    lines: tuple[Line, ...]
    box: Box
    article: tuple[int, int] | None = None  # (printed page, article) indices in the issue
    image: str | None = None  # a picture's or advertisement's image file, as the issue names it
    kind: str | None = None  # a picture's type (photo, graphic) or "advertisement"


@dataclass(frozen=True)
class SheetText:
    number: int  # 0-based, as in the PDF
    width: float
    height: float
    print_space: Box  # the page area inside the margins
    blocks: tuple[Block, ...]


def sheets(document: Document, issue: Issue, body: Body, first: int = 0) -> list[SheetText]:
    """Every sheet of a laid-out part of the print edition (its first sheet ``first``, its body's
    lines ``body``), its text in reading order."""
    articles = _article_ids(document, issue, body)
    return [_sheet(first + number, page._page_box, articles, _Body(body, iter(body.sheets[number])))
            for number, page in enumerate(document.pages)]


@dataclass
class _Body:
    """The body's set lines, and those of the sheet not yet met at a placeholder, in the layout's order."""

    body: Body
    pieces: Pieces


def _article_ids(document: Document, issue: Issue, body: Body) -> dict[int, tuple[int, int]]:
    """id() of each ``article.story`` element -> (printed page, article) of the issue's model.

    The make-up places stories in its own order and may carry the end of one
    over to the next sheet, so an element is known by its text (its own, and
    its body's lines): the article whose text (whitespace aside) holds the
    element's, the first in the issue's order not yet taken whole.
    """
    from .body import held
    from .head_lines import HEAD_CLASS
    from .pdf_lines import PLACEHOLDER_CLASS, placeholder_boxes

    root = document.pages[0]._page_box.children[0].element
    # A placeholder holds as many pieces as fill its height (one, or a run: print.filters.body_runs).
    heights = {id(box.element): box.height * PX for page in document.pages for box in placeholder_boxes(page._page_box)}

    texts = [((p, a), squeeze("".join(t.value for t in article.printed_texts())))
             for p, page in enumerate(issue.pages) for a, article in enumerate(page.articles)]
    lines = iter(piece for sheet in body.sheets for piece in sheet)
    ids: dict[int, tuple[int, int]] = {}
    used: set[tuple[int, int]] = set()
    for element in root.iter():
        if "story" not in _classes(element):
            continue
        parts = []
        jumps = {id(node) for jump in element.iter() if "jump" in _classes(jump) for node in jump.iter()}
        for node in element.iter():
            if id(node) in jumps:  # a jump line (（下转A4续版）) is the page's furniture, not the story's text
                parts.append(node.tail or "" if "jump" in _classes(node) else "")
                continue
            parts.append(node.text or "")
            if HEAD_CLASS in _classes(node):  # a head's line, drawn by the toolkit: its text is the alt
                parts.append(node.get("alt") or "")
            if str(node.tag).rsplit("}", 1)[-1] == "img" and PLACEHOLDER_CLASS in _classes(node):
                held_pieces = held(lines, heights.get(id(node), 0.0), body.pitch) or ()
                parts += [line.text for piece in held_pieces for line in piece]
            if node is not element:
                parts.append(node.tail or "")
        own = squeeze("".join(parts))
        found = [key for key, text in texts if own and own in text]
        if found:
            key = next((k for k in found if k not in used), found[0])
            used.add(key)
            ids[id(element)] = key
    return ids


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split()) if element is not None else set()


def _sheet(number: int, page_box: Any, articles: dict[int, tuple[int, int]], body: _Body) -> SheetText:
    from weasyprint.formatting_structure import boxes

    margins = [child for child in page_box.children if isinstance(child, boxes.MarginBox)]
    flow = [child for child in page_box.children if not isinstance(child, boxes.MarginBox)]
    top = [m for m in margins if m.at_keyword.startswith("@top")]
    bottom = [m for m in margins if not m.at_keyword.startswith("@top")]
    collected: list[Block] = []
    for margin in top:
        collected += _blocks_of(margin, "running-head", None, articles, body)
    for child in flow:
        collected += _blocks_of(child, "masthead", None, articles, body)
    for margin in bottom:
        collected += _blocks_of(margin, "continuation", None, articles, body)
    space = Box(page_box.content_box_x() * PX, page_box.content_box_y() * PX, page_box.width * PX,
                page_box.height * PX)
    return SheetText(number, page_box.margin_width() * PX, page_box.margin_height() * PX, space, tuple(collected))


def _blocks_of(box: Any, role: Role, article: tuple[int, int] | None,
               articles: dict[int, tuple[int, int]], body: _Body) -> list[Block]:
    """The blocks under ``box``: a new block starts at each element the layout marks as one."""
    element = getattr(box, "element", None)
    classes = _classes(element) if getattr(box, "element_tag", None) else set()
    if "story" in classes and element is not None and id(element) in articles:
        article = articles[id(element)]
        role = "body"
    if RUNNING_HEAD_CLASS in classes:
        role = "running-head"
    if getattr(box, "style", None) is not None and box.style["visibility"] != "visible":
        return []  # not drawn: the page mark
    if FRAME_CLASS in classes and element is not None:
        return [_frame(box, article)]
    if "picture" in classes:  # a picture and its caption, under the story's head or beside its body
        blocks = [b for child in box.children for b in _blocks_of(child, role, article, articles, body)
                  if b.role in ("illustration",)]
        caption = [line if isinstance(line, Line) else _line(line) for line, _ in _line_boxes(box, None, body)]
        lines = [line for line in caption if line is not None]
        if lines:
            blocks.append(Block("caption", tuple(lines), union([ln.box for ln in lines]), article))
        return blocks
    marked = next((HEAD_ROLES[c] for c in classes if c in HEAD_ROLES), None)
    if marked is None and "bylines" in classes:
        marked = "bylines"
    if marked is not None:
        return _block(box, marked, article)
    if any(_is_head(child) for child in getattr(box, "children", ())):  # lines drawn by the toolkit
        return _block(box, role, article)
    if "story-body" in classes:  # each child is a column: placed ones, or the columns of a flowing body
        return [b for child in box.children for b in _column(child, article, body)]
    if "column" in classes:  # a column placed in its block (article.html), or its lines' placeholder itself
        return _column(box, article, body)
    if role == "masthead" and element is not None and element.get("class") in ("mh-name", "mh-facts"):
        return _block(box, "masthead", article)
    if _is_line(box):
        return _block(box, role, article)
    return [b for child in getattr(box, "children", ()) for b in _blocks_of(child, role, article, articles, body)]


def _column(box: Any, article: tuple[int, int] | None, body: _Body) -> list[Block]:
    """A column of a body: its lines, with the bylines and jump lines (and anything after them) as blocks of
    their own."""
    blocks: list[Block] = []
    lines: list[Line] = []
    for line_box, marked in _line_boxes(box, None, body):
        line = line_box if isinstance(line_box, Line) else _line(line_box)
        if line is None:
            continue
        if marked is not None:
            if lines:
                blocks.append(Block("body", tuple(lines), union([ln.box for ln in lines]), article))
                lines = []
            blocks.append(Block(marked, (line,), line.box, article))
        else:
            lines.append(line)
    if lines:
        blocks.append(Block("body", tuple(lines), union([ln.box for ln in lines]), article))
    return blocks


def _frame(box: Any, article: tuple[int, int] | None) -> Block:
    """A picture's or advertisement's frame: where it prints, which image file it shows."""
    element = box.element
    kind = element.get("data-kind") or "photo"
    frame = Box(box.border_box_x() * PX, box.border_box_y() * PX, box.border_width() * PX, box.border_height() * PX)
    role: Role = "advertisement" if kind == "advertisement" else "illustration"
    return Block(role, (), frame, article, image=element.get("data-file"), kind=kind)


def _block(box: Any, role: Role, article: tuple[int, int] | None) -> list[Block]:
    lines = [line for line_box, _ in _line_boxes(box, None, None)
             if not isinstance(line_box, Line) and (line := _line(line_box)) is not None]
    return [Block(role, tuple(lines), union([ln.box for ln in lines]), article)] if lines else []


def _is_line(box: Any) -> bool:
    from weasyprint.formatting_structure import boxes

    return isinstance(box, boxes.LineBox)


def _line_boxes(box: Any, marked: Role | None, body: _Body | None) -> Iterator[tuple[Any, Role | None]]:
    """The line boxes under ``box`` in order, a placeholder of the body giving its set lines instead; each with
    the role of the bylines or jump line it is in, if it is in one."""
    from .body import held
    from .pdf_lines import PLACEHOLDER_CLASS

    if getattr(box, "style", None) is not None and box.style["visibility"] != "visible":
        return
    element = getattr(box, "element", None)
    if body is not None and getattr(box, "element_tag", None) == "img" and PLACEHOLDER_CLASS in _classes(element):
        held_pieces = held(body.pieces, box.height * PX, body.body.pitch) or ()
        for line in _set_lines(box, tuple(line for piece in held_pieces for line in piece), body.body):
            yield line, marked
        return
    classes = _classes(element)
    marked = marked or ("bylines" if "bylines" in classes else "jump" if "jump" in classes else None)
    if _is_line(box):
        yield box, marked
        return
    children = list(getattr(box, "children", ()))
    while children:
        child = children.pop(0)
        if _is_head(child):  # a line drawn by the toolkit is a line of its own: its placeholder and its runs'
            runs = [child]
            while children and _is_head(children[0]) and _is_run(children[0]):
                runs.append(children.pop(0))
            yield _Runs(tuple(runs)), marked
        else:
            yield from _line_boxes(child, marked, body)


@dataclass(frozen=True)
class _Runs:
    """A line the toolkit draws (``publisher.print.head_lines``): the placeholders of its runs."""

    boxes: tuple[Any, ...]


def _set_lines(box: Any, lines: tuple[SetLine, ...], body: Body) -> Iterator[Line]:
    """The toolkit's lines of one piece of body, placed at its placeholder (all in pt)."""
    left, top = box.content_box_x() * PX, box.content_box_y() * PX
    for row, line in enumerate(lines):
        baseline = top + row * body.pitch + body.baseline
        glyphs: list[_Glyph] = []
        for segment in line.segments:
            for glyph in segment.glyphs:
                x = left + glyph.x + glyph.offset
                glyph_box = Box(x, baseline - EM_ABOVE * body.size, glyph.width, body.size)
                if glyph.text or not glyphs:
                    glyphs.append(_Glyph(glyph.text, glyph_box))
                else:  # a further glyph of the same cluster
                    glyphs[-1] = _Glyph(glyphs[-1].text, union([glyphs[-1].box, glyph_box]))
        words = _words(glyphs)
        if any(not w.space for w in words):
            yield Line(tuple(words), union([w.box for w in words if not w.space]))


def _line(line_box: Any) -> Line | None:
    glyphs = _head_glyphs(line_box.boxes) if isinstance(line_box, _Runs) else \
        [g for text_box in _text_boxes(line_box) for g in
         (_head_glyphs((text_box,)) if _is_head(text_box) else _glyphs(text_box))]
    words = _words(glyphs)
    if not any(not w.space for w in words):
        return None
    return Line(tuple(words), union([w.box for w in words if not w.space]))


def _is_head(box: Any) -> bool:
    from .head_lines import is_head_placeholder

    return is_head_placeholder(box)


def _is_run(box: Any) -> bool:
    from .head_lines import is_run

    return is_run(box)


def _head_glyphs(boxes: tuple[Any, ...]) -> list[_Glyph]:
    """A line drawn by the toolkit (``publisher.print.head_lines``), its runs' placeholders ``boxes``: each
    cluster where it is drawn."""
    from .head_lines import place_line

    glyphs: list[_Glyph] = []
    for box, head in zip(boxes, place_line(list(boxes)), strict=True):
        left = box.content_box_x() * PX + head.left * PX
        baseline = (box.content_box_y() + head.baseline) * PX
        first = True
        for segment in head.line.segments:
            for glyph in segment.glyphs:
                glyph_box = Box(left + glyph.x + glyph.offset, baseline - EM_ABOVE * head.size, glyph.width,
                                head.size)
                if glyph.text or first:
                    glyphs.append(_Glyph(glyph.text, glyph_box))
                else:  # a further glyph of the same cluster
                    glyphs[-1] = _Glyph(glyphs[-1].text, union([glyphs[-1].box, glyph_box]))
                first = False
    return glyphs


def _text_boxes(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    if box.style["visibility"] != "visible":
        return
    if isinstance(box, boxes.TextBox) or _is_head(box):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)


@dataclass(frozen=True)
class _Glyph:
    text: str
    box: Box


def _glyphs(text_box: Any) -> list[_Glyph]:
    """Each character cluster of a text box where the PDF writer draws it."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    if not text_box.text.strip() or text_box.style["font_size"] < 1e-6:
        return []
    size = text_box.style["font_size"]
    baseline = text_box.position_y + text_box.baseline
    layout = text_box.pango_layout
    layout.reactivate(text_box.style)
    try:
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
        first_line, _ = layout.get_first_line()
        utf8 = layout.text.encode()
        ink = ffi.new("PangoRectangle *")
        logical = ffi.new("PangoRectangle *")
        pen = text_box.position_x
        starts: dict[int, list[float]] = {}  # cluster's first byte -> [left, right]
        run = first_line.runs
        while run != ffi.NULL:
            glyph_item = run.data
            run = run.next
            glyph_string = glyph_item.glyphs
            offset = glyph_item.item.offset
            font = glyph_item.item.analysis.font
            for i in range(glyph_string.num_glyphs):
                info = glyph_string.glyphs[i]
                pango.pango_font_get_glyph_extents(font, info.glyph, ink, logical)
                left = pen + info.geometry.x_offset * FROM_UNITS
                right = left + logical.width * FROM_UNITS
                start = offset + glyph_string.log_clusters[i]
                if start in starts:
                    starts[start][0] = min(starts[start][0], left)
                    starts[start][1] = max(starts[start][1], right)
                else:
                    starts[start] = [left, right]
                pen += info.geometry.width * FROM_UNITS
    finally:
        layout.deactivate()
    ordered = sorted(starts)
    glyphs = []
    for index, start in enumerate(ordered):
        end = ordered[index + 1] if index + 1 < len(ordered) else len(utf8)
        left, right = starts[start]
        top = baseline - EM_ABOVE * size
        glyphs.append(_Glyph(utf8[start:end].decode(), Box(left * PX, top * PX, (right - left) * PX, size * PX)))
    return glyphs


def _wide(char: str) -> bool:
    """An ideograph, kana, hangul or full-width mark: a word of its own, as CJK OCR gives it."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _words(glyphs: list[_Glyph]) -> list[Word]:
    """Ideographs and full-width marks one String each; a run of other characters one String; spaces SP."""
    words: list[Word] = []
    run: list[_Glyph] = []

    def close() -> None:
        if run:
            words.append(Word("".join(g.text for g in run), union([g.box for g in run])))
            run.clear()

    for glyph in glyphs:
        if glyph.text.isspace():
            close()
            if words and not words[-1].space:
                words.append(Word(" ", glyph.box, space=True))
        elif any(_wide(c) for c in glyph.text):
            close()
            words.append(Word(glyph.text, glyph.box))
        else:
            run.append(glyph)
    close()
    while words and words[-1].space:
        words.pop()
    return words
