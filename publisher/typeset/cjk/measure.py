"""Advances of characters as WeasyPrint/Pango will draw them, from the real font files.

Pango shapes with HarfBuzz, default features (plus ``kern``) and the element's
language, without rounding glyph positions in WeasyPrint. We shape the same
faces with uharfbuzz and ``zh-Hans``: the language matters (with it, ``—`` and
``…`` are full-width in Noto CJK; without, proportional).

Advances are kept in em (font units / units per em): HarfBuzz without hinting
scales linearly, so one cache per face serves every size. CJK characters are
measured one by one and cached; Latin runs are shaped as a whole so that
kerning pairs count. A character the primary face lacks is measured in the
first face of the fallback chain that has it, the way fontconfig falls back
when the CSS lists the same chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import uharfbuzz as hb

from .. import fonts
from ..fonts import FontFace, Role

LANGUAGE = "zh-Hans"


class _Face:
    """One font file face opened in HarfBuzz."""

    def __init__(self, face: FontFace) -> None:
        blob = hb.Blob.from_file_path(str(face.path))
        hb_face = hb.Face(blob, face.index)
        self.font = hb.Font(hb_face)
        self.upem = float(hb_face.upem)

    def has(self, ch: str) -> bool:
        return self.font.get_nominal_glyph(ord(ch)) is not None

    def shape(self, text: str, features: dict[str, bool] | None = None) -> list[float]:
        """Per-character advances in em; a ligature's advance goes to its first character."""
        buf = hb.Buffer()
        buf.add_codepoints([ord(c) for c in text])
        buf.guess_segment_properties()
        if buf.script in (None, "Zyyy", "Zinh", "Zzzz"):
            # Pango gives common characters (digits, dashes, quotes) the script
            # of their neighbours, which in this paper is Han.
            buf.script = "Hani"
        buf.language = LANGUAGE
        hb.shape(self.font, buf, features or {})
        out = [0.0] * len(text)
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
            out[info.cluster] += pos.x_advance / self.upem
        return out


@cache
def _open(face: FontFace) -> _Face:
    return _Face(face)


class Measure:
    """Advances (in em) for one role and weight, with the role's fallback chain."""

    def __init__(self, chain: Sequence[FontFace]) -> None:
        self._faces = [_open(f) for f in chain]
        self._single: dict[str, float] = {}
        self._halt: dict[str, float] = {}

    def _face_for(self, ch: str) -> _Face:
        for face in self._faces:
            if face.has(ch):
                return face
        return self._faces[0]  # .notdef: the coverage check reports it, not us

    def in_primary(self, ch: str) -> bool:
        """Does the role's own face (at this weight) draw ``ch``, rather than a fallback?"""
        return self._faces[0].has(ch)

    def advance(self, ch: str) -> float:
        try:
            return self._single[ch]
        except KeyError:
            adv = self._single[ch] = self._face_for(ch).shape(ch)[0]
            return adv

    def halt_advance(self, ch: str) -> float:
        """The advance with ``halt`` (half-width alternates); the full advance if the font has none."""
        try:
            return self._halt[ch]
        except KeyError:
            adv = self._halt[ch] = self._face_for(ch).shape(ch, {"halt": True})[0]
            return adv

    def run(self, text: str) -> list[float]:
        """Per-character advances of a Latin run shaped as a whole (kerning between its letters)."""
        primary = self._faces[0]
        if all(primary.has(c) for c in text):
            return primary.shape(text)
        return [self.advance(c) for c in text]


@cache
def measure(role: Role = "serif", weight: int = 400) -> Measure:
    return Measure(fonts.chain(role, weight))
