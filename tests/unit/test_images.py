"""Image files an issue names: read from inside its folder, checked whole, described for the editions."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageFile

from publisher.ingest import images as module
from publisher.ingest.images import Shelf, check_image
from publisher.untrusted import Refused
from tests import images


def refused(data: bytes) -> str:
    with pytest.raises(Refused) as caught:
        check_image(data, "photos/x.jpg")
    return str(caught.value)


def test_a_camera_jpeg_stands_upright_by_its_exif_orientation() -> None:
    data = images.jpeg((120, 80), orientation=6)  # stored landscape, shown turned a quarter: portrait
    image = check_image(data, "photos/camera.jpg")
    assert (image.format, image.orientation, image.exif, image.turned) == ("JPEG", 6, True, True)
    assert (image.stored_width, image.stored_height) == (120, 80)
    assert (image.width, image.height) == (80, 120)
    assert image.data == data and image.size == len(data)
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    assert image.file == "photos/camera.jpg"


@pytest.mark.parametrize("orientation, upright", [(1, (120, 80)), (3, (120, 80)), (5, (80, 120)), (8, (80, 120))])
def test_orientations_that_turn_a_quarter_swap_the_sides(orientation: int, upright: tuple[int, int]) -> None:
    image = check_image(images.jpeg((120, 80), orientation=orientation), "a.jpg")
    assert (image.width, image.height) == upright and image.orientation == orientation


def test_a_jpeg_without_exif_is_upright_as_stored() -> None:
    image = check_image(images.jpeg((120, 80)), "a.jpg")
    assert (image.orientation, image.exif, image.turned) == (1, False, False)


@pytest.mark.parametrize("data, fmt, mode, bits, alpha", [
    (images.jpeg(mode="CMYK"), "JPEG", "CMYK", 8, False),
    (images.jpeg(mode="L"), "JPEG", "L", 8, False),
    (images.png(mode="I;16"), "PNG", "I;16", 16, False),
    (images.png16_rgb(), "PNG", "RGB", 16, False),  # Pillow shows it as 8-bit RGB: the file's depth is kept
    (images.png(mode="P"), "PNG", "P", 2, False),
    (images.png(mode="P", transparency=0), "PNG", "P", 2, True),
    (images.png(mode="RGBA"), "PNG", "RGBA", 8, True),
    (images.png(mode="LA"), "PNG", "LA", 8, True),
    (images.png(mode="1"), "PNG", "1", 1, False),
    (images.tiff(), "TIFF", "RGB", 8, False),
    (images.tiff(mode="CMYK", compression="raw"), "TIFF", "CMYK", 8, False),
    (images.tiff(mode="I;16", compression="tiff_adobe_deflate"), "TIFF", "I;16", 16, False),
])
def test_formats_modes_and_depths_are_described(data: bytes, fmt: str, mode: str, bits: int, alpha: bool) -> None:
    image = check_image(data, "a")
    assert (image.format, image.mode, image.bits, image.alpha) == (fmt, mode, bits, alpha)
    assert (image.width, image.height) in ((120, 80), (40, 30))


def test_the_format_is_the_content_not_the_name() -> None:
    assert check_image(images.png(), "photos/really-a-png.jpg").format == "PNG"


@pytest.mark.parametrize("data, what", [
    (images.gif(), "a GIF image"),
    (b"\xe5\x9b\xbe\xe7\x89\x87 not a photo\n", "text, not an image"),
    (b"", "an empty file"),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "a WebP image"),
    (b"%PDF-1.7\n", "a PDF document"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "an SVG drawing"),
    (bytes(range(256)), "not an image of a known format"),
])
def test_other_files_are_refused_saying_what_they_are(data: bytes, what: str) -> None:
    assert refused(data) == f"{what}; a picture must be JPEG, PNG or TIFF"


@pytest.mark.parametrize("data, fmt", [
    (images.truncated(images.jpeg((600, 400))), "JPEG"),
    (images.truncated(images.jpeg((600, 400), mode="CMYK")), "JPEG"),
    (images.truncated(images.noisy_png()), "PNG"),
    (images.truncated(images.tiff((300, 200), compression="raw")), "TIFF"),
])
def test_a_truncated_image_is_refused_though_weasyprint_lets_pillow_pad_it(data: bytes, fmt: str) -> None:
    import weasyprint  # noqa: F401  # its import sets LOAD_TRUNCATED_IMAGES for the whole process

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    message = refused(data)
    assert message.startswith(f"the {fmt} cannot be") and ("truncated" in message or "damaged" in message)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # given back as it was


def test_damaged_compressed_data_is_refused() -> None:
    data = images.noisy_png()
    middle = len(data) // 2
    broken = data[:middle] + bytes(400) + data[middle + 400:]
    assert refused(broken) == "the PNG cannot be decoded: it is damaged"


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = images.png_claiming((100_000, 100_000))
    assert len(bomb) < 100
    assert refused(bomb) == ("the PNG claims 10,000 million pixels, more than the limit of 150 million pixels a "
                             "picture (a decompression bomb?)")


def test_an_image_over_the_pixel_limit_below_pillows_own_is_refused_with_its_size() -> None:
    assert refused(images.png_claiming((13_000, 12_000))) == (
        "13000 × 12000 pixels (156 million pixels) is more than the limit of 150 million pixels a picture "
        "(a decompression bomb?)")


def test_the_pixel_limit_is_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "IMAGE_PIXELS", 100 * 60)
    assert "120 × 80 pixels (9,600 pixels) is more than the limit of 6,000 pixels" in refused(images.png())


def test_pixels_no_edition_can_print_are_refused() -> None:
    assert refused(images.tiff(mode="F", compression="raw")) == (
        "its pixels are in colour mode F (32-bit floating point), which no edition can print; save it as 8- or "
        "16-bit RGB, greyscale or CMYK")


def test_a_tiff_of_several_pages_is_refused() -> None:
    assert refused(images.tiff(pages=3)) == "a TIFF of 3 pages; a picture is one image"


def test_an_icc_profile_must_be_readable_and_of_the_pixels_colour_space() -> None:
    assert check_image(images.jpeg(icc=images.srgb_profile()), "a").icc is True
    assert refused(images.jpeg(icc=b"not a profile" * 20)) == (
        "its ICC colour profile is damaged; save it again with the profile embedded, or without one")
    assert refused(images.jpeg(icc=images.lab_profile())) == (
        "its ICC colour profile is for Lab but its pixels are RGB; save it again with a profile of its own colour "
        "space")


# --- the shelf: names relative to the issue's folder --------------------------------------------------------


def shelf_refusal(shelf: Shelf, name: str) -> str:
    with pytest.raises(Refused) as caught:
        shelf.image(name)
    return str(caught.value)


def test_the_shelf_reads_each_file_once_and_keeps_its_bytes(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    data = images.jpeg()
    (tmp_path / "photos" / "a.jpg").write_bytes(data)
    shelf = Shelf(tmp_path)
    first = shelf.image("photos/a.jpg")
    (tmp_path / "photos" / "a.jpg").write_bytes(images.png())  # changed after it was read: the bytes read stay
    again = shelf.image("photos/./a.jpg")
    assert first.data == again.data == data and again.format == "JPEG"
    assert (first.file, again.file) == ("photos/a.jpg", "photos/./a.jpg")
    assert shelf.total == len(data)


def test_the_shelf_refuses_what_is_not_a_regular_file_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    (folder / "photos" / "dir.jpg").mkdir(parents=True)
    (tmp_path / "secret.jpg").write_bytes(images.jpeg())
    (folder / "photos" / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    shelf = Shelf(folder)
    assert shelf_refusal(shelf, "photos/missing.jpg") == "photos/missing.jpg: picture file not found"
    assert shelf_refusal(shelf, "photos/dir.jpg") == "photos/dir.jpg: picture file is a folder, not a regular file"
    assert shelf_refusal(shelf, "photos/link.jpg") == (
        "photos/link.jpg leads outside the issue's folder; a picture must be inside it")
    assert shelf_refusal(shelf, "../secret.jpg") == (
        "../secret.jpg leads outside the issue's folder; a picture must be inside it")
    assert shelf_refusal(shelf, str(tmp_path / "secret.jpg")).endswith(
        "is an absolute path; a picture must be named relative to the issue's folder")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jpg")
    assert shelf_refusal(Shelf(tmp_path), "pipe.jpg") == "pipe.jpg: picture file is a named pipe, not a regular file"


def test_the_byte_limits_of_a_file_and_of_an_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = images.jpeg()
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        (tmp_path / name).write_bytes(data)
    (tmp_path / "big.png").write_bytes(images.noisy_png())
    monkeypatch.setattr(module, "IMAGE_FILE_BYTES", len(data) + 10)
    monkeypatch.setattr(module, "ISSUE_IMAGE_BYTES", 2 * len(data) + 5)
    shelf = Shelf(tmp_path)
    assert shelf_refusal(shelf, "big.png").startswith("big.png: picture file is ")
    assert "more than the limit of" in shelf_refusal(shelf, "big.png")
    shelf.image("a.jpg")
    shelf.image("b.jpg")
    shelf.image("a.jpg")  # read once: counted once
    assert shelf_refusal(shelf, "c.jpg").startswith("c.jpg: the pictures of the issue up to here hold ")


_SMALL = (images.jpeg((48, 32), orientation=6), images.png((48, 32), mode="P", transparency=0),
          images.tiff((48, 32), compression="tiff_adobe_deflate"), images.png16_rgb((16, 12)))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_SMALL), st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), min_size=1,
                                         max_size=8), st.integers(0, 4000))
def test_a_spoiled_image_is_described_or_refused_never_a_traceback(data: bytes, edits: list[tuple[int, int]],
                                                                    cut: int) -> None:
    spoiled = bytearray(data)
    for offset, value in edits:
        if offset < len(spoiled):
            spoiled[offset] = value
    try:
        image = check_image(bytes(spoiled[: max(cut, 8)] if cut < len(spoiled) else spoiled), "a")
    except Refused as refused:
        assert str(refused)
    else:
        assert image.width > 0 and image.height > 0 and image.format in ("JPEG", "PNG", "TIFF")
