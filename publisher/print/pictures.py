"""Pictures in the print edition: each image drawn in its frame with its own pixels, cropped by a clip.

WeasyPrint would embed an image itself, but not as an archive wants it: it
re-encodes any JPEG that carries EXIF, draws a 16-bit image black and drops
ICC profiles. So the layout holds each picture's frame as a placeholder image
of the frame's size (``layouts/print/_picture.html``), as it holds the body's
lines, and when the parts are joined each placeholder becomes a form that
clips to the frame and draws the picture:

- a JPEG of grey or RGB samples goes in with its own bytes (``DCTDecode``);
  its EXIF orientation is applied by the drawing's matrix, never by
  re-encoding, and an embedded ICC profile other than sRGB (Adobe RGB, a
  camera's) goes with it as the image's ``ICCBased`` colour space, which PDF/A
  allows beside the sRGB output intent: the colours are the profile's and the
  pixels are the file's, with no generation lost to a conversion;
- a PNG of 8-bit grey or RGB samples with no colour profile to apply goes
  in with its own compressed rows (its IDAT data is what ``FlateDecode``
  with the PNG predictors reads): neither decoded nor compressed again;
- any other image (CMYK, 16-bit, palette, alpha, PNG, TIFF) has its pixels
  converted to 8-bit sRGB (``publisher.imaging``, through its profile),
  alpha as a soft mask, and is stored losslessly (``FlateDecode`` over PNG
  rows), or as a JPEG of high quality when it came as one;
- each picture is stored once however many frames show it (an issue's
  stock photo on several pages): the frames' forms share its image, which
  is converted once (per printed size, when a converted one is bounded);
- the crop is a clip around the frame and the picture is scaled uniformly
  to cover it: nothing is stretched.

In a tagged PDF the placeholder is a ``Figure`` whose ``Alt`` is the picture's
alt text (WeasyPrint tags an ``<img>`` so); the form keeps that place.
"""

from __future__ import annotations

import hashlib
import io
import struct
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image

from ..imaging import (
    ORIENTATION_MATRICES,
    Crop,
    icc_profile,
    is_plain,
    open_image,
    orientation,
    split_alpha,
    to_srgb,
)

if TYPE_CHECKING:
    import pikepdf

PLACEHOLDER_CLASS = "picture-frame"
JPEG_QUALITY = 95  # a converted JPEG (CMYK, a colour profile applied): printed, so kept close to its source
MAX_CONVERTED_PPI = 600  # converted pixels beyond this at the printed size are scaled down (a 100 MP TIFF master)


def placeholder_url(key: str) -> str:
    """A one-pixel image whose URL is the frame's own (``key``: the picture and its place), so that
    WeasyPrint gives each frame an image object of its own, named from the URL."""
    comment = urllib.parse.quote(key, safe="")
    return f"data:image/x-portable-bitmap,P4%0A%23{comment}%0A1%201%0A%00"


def placeholder_names(url: str) -> tuple[str, str]:
    """The names WeasyPrint gives the placeholder's image object (with and without interpolation)."""
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    return f"/i{digest}0", f"/i{digest}1"


@dataclass(frozen=True)
class PdfImage:
    """An image as stored in the PDF: its stream data and what the image dictionary says of it."""

    data: bytes
    filter: str  # "/DCTDecode" or "/FlateDecode"
    width: int
    height: int
    colour_space: str  # "/DeviceRGB" or "/DeviceGray"
    alpha: bytes | None  # Flate-encoded 8-bit soft mask, PNG rows
    orientation: int  # EXIF orientation still to apply when drawing
    kept: bool  # the file's own bytes
    profile: bytes | None = None  # the JPEG's own ICC profile: the colour space is ICCBased on it


def _png_rows(image: Image.Image) -> bytes:
    """The image's samples as PNG stores them (rows with their filter byte, deflated): what
    ``FlateDecode`` with predictor 15 reads, and far smaller than raw samples for a photograph."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    data = buffer.getvalue()
    chunks = []
    position = 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        if kind == b"IDAT":
            chunks.append(data[position + 8:position + 8 + length])
        position += 12 + length
    return b"".join(chunks)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_idat(data: bytes) -> bytes | None:
    """A PNG file's own deflated rows, when they are what the PDF stores for its pixels: 8-bit grey or
    RGB (colour types 0 and 2), not interlaced, no transparency key; else None."""
    if not data.startswith(_PNG_SIGNATURE):
        return None
    chunks = []
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            _, _, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body[:13])
            if depth != 8 or colour not in (0, 2) or interlace:
                return None
        elif kind == b"tRNS":
            return None
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    return b"".join(chunks) or None


def _bounded_size(image: Image.Image, turn: int, shown_width_pt: float | None) -> tuple[int, int] | None:
    """The pixel size a converted image is brought down to at its printed width; None when it is within
    ``MAX_CONVERTED_PPI`` (or no width is given)."""
    if not shown_width_pt:
        return None
    upright_width = image.height if turn >= 5 else image.width
    limit = shown_width_pt / 72.0 * MAX_CONVERTED_PPI
    if upright_width <= limit:
        return None
    scale = limit / upright_width
    return max(1, round(image.width * scale)), max(1, round(image.height * scale))


def pdf_image(data: bytes, shown_width_pt: float | None = None) -> PdfImage:
    """How the image file ``data`` goes into the PDF (``shown_width_pt``: its upright width as printed,
    uncropped, to bound the pixels of a converted image)."""
    image = open_image(data)
    turn = orientation(image)
    if image.format == "JPEG" and image.mode in ("L", "RGB"):
        space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
        return PdfImage(data, "/DCTDecode", image.width, image.height, space, None, turn, True, icc_profile(image))
    bounded = _bounded_size(image, turn, shown_width_pt)
    if image.format == "PNG" and bounded is None and is_plain(image) and (rows := _png_idat(data)) is not None:
        space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
        return PdfImage(rows, "/FlateDecode", image.width, image.height, space, None, turn, False)
    converted = to_srgb(image)
    if bounded is not None:
        converted = converted.resize(bounded, Image.Resampling.LANCZOS)
    colour, alpha = split_alpha(converted)
    space = "/DeviceGray" if colour.mode == "L" else "/DeviceRGB"
    mask = _png_rows(alpha) if alpha is not None else None
    if image.format == "JPEG" and alpha is None:
        buffer = io.BytesIO()
        colour.save(buffer, format="JPEG", quality=JPEG_QUALITY)
        return PdfImage(buffer.getvalue(), "/DCTDecode", colour.width, colour.height, space, None, turn, False)
    return PdfImage(_png_rows(colour), "/FlateDecode", colour.width, colour.height, space, mask, turn, False)


def _image_stream(pdf: pikepdf.Pdf, image: PdfImage) -> pikepdf.Stream:
    from ..pdflib import pikepdf  # the join's, imported there: the build's own process never needs it

    stream = pikepdf.Stream(pdf, b"")
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width = image.width
    stream.Height = image.height
    stream.ColorSpace = pikepdf.Name(image.colour_space)
    if image.profile is not None:
        profile = pikepdf.Stream(pdf, image.profile)
        profile.N = 1 if image.colour_space == "/DeviceGray" else 3
        profile.Alternate = pikepdf.Name(image.colour_space)
        stream.ColorSpace = pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_indirect(profile)])
    stream.BitsPerComponent = 8
    if image.filter == "/DCTDecode":
        stream.write(image.data, filter=pikepdf.Name.DCTDecode)
    else:
        colours = 1 if image.colour_space == "/DeviceGray" else 3
        stream.write(image.data, filter=pikepdf.Name.FlateDecode,
                     decode_parms=pikepdf.Dictionary(Predictor=15, Colors=colours, Columns=image.width,
                                                     BitsPerComponent=8))
    if image.alpha is not None:
        mask = pikepdf.Stream(pdf, b"")
        mask.Type = pikepdf.Name.XObject
        mask.Subtype = pikepdf.Name.Image
        mask.Width = image.width
        mask.Height = image.height
        mask.ColorSpace = pikepdf.Name.DeviceGray
        mask.BitsPerComponent = 8
        mask.write(image.alpha, filter=pikepdf.Name.FlateDecode,
                   decode_parms=pikepdf.Dictionary(Predictor=15, Colors=1, Columns=image.width,
                                                   BitsPerComponent=8))
        stream.SMask = pdf.make_indirect(mask)
    return pdf.make_indirect(stream)


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def frame_form(pdf: pikepdf.Pdf, image: PdfImage, crop: Crop, stream: pikepdf.Stream | None = None) -> pikepdf.Stream:
    """A form of the frame's unit square (as the placeholder image was drawn) that clips to the frame and
    draws the picture upright, the ``crop`` of it filling the frame; ``stream``: the image's object, when
    another frame has made it already."""
    from ..pdflib import pikepdf  # the join's, imported there: the build's own process never needs it

    # Upright picture -> frame: the crop's rectangle (y from the top) onto the unit square (y up).
    bottom = 1.0 - crop.top - crop.height
    to_frame = (1 / crop.width, 0.0, 0.0, 1 / crop.height, -crop.left / crop.width, -bottom / crop.height)
    operations = " ".join((
        "q 0 0 1 1 re W n",
        " ".join(_number(v) for v in to_frame), "cm",
        " ".join(_number(v) for v in ORIENTATION_MATRICES[image.orientation]), "cm",
        "/Picture Do Q",
    ))
    form = pikepdf.Stream(pdf, operations.encode("ascii"))
    form.Type = pikepdf.Name.XObject
    form.Subtype = pikepdf.Name.Form
    form.BBox = pikepdf.Array([0, 0, 1, 1])
    picture = stream if stream is not None else _image_stream(pdf, image)
    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Picture=picture))
    return pdf.make_indirect(form)


@dataclass(frozen=True)
class Frame:
    """A picture's frame on a sheet, as the layout holds it: the placeholder's URL, the image file's
    bytes, what of the picture shows, and its upright width as printed uncropped."""

    url: str
    data: bytes
    crop: Crop
    shown_width_pt: float


def put_pictures(pdf: pikepdf.Pdf, xobjects: Any, frames: list[Frame]) -> None:
    """Every frame's placeholder in the joined PDF's ``xobjects`` resources replaced by its picture.

    An image shown in several frames (a photo printed twice, in other crops) is stored once: each frame is a
    form of its own around the one image (converted, it is bounded at its widest printing)."""
    widest: dict[str, float] = {}
    for frame in frames:
        key = hashlib.sha256(frame.data).hexdigest()
        widest[key] = max(widest.get(key, 0.0), frame.shown_width_pt)
    made: dict[str, tuple[PdfImage, pikepdf.Stream]] = {}
    for frame in frames:
        names = [name for name in placeholder_names(frame.url) if name in xobjects]
        if not names:
            continue
        key = hashlib.sha256(frame.data).hexdigest()
        if key not in made:
            image = pdf_image(frame.data, widest[key])
            made[key] = (image, _image_stream(pdf, image))
        image, stream = made[key]
        for name in names:
            xobjects[name] = frame_form(pdf, image, frame.crop, stream)
