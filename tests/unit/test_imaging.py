"""Pictures' pixels: orientation, colour, depth, crops and resolution (publisher.imaging), and the EPUB's
screen images (publisher.epub.pictures)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from publisher.epub.pictures import LONG_SIDE, UprightPixels, screen_image, upright_pixels
from publisher.imaging import cover, is_plain, open_image, orientation, ppi, to_srgb, turned_upright, upright_size
from tests.pictures_helpers import (
    QUADRANTS,
    camera_jpeg,
    cmyk_red_jpeg,
    encoded,
    grey16_png,
    quadrants,
    swapped_primaries_profile,
)


def _quadrant_colours(image: Image.Image) -> dict[str, tuple[int, int, int]]:
    rgb = image.convert("RGB")
    width, height = rgb.size
    points = {"top left": (width // 4, height // 4), "top right": (3 * width // 4, height // 4),
              "bottom left": (width // 4, 3 * height // 4), "bottom right": (3 * width // 4, 3 * height // 4)}
    return {name: rgb.getpixel(point) for name, point in points.items()}  # type: ignore[misc]


def _close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("turn", range(1, 9))
def test_every_exif_orientation_turns_upright(turn: int) -> None:
    image = open_image(camera_jpeg(turn))
    assert orientation(image) == turn
    assert upright_size(image) == (400, 300)
    upright = turned_upright(image.convert("RGB"), turn)
    colours = _quadrant_colours(upright)
    assert all(_close(colours[name], QUADRANTS[name]) for name in QUADRANTS), colours


def test_a_plain_jpeg_is_shown_as_stored_and_others_are_not() -> None:
    assert is_plain(open_image(encoded(quadrants(), "JPEG")))
    assert not is_plain(open_image(cmyk_red_jpeg()))
    assert not is_plain(open_image(grey16_png()))
    profiled = encoded(Image.new("RGB", (8, 8), (0, 200, 0)), "JPEG", icc_profile=swapped_primaries_profile())
    assert not is_plain(open_image(profiled))


def test_cmyk_prints_its_colour_not_inverted() -> None:
    red = to_srgb(open_image(cmyk_red_jpeg()))
    assert red.mode == "RGB"
    assert _close(red.getpixel((10, 10)), (255, 0, 0))  # type: ignore[arg-type]


def test_sixteen_bit_grey_keeps_its_tones() -> None:
    grey = to_srgb(open_image(grey16_png()))
    assert grey.mode == "L"
    values = list(grey.get_flattened_data())
    assert min(values) == 0 and max(values) == 255
    assert 120 <= sum(values) / len(values) <= 135


def test_an_embedded_profile_is_applied() -> None:
    green_samples = encoded(Image.new("RGB", (8, 8), (0, 200, 0)), "JPEG", icc_profile=swapped_primaries_profile())
    shown = to_srgb(open_image(green_samples)).getpixel((4, 4))
    assert shown[0] > 150 and shown[1] < 80  # type: ignore[index]  # the profile says those samples are red


def test_palette_and_alpha_come_out_as_rgb_with_alpha() -> None:
    palette = Image.new("P", (10, 10), 1)
    palette.putpalette([0, 0, 0, 250, 10, 10] + [0] * 762)
    palette.info["transparency"] = 0
    converted = to_srgb(open_image(encoded(palette, "PNG")))
    assert converted.mode == "RGBA"
    assert converted.getpixel((2, 2)) == (250, 10, 10, 255)


@given(width=st.integers(10, 5000), height=st.integers(10, 5000), frame_w=st.floats(10, 1000),
       frame_h=st.floats(10, 1000), fx=st.floats(0, 1), fy=st.floats(0, 1))
def test_a_cover_crop_fills_the_frame_without_stretching(width: int, height: int, frame_w: float, frame_h: float,
                                                          fx: float, fy: float) -> None:
    crop = cover((width, height), (frame_w, frame_h), (fx, fy))
    assert 0 <= crop.left <= 1 - crop.width + 1e-9 and 0 <= crop.top <= 1 - crop.height + 1e-9
    assert crop.width == 1.0 or crop.height == 1.0
    shown = (width * crop.width) / (height * crop.height)
    assert shown == pytest.approx(frame_w / frame_h, rel=1e-9)


def test_a_crop_keeps_its_focus_point_in_view() -> None:
    crop = cover((1000, 500), (100, 100), (0.9, 0.5))
    assert crop.left <= 0.9 <= crop.left + crop.width
    assert crop.left + crop.width == pytest.approx(1.0)  # clamped at the right edge
    assert ppi((1000, 500), crop, 72.0) == pytest.approx(500)


def test_screen_images_are_at_most_the_long_side_and_never_enlarged() -> None:
    big = screen_image(encoded(quadrants(4000, 3000), "JPEG"))
    assert (big.width, big.height) == (LONG_SIDE, 1200) and big.media_type == "image/jpeg"
    small_bytes = encoded(quadrants(400, 300), "JPEG")
    small = screen_image(small_bytes)
    assert small.data == small_bytes  # small, upright, sRGB: its own bytes
    turned = screen_image(camera_jpeg(6))
    assert (turned.width, turned.height) == (400, 300)
    assert _quadrant_colours(Image.open(io.BytesIO(turned.data)))["top left"][0] > 150
    tiff = screen_image(encoded(quadrants(2000, 1000), "TIFF"))
    assert tiff.media_type == "image/jpeg" and max(tiff.width, tiff.height) == LONG_SIDE
    grey = screen_image(grey16_png(), photo=False)  # a graphic stays a PNG
    assert grey.media_type == "image/png" and Image.open(io.BytesIO(grey.data)).mode == "L"
    photo_png = screen_image(encoded(quadrants(600, 400), "PNG"))  # a photograph becomes a JPEG
    assert photo_png.media_type == "image/jpeg" and (photo_png.width, photo_png.height) == (600, 400)
    graphic = encoded(quadrants(600, 400), "PNG")
    assert screen_image(graphic, photo=False).data == graphic


@pytest.mark.parametrize("data", [camera_jpeg(6, 2400, 1800), encoded(quadrants(600, 400), "PNG")],
                         ids=["turned camera JPEG past the long side", "PNG photograph"])
def test_the_cover_and_the_screen_copy_read_one_decoding_and_get_the_same_pixels(data: bytes) -> None:
    decoded = UprightPixels()
    kept = decoded.keep(data)  # the cover's photograph (book.py draws the cover first)
    assert decoded.keep(data) is kept
    assert kept.convert("RGB").tobytes() == upright_pixels(data).convert("RGB").tobytes()
    shared = screen_image(data, pixels=decoded)  # takes the kept pixels and may change them
    assert shared == screen_image(data)
    assert decoded.take(data) is not kept  # handed over once: decoded afresh


def test_a_picture_within_the_limit_but_past_pillows_warning_opens_quietly() -> None:
    """IMAGE_PIXELS (150 megapixels) is above Pillow's warning (89 megapixels): a 9,500 x 9,500 photo, checked at
    load, printed Pillow's DecompressionBombWarning with its source line on the terminal of every build."""
    import warnings

    data = encoded(Image.new("L", (9_500, 9_500), 128), "PNG")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with open_image(data) as image:
            assert image.size == (9_500, 9_500)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)], caught
