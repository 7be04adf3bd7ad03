"""Subsetting the real Noto CJK and Hanazono faces."""

from __future__ import annotations

import io

import uharfbuzz as hb
from fontTools.ttLib import TTFont

from publisher.errors import ToolError
from publisher.typeset import fonts
from publisher.typeset.fonts import FontFace
from publisher.typeset.subset import harfbuzz_face, subset_face, subset_glyphs


def test_subset_keeps_exactly_the_requested_characters() -> None:
    text = "江海晚报讯，“外防输入、内防反弹”。ABC 123"
    subset = subset_face(fonts.primary("serif", 400), map(ord, text))
    assert subset.extension == "otf" and subset.media_type == "font/otf"
    font = TTFont(io.BytesIO(subset.data))
    assert set(font.getBestCmap()) == set(map(ord, text))
    assert len(subset.data) < 100_000


def test_subset_keeps_vertical_forms_and_the_licence() -> None:
    subset = subset_face(fonts.primary("sans", 700), map(ord, "“晚报”，。"))
    font = TTFont(io.BytesIO(subset.data))
    features = {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
    assert "vert" in features
    assert "Open Font License" in font["name"].getDebugName(13)
    assert font["name"].getDebugName(1) == "Noto Sans CJK SC"


def test_truetype_fallback_face_subsets_to_ttf() -> None:
    hana_b = next(f for f in fonts.chain("serif", 400) if f.family == "HanaMinB")
    subset = subset_face(hana_b, [ord("𠀁")])
    assert subset.media_type == "font/ttf"
    assert set(TTFont(io.BytesIO(subset.data)).getBestCmap()) == {ord("𠀁")}


def _weasyprint_cut(face: FontFace, gids: set[int]) -> bytes:
    """A face cut as WeasyPrint cuts it for a PDF (weasyprint/pdf/fonts.py, _harfbuzz_subset): the glyphs with
    their ids, then that cut to the glyphs up to the last one used, unhinted."""
    request = hb.SubsetInput()
    glyphs = request.sets(hb.SubsetInputSets.GLYPH_INDEX)
    for gid in sorted(gids):
        glyphs.add(gid)
    dropped = request.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for table in (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG "):
        dropped.add(int.from_bytes(table, "big"))
    request.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    first = hb.subset(harfbuzz_face(face), request)
    for gid in range(max(gids) + 1):
        glyphs.add(gid)
    request.flags = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
                     | hb.SubsetFlags.NO_HINTING)
    return bytes(hb.subset(first, request).blob.data)


def _glyphs(face: FontFace, text: str) -> set[int]:
    font = hb.Font(harfbuzz_face(face))
    return {gid for gid in (font.get_nominal_glyph(ord(character)) for character in text) if gid is not None}


def test_the_pdf_cut_is_weasyprints_whichever_way_it_is_made() -> None:
    serif = fonts.primary("serif", 400)
    vertical = hb.Font(harfbuzz_face(serif))
    buffer = hb.Buffer()
    buffer.add_str("，")
    buffer.guess_segment_properties()
    buffer.direction = "ttb"
    hb.shape(vertical, buffer, {"vert": True})
    vertical_comma = {info.codepoint for info in buffer.glyph_infos}
    assert vertical_comma != _glyphs(serif, "，")  # a form no character maps to
    cases = [
        (serif, _glyphs(serif, "江海晚报讯，“外防输入、内防反弹”。ABC 123")),  # cut once
        (fonts.primary("sans", 700), _glyphs(fonts.primary("sans", 700), "晚报")),
        (serif, vertical_comma),  # no character mapped: cut twice, as WeasyPrint does
        (serif, {0}),
    ]
    try:
        dejavu = fonts.find_face("DejaVu Sans", 400)
    except ToolError:
        pass  # no TrueType face with composite glyphs to try
    else:
        # ǻ is made of glyphs after its own: the first pass keeps them, the second drops them.
        cases += [(dejavu, _glyphs(dejavu, "Café")), (dejavu, _glyphs(dejavu, "ǻ"))]
    for face, gids in cases:
        assert subset_glyphs(face, gids) == _weasyprint_cut(face, gids), (face.family, sorted(gids))
