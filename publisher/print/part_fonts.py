"""The faces WeasyPrint embeds in a part: cut by WeasyPrint only where the join will not cut them again.

WeasyPrint cuts each face it embeds down to the glyphs its document uses
(HarfBuzz's subsetter: 25-45 ms for a CJK face, two faces per part). The join
(``publisher.print.pdf_join``) embeds each installed face once for the whole
issue, cut again from the installed file; of a part's copy it reads only the
PostScript name, to know the face by. So a face the join will know is cut
in the part to its .notdef glyph alone, which keeps the name table (a few
milliseconds); a face it will not know (a layout's own font, a variable or
colour face) is cut as WeasyPrint cuts it, and the join embeds the part's
copy. Which is which is decided by the one function the join decides by
(``installed_face``), so the joined PDF is the same, byte for byte. Nor is
a face copied whole out of HarfBuzz as WeasyPrint makes its font (10-25 ms
for a 20 MB collection, two or more a part): only if something reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import uharfbuzz as hb

from ..errors import ToolError
from ..typeset import fonts
from ..typeset.fonts import FontFace
from ..typeset.subset import harfbuzz_face

_WEIGHTS = {"Thin": 100, "Light": 300, "Medium": 500, "Semi-Bold": 600, "Bold": 700, "Heavy": 900}
# Tables that make WeasyPrint rework a face after cutting it from its whole file (variations, bitmaps,
# colour glyphs): such a face is cut as WeasyPrint cuts it.
_REWORKED = {"fvar", "CBDT", "sbix", "SVG ", "COLR", "EBDT"}


def installed_face(family: str, base_name: str, program: bytes) -> FontFace | None:
    """The installed face a part's copy of a face was cut from: its family and style, confirmed by its
    PostScript name; None for a face not installed (the part's copy is embedded as it is)."""
    style = base_name[len(family.replace(" ", "-")):].lstrip("-")
    weight = 400
    for word, value in _WEIGHTS.items():
        if word in style.split("-") or style == word:
            weight = value
    try:
        face = fonts.find_face(family, weight)
    except ToolError:
        return None
    subset_name = hb.Face(hb.Blob(program)).get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)
    original: str | None = harfbuzz_face(face).get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME)
    return face if subset_name and subset_name == original else None


class _ReadWhenAsked:
    """``Font.file_content`` while a part is written: the face's whole file, copied out of HarfBuzz only when
    something reads it. WeasyPrint copies it as it makes each font (a CJK collection is 20-30 MB: 10-25 ms a
    face), though it cuts the face from HarfBuzz's own copy; a face the join cuts again is never read whole."""

    def __init__(self, read: Callable[[Any], bytes]) -> None:
        self.read = read

    def __get__(self, font: Any, owner: type | None = None) -> Any:
        if font is None:
            return self
        data = font.__dict__.get("file_content")
        if data is None:
            data = font.__dict__["file_content"] = self.read(font.hb_face)
        return data

    def __set__(self, font: Any, value: bytes | None) -> None:
        font.__dict__["file_content"] = value


@contextmanager
def cut_for_the_join() -> Iterator[None]:
    """While a part is written: each face the join will cut again is cut by WeasyPrint to .notdef only, and
    no face is copied whole unless something reads it whole."""
    from weasyprint.pdf import fonts as pdf_fonts

    font_class = pdf_fonts.Font
    cut, made, read = font_class.subset, font_class.__init__, pdf_fonts.get_hb_object_data

    def make_unread(font: Any, *args: Any, **kwargs: Any) -> None:
        pdf_fonts.get_hb_object_data = _unread  # Font.__init__'s copy of the whole face, left to _ReadWhenAsked
        try:
            made(font, *args, **kwargs)
        finally:
            pdf_fonts.get_hb_object_data = read

    def cut_unless_cut_again(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if to_unicode and not _REWORKED & set(font.tables):
            cut(font, {0: ""}, hinting)  # from the face HarfBuzz holds, not from file_content
            base_name = font.name.decode("latin-1")[1:].split("+", 1)[-1]
            if installed_face(font.family, base_name, font.file_content) is not None:
                return
            font.file_content = None  # the whole face again, for whichever subsetter WeasyPrint uses
        cut(font, to_unicode, hinting)

    font_class.subset = cut_unless_cut_again
    font_class.__init__ = make_unread
    font_class.file_content = _ReadWhenAsked(read)
    try:
        yield
    finally:
        font_class.subset = cut
        font_class.__init__ = made
        del font_class.file_content


def _unread(face: Any) -> None:
    return None
