"""A picture's pixels as the editions need them: upright, 8 bits a sample, in sRGB.

The issue folder holds what cameras, scanners and picture desks write: JPEGs
that stand sideways with an EXIF orientation, Adobe CMYK JPEGs, 16-bit PNG and
TIFF masters, palette and alpha images, embedded ICC profiles. Both editions
show them in sRGB (the print edition's output intent, the e-readers' space).
This module decides, for one image file, whether its bytes can be shown as
they are and, where they cannot, gives its pixels converted; it never decides
a size (the print edition crops and scales by a matrix, the EPUB scales).

Pillow is used directly, never through WeasyPrint, which draws a 16-bit image
black, drops ICC profiles and sets ``LOAD_TRUNCATED_IMAGES`` process-wide.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageCms

EXIF_ORIENTATION = 0x0112

# For each EXIF orientation, the matrix (a b c d e f, as PDF's ``cm``) that
# takes the stored image's unit square (y up, as an image is drawn in PDF)
# onto the upright picture's unit square. 5-8 swap width and height.
ORIENTATION_MATRICES: dict[int, tuple[int, int, int, int, int, int]] = {
    1: (1, 0, 0, 1, 0, 0),
    2: (-1, 0, 0, 1, 1, 0),  # mirrored left to right
    3: (-1, 0, 0, -1, 1, 1),  # turned half round
    4: (1, 0, 0, -1, 0, 1),  # mirrored top to bottom
    5: (0, -1, -1, 0, 1, 1),  # transposed
    6: (0, -1, 1, 0, 0, 1),  # stored turned a quarter anticlockwise: shown a quarter clockwise
    7: (0, 1, 1, 0, 0, 0),  # transversed
    8: (0, 1, -1, 0, 1, 0),  # stored turned a quarter clockwise
}

# Modes whose samples are already 8-bit grey or RGB (with or without alpha).
_PLAIN = ("L", "RGB")
_WITH_ALPHA = ("LA", "RGBA")


# Pillow's transposition that turns a stored image upright, by EXIF orientation (as ImageOps.exif_transpose).
_UPRIGHT: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def open_image(data: bytes) -> Image.Image:
    """The image in ``data``, its pixels not yet read. The issue's images were checked whole at load."""
    with warnings.catch_warnings():
        # Checked against IMAGE_PIXELS at load; Pillow's warning past 89 megapixels would reach the terminal raw.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def orientation(image: Image.Image) -> int:
    """The EXIF orientation of an image (1 to 8); 1 when it has none or a value out of range."""
    try:
        value = image.getexif().get(EXIF_ORIENTATION, 1)
    except (OSError, ValueError, SyntaxError):  # a broken EXIF block: shown as stored
        return 1
    return value if isinstance(value, int) and value in ORIENTATION_MATRICES else 1


def turned_upright(pixels: Image.Image, turn: int) -> Image.Image:
    """``pixels`` (an image's, perhaps converted) turned as the EXIF orientation ``turn`` says."""
    method = _UPRIGHT.get(turn)
    return pixels if method is None else pixels.transpose(method)


def upright_size(image: Image.Image) -> tuple[int, int]:
    """Width and height in pixels as the picture stands once its orientation is applied."""
    width, height = image.size
    return (height, width) if orientation(image) >= 5 else (width, height)


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def icc_profile(image: Image.Image) -> bytes | None:
    """The image's embedded ICC profile, unless it is an sRGB one (which shows as the pixels are)."""
    data = image.info.get("icc_profile")
    if not data:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
        description = ImageCms.getProfileDescription(profile)
    except (OSError, ImageCms.PyCMSError):
        return None  # a profile littleCMS cannot read is ignored, as viewers do
    return None if "srgb" in description.lower().replace(" ", "") else bytes(data)


def is_plain(image: Image.Image) -> bool:
    """8-bit grey or RGB with no colour profile to apply: the stored samples are what is shown."""
    return image.mode in _PLAIN and icc_profile(image) is None


def _eight_bit(image: Image.Image) -> Image.Image:
    """Deep or odd modes brought to 8-bit grey, RGB or their alpha forms (CMYK through the naive formula
    when no profile says better: Pillow has already undone Adobe's inversion)."""
    mode = image.mode
    if mode in _PLAIN or mode in _WITH_ALPHA:
        return image
    if mode.startswith("I;16") or mode in ("I", "F"):
        # 16-bit grey (PNG, TIFF): the high byte of each sample, not a clip at 255, which draws black or white.
        wide = image.convert("I") if mode.startswith("I;16") else image
        top = 65535.0 if mode != "F" else 1.0
        return wide.point(lambda value: value * (255.0 / top)).convert("L")
    if mode == "1":
        return image.convert("L")
    if mode in ("P", "PA"):
        return image.convert("RGBA" if mode == "PA" or "transparency" in image.info else "RGB")
    if mode == "La":
        return image.convert("LA")
    if mode == "RGBa":
        return image.convert("RGBA")
    return image.convert("RGB")  # CMYK, YCbCr, LAB, RGBX …


def to_srgb(image: Image.Image) -> Image.Image:
    """The image's pixels in 8-bit grey, RGB, LA or RGBA, in sRGB, as stored (orientation not applied)."""
    profile = icc_profile(image)
    if profile is not None and image.mode in ("L", "RGB", "CMYK", "LA", "RGBA"):
        alpha = image.getchannel("A") if image.mode in _WITH_ALPHA else None
        colour = image.convert(image.mode[:-1]) if alpha is not None else image
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(colour, source, _srgb(), outputMode="RGB")
        except (OSError, ImageCms.PyCMSError):
            converted = None  # a profile that does not fit the pixels: the samples as they are
        if converted is not None:
            if alpha is not None:
                converted.putalpha(alpha)
            converted.info.pop("icc_profile", None)
            return converted
    converted = _eight_bit(image)
    if converted is image:
        converted = image.copy()
    converted.info.pop("icc_profile", None)
    return converted


def split_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """Colour and alpha apart; an alpha that is opaque everywhere is no alpha."""
    if image.mode not in _WITH_ALPHA:
        return image, None
    alpha = image.getchannel("A")
    colour = image.convert(image.mode[:-1])
    low, _ = alpha.getextrema()
    return colour, (None if low == 255 else alpha)


@dataclass(frozen=True)
class Crop:
    """The part of an upright picture shown in a frame, as shares of its width and height from its top left."""

    left: float
    top: float
    width: float
    height: float

    @property
    def share(self) -> float:
        """The larger share of a side that is cut away."""
        return max(1.0 - self.width, 1.0 - self.height)


def cover(size: tuple[int, int], frame: tuple[float, float], focus: tuple[float, float] = (0.5, 0.5)) -> Crop:
    """What of a picture of ``size`` pixels (upright) fills a frame of ``frame`` (any unit) without
    stretching: the whole of one side, the other cut around the focus point (shares from the top left)."""
    width, height = size
    frame_width, frame_height = frame
    picture, box = width / height, frame_width / frame_height
    if box >= picture:  # the frame is wider: the full width shows, the height is cut
        share = picture / box
        top = min(max(focus[1] - share / 2, 0.0), 1.0 - share)
        return Crop(0.0, top, 1.0, share)
    share = box / picture
    left = min(max(focus[0] - share / 2, 0.0), 1.0 - share)
    return Crop(left, 0.0, share, 1.0)


def contain(size: tuple[int, int], frame: tuple[float, float]) -> Crop:
    """The whole of a picture shown in a frame, centred, without stretching: a "crop" wider or taller than the
    picture (shares over 1, starting before its edge), so that the frame's spare width or height is blank.
    An advertisement is shown so: whole, as booked."""
    width, height = size
    frame_width, frame_height = frame
    picture, box = width / height, frame_width / frame_height
    if box >= picture:  # the frame is wider: blank at the sides
        share = box / picture
        return Crop((1 - share) / 2, 0.0, share, 1.0)
    share = picture / box
    return Crop(0.0, (1 - share) / 2, 1.0, share)


def ppi(size: tuple[int, int], crop: Crop, frame_width_pt: float) -> float:
    """The picture's resolution printed in a frame ``frame_width_pt`` wide, in pixels per inch."""
    return size[0] * crop.width / (frame_width_pt / 72.0)
