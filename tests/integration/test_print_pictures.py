"""Pictures drawn in the PDF by publisher.print.pictures: upright, in their colours, cropped by a clip,
a plain JPEG with its own bytes. Rendered by poppler (pdftoppm) as a reader's viewer would."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from publisher.imaging import Crop, cover, open_image, upright_size
from publisher.print.pictures import frame_form, pdf_image
from tests.pictures_helpers import (
    QUADRANTS,
    camera_jpeg,
    cmyk_red_jpeg,
    encoded,
    grey16_png,
    quadrants,
    swapped_primaries_profile,
)

FRAME = (200.0, 150.0)  # pt, the quadrant picture's shape


def page_with_picture(data: bytes, tmp_path: Path, frame: tuple[float, float] = FRAME, crop: Crop | None = None,
               ) -> tuple[Path, pikepdf.Pdf]:
    """A PDF page of the frame's size holding the picture drawn as the print edition draws it."""
    pdf = pikepdf.new()
    width, height = frame
    image = pdf_image(data, width)
    shown = crop or cover(upright_size(open_image(data)), frame)
    form = frame_form(pdf, image, shown)
    content = f"q {width} 0 0 {height} 0 0 cm /Frame Do Q".encode()
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, width, height],
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Frame=form)),
                              Contents=pdf.make_stream(content))
    pdf.pages.append(pikepdf.Page(page))
    path = tmp_path / "picture.pdf"
    pdf.save(path)
    return path, pdf


def _rendered(path: Path) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(path)], check=True,
                         capture_output=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def _at(image: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    pixel = image.getpixel((int(image.width * x), int(image.height * y)))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def _close(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 45) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("turn", range(1, 9))
def test_a_camera_jpeg_prints_upright_for_every_orientation(turn: int, tmp_path: Path) -> None:
    data = camera_jpeg(turn)
    path, pdf = page_with_picture(data, tmp_path)
    shown = _rendered(path)
    for name, (x, y) in {"top left": (0.25, 0.25), "top right": (0.75, 0.25), "bottom left": (0.25, 0.75),
                         "bottom right": (0.75, 0.75)}.items():
        assert _close(_at(shown, x, y), QUADRANTS[name]), (turn, name, _at(shown, x, y))
    # turned by the drawing, not re-encoded: the file's bytes are the image's stream
    streams = [bytes(o.read_raw_bytes()) for o in pdf.objects
               if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert hashlib.sha256(data).digest() in {hashlib.sha256(s).digest() for s in streams}


def test_a_crop_is_a_clip_around_the_focus(tmp_path: Path) -> None:
    data = encoded(quadrants(400, 300), "JPEG", quality=92)
    wide = (200.0, 100.0)  # the frame is wider: a third of the height is cut, at the top (focus there)
    crop = cover((400, 300), wide, (0.5, 0.0))
    assert crop == Crop(0.0, 0.0, 1.0, pytest.approx(2 / 3))
    path, _ = page_with_picture(data, tmp_path, wide, crop)
    shown = _rendered(path)
    assert _close(_at(shown, 0.25, 0.2), QUADRANTS["top left"])
    assert _close(_at(shown, 0.25, 0.9), QUADRANTS["bottom left"])  # the lower half shows down to two thirds of the picture
    assert pdf_image(data).kept


def test_cmyk_sixteen_bit_profiles_and_alpha_print_their_colours(tmp_path: Path) -> None:
    red, _ = page_with_picture(cmyk_red_jpeg(300, 225), tmp_path)
    assert _close(_at(_rendered(red), 0.5, 0.5), (255, 0, 0))
    grey, _ = page_with_picture(grey16_png(300, 225), tmp_path)
    ramp = _rendered(grey).convert("L")
    mean = sum(ramp.get_flattened_data()) / (ramp.width * ramp.height)  # type: ignore[arg-type]
    assert 110 <= mean <= 145 and ramp.getpixel((2, 50)) < 30  # a ramp, not black
    profiled = encoded(Image.new("RGB", (300, 225), (0, 200, 0)), "JPEG", icc_profile=swapped_primaries_profile())
    shown, _ = page_with_picture(profiled, tmp_path)
    assert _at(_rendered(shown), 0.5, 0.5)[0] > 150  # the profile's red, not the samples' green
    kept = pdf_image(profiled)
    assert kept.kept and kept.profile == swapped_primaries_profile()  # its bytes, its profile attached
    half = Image.new("RGBA", (300, 225), (255, 0, 0, 128))
    blended, pdf = page_with_picture(encoded(half, "PNG"), tmp_path)
    assert _close(_at(_rendered(blended), 0.5, 0.5), (255, 128, 128), 20)  # over white paper
    assert any("/SMask" in o for o in pdf.objects if isinstance(o, pikepdf.Stream))


def test_a_huge_converted_master_is_bounded_at_the_printed_size() -> None:
    tiff = encoded(quadrants(6000, 4500), "TIFF")
    image = pdf_image(tiff, 144.0)  # 2 inches wide: 1200 px at the bound
    assert not image.kept and image.width == 1200


def _png_idat(data: bytes) -> bytes:
    """The IDAT data of a PNG file, read chunk by chunk."""
    position, found = 8, b""
    while position < len(data):
        length = int.from_bytes(data[position:position + 4], "big")
        if data[position + 4:position + 8] == b"IDAT":
            found += data[position + 8:position + 8 + length]
        position += 12 + length
    return found


def test_a_plain_png_goes_in_with_its_own_rows_and_prints_its_colours(tmp_path: Path) -> None:
    data = encoded(quadrants(400, 300), "PNG")
    image = pdf_image(data, 200.0)
    assert image.filter == "/FlateDecode" and image.data == _png_idat(data)  # neither decoded nor compressed again
    path, _ = page_with_picture(data, tmp_path)
    shown = _rendered(path)
    assert _close(_at(shown, 0.25, 0.25), QUADRANTS["top left"], 10)
    assert _close(_at(shown, 0.75, 0.75), QUADRANTS["bottom right"], 10)
    # a 16-bit PNG's rows are not what an 8-bit image reads: its pixels are converted
    deep = grey16_png(300, 225)
    assert pdf_image(deep).data != _png_idat(deep)


def test_an_image_printed_in_two_frames_is_stored_once() -> None:
    from publisher.print.pictures import Frame, placeholder_names, placeholder_url, put_pictures

    pdf = pikepdf.new()
    data = encoded(quadrants(400, 300), "PNG")  # converted (a PNG): the costly case
    urls = [placeholder_url("A1/1/x"), placeholder_url("A2/1/x")]
    xobjects = pikepdf.Dictionary({placeholder_names(url)[0]: pdf.make_stream(b"") for url in urls})
    put_pictures(pdf, xobjects, [Frame(urls[0], data, Crop(0, 0, 1, 1), 200.0),
                                 Frame(urls[1], data, Crop(0, 0.1, 1, 0.8), 100.0)])
    forms = [xobjects[placeholder_names(url)[0]] for url in urls]
    assert forms[0].objgen != forms[1].objgen  # each frame its own crop
    assert forms[0].Resources.XObject.Picture.objgen == forms[1].Resources.XObject.Picture.objgen
