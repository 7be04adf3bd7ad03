"""Pictures set for the make-up: the sizes a picture may print at, and where it goes in its block.

A picture spans its block's columns (its story's, or its own for a picture
standing alone) and whole lines of the grid; it is never stretched. Its
natural height at that width is the one its proportions give; to stand on the
grid it is cropped around its focus point, by at most the layout's
``max_crop`` of its width or of its height, so it may be set at any whole
number of lines from the most cropped height to the tallest: the make-up
starts from the least and grows it to fill the sheet (a short sheet with
photos fills with photos). Its caption (and credit) is set under it across
its width, in the caption style, on the body's grid.

The resolution a photograph prints at is known here (its pixels over its
printed width): the make-up holds a span that prints it under ``min_ppi``
against it, and the build reports each one that does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..imaging import Crop, contain, cover
from ..model import Ad, Picture
from .cjk.breaking import Line, Span, set_paragraph
from .geometry import Geometry


@dataclass(frozen=True)
class Figure:
    """A picture at one width: the heights (in grid lines) it may take, and its caption set at that width."""

    picture: Picture
    width: float  # pt
    least: int  # grid lines of the frame, cropped as much as the layout allows
    most: int  # grid lines of the tallest frame
    caption: tuple[Line, ...]
    caption_text: str
    ppi: float  # the resolution it prints at, uncropped
    beside: bool = False  # narrower than its block: at the block's right, the body's first columns beside it
    columns: int = 1  # of the grid it spans

    @property
    def caption_lines(self) -> int:
        return len(self.caption)

    @property
    def growth(self) -> int:
        """Lines more it can take: a picture beside the body keeps its least height (the columns under it
        start there)."""
        return 0 if self.beside else self.most - self.least


@dataclass(frozen=True)
class PlacedFigure:
    """A picture in its block: its frame (pt from the block's top left), what of it shows, its caption's lines."""

    picture: Picture
    top: float
    left: float
    width: float
    height: float  # the frame's
    crop: Crop
    caption: tuple[Line, ...]
    caption_text: str
    ppi: float  # as printed, cropped
    lines: int  # grid lines it takes in its block, with its caption
    low_resolution: bool  # a photo printed under the layout's min_ppi: the build says so
    beside: bool = False  # beside the body's first columns (their text starts at the block's top), not across
    key: str = ""  # its frame's own name in the issue (its sheet's label, its place there, its image)

    @property
    def caption_top(self) -> float:
        return self.top + self.height


def figure(picture: Picture, width: float, geometry: Geometry, beside: bool = False) -> Figure | None:
    """``picture`` at ``width`` pt; None if no whole number of lines keeps its crop within the layout's limit."""
    pitch, limit = geometry.line_pitch, geometry.pictures.max_crop
    image = picture.image
    natural = width * image.height / image.width
    least = max(1, math.ceil(natural * (1 - limit) / pitch - 1e-9))
    most = math.floor(natural / (1 - limit) / pitch + 1e-9)
    # A crop keeps the picture's orientation: a landscape photo is not cut to a portrait frame, nor the other way.
    if image.width >= image.height:
        most = min(most, math.floor(width / pitch + 1e-9))
    else:
        least = max(least, math.ceil(width / pitch - 1e-9))
    if least > most:
        return None
    text = picture.caption_with_credit()
    caption = tuple(set_paragraph([Span(text)], width, geometry.type["body"], indent_em=0, role="sans",
                                  level=geometry.line_break)) if text else ()
    columns = round((width + geometry.column_gap) / (geometry.column_width + geometry.column_gap))
    return Figure(picture, width, least, most, caption, text, image.width / (width / 72.0), beside, columns)


def place_figure(shown: Figure, frame_lines: int, top: float, left: float, geometry: Geometry) -> PlacedFigure:
    """The figure with a frame of ``frame_lines`` lines, ``top`` pt down its block."""
    height = frame_lines * geometry.line_pitch
    image = shown.picture.image
    crop = cover((image.width, image.height), (shown.width, height), shown.picture.keep)
    printed_ppi = image.width * crop.width / (shown.width / 72.0)
    low = printed_ppi < geometry.pictures.min_ppi  # a graphic too: a preflight (and `check`) judges every image
    return PlacedFigure(shown.picture, top, left, shown.width, height, crop, shown.caption, shown.caption_text,
                        printed_ppi, frame_lines + shown.caption_lines, low, shown.beside)


@dataclass(frozen=True)
class PlacedAd:
    """Booked space on a sheet (pt from the type area's top left) and the advertisement shown whole in it."""

    ad: Ad
    top: float
    left: float
    width: float
    height: float
    crop: Crop  # what of the image shows: all of it but what max_crop allows, else the whole of it, centred
    ppi: float = 0.0  # the resolution it prints at
    low_resolution: bool = False  # under the layout's min_ppi: the build says so
    key: str = ""  # its frame's own name in the issue

    @property
    def whole(self) -> bool:
        """Shown whole in its space, blank beside it (its shape is too far from the booking's to crop)."""
        return self.crop.width > 1 or self.crop.height > 1

    @property
    def description(self) -> str:
        return self.ad.alt or "广告"


def booked_lines(ad: Ad, geometry: Geometry) -> int:
    """The grid lines booked for an advertisement: its height snapped to the nearest whole line (one at least)."""
    return max(1, round(ad.height_pt / geometry.line_pitch))


def place_ad(ad: Ad, top: float, geometry: Geometry) -> PlacedAd:
    """``ad`` at ``top`` pt down the type area, across its booked columns at the right of the grid (where a
    paper puts a booked block narrower than the page), as tall as its booked lines: filling its space, cropped
    within the layout's limit where the grid makes its shape differ a little from the image's; shown whole,
    blank beside it, where an image is another shape than its booking."""
    width = geometry.block_width(ad.columns)
    height = booked_lines(ad, geometry) * geometry.line_pitch
    left = geometry.content_width - width
    size = (ad.image.width, ad.image.height)
    crop = cover(size, (width, height))
    if crop.share > geometry.pictures.max_crop:
        crop = contain(size, (width, height))
    printed = size[0] * crop.width / (width / 72.0)  # its pixels across the width the whole image prints at
    return PlacedAd(ad, top, left, width, height, crop, printed, printed < geometry.pictures.min_ppi)
