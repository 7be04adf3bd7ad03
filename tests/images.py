"""Image files for the tests, made by Pillow: camera JPEGs, CMYK, 16-bit, palette, alpha, TIFF, broken ones."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageCms, ImageDraw


def _scene(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A picture with a top and a side one can tell apart: a red band at the top, a blue one at the left."""
    image = Image.new("RGB", size, (230, 230, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], size[1] // 5), fill=(200, 20, 20))
    draw.rectangle((0, 0, size[0] // 6, size[1]), fill=(20, 20, 200))
    return image.convert(mode)


def jpeg(size: tuple[int, int] = (120, 80), orientation: int | None = None, mode: str = "RGB",
         icc: bytes | None = None) -> bytes:
    """A JPEG, with an EXIF orientation as a camera writes it when ``orientation`` is given."""
    out = io.BytesIO()
    options: dict[str, object] = {"quality": 90}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    if icc is not None:
        options["icc_profile"] = icc
    _scene(size, mode).save(out, "JPEG", **options)
    return out.getvalue()


def png(size: tuple[int, int] = (120, 80), mode: str = "RGB", transparency: int | None = None) -> bytes:
    out = io.BytesIO()
    if mode == "I;16":
        image = Image.linear_gradient("L").resize(size).convert("I").point(lambda v: v * 257).convert("I;16")
    elif mode == "P":
        image = _scene(size).quantize(colors=16)
    else:
        image = _scene(size, mode)
    options = {"transparency": transparency} if transparency is not None else {}
    image.save(out, "PNG", **options)
    return out.getvalue()


def noisy_png(size: tuple[int, int] = (300, 200)) -> bytes:
    """A PNG that compresses badly, as a photograph does: its data is most of the file."""
    out = io.BytesIO()
    Image.merge("RGB", [Image.effect_noise(size, 60 + 10 * band) for band in range(3)]).save(out, "PNG")
    return out.getvalue()


def png16_rgb(size: tuple[int, int] = (40, 30)) -> bytes:
    """An RGB PNG of 16 bits a sample, written by hand (Pillow writes RGB in 8 bits)."""
    raw = b"".join(b"\x00" + b"".join(struct.pack(">HHH", x * 1000, y * 1000, 30000) for x in range(size[0]))
                   for y in range(size[1]))  # each row: filter type 0, then the samples big-endian
    return _png_chunks(size, 16, 2, raw)


def png_claiming(size: tuple[int, int]) -> bytes:
    """A small PNG whose header claims ``size``: what a decompression bomb looks like before it is decoded."""
    return _png_chunks(size, 8, 2, b"")


def _png_chunks(size: tuple[int, int], depth: int, colour: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", size[0], size[1], depth, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def tiff(size: tuple[int, int] = (120, 80), mode: str = "RGB", compression: str = "tiff_lzw",
         pages: int = 1) -> bytes:
    out = io.BytesIO()
    if mode == "I;16":
        image = Image.linear_gradient("L").resize(size).convert("I").point(lambda v: v * 257).convert("I;16")
    elif mode == "F":
        image = Image.linear_gradient("L").resize(size).convert("F")
    else:
        image = _scene(size, mode)
    extra = {"save_all": True, "append_images": [image.copy() for _ in range(pages - 1)]} if pages > 1 else {}
    image.save(out, "TIFF", compression=compression, **extra)
    return out.getvalue()


def gif(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    _scene(size).save(out, "GIF")
    return out.getvalue()


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def lab_profile() -> bytes:
    """A profile whose colour space is not RGB: wrong for an RGB picture."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()


def truncated(data: bytes) -> bytes:
    """The file cut halfway, as a broken transfer leaves it."""
    return data[: len(data) // 2]
