"""A story head's lines (kicker, headline, subheadline) set as positioned text, drawn by the toolkit.

``publisher.typeset.heads`` has chosen each line of a head and its size. The
layout keeps each line's place as a placeholder image
(``layouts/print/_head_lines.html``), a block one line high (``1lh``), the
line's text in its ``alt``: WeasyPrint places it and draws it in the page's
order of painting, but never shapes the head nor lays out a line box for it
(an inline placeholder in a line box cost as much as the text). Here the
line is shaped with HarfBuzz in the face its CSS names (the placeholder
inherits the head's ``font-family``, ``font-weight``, ``font-size``,
``line-height``, ``letter-spacing``, ``word-spacing``, ``text-align`` and
``color``), as Pango shapes a run: a whole piece of one face at a time, the
letter-spacing after each cluster, the word-spacing around each space, the
CJK–Latin space as the quarter em the ``as-l``/``as-r`` margins give, and in
bold text the characters the bold face lacks in the regular face
(``publisher.typeset.textruns``). The line starts where WeasyPrint's
alignment would put text of its width, on the baseline CSS gives a line of
the face and line-height (the half-leading above the face's ascent).

The page's other one-line furniture is drawn the same way
(``layouts/print/_text_lines.html``): the page header's pieces, the bylines,
and the subheads and jump lines that take one line of their column. A line in
several styles (the date, then its weekday) is a placeholder per run, each
with its own computed style, placed one after the other (``place_line``).

``publisher.print.pdf_lines`` draws the lines in the placeholders' places;
``publisher.print.sheet_text`` gives the archive their characters' boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import InputError, Problem
from ..typeset import fonts
from ..typeset.cjk.classes import Kind, kind
from ..typeset.fonts import Role
from ..typeset.textruns import text_runs
from .body_text import PX, Glyph, Segment, SetLine, _chain, _Face, _face_for

HEAD_CLASS = "set-head"
RUN_CLASS = "set-run"  # a placeholder that goes on with the line of the one before it
TEXT_CLASS = "set-text"  # a line of the page's furniture (_text_lines.html), never wider than its box
AUTOSPACE_EM = 0.25  # the as-l / as-r margins of lines.css


@dataclass(frozen=True)
class PlacedHead:
    """One line of a head, set, where its placeholder puts it (CSS px from the placeholder's top left)."""

    line: SetLine  # glyph positions in pt from the line's start
    size: float  # pt
    left: float  # px from the placeholder's left to the line's start
    baseline: float  # px from the placeholder's top to the baseline
    color: tuple[float, float, float]


def is_head_placeholder(box: Any) -> bool:
    element = getattr(box, "element", None)
    return element is not None and getattr(box, "element_tag", None) == "img" and \
        HEAD_CLASS in (element.get("class") or "").split()


def is_run(box: Any) -> bool:
    """Does the placeholder ``box`` go on with the line of the placeholder before it (``set-run``)?"""
    return RUN_CLASS in (box.element.get("class") or "").split()


def place(box: Any) -> PlacedHead:
    """The line a head placeholder stands for, set in its computed style, on the baseline CSS gives a line of
    its font and line-height, and started where WeasyPrint's alignment puts text of its width."""
    return place_line([box])[0]


def place_line(boxes: list[Any]) -> list[PlacedHead]:
    """A line of one or more runs, each the placeholder of a piece of text in its own computed style (the
    date, then its weekday in a ``.ph-weekday``; an ear entry's label, then its headline), each placed from
    its own placeholder's top left. The runs follow each other as inline boxes of one line do: a run's
    horizontal margins (``.byline + .byline { margin-left: 1em }``) stand between it and its neighbours, and
    the whole is aligned as the first run's ``text-align`` aligns text of its width in the first
    placeholder's width. Every run sits on the first run's baseline (a line of its font and line-height):
    runs of one size, as the layout's mixed lines are, share the baseline CSS gives them; a run of another
    size would not move the line as an inline box of that size would."""
    first = boxes[0]
    runs = [_run(box) for box in boxes]
    # The line's box is the first placeholder's, widened by a negative right margin (a spread line's last spacing).
    width_px = float(first.width) - min(float(first.margin_right or 0), 0.0)
    starts, x = [], 0.0
    for index, (box, (line, *_)) in enumerate(zip(boxes, runs, strict=True)):
        if index:
            x += float(box.margin_left or 0)
        starts.append(x)
        x += line.end / PX
        if index < len(boxes) - 1:
            x += float(box.margin_right or 0)
    style = first.style
    align = style["text_align_last"]
    if align == "auto":
        align = style["text_align_all"]
        if align == "justify":
            align = "start"
    if align == "center":
        left = (width_px - x) / 2
    elif align in ("right", "end"):
        left = width_px - x
    else:
        left = 0.0
    _, size, role, weight, _ = runs[0]
    ascent, descent = _extents(role, weight)
    baseline = (float(first.height) - (ascent + descent) * size / PX) / 2 + ascent * size / PX  # CSS half-leading
    x0, y0 = first.content_box_x(), first.content_box_y()
    return [PlacedHead(line, run_size, left + start - (box.content_box_x() - x0),
                       baseline - (box.content_box_y() - y0), color)
            for box, start, (line, run_size, _, _, color) in zip(boxes, starts, runs, strict=True)]


def _run(box: Any) -> tuple[SetLine, float, Role, int, tuple[float, float, float]]:
    """A placeholder's text set in its computed style: the line, its size (pt), role, weight and colour."""
    style = box.style
    size = float(style["font_size"]) * PX
    letter = style["letter_spacing"]
    letter_pt = 0.0 if letter == "normal" else float(letter) * PX
    word_pt = float(style["word_spacing"]) * PX
    role, weight = _role(style["font_family"]), int(style["font_weight"])
    line = set_head_line(box.element.get("alt") or "", role, weight, size, letter_pt, word_pt)
    red, green, blue = style["color"].to("srgb").coordinates
    return line, size, role, weight, (float(red), float(green), float(blue))


@lru_cache(maxsize=16)
def _extents(role: Role, weight: int) -> tuple[float, float]:
    """The ascent and descent (em) of the role's face at ``weight``, the metrics Pango gives CSS's line box."""
    face = _chain(role, weight)[0]
    extents = face.font.get_font_extents("ltr")
    return extents.ascender / face.upem, -extents.descender / face.upem


def _role(families: Any) -> Role:
    """The role of fonts.toml whose designed face is the first family the CSS names."""
    return _role_of(families[0] if families else "")


@lru_cache(maxsize=16)
def _role_of(first: str) -> Role:
    for name, chain in fonts.roles().items():
        if chain.families and chain.families[0] == first:
            return name  # type: ignore[return-value]
    raise InputError([Problem("layout", None, f"a head's font-family {first!r} is no role's first family in "
                              "fonts.toml: the toolkit sets heads (and the page header's, bylines', subheads' and "
                              "jump lines' lines it draws as it draws heads) only in the faces it knows")])


@lru_cache(maxsize=4096)
def set_head_line(text: str, role: Role, weight: int, size: float, letter_pt: float, word_pt: float) -> SetLine:
    """``text`` shaped as one line at ``size`` pt, from x = 0; its ``end`` the width WeasyPrint aligns."""
    x = 0.0
    runs: list[tuple[_Face, float, list[Glyph]]] = []
    for piece, classes in text_runs(text, role if weight >= 700 else None):
        chain = _chain(role, 400 if "regular" in classes else weight)
        if "as-l" in classes:
            x += AUTOSPACE_EM * size
        for face, chunk in _chunks(piece, chain):
            if runs and runs[-1][0] is face:
                glyphs = runs[-1][2]
            else:
                glyphs = []
                runs.append((face, letter_pt, glyphs))
            for glyph in face.shape(chunk, ()):
                space = word_pt / 2 if glyph.text == " " else 0.0  # Pango puts half the word-spacing either side
                x += space
                advance = glyph.advance * size
                glyphs.append(Glyph(glyph.gid, glyph.text, x, glyph.offset * size, advance, glyph.width * size))
                x += advance + space
                if glyph.cluster_end:
                    x += letter_pt  # Pango's letter-spacing, after each cluster
        if "as-r" in classes:
            x += AUTOSPACE_EM * size
    return SetLine(tuple(Segment(face.face, spacing, tuple(glyphs)) for face, spacing, glyphs in runs), x)


def _chunks(text: str, chain: tuple[_Face, ...]) -> list[tuple[_Face, str]]:
    """``text`` cut where the face that draws it changes, or the script (Latin or not), as Pango itemizes it."""
    chunks: list[tuple[_Face, str]] = []
    key: tuple[_Face, bool] | None = None
    for ch in text:
        face = chain[0] if kind(ch) is Kind.SPACE and chunks else _face_for(chain, ch)
        here = (face, kind(ch) is Kind.LATIN)
        if chunks and (here == key or kind(ch) is Kind.SPACE):
            chunks[-1] = (chunks[-1][0], chunks[-1][1] + ch)
        else:
            chunks.append((face, ch))
            key = here
    return chunks
