"""Image files an issue names: read through the folder's confinement, checked whole, described for the editions.

A page file's ``![alt](photos/a1-1.jpg)`` and an advertisement booked in
issue.yaml name an image relative to the issue's folder. It is read as a page
file is (``publisher.untrusted``: inside the folder, links followed,
a regular file, within ``IMAGE_FILE_BYTES``), then:

- its format is told from its first bytes, not its name: JPEG, PNG or TIFF;
- its size is read from its header and refused over ``IMAGE_PIXELS`` before
  any pixel is decoded (a decompression bomb claims a huge size in a small
  file);
- it is decoded whole, so that a truncated or damaged file is refused here
  with its ``file:line`` rather than printed half grey. WeasyPrint sets
  Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES`` for the whole process on
  import, which makes Pillow pad a truncated image silently; the decoding
  here holds that switch off (under a lock, restored after);
- an embedded ICC profile must be readable and of the pixels' colour space,
  since the editions convert through it.

The bytes as read are kept in the model (``Image.data``): the editions and
the archive use them, not the file, which may change meanwhile.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..limits import IMAGE_FILE_BYTES, IMAGE_PIXELS, ISSUE_IMAGE_BYTES
from ..model import Image, ImageFormat
from ..untrusted import Refused, inside, read_regular, size_text

if TYPE_CHECKING:
    from PIL.Image import Image as PillowImage

FORMATS = "JPEG, PNG or TIFF"

# The first bytes of the accepted formats, and of others a user may try, to say what a refused file is.
_SIGNATURES: tuple[tuple[bytes, ImageFormat], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_OTHERS: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"), (b"BM", "a BMP image"),
    (b"II+\x00", "a BigTIFF (TIFF over 4 GB)"), (b"MM\x00+", "a BigTIFF (TIFF over 4 GB)"),
    (b"%PDF", "a PDF document"), (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 codestream"), (b"\xff\x0a", "a JPEG XL image"),
    (b"PK\x03\x04", "a zip archive"), (b"8BPS", "a Photoshop document"),
)

# Pillow modes the editions can print: greyscale, palette, RGB and CMYK, with or without alpha, 1 to 16 bits.
PRINTABLE_MODES = frozenset({"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr",
                             "I;16", "I;16L", "I;16B", "I;16N"})
_MODE_NAMES = {"F": "32-bit floating point", "I": "32-bit integer", "LAB": "CIE L*a*b*", "HSV": "HSV"}
# The colour space an ICC profile must describe for the pixels of each mode (ICC header bytes 16-19).
_PROFILE_SPACES = {"RGB ": ("RGB", "RGBA", "RGBa", "RGBX", "P", "PA", "YCbCr"), "GRAY": ("1", "L", "LA", "La", "I;16",
                   "I;16L", "I;16B", "I;16N"), "CMYK": ("CMYK",)}
_ORIENTATION = 0x0112  # EXIF Orientation
_DRAFT_SCALE = 8  # a JPEG is checked decoded at an eighth of its size: every byte of its data is still read

_STRICT = threading.Lock()


def sniff(data: bytes) -> ImageFormat | None:
    """The accepted format ``data`` starts like, or None."""
    return next((fmt for signature, fmt in _SIGNATURES if data.startswith(signature)), None)


def _what(data: bytes) -> str:
    """What a file that is not an accepted image seems to be, for the message."""
    if not data:
        return "an empty file"
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        return "a WebP image"
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        return "a HEIF or AVIF image"
    for signature, name in _OTHERS:
        if data.startswith(signature):
            return name
    head = data[:512].lstrip()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096]:
        return "an SVG drawing"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "not an image of a known format"
    return "text, not an image"


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow refusing truncated images and keeping its warnings to itself, whatever WeasyPrint's import set."""
    from PIL import ImageFile

    with _STRICT, warnings.catch_warnings():
        # Pillow's warnings (a bomb's size, odd EXIF) are not for the user: its errors and ours say it.
        warnings.simplefilter("ignore")
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def check_image(data: bytes, name: str) -> Image:
    """The ``Image`` of a file's bytes; Refused saying why the editions cannot use it."""
    from PIL import Image as Pillow

    fmt = sniff(data)
    if fmt is None:
        raise Refused(f"{_what(data)}; a picture must be {FORMATS}")
    with _strict_decoding():
        try:
            picture = Pillow.open(io.BytesIO(data), formats=[fmt])
        except Pillow.DecompressionBombError as bomb:
            # Pillow's own limit (twice MAX_IMAGE_PIXELS) is above ours: its message has the size claimed.
            claimed = re.search(r"\((\d+) pixels\)", str(bomb))
            size = _pixels(int(claimed.group(1))) if claimed else "a size Pillow refuses"
            raise Refused(f"the {fmt} claims {size}, more than the limit of {_pixels(IMAGE_PIXELS)} a picture "
                          f"(a decompression bomb?)") from None
        except Exception:  # UnidentifiedImageError, OSError …: Pillow's parsers fail in ways of their own
            raise Refused(f"the {fmt} cannot be read: it is damaged or truncated") from None
        with picture:
            try:
                return _described(picture, data, name, fmt)
            except Refused:
                raise
            except Exception:  # a hostile file can make any of Pillow's readers fail: it is not usable
                raise Refused(f"the {fmt} cannot be read: it is damaged") from None


def _described(picture: PillowImage, data: bytes, name: str, fmt: ImageFormat) -> Image:
    width, height = picture.size
    if width * height > IMAGE_PIXELS:
        raise Refused(f"{width} × {height} pixels ({_pixels(width * height)}) is more than the limit of "
                      f"{_pixels(IMAGE_PIXELS)} a picture (a decompression bomb?)")
    frames = int(getattr(picture, "n_frames", 1))
    if frames > 1:
        kind = "an animated PNG" if fmt == "PNG" else f"a {fmt} of {frames} pages"
        raise Refused(f"{kind}; a picture is one image")
    mode = picture.mode
    if mode not in PRINTABLE_MODES:
        shown = f"{mode} ({_MODE_NAMES[mode]})" if mode in _MODE_NAMES else mode
        raise Refused(f"its pixels are in colour mode {shown}, which no edition can print; save it as 8- or 16-bit "
                      f"RGB, greyscale or CMYK")
    bits = _bits(picture, data, fmt)
    # Decoded before anything else is asked of it: Pillow reads a PNG's EXIF by loading the image.
    _decode(picture, fmt)
    icc = picture.info.get("icc_profile")
    if icc:
        _check_profile(icc, mode)
    orientation = _orientation(picture)
    alpha = mode in ("LA", "La", "PA", "RGBA", "RGBa") or "transparency" in picture.info
    exif = bool(picture.info.get("exif"))
    turned = orientation in (5, 6, 7, 8)
    return Image(
        file=name, format=fmt,
        width=height if turned else width, height=width if turned else height,
        stored_width=width, stored_height=height, orientation=orientation,
        mode=mode, bits=bits, icc=bool(icc), alpha=alpha, exif=exif,
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data,
    )


def _decode(picture: PillowImage, fmt: ImageFormat) -> None:
    """Every pixel decoded (a JPEG's at an eighth of its size, which still reads all of its data)."""
    if fmt == "JPEG":
        width, height = picture.size
        picture.draft(picture.mode, (max(1, width // _DRAFT_SCALE), max(1, height // _DRAFT_SCALE)))
    try:
        picture.load()
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError, struct.error) as exc:
        detail = "truncated" if "truncated" in str(exc) else "damaged"
        raise Refused(f"the {fmt} cannot be decoded: it is {detail}") from None


def _bits(picture: PillowImage, data: bytes, fmt: ImageFormat) -> int:
    """Bits per sample as the file stores them (Pillow shows a 16-bit RGB PNG or TIFF as 8-bit RGB)."""
    if fmt == "PNG":
        return data[24] if len(data) > 24 else 8  # IHDR's bit depth: the first chunk, at a fixed offset
    if fmt == "TIFF":
        stored = picture.tag_v2.get(258, (1,))  # type: ignore[attr-defined]  # BitsPerSample
        return int(max(stored) if isinstance(stored, tuple) else stored)
    return int(getattr(picture, "bits", 8))


def _orientation(picture: PillowImage) -> int:
    try:
        value = picture.getexif().get(_ORIENTATION, 1)
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        return 1  # an EXIF block Pillow cannot read: no orientation a reader would apply either
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _check_profile(profile: bytes, mode: str) -> None:
    from PIL import ImageCms

    try:
        ImageCms.ImageCmsProfile(io.BytesIO(profile))
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        raise Refused("its ICC colour profile is damaged; save it again with the profile embedded, or without "
                      "one") from None
    space = profile[16:20].decode("latin-1")
    if mode not in _PROFILE_SPACES.get(space, ()):
        raise Refused(f"its ICC colour profile is for {space.strip()} but its pixels are {mode}; save it again with "
                      f"a profile of its own colour space")


def _pixels(count: int) -> str:
    return f"{count / 1_000_000:,.0f} million pixels" if count >= 10_000_000 else f"{count:,} pixels"


@dataclass
class Shelf:
    """The images of one issue, each read and checked once, however many lines name it.

    ``folder`` is the issue's folder: the names are relative to it and the
    files must be inside it. The bytes of every image are counted against
    ``ISSUE_IMAGE_BYTES``, since the model holds them while the issue is built.
    """

    folder: Path
    _read: dict[Path, Image | Refused] = field(default_factory=dict)
    total: int = 0

    def image(self, name: str) -> Image:
        """The image ``name`` names; Refused with the message for its ``file:line``, the name included."""
        path = inside(self.folder, name, "picture")
        if path not in self._read:
            self._read[path] = self._load(path, name)
        found = self._read[path]
        if isinstance(found, Refused):
            raise found
        return found if found.file == name else _renamed(found, name)

    def _load(self, path: Path, name: str) -> Image | Refused:
        try:
            data = read_regular(path, IMAGE_FILE_BYTES, "picture file")
            if self.total + len(data) > ISSUE_IMAGE_BYTES:
                return Refused(f"{name}: the pictures of the issue up to here hold "
                               f"{size_text(self.total + len(data))}, more than the limit of "
                               f"{size_text(ISSUE_IMAGE_BYTES)}")
            image = check_image(data, name)
        except Refused as refused:
            return Refused(f"{name}: {refused}")
        self.total += len(data)
        return image


def _renamed(image: Image, name: str) -> Image:
    """The same file named another way (``photos/../photos/a.jpg``): its own name, the same bytes."""
    return replace(image, file=name)
