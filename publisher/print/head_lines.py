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


def place(box: Any) -> PlacedHead:
    """The line a head placeholder stands for, set in its computed style, on the baseline CSS gives a line of
    its font and line-height, and started where WeasyPrint's alignment puts text of its width."""
    style = box.style
    size = float(style["font_size"]) * PX
    letter = style["letter_spacing"]
    letter_pt = 0.0 if letter == "normal" else float(letter) * PX
    word_pt = float(style["word_spacing"]) * PX
    role, weight = _role(style["font_family"]), int(style["font_weight"])
    line = set_head_line(box.element.get("alt") or "", role, weight, size, letter_pt, word_pt)
    # The line's box is the placeholder's, widened by a negative right margin (a spread line's last spacing).
    width_px = float(box.width) - min(float(box.margin_right or 0), 0.0)
    full_px = line.end / PX
    align = style["text_align_last"]
    if align == "auto":
        align = style["text_align_all"]
        if align == "justify":
            align = "start"
    if align == "center":
        left = (width_px - full_px) / 2
    elif align in ("right", "end"):
        left = width_px - full_px
    else:
        left = 0.0
    ascent, descent = _extents(role, weight)
    baseline = (float(box.height) - (ascent + descent) * size / PX) / 2 + ascent * size / PX  # CSS half-leading
    red, green, blue = style["color"].to("srgb").coordinates
    return PlacedHead(line, size, left, baseline, (float(red), float(green), float(blue)))


@lru_cache(maxsize=16)
def _extents(role: Role, weight: int) -> tuple[float, float]:
    """The ascent and descent (em) of the role's face at ``weight``, the metrics Pango gives CSS's line box."""
    face = _chain(role, weight)[0]
    extents = face.font.get_font_extents("ltr")
    return extents.ascender / face.upem, -extents.descender / face.upem


def _role(families: Any) -> Role:
    """The role of fonts.toml whose designed face is the first family the CSS names."""
    first = families[0] if families else ""
    for name, chain in fonts.roles().items():
        if chain.families and chain.families[0] == first:
            return name  # type: ignore[return-value]
    raise InputError([Problem("layout", None, f"a head's font-family {first!r} is no role's first family in "
                              "fonts.toml: the toolkit sets heads only in the faces it knows")])


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
