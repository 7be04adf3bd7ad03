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
(``installed_face``), so the joined PDF is the same, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
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


@contextmanager
def cut_for_the_join() -> Iterator[None]:
    """While a part is written: each face the join will cut again is cut by WeasyPrint to .notdef only."""
    from weasyprint.pdf.fonts import Font

    cut = Font.subset

    def cut_unless_cut_again(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        if to_unicode and not _REWORKED & set(font.tables):
            whole = font.file_content
            cut(font, {0: ""}, hinting)
            base_name = font.name.decode("latin-1")[1:].split("+", 1)[-1]
            if installed_face(font.family, base_name, font.file_content) is not None:
                return
            font.file_content = whole  # cut again from the whole face, whichever subsetter WeasyPrint uses
        cut(font, to_unicode, hinting)

    Font.subset = cut_unless_cut_again
    try:
        yield
    finally:
        Font.subset = cut
