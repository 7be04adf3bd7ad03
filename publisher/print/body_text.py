"""The body's lines set as positioned text: shaped once with HarfBuzz, drawn by the toolkit.

The breaker (``publisher.typeset.cjk``) has chosen every line's characters and the
letter-spacing that makes it end flush, from the faces' own advances. Handed
to WeasyPrint as styled boxes, the ~3,000 lines of a 16-page issue were
shaped, laid out and drawn again, three quarters of the PDF's time. Here each
line is shaped with the same faces and features the print CSS asked Pango for
(``halt`` on compressed marks, ``fwid`` on a run of dashes, kerning in Latin
words) and becomes PDF text: the glyphs of each face with their advances, the
line's letter-spacing as the character spacing ``Tc`` (it is added after each
glyph, as Pango adds it after each cluster), a Latin run unspaced, the
CJK–Latin autospace and the dateline gap as displacements. WeasyPrint lays
out and draws the rest of the sheet (``publisher.print.pdf``).

Positions follow the breaker's model, the one WeasyPrint's drawing matched:
a character starts at the sum of the advances, spacings and gaps before it.
The baseline sits in the line's grid pitch as CSS puts it, the half-leading
above the face's ascent. Every glyph keeps its text (ToUnicode), so the text
layer, ``publisher check`` and the archive's ALTO read every character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import uharfbuzz as hb

from ..typeset import fonts
from ..typeset.cjk.breaking import Line, Run
from ..typeset.cjk.classes import INSEPARABLE, Kind, kind
from ..typeset.fonts import FontFace, Role

LANGUAGE = "zh-Hans"
ROLE: Role = "serif"  # the body's role in fonts.toml: the breaker measures its lines in it


class Glyph(NamedTuple):
    """One glyph of a line: its face's glyph id, the characters it shows, where it stands."""

    gid: int
    text: str  # the cluster's characters ("" for a further glyph of a cluster)
    x: float  # pt from the column's left edge to the pen before the glyph
    offset: float  # pt the glyph is drawn right of the pen (the font's own placement)
    advance: float  # pt the pen moves for the glyph, before letter-spacing and gaps
    width: float  # pt, the glyph's own advance in its font (the PDF's /W)


@dataclass(frozen=True)
class Segment:
    """Consecutive glyphs of one face with one character spacing."""

    face: FontFace
    spacing: float  # pt after each glyph (Tc): the line's letter-spacing, 0 in a Latin run
    glyphs: tuple[Glyph, ...]


@dataclass(frozen=True)
class SetLine:
    """A line of the body ready to draw."""

    segments: tuple[Segment, ...]
    end: float  # pt from the column's left edge to the pen after the last glyph

    @property
    def text(self) -> str:
        return "".join(g.text for s in self.segments for g in s.glyphs)


class _Shaped(NamedTuple):
    """A glyph of a shaped piece, in em: what ``set_line`` needs, worked out once per piece."""

    gid: int
    text: str  # its cluster's characters, on the cluster's first glyph
    advance: float
    offset: float
    width: float
    cluster_end: bool  # the last glyph of its cluster: the letter-spacing follows it


class _Face:
    """One face of the chain opened in HarfBuzz, with its shaped pieces cached."""

    def __init__(self, face: FontFace) -> None:
        self.face = face
        blob = hb.Blob.from_file_path(str(face.path))
        self.hb_face = hb.Face(blob, face.index)
        self.font = hb.Font(self.hb_face)
        self.upem = float(self.hb_face.upem)
        self._cmap: dict[str, bool] = {}
        self._covers: dict[str, bool] = {}
        self._shaped: dict[tuple[str, tuple[str, ...]], tuple[_Shaped, ...]] = {}

    def has(self, ch: str) -> bool:
        try:
            return self._cmap[ch]
        except KeyError:
            found = self._cmap[ch] = self.font.get_nominal_glyph(ord(ch)) is not None
            return found

    def covers(self, unit: str) -> bool:
        """Does this face draw every character of ``unit`` (those that attach to another, and spaces, aside)?"""
        try:
            return self._covers[unit]
        except KeyError:
            found = self._covers[unit] = all(self.has(c) or _attaches(c) or kind(c) is Kind.SPACE for c in unit)
            return found

    def shape(self, text: str, features: tuple[str, ...]) -> tuple[_Shaped, ...]:
        key = (text, features)
        try:
            return self._shaped[key]
        except KeyError:
            pass
        buf = hb.Buffer()
        buf.add_codepoints([ord(c) for c in text])
        buf.guess_segment_properties()
        if buf.script in (None, "Zyyy", "Zinh", "Zzzz"):
            buf.script = "Hani"  # Pango gives common characters the script of their Han neighbours
        buf.language = LANGUAGE
        hb.shape(self.font, buf, dict.fromkeys(features, True))
        infos, positions = buf.glyph_infos, buf.glyph_positions
        clusters = [info.cluster for info in infos]
        shaped = []
        for index, (info, position) in enumerate(zip(infos, positions, strict=True)):
            first = index == 0 or clusters[index - 1] != clusters[index]
            following = clusters[index + 1] if index + 1 < len(clusters) else len(text)
            shaped.append(_Shaped(
                info.codepoint, text[clusters[index]:following] if first else "", position.x_advance / self.upem,
                position.x_offset / self.upem, self.font.get_glyph_h_advance(info.codepoint) / self.upem,
                index + 1 == len(clusters) or clusters[index + 1] != clusters[index]))
        result = self._shaped[key] = tuple(shaped)
        return result


@cache
def _open(face: FontFace) -> _Face:
    return _Face(face)


@cache
def _chain(role: Role, weight: int) -> tuple[_Face, ...]:
    return tuple(_open(face) for face in fonts.chain(role, weight))


def _face_for(chain: Sequence[_Face], ch: str) -> _Face:
    for face in chain:
        if face.has(ch):
            return face
    return chain[0]  # .notdef: the coverage check has refused such an issue before


def _attaches(ch: str) -> bool:
    """A character shaped with the one before it: a variation selector, a joiner, a combining mark."""
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or cp in (0x200C, 0x200D) or 0x0300 <= cp <= 0x036F


# A unit shaped on its own (``_units``): a run of the same dash or ellipsis mark, or any one character, with the
# characters that attach to it (variation selectors, joiners, combining marks). One expression, matched by
# the regular-expression engine, rather than a loop over the characters in Python: a tenth of the body's time.
_ATTACHING = "\ufe00-\ufe0f\U000e0100-\U000e01ef\u200c\u200d\u0300-\u036f"
_UNIT = re.compile(f"(?:([{re.escape(''.join(sorted(INSEPARABLE)))}])\\1*|.)[{_ATTACHING}]*", re.DOTALL)


def _units(text: str, latin: bool) -> Iterator[str]:
    """The pieces shaped on their own, as the breaker measured them: a Latin run whole,
    a run of the same dash or ellipsis mark together, otherwise one character each."""
    if latin:
        yield text
        return
    for match in _UNIT.finditer(text):
        yield match.group()


def _pieces(text: str, latin: bool, chain: Sequence[_Face]) -> Iterator[tuple[_Face, str]]:
    """``text`` in the faces that draw it: a unit in the primary face if it has every character,
    else each character in the first face of the chain that has it."""
    primary = chain[0]
    for unit in _units(text, latin):
        if primary.covers(unit):
            yield primary, unit
        else:
            for ch in unit:
                yield _face_for(chain, ch), ch


def _features(run: Run) -> tuple[str, ...]:
    features = []
    if "halt" in run.classes:
        features.append("halt")
    if "fw" in run.classes:
        features.append("fwid")
    return tuple(features)


def set_line(line: Line, size: float, role: Role = ROLE) -> SetLine:
    """Glyphs and positions of one line of the body at ``size`` pt, in the faces of ``role`` (the
    role the breaker measured the line in: a photo caption's is the sans)."""
    x = line.indent_pt
    runs: list[tuple[_Face, float, list[Glyph]]] = []
    previous: Run | None = None
    for run in line.runs:
        latin = "latin" in run.classes
        spacing = 0.0 if latin and "spaced" not in run.classes else line.letter_spacing_pt
        features = _features(run)
        for face, text in _pieces(run.text, latin, _chain(role, 700 if "b" in run.classes else 400)):
            if run is not previous:  # a run's margins count only where it shows something
                if previous is not None:
                    x += previous.margin_right_pt
                x += run.margin_left_pt
                previous = run
            if runs and runs[-1][0] is face and runs[-1][1] == spacing:
                glyphs = runs[-1][2]
            else:
                glyphs = []
                runs.append((face, spacing, glyphs))
            for glyph in face.shape(text, features):
                advance = glyph.advance * size
                glyphs.append(Glyph(glyph.gid, glyph.text, x, glyph.offset * size, advance, glyph.width * size))
                x += advance
                if glyph.cluster_end:
                    x += spacing  # letter-spacing after each cluster; the line's last falls past the column edge
    if previous is not None:
        x += previous.margin_right_pt
    return SetLine(tuple(Segment(face.face, spacing, tuple(glyphs)) for face, spacing, glyphs in runs), x)


def set_lines(lines: Iterable[Line], size: float, role: Role = ROLE) -> tuple[SetLine, ...]:
    return tuple(set_line(line, size, role) for line in lines)


def baseline(pitch: float, size: float) -> float:
    """pt from the top of a line of the grid to its baseline: CSS's half-leading above the face's ascent."""
    face = _open(fonts.primary(ROLE, 400))
    extents = face.font.get_font_extents("ltr")
    ascent, descent = extents.ascender / face.upem * size, -extents.descender / face.upem * size
    return float((pitch - ascent - descent) / 2 + ascent)


# --- drawing ------------------------------------------------------------------------------------------------

PX = 0.75  # pt per CSS pixel: WeasyPrint draws a page in pixels


def _number(value: float, places: int = 3) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def draw(lines: Sequence[SetLine], fonts_by_face: dict[FontFace, str], *, size: float, pitch: float,
         baseline_pt: float, color: tuple[float, float, float]) -> bytes:
    """PDF operators showing ``lines`` one grid line below the other, from the current origin.

    The origin is a column's top left, in CSS pixels with y growing downwards
    (WeasyPrint's page space). ``fonts_by_face`` names each face's font resource.
    """
    font_px = size / PX
    out = [b"BT", (" ".join(_number(c, 4) for c in color) + " rg").encode()]
    current: tuple[str, float] | None = None
    spacing_now = 0.0
    for row, line in enumerate(lines):
        glyphs = [g for s in line.segments for g in s.glyphs]
        if not glyphs:
            continue
        y = (row * pitch + baseline_pt) / PX
        for segment in line.segments:
            # Each segment from a position of its own: readers disagree on whether the character
            # spacing follows the last glyph of a TJ (pdfminer leaves it out), so none depends on it.
            pen = segment.glyphs[0].x + segment.glyphs[0].offset  # pt, where the next glyph goes
            out.append(f"1 0 0 -1 {_number(pen / PX)} {_number(y)} Tm".encode())
            name = fonts_by_face[segment.face]
            if current != (name, font_px):
                out.append(f"/{name} {_number(font_px)} Tf".encode())
                current = (name, font_px)
            if segment.spacing != spacing_now:
                out.append(f"{_number(segment.spacing / PX, 4)} Tc".encode())
                spacing_now = segment.spacing
            shown: list[str] = []
            for glyph in segment.glyphs:
                target = glyph.x + glyph.offset
                if abs(target - pen) > 1e-6:
                    # A displacement in thousandths of the font size: gaps, glyph offsets, kerning.
                    shown.append(f">{_number(-(target - pen) / size * 1000, 2)}<")
                shown.append(f"{glyph.gid:04x}")
                pen = target + glyph.width + segment.spacing
            out.append(("[<" + "".join(shown) + ">] TJ").replace("<>", "").encode())
    out.append(b"ET")
    return b"\n".join(out)
