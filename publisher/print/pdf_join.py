"""The parts of the print edition joined into one PDF, each font program stored once.

WeasyPrint writes each part (a group of sheets, ``publisher.print.pdf``) as a PDF
of its own, with subsets of the faces that part draws. Joined, every face is
embedded once: the subset of all the glyphs the issue uses in it, with the
widths and the ToUnicode map of all of them; the body's faces and the
frame's are the same fonts where they are the same face. What WeasyPrint
makes of the whole document is made again from the parts: the outline (from
the bookmarks each part reports, nested as WeasyPrint nests them), the page
labels, the named destinations, the structure tree of a tagged PDF, the
catalogue's metadata (XMP, output intent, language, attachments).

The joined PDF is built the same way whatever the parts: one object graph,
written by qpdf with a file identifier of its own and a second one derived
from the content. So one job or several give the same bytes, and the same
input gives the same bytes again.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import uharfbuzz as hb

from ..pdflib import pikepdf
from ..typeset.fonts import FontFace
from ..typeset.subset import subset_glyphs
from .part_fonts import installed_face
from .pdf_fonts import FontData, add_font, parse_to_unicode, parse_widths
from .pdf_lines import PLACEHOLDER_XOBJECT_PREFIXES, font_name
from .pictures import Frame, placeholder_url, put_pictures

if TYPE_CHECKING:
    from .job import Job, Part

# Catalogue entries of the first part that the joined PDF keeps as they are.
_CATALOGUE = ("/Lang", "/Metadata", "/OutputIntents", "/MarkInfo", "/ViewerPreferences", "/AF", "/PageMode")
_SHARED_RESOURCES = ("/ExtGState", "/Pattern", "/Shading", "/XObject")


class Unjoinable(Exception):
    """The parts use resources that cannot be shared (the caller lays the issue out as one part)."""


@dataclass
class _Group:
    """One face's glyphs across the parts and the body, and the resource names it goes by."""

    names: list[str] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    to_unicode: dict[int, str] = field(default_factory=dict)
    programs: list[bytes] = field(default_factory=list)
    base_name: str = ""
    family: str = ""


def join(job: Job, parts: Sequence[Part]) -> bytes:
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
    try:
        return _join(job, parts, sources)
    finally:
        for source in sources:
            source.close()


def _join(job: Job, parts: Sequence[Part], sources: list[pikepdf.Pdf]) -> bytes:
    out = pikepdf.new()
    first = sources[0]
    for key in _CATALOGUE:
        if key in first.Root:
            out.Root[key] = _copy(out, first, first.Root[key])
    out.trailer.Info = _copy(out, first, first.trailer.Info)
    for source in sources:
        for page in source.pages:
            out.pages.append(page)
    resources = _resources(out, sources, parts)
    for page in out.pages:
        page.Resources = resources
    # Each picture's frame, laid out as a placeholder, becomes the picture, once, with its own bytes.
    if "/XObject" in resources:
        put_pictures(out, resources.XObject, _frames(job))
    _page_labels(out, job.pages.labels)
    _outline(out, parts)
    _destinations(out, sources)
    _attachments(out, first)
    if "/StructTreeRoot" in first.Root:
        _structure(out, sources)
    identifier = pikepdf.String(_identifier(job))
    out.trailer.ID = pikepdf.Array([identifier, identifier])
    return _save(out, first.pdf_version)


def _frames(job: Job) -> list[Frame]:
    """Every picture's and advertisement's frame in the job's sheets."""
    frames = [Frame(placeholder_url(shown.key), shown.picture.image.data, shown.crop, shown.width / shown.crop.width)
              for sheet in job.sheets for block in sheet.blocks for shown in block.figures]
    frames += [Frame(placeholder_url(ad.key), ad.ad.image.data, ad.crop, ad.width / ad.crop.width)
               for sheet in job.sheets for ad in sheet.ads]
    return frames


def _save(pdf: pikepdf.Pdf, version: str) -> bytes:
    """The PDF's bytes, the same for the same object graph however it was built.

    qpdf numbers the objects of a file without object streams in the order it
    reaches them from the trailer; with object streams, in the order they were
    made, which depends on how the parts were grouped. So the file is written
    once without them, read back, and written with them.
    """
    # Streams already compressed (the parts' pages) are copied as they are; only new ones are compressed.
    kept = pikepdf.StreamDecodeLevel.none
    plain = io.BytesIO()
    pdf.save(plain, min_version=version, deterministic_id=True, fix_metadata_version=False, compress_streams=True,
             stream_decode_level=kept, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    with pikepdf.open(plain) as canonical:
        packed = io.BytesIO()
        canonical.save(packed, min_version=version, deterministic_id=True, fix_metadata_version=False,
                       compress_streams=True, stream_decode_level=kept,
                       object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return packed.getvalue()


def _identifier(job: Job) -> bytes:
    from .job import identifier

    return identifier(job.issue, job.options)


def _copy(out: pikepdf.Pdf, source: pikepdf.Pdf, value: Any) -> Any:
    """``value`` of ``source`` as an object of ``out``, with everything it refers to.

    copy_foreign takes indirect objects: a direct container is made indirect in
    its own PDF first. A scalar (name, string, number) is copied as it is.
    """
    if isinstance(value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
        return out.copy_foreign(value if value.is_indirect else source.make_indirect(value))
    return value


# --- resources and fonts ----------------------------------------------------------------------------------


def _resources(out: pikepdf.Pdf, sources: list[pikepdf.Pdf], parts: Sequence[Part]) -> pikepdf.Object:
    """One resource dictionary for every page: the fonts joined, the rest as the parts share it."""
    merged = pikepdf.Dictionary()
    first = sources[0].pages[0].Resources
    if "/ColorSpace" in first:
        merged.ColorSpace = _copy(out, sources[0], first.ColorSpace)
    for key in _SHARED_RESOURCES:
        union = pikepdf.Dictionary()
        for source in sources:
            entries: Any = source.pages[0].Resources.get(key, {})
            for name, value in entries.items():
                if key == "/XObject" and name.startswith(PLACEHOLDER_XOBJECT_PREFIXES):
                    continue  # a placeholder of the body's or the heads' lines, its drawings all replaced
                if name in union:
                    if _fingerprint(union[name]) != _fingerprint(value):
                        raise Unjoinable(f"{key} {name}")
                    continue
                union[name] = _copy(out, source, value)
        merged[key] = union
    merged.Font = _fonts(out, sources, parts)
    return out.make_indirect(merged)


def _fingerprint(value: Any) -> bytes:
    if isinstance(value, pikepdf.Stream):
        return bytes(value.unparse(resolved=True)) + value.read_raw_bytes()
    return bytes(value.unparse(resolved=True))


def _fonts(out: pikepdf.Pdf, sources: list[pikepdf.Pdf], parts: Sequence[Part]) -> pikepdf.Dictionary:
    groups: dict[Any, _Group] = {}
    for source in sources:
        for name, font in source.pages[0].Resources.get("/Font", {}).items():
            _add_frame_font(groups, name[1:], font)
    _add_body_fonts(groups, parts)
    merged = pikepdf.Dictionary()
    version = str(sources[0].pdf_version)
    for key, group in groups.items():
        program = _program(key, group)
        font = add_font(out, _font_data(group, program), cid_set=version <= "1.4")
        for name in group.names:
            merged[pikepdf.Name("/" + name)] = font
    return merged


def _add_frame_font(groups: dict[Any, _Group], name: str, font: Any) -> None:
    """A font WeasyPrint wrote in a part: into the group of its face (its name where the face is unknown)."""
    if font.Subtype != pikepdf.Name.Type0 or font.get("/Encoding") != pikepdf.Name("/Identity-H"):
        raise Unjoinable(f"font {name} ({font.get('/BaseFont')})")  # a bitmap font, or glyphs missing
    cid_font = font.DescendantFonts[0]
    descriptor = cid_font.FontDescriptor
    program = bytes((descriptor.get("/FontFile3") or descriptor.get("/FontFile2")).read_bytes())
    base_name = str(font.BaseFont)[1:].split("+", 1)[-1]
    family = str(descriptor.get("/FontFamily", ""))
    face = installed_face(family, base_name, program)
    group = groups.setdefault(face if face is not None else ("font", name), _Group())
    if name not in group.names:
        group.names.append(name)
    group.widths.update(parse_widths(cid_font.W))
    group.to_unicode.update(parse_to_unicode(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else {})
    group.programs.append(program)
    group.base_name, group.family = base_name, family


def _add_body_fonts(groups: dict[Any, _Group], parts: Sequence[Part]) -> None:
    """The glyphs of the body's lines, as the parts report them, into the groups of their faces."""
    for part in parts:
        for face, glyphs in part.glyphs.items():
            group = groups.setdefault(face, _Group())
            name = font_name(face)
            if name not in group.names:
                group.names.append(name)
            if not group.base_name:
                group.base_name, group.family = _base_name(face), face.family
            for gid, (width, text) in glyphs.items():
                group.widths.setdefault(gid, width)
                group.to_unicode.setdefault(gid, text)


def _base_name(face: FontFace) -> str:
    """The font's name in the PDF as WeasyPrint gives it: the family, and Bold for a bold face."""
    return face.family.replace(" ", "-") + ("-Bold" if face.weight >= 700 else "")


def _program(key: Any, group: _Group) -> bytes:
    if isinstance(key, FontFace):
        return subset_glyphs(key, set(group.widths) | set(group.to_unicode))
    if len(set(group.programs)) == 1:
        return group.programs[0]
    raise Unjoinable(f"font {group.base_name}: the parts hold different subsets of a face not found installed")


def _font_data(group: _Group, program: bytes) -> FontData:
    face = hb.Face(hb.Blob(program))
    extents = hb.Font(face).get_font_extents("ltr")
    scale = 1000 / face.upem
    return FontData(base_name=group.base_name, family=group.family, program=program, widths=group.widths,
                    to_unicode=group.to_unicode, ascent=round(extents.ascender * scale),
                    descent=round(extents.descender * scale), serif="Serif" in group.base_name.split("-"))


# --- document structure -----------------------------------------------------------------------------------


def _page_labels(out: pikepdf.Pdf, labels: Sequence[str]) -> None:
    nums: list[Any] = []
    for index, label in enumerate(labels):
        nums += [index, pikepdf.Dictionary(P=pikepdf.String(label))]
    out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


def _outline(out: pikepdf.Pdf, parts: Sequence[Part]) -> None:
    """The bookmarks of every part, nested as WeasyPrint nests a whole document's (by bookmark-level)."""
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[Any] = [root]
    previous = 0
    number = 0
    for part in parts:
        for height, bookmarks in part.marks:
            matrix = Matrix(a=0.75, d=-0.75, f=height * 0.75)  # CSS px to PDF points, y up
            previous = make_page_bookmark_tree(SimpleNamespace(bookmarks=bookmarks), skipped, last_by_depth,
                                               previous, number, matrix)
            number += 1
    if not root:
        return
    outlines = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    first, last, count = _outline_items(out, root, outlines)
    outlines.First, outlines.Last, outlines.Count = first, last, count
    out.Root.Outlines = outlines


def _outline_items(out: pikepdf.Pdf, tree: list[Any], parent: pikepdf.Object) -> tuple[Any, Any, int]:
    """Outline item dictionaries for ``tree`` under ``parent``; (first, last, visible count)."""
    items: list[Any] = []
    count = len(tree)
    for title, (page, x, y), children, state in tree:
        item = out.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(title), Parent=parent,
            Dest=pikepdf.Array([out.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])))
        if children:
            first, last, below = _outline_items(out, children, item)
            item.First, item.Last = first, last
            item.Count = -below if state == "closed" else below
            if state != "closed":
                count += below
        else:
            item.Count = 0
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        items.append(item)
    return items[0], items[-1], count


def _destinations(out: pikepdf.Pdf, sources: list[pikepdf.Pdf]) -> None:
    """The parts' named destinations (the anchors of the layout) in one sorted name tree."""
    named: dict[str, Any] = {}
    for source in sources:
        names: Any = source.Root.get("/Names", {})
        if "/Dests" not in names:
            continue
        for name, destination in _name_tree(names.Dests):
            named.setdefault(name, _copy(out, source, destination))
    if named:
        array: list[Any] = []
        for name in sorted(named):
            array += [pikepdf.String(name), named[name]]
        if "/Names" not in out.Root:
            out.Root.Names = pikepdf.Dictionary()
        out.Root.Names.Dests = out.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(array)))


def _name_tree(node: Any) -> Iterator[tuple[str, Any]]:
    if "/Names" in node:
        items = list(node.Names)
        for index in range(0, len(items), 2):
            yield str(items[index]), items[index + 1]
    for kid in node.get("/Kids", []):
        yield from _name_tree(kid)


def _attachments(out: pikepdf.Pdf, first: pikepdf.Pdf) -> None:
    """The sources embedded in the first part (PDF/A-3) stay embedded."""
    names: Any = first.Root.get("/Names", {})
    if "/EmbeddedFiles" in names:
        if "/Names" not in out.Root:
            out.Root.Names = pikepdf.Dictionary()
        out.Root.Names.EmbeddedFiles = _copy(out, first, names.EmbeddedFiles)


def _structure(out: pikepdf.Pdf, sources: list[pikepdf.Pdf]) -> None:
    """The parts' structure trees as one: their elements under one Document, their parent trees renumbered."""
    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document,
                                                    P=root, K=pikepdf.Array()))
    root.K = pikepdf.Array([document])
    pages: list[Any] = []
    annotations: list[Any] = []
    for source in sources:
        tree = source.Root.StructTreeRoot
        source_document = tree.K[0]
        for element in source_document.K:
            copied = _copy(out, source, element)
            copied.P = document
            document.K.append(copied)
        count = len(source.pages)
        nums = list(tree.ParentTree.Nums)
        for index in range(0, len(nums), 2):
            key, value = int(nums[index]), _copy(out, source, nums[index + 1])
            if key < count:
                pages.append(value)
            else:
                annotations.append(value)
    nums_out: list[Any] = []
    for number, page in enumerate(out.pages):
        page.StructParents = number
        nums_out += [number, pages[number]]
    for number, annotation in enumerate(annotations, start=len(out.pages)):
        nums_out += [number, annotation]
    # The annotations' own StructParent keys would follow the same renumbering; the print layout has none.
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums_out)))
    out.Root.StructTreeRoot = root
