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


def screen_image(data: bytes, photo: bool = True) -> ScreenImage:
    """The image file ``data`` as an EPUB carries it; ``photo``: a photograph, else a graphic."""
    image = open_image(data)
    width, height = image.size
    fits = max(width, height) <= LONG_SIDE
    kept_as = "JPEG" if image.format == "JPEG" or (photo and not _transparent(image)) else "PNG"
    if image.format == kept_as and fits and orientation(image) == 1 and is_plain(image):
        jpeg = kept_as == "JPEG"
        return ScreenImage(data, "image/jpeg" if jpeg else "image/png", ".jpg" if jpeg else ".png", width, height)
    converted = turned_upright(to_srgb(image), orientation(image))
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
