"""Subset a font face: to the characters one book uses, or to the glyphs a PDF draws.

Both editions cut faces, the EPUB to its characters (``subset_face``) and
the print edition's join to its glyph ids (``subset_glyphs``), from the
same HarfBuzz faces: kept here, beside the font lookup, so that neither
edition takes it from the other.

A full Noto CJK face is 20–27 MB; an issue uses a few thousand characters at
most. HarfBuzz's subsetter cuts a 65k-glyph CFF face in ~10 ms where fontTools
takes seconds, so it is the one used here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import uharfbuzz as hb

from ..errors import ToolError
from .fonts import FontFace

# Name records kept besides the default 0–6 (copyright, family, version …):
# the licence description and URL travel with the subset, as the OFL asks.
_LICENCE_NAME_IDS = (13, 14)

# 'locl' swaps in the Japanese, Korean or Traditional forms of the other
# faces of a Pan-CJK font; the face we pick already has the forms of the
# book's language, and keeping 'locl' would almost double the subset.
_DROPPED_FEATURES = ("locl",)


@dataclass(frozen=True)
class FontSubset:
    """A subset face as embedded in a book."""

    face: FontFace
    data: bytes
    glyphs: int

    @property
    def extension(self) -> str:
        return "otf" if self.data[:4] == b"OTTO" else "ttf"

    @property
    def media_type(self) -> str:
        # EPUB 3.3 core media types for OpenType with CFF and TrueType outlines.
        return "font/otf" if self.extension == "otf" else "font/ttf"


@cache
def harfbuzz_face(face: FontFace) -> hb.Face:
    return hb.Face(hb.Blob.from_file_path(str(face.path)), face.index)


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "big")


def subset_face(face: FontFace, codepoints: Iterable[int]) -> FontSubset:
    """The face cut down to ``codepoints`` (those it lacks are ignored), with the
    layout features CJK text needs: vertical forms (vert, vrt2) and
    punctuation compression (halt, vhal, chws) are among HarfBuzz's defaults."""
    request = hb.SubsetInput()
    unicodes = request.sets(hb.SubsetInputSets.UNICODE)
    for cp in sorted(set(codepoints)):
        unicodes.add(cp)
    features = request.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    for feature in _DROPPED_FEATURES:
        features.remove(_tag(feature))
    name_ids = request.sets(hb.SubsetInputSets.NAME_ID)
    for name_id in _LICENCE_NAME_IDS:
        name_ids.add(name_id)
    result = hb.subset(harfbuzz_face(face), request)
    if result is None:
        raise ToolError(f"HarfBuzz could not subset {face.family} ({face.path.name})")
    return FontSubset(face=face, data=result.blob.data, glyphs=result.glyph_count)


# Tables a PDF reader never uses: the layout is done, its positions are in the page's content.
_PDF_DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def subset_glyphs(face: FontFace, gids: Iterable[int]) -> bytes:
    """The face cut down to the glyphs ``gids``, each keeping its id, for a PDF.

    Made the way WeasyPrint embeds a face (HarfBuzz, glyph ids retained, CFF
    desubroutinized, no hinting, the glyphs after the last one used dropped),
    so a face it embedded in parts of a document can be embedded once for the
    whole, as it would have embedded it for all of it.
    """
    data = _subset_pdf(harfbuzz_face(face), gids)
    if data is None:
        raise ToolError(f"HarfBuzz could not subset {face.family} ({face.path.name})")
    return data


def _subset_pdf(face: hb.Face, gids: Iterable[int]) -> bytes | None:
    wanted = sorted(set(gids))
    request = hb.SubsetInput()
    glyphs = request.sets(hb.SubsetInputSets.GLYPH_INDEX)
    for gid in wanted:
        glyphs.add(gid)
    dropped = request.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for table in _PDF_DROPPED_TABLES:
        dropped.add(_tag(table))
    # WeasyPrint cuts in two passes: the glyphs with their ids and hints, then that cut to the glyphs up to the
    # last one used, unhinted. One unhinted pass gives the same bytes where the first pass adds no glyph after
    # the last one used (a composite's components, which the second pass drops) and keeps a character map
    # (the second pass drops an empty one); it costs a third as much: the CJK faces of an issue take it.
    request.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                     | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.NO_HINTING)
    once = hb.subset(face, request) if wanted else None
    if once is not None and once.glyph_count == wanted[-1] + 1 and once.unicodes:
        return bytes(once.blob.data)
    request.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    kept = hb.subset(face, request)
    if kept is None:
        return None
    # Retaining the ids keeps every glyph up to the last of the font; those after the last used go.
    for gid in range(max(wanted, default=0) + 1):
        glyphs.add(gid)
    request.flags = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
                     | hb.SubsetFlags.NO_HINTING)
    result = hb.subset(kept, request)
    return bytes(result.blob.data) if result is not None else None
