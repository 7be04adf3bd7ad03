"""Pictures for e-readers: upright, sRGB, at most 1600 pixels on the long side, never enlarged.

An e-reader's screen is at most about 1600 pixels tall, and a camera's JPEG
is 4000 or more: shipped whole, one photo would weigh more than the book's
text and fonts together. A JPEG stays a JPEG. A photograph that came as a
PNG or a TIFF master (which no EPUB reading system shows) becomes a JPEG: a
600 x 400 photograph is 470 KB as a PNG and about 50 KB as a JPEG a screen
cannot tell from it. A graphic (``type=graphic``: a chart, a map) stays or
becomes a PNG, whose edges a JPEG would blur, as does anything transparent.
A file that is already small enough, upright, in sRGB and in the format it
would be given goes in with its own bytes.
The orientation is applied to the pixels, not left to the EXIF tag: readers
differ in whether they honour it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from ..imaging import is_plain, open_image, orientation, split_alpha, to_srgb, turned_upright

LONG_SIDE = 1600
JPEG_QUALITY = 85  # a screen, not a press: the figure e-book tools (calibre, Kindle Previewer) use


@dataclass(frozen=True)
class ScreenImage:
    data: bytes
    media_type: str  # image/jpeg or image/png
    extension: str  # .jpg or .png
    width: int
    height: int


class UprightPixels:
    """Each image file's pixels, upright and in sRGB, decoded once for the book: the cover's
    photograph and that picture's screen copy are made from one decoding (a camera's JPEG: ~0.1 s)."""

    def __init__(self) -> None:
        self._kept: dict[bytes, Image.Image] = {}

    def keep(self, data: bytes) -> Image.Image:
        """The pixels of ``data``, kept for a later ``take``; not to be changed."""
        if data not in self._kept:
            self._kept[data] = upright_pixels(data)
        return self._kept[data]

    def take(self, data: bytes) -> Image.Image:
        """The pixels of ``data``, kept no longer: the caller may change them."""
        kept = self._kept.pop(data, None)
        return kept if kept is not None else upright_pixels(data)


def upright_pixels(data: bytes) -> Image.Image:
    """The pixels of the image file ``data``, in sRGB, turned as its orientation says."""
    image = open_image(data)
    return turned_upright(to_srgb(image), orientation(image))


def screen_image(data: bytes, photo: bool = True, pixels: UprightPixels | None = None) -> ScreenImage:
    """The image file ``data`` as an EPUB carries it; ``photo``: a photograph, else a graphic.
    ``pixels``: where the book's decoded images are kept (a picture may be the cover's too)."""
    image = open_image(data)
    width, height = image.size
    fits = max(width, height) <= LONG_SIDE
    kept_as = "JPEG" if image.format == "JPEG" or (photo and not _transparent(image)) else "PNG"
    if image.format == kept_as and fits and orientation(image) == 1 and is_plain(image):
        jpeg = kept_as == "JPEG"
        return ScreenImage(data, "image/jpeg" if jpeg else "image/png", ".jpg" if jpeg else ".png", width, height)
    converted = pixels.take(data) if pixels is not None else upright_pixels(data)
    if not fits:
        converted.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    colour, alpha = split_alpha(converted)
    buffer = io.BytesIO()
    if kept_as == "PNG" or alpha is not None:
        (converted if alpha is not None else colour).save(buffer, format="PNG", optimize=True)
        return ScreenImage(buffer.getvalue(), "image/png", ".png", converted.width, converted.height)
    colour.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ScreenImage(buffer.getvalue(), "image/jpeg", ".jpg", colour.width, colour.height)


def _transparent(image: Image.Image) -> bool:
    return image.mode in ("LA", "RGBA", "PA", "La", "RGBa") or "transparency" in image.info
