"""Subsetting the real Noto CJK and Hanazono faces."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont

from publisher.typeset import fonts
from publisher.typeset.subset import subset_face


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
