"""The print edition's fonts as PDF objects: one composite font per face, its program stored once.

Written as WeasyPrint writes its fonts (a Type0 font over a CID font with
identity glyph ids, the subset program, widths, a ToUnicode map), so that a
reader, ``pdffonts`` and the PDF/A rules see one kind of font in the file.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass

from ..pdflib import pikepdf

_FLAG_FIXED_PITCH = 1
_FLAG_SERIF = 2
_FLAG_SYMBOLIC = 4


@dataclass(frozen=True)
class FontData:
    """What a composite font of the PDF is made of."""

    base_name: str  # the PostScript-like name, without the subset tag, e.g. Noto-Serif-CJK-SC-Bold
    family: str
    program: bytes  # the subset font file
    widths: Mapping[int, float]  # glyph id -> advance in thousandths of an em
    to_unicode: Mapping[int, str]  # glyph id -> the characters it shows
    ascent: float  # thousandths of an em
    descent: float
    serif: bool = False
    tag: str | None = None  # the subset tag; derived from the glyphs when None

    @property
    def opentype(self) -> bool:
        return self.program[:4] == b"OTTO"

    def subset_tag(self) -> str:
        if self.tag is not None:
            return self.tag
        digest = hashlib.sha256(self.base_name.encode() + b"|" + ",".join(map(str, sorted(self.widths))).encode())
        return "".join(chr(65 + byte % 26) for byte in digest.digest()[:6])


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 3)


def widths_array(widths: Mapping[int, float]) -> pikepdf.Array:
    """The CID font's /W: runs of consecutive glyph ids, each with its widths."""
    out: list[object] = []
    run: list[object] = []
    previous = None
    for gid in sorted(widths):
        if previous is None or gid != previous + 1:
            run = []
            out += [gid, run]
        run.append(_number(widths[gid]))
        previous = gid
    return pikepdf.Array([pikepdf.Array(item) if isinstance(item, list) else item for item in out])


def to_unicode_cmap(to_unicode: Mapping[int, str]) -> bytes:
    """A ToUnicode CMap: each glyph id to the UTF-16 of its characters, a hundred to a block."""
    lines = [
        b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
        b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
        b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(to_unicode.items())
    for block in range(math.ceil(len(items) / 100)):
        chunk = items[block * 100:(block + 1) * 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>".encode() for gid, text in chunk]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def parse_to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's single-glyph mappings (``bfchar``), as WeasyPrint and ``to_unicode_cmap`` write them."""
    mapping: dict[int, str] = {}
    inside = False
    for line in data.split(b"\n"):
        parts = line.strip().split()
        if parts[-1:] == [b"beginbfchar"]:
            inside = True
        elif parts == [b"endbfchar"]:
            inside = False
        elif inside and len(parts) == 2:
            mapping[int(parts[0][1:-1], 16)] = bytes.fromhex(parts[1][1:-1].decode()).decode("utf-16-be")
    return mapping


def parse_widths(array: pikepdf.Array) -> dict[int, float]:
    """A CID font's /W as glyph id -> width (both of its forms)."""
    widths: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1]
        if isinstance(following, pikepdf.Array):
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            index += 2
        else:
            for gid in range(first, int(following) + 1):
                widths[gid] = float(items[index + 2])
            index += 3
    return widths


def add_font(pdf: pikepdf.Pdf, font: FontData, *, cid_set: bool = False) -> pikepdf.Object:
    """The Type0 font of ``font`` in ``pdf``, indirect."""
    name = pikepdf.Name("/" + font.subset_tag() + "+" + font.base_name)
    if font.opentype:
        program = pikepdf.Stream(pdf, font.program, Subtype=pikepdf.Name.OpenType)
    else:
        program = pikepdf.Stream(pdf, font.program, Length1=len(font.program))
    flags = _FLAG_SYMBOLIC + (_FLAG_SERIF if font.serif else 0)
    if len(font.widths) > 1 and len(set(font.widths.values())) == 1:
        flags += _FLAG_FIXED_PITCH
    widest = max(font.widths.values(), default=0)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=name, FontFamily=pikepdf.String(font.family), Flags=flags,
        FontBBox=pikepdf.Array([0, _number(font.descent), _number(widest), _number(font.ascent)]), ItalicAngle=0,
        Ascent=_number(font.ascent), Descent=_number(font.descent), CapHeight=_number(font.ascent), StemV=80,
        StemH=80)
    descriptor[pikepdf.Name.FontFile3 if font.opentype else pikepdf.Name.FontFile2] = pdf.make_indirect(program)
    if cid_set:  # PDF/A-1 asks for the glyphs the subset holds
        last = max(font.widths, default=0)
        bits = bytearray(last // 8 + 1)
        for gid in font.widths:
            bits[gid // 8] |= 0x80 >> (gid % 8)
        descriptor.CIDSet = pdf.make_indirect(pikepdf.Stream(pdf, bytes(bits)))
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType0 if font.opentype else pikepdf.Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        CIDToGIDMap=pikepdf.Name.Identity, W=widths_array(font.widths),
        FontDescriptor=pdf.make_indirect(descriptor))
    to_unicode = pikepdf.Stream(pdf, to_unicode_cmap(font.to_unicode))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=name, Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=pikepdf.Array([pdf.make_indirect(cid_font)]), ToUnicode=pdf.make_indirect(to_unicode)))
