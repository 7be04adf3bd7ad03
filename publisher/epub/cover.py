"""The cover image of the EPUB edition: masthead, date, issue number and the
front page's lead headlines, drawn with Pillow in the project's own faces.

E-book shelves (Kobo, Apple Books, Kindle, calibre) show a book by its cover
image alone, at thumbnail size: a picture of the printed front page would be
unreadable there, so the cover is set like a poster of the front page. It is
drawn rather than laid out by WeasyPrint: WeasyPrint writes only PDF (a
rasterizer would be another step and another tool) and has no vertical
writing, which the vertical edition's cover needs. On the sample issue,
drawing takes about 0.05 s of CPU and encoding the PNG 0.08 s.

When the front page's lead story has a photograph (else the front page's
first picture), the cover shows it under the lead headline: on a shelf, where
every issue of a paper carries the same masthead and much the same kind of
headline, the day's photograph is what tells one issue's thumbnail from the
next. Such a cover is encoded as a JPEG (a photograph in 64 colours bands).

The numbers (size, colours, type sizes) are the layout's ``cover.toml``.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from ..imaging import cover as cover_crop
from ..layouts import search_path
from ..typeset import coverage
from ..typeset.fonts import FontFace, Role
from ..typeset.headlines import balanced_lines, phrases
from .pictures import upright_pixels

FaceChain = Callable[[Role, int], list[FontFace]]
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Lead:
    """A front-page story as the cover shows it."""

    kicker: str | None
    headline: str


@dataclass(frozen=True)
class CoverText:
    """Everything the cover says, already in the edition's script."""

    paper: str
    date: str  # 2022年11月28日
    weekday: str
    lunar_date: str | None
    issue: str | None  # 第0123期
    publisher: str | None
    band: str  # the line in the band at the foot: the edition and its pages
    leads: tuple[Lead, ...]
    lang: str
    photo: bytes | None = None  # the front page's lead photograph, its file's bytes
    focus: tuple[float, float] = (0.5, 0.5)  # the point of it a crop keeps


@dataclass(frozen=True)
class CoverStyle:
    width: int
    height: int
    format: str
    photo_format: str  # a cover with a photograph
    colors: int
    jpeg_quality: int
    margin: int
    paper: RGB
    ink: RGB
    accent: RGB
    band_text: RGB
    size: dict[str, int]


@dataclass(frozen=True)
class CoverImage:
    data: bytes
    media_type: str
    extension: str
    width: int
    height: int


def load_style(layout: Path | None = None) -> CoverStyle:
    """The layout's cover.toml, a user layout's values replacing the project's key by key."""
    data: dict[str, Any] = {}
    for folder in reversed(search_path("epub", layout)):
        toml = folder / "cover.toml"
        if toml.is_file():
            loaded = tomllib.loads(toml.read_text(encoding="utf-8"))
            sizes = {**data.get("size", {}), **loaded.get("size", {})}
            data = {**data, **loaded, "size": sizes}
    return CoverStyle(
        width=int(data["width"]),
        height=int(data["height"]),
        format=str(data["format"]),
        photo_format=str(data.get("photo_format", "jpeg")),
        colors=int(data.get("colors", 0)),
        jpeg_quality=int(data.get("jpeg_quality", 88)),
        margin=int(data["margin"]),
        paper=_rgb(data["paper"]),
        ink=_rgb(data["ink"]),
        accent=_rgb(data["accent"]),
        band_text=_rgb(data["band_text"]),
        size={key: int(value) for key, value in data["size"].items()},
    )


def _rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def draw_cover(text: CoverText, style: CoverStyle, chain: FaceChain, *, vertical: bool,
               photo_pixels: Callable[[bytes], Image.Image] = upright_pixels) -> CoverImage:
    """The cover as an encoded image; ``photo_pixels``: the photograph's pixels (``pictures.UprightPixels.keep``
    shares them with the picture's screen copy)."""
    image = Image.new("RGB", (style.width, style.height), style.paper)
    painter = _Painter(image, chain, text.lang, photo_pixels)
    if vertical:
        _vertical_cover(painter, text, style)
    else:
        _horizontal_cover(painter, text, style)
    _band(painter, text, style)
    return _encode(image, style, photo=text.photo is not None)


# --- drawing text ------------------------------------------------------------


@cache
def _font(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, index=index, layout_engine=ImageFont.Layout.RAQM)


class _Painter:
    """Draws runs of text, each character in the first face of its role's chain that has it."""

    def __init__(self, image: Image.Image, chain: FaceChain, lang: str,
                 photo_pixels: Callable[[bytes], Image.Image] = upright_pixels) -> None:
        self.image = image
        self.photo_pixels = photo_pixels
        self.draw = ImageDraw.Draw(image)
        self.chain = chain
        self.lang = lang
        self._covered: dict[tuple[FontFace, str], bool] = {}

    def _covers(self, face: FontFace, char: str) -> bool:
        """Whether ``face`` maps ``char`` to a glyph: its cmap asked once per character, not built whole."""
        key = (face, char)
        if key not in self._covered:
            self._covered[key] = (not coverage.uncovered(char, [face]) if coverage.needs_glyph(char)
                                  else ord(char) in coverage.charset(face))
        return self._covered[key]

    def _runs(self, text: str, role: Role, weight: int, size: int) -> Iterator[tuple[str, ImageFont.FreeTypeFont]]:
        faces = self.chain(role, weight)
        run, run_face = "", faces[0]
        for char in text:
            face = next((f for f in faces if self._covers(f, char)), faces[0])
            if face != run_face and run:
                yield run, _font(run_face.path, run_face.index, size)
                run = ""
            run, run_face = run + char, face
        if run:
            yield run, _font(run_face.path, run_face.index, size)

    def width(self, text: str, role: Role, weight: int, size: int) -> float:
        return sum(font.getlength(run, language=self.lang) for run, font in self._runs(text, role, weight, size))

    def line(self, text: str, x: float, y: float, role: Role, weight: int, size: int, fill: RGB,
             align: str = "center") -> None:
        """One line of horizontal text whose baseline is at ``y``."""
        if align == "center":
            x -= self.width(text, role, weight, size) / 2
        for run, font in self._runs(text, role, weight, size):
            self.draw.text((x, y), run, font=font, fill=fill, anchor="ls", language=self.lang)
            x += font.getlength(run, language=self.lang)

    def cell(self, cell: str, cx: float, cy: float, role: Role, weight: int, size: int, fill: RGB) -> None:
        """One cell of vertical text centred on (cx, cy): a character, or a short number set upright across."""
        if _UPRIGHT_ACROSS.fullmatch(cell):
            # 縦中横: the number reads across in one cell; squeezed if wider than the cell.
            fit = size
            while fit > 8 and self.width(cell, role, weight, fit) > 0.92 * size:
                fit -= 2
            for run, font in self._runs(cell, role, weight, fit):
                self.draw.text((cx, cy), run, font=font, fill=fill, anchor="mm", language=self.lang)
            return
        for run, font in self._runs(cell, role, weight, size):
            # The font's vertical forms for punctuation (、。「」 turn and move).
            self.draw.text((cx, cy), run, font=font, fill=fill, anchor="mm", language=self.lang,
                           direction="ttb", features=["vert"])


# One or two digits read across one cell; longer runs stand upright digit by digit.
_UPRIGHT_ACROSS = re.compile(r"[0-9]{1,2}")
_CELLS = re.compile(r"(?<![0-9])[0-9]{1,2}(?![0-9])|\s|.", re.S)


def vertical_cells(text: str) -> list[str]:
    """The cells of ``text`` in vertical setting: one character each, a one- or two-digit number in one cell."""
    return _CELLS.findall(text)


# --- the two layouts -----------------------------------------------------------


def _fit(painter: _Painter, text: str, role: Role, weight: int, size: int, limit: float) -> int:
    """The largest size up to ``size`` at which ``text`` is no wider than ``limit``."""
    width = painter.width(text, role, weight, size)
    return size if width <= limit else max(8, int(size * limit / width))


def _horizontal_cover(painter: _Painter, text: CoverText, style: CoverStyle) -> None:
    draw, size, margin = painter.draw, style.size, style.margin
    centre, measure_width = style.width / 2, style.width - 2 * margin
    masthead = _fit(painter, text.paper, "sans", 700, size["masthead"], measure_width)
    y = margin + masthead * 0.88
    painter.line(text.paper, centre, y, "sans", 700, masthead, style.accent)
    y += masthead * 0.32
    draw.rectangle((margin, y, style.width - margin, y + 6), fill=style.accent)
    facts = [" ".join(filter(None, (text.date, text.weekday))),
             " ".join(filter(None, (f"农历{text.lunar_date}" if text.lunar_date else None, text.issue)))]
    for line in filter(None, facts):
        y += size["facts"] * 1.55
        fitted = _fit(painter, line, "serif", 400, size["facts"], measure_width)
        painter.line(line, centre, y, "serif", 400, fitted, style.ink)
    y += size["facts"] * 0.8
    draw.rectangle((margin, y, style.width - margin, y + 14), fill=style.ink)
    draw.rectangle((margin, y + 22, style.width - margin, y + 26), fill=style.ink)
    y += 26 + size["lead"] * 0.5
    bottom = style.height - size["band_height"] - margin * 0.6
    photo_drawn = text.photo is None
    for number, lead in enumerate(text.leads):
        block = _headline_block(painter, lead, size["lead"] if number == 0 else size["headline"], measure_width,
                                size["kicker"])
        if y + block.height > bottom:
            break
        if number:
            draw.rectangle((centre - 120, y - size["headline"] * 0.45, centre + 120, y - size["headline"] * 0.45 + 4),
                           fill=style.accent)
        for line, role, weight, line_size in block.lines:
            y += line_size * 1.18
            painter.line(line, centre, y, role, weight, line_size, style.ink)
        y += size["headline"] * 0.5
        if not photo_drawn:
            # Under the lead's headline, the width of the type, at most as tall as 4:3 or what is left.
            photo_drawn = True
            height = min(measure_width * 0.75, bottom - y - size["headline"] * 0.4)
            photo = _photo(painter, text, (margin, y, margin + measure_width, y + height))
            if photo is not None:
                painter.image.paste(photo, (margin, round(y)))
                y += photo.height + size["headline"] * 0.9
                continue
        y += size["headline"] * 0.4


@dataclass(frozen=True)
class _Block:
    lines: list[tuple[str, Role, int, int]]

    @property
    def height(self) -> float:
        return sum(line_size * 1.18 for *_, line_size in self.lines)


def _headline_block(painter: _Painter, lead: Lead, size: int, limit: float, kicker_size: int) -> _Block:
    """A story's kicker and headline lines; the headline smaller until it takes at most three lines."""
    # Smaller first (to three quarters) rather than cut a phrase.
    widest = max((painter.width(p, "sans", 700, size) for p in phrases(lead.headline)), default=0.0)
    if widest > limit:
        size = max(int(size * limit / widest), int(size * 0.75))
    while True:
        lines = balanced_lines(lead.headline, _measure(painter, "sans", 700, size), limit)
        if len(lines) <= 3 or size <= 40:
            break
        size = int(size * 0.9)
    block: list[tuple[str, Role, int, int]] = []
    if lead.kicker:
        kicker = _fit(painter, lead.kicker, "serif", 400, kicker_size, limit)
        block.append((lead.kicker, "serif", 400, kicker))
    block += [(line, "sans", 700, size) for line in lines]
    return _Block(block)


def _measure(painter: _Painter, role: Role, weight: int, size: int) -> Callable[[str], float]:
    def measure(text: str) -> float:
        return painter.width(text, role, weight, size)

    return measure


def _cell_measure(size: int) -> Callable[[str], float]:
    """The height of a line of vertical text: its cells, one em each."""

    def measure(text: str) -> float:
        return float(len(vertical_cells(text)) * size)

    return measure


def _vertical_cover(painter: _Painter, text: CoverText, style: CoverStyle) -> None:
    """Columns from right to left: the masthead, the date and issue, then the headlines."""
    draw, size, margin = painter.draw, style.size, style.margin
    top, bottom = margin, style.height - size["band_height"] - margin * 0.6
    if text.photo is not None:
        # Across the foot, over the band, the width of the type at 3:2; the columns stand above it.
        photo_top = bottom - (style.width - 2 * margin) * 2 / 3
        photo = _photo(painter, text, (margin, photo_top, style.width - margin, bottom))
        if photo is not None:
            painter.image.paste(photo, (margin, round(photo_top)))
            bottom = photo_top - margin * 0.5
    height = bottom - top
    x: float = style.width - margin

    def column(cells: list[str], size_: int, role: Role, weight: int, fill: RGB, pitch: float = 1.0) -> None:
        nonlocal x
        centre = x - size_ / 2
        y = top + size_ / 2
        for cell in cells:
            if not cell.isspace():
                painter.cell(cell, centre, y, role, weight, size_, fill)
            y += size_ * (0.5 if cell.isspace() else pitch)
        x -= size_ * 1.35

    paper = vertical_cells(text.paper)
    masthead = min(size["masthead"], int(height / max(1, len(paper)) / 1.02))
    column(paper, masthead, "sans", 700, style.accent, pitch=1.02)
    draw.rectangle((x + masthead * 0.2, top, x + masthead * 0.2 + 6, bottom), fill=style.accent)
    x -= size["facts"] * 0.3
    for fact in filter(None, (" ".join(filter(None, (text.date, text.weekday))),
                              " ".join(filter(None, (f"农历{text.lunar_date}" if text.lunar_date else None,
                                                     text.issue))))):
        cells = vertical_cells(fact)
        fitted = min(size["facts"], int(height / max(1, len(cells))))
        column(cells, fitted, "serif", 400, style.ink)
    draw.rectangle((x + size["facts"] * 0.1, top, x + size["facts"] * 0.1 + 12, bottom), fill=style.ink)
    x -= size["facts"] * 0.5
    for number, lead in enumerate(text.leads):
        lead_size = size["lead"] if number == 0 else size["headline"]
        while True:
            lines = balanced_lines(lead.headline, _cell_measure(lead_size), height)
            needed = lead_size * 1.35 * len(lines) + (size["kicker"] * 1.35 if lead.kicker else 0)
            # The lead is set smaller (to two thirds) rather than left off a cover its photo made short.
            if x - needed >= margin or number or lead_size <= size["lead"] * 2 // 3:
                break
            lead_size = int(lead_size * 0.92)
        if x - needed < margin:
            break
        if lead.kicker:
            cells = vertical_cells(lead.kicker)
            column(cells, min(size["kicker"], int(height / max(1, len(cells)))), "serif", 400, style.ink)
        for line in lines:
            column(vertical_cells(line), lead_size, "sans", 700, style.ink)
        x -= size["headline"] * 0.4


def _band(painter: _Painter, text: CoverText, style: CoverStyle) -> None:
    """The coloured band at the foot, with the edition and its pages."""
    band_height, band_size = style.size["band_height"], style.size["band"]
    top = style.height - band_height
    painter.draw.rectangle((0, top, style.width, style.height), fill=style.accent)
    fitted = _fit(painter, text.band, "sans", 700, band_size, style.width - 2 * style.margin)
    painter.line(text.band, style.width / 2, top + band_height / 2 + fitted * 0.36, "sans", 700, fitted,
                 style.band_text)


def _photo(painter: _Painter, text: CoverText, box: tuple[float, float, float, float]) -> Image.Image | None:
    """The cover's photograph cropped to fill ``box`` (left, top, right, bottom) around its focus."""
    if text.photo is None:
        return None
    pixels = painter.photo_pixels(text.photo).convert("RGB")
    width, height = round(box[2] - box[0]), round(box[3] - box[1])
    if width < 10 or height < 10:
        return None
    crop = cover_crop(pixels.size, (width, height), text.focus)
    left, top = crop.left * pixels.width, crop.top * pixels.height
    region = (left, top, left + crop.width * pixels.width, top + crop.height * pixels.height)
    return pixels.resize((width, height), Image.Resampling.LANCZOS, box=region)


def _encode(image: Image.Image, style: CoverStyle, photo: bool = False) -> CoverImage:
    out = io.BytesIO()
    if (style.photo_format if photo else style.format) == "jpeg":
        image.save(out, "JPEG", quality=style.jpeg_quality, optimize=True, progressive=False)
        media_type, extension = "image/jpeg", "jpg"
    else:
        # Text on a few flat colours: a palette of 64 keeps the antialiased
        # edges in a third of the bytes of full colour. Fast octree and zlib
        # level 6 (measured: 114 KB in 0.08 s CPU) against median cut and
        # zlib's best (115 KB in 0.46 s).
        if style.colors:
            image = image.quantize(style.colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        image.save(out, "PNG", compress_level=6)
        media_type, extension = "image/png", "png"
    return CoverImage(out.getvalue(), media_type, extension, style.width, style.height)
