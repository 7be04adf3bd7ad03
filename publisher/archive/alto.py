"""ALTO v4 for one sheet of the print edition, from its laid-out text (``sheet_text``).

The page's blocks go where ALTO expects them: running heads in TopMargin,
continuation marks in BottomMargin, the rest in PrintSpace, where the blocks
of an article (its kicker, headline, subheadline, each column of its body,
its bylines, the jump lines where it breaks, its pictures as Illustration
blocks with their captions) are grouped in a ComposedBlock of TYPE article;
an advertisement is an Illustration in a ComposedBlock of its own. An
Illustration's FILEID names its original image file in the METS (a picture's
own file, as ALTO means it). Each text block says its role with a
StructureTag. Positions are in inch1200 (1/1200 inch), the unit of NDNP's
ALTO: a twelfth of a point's precision is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..print.sheet_text import Block, Box, union
from ..print.sheet_text import SheetText as Sheet
from ..templates import environment

UNITS_PER_PT = 1200 / 72
ROLES = ("running-head", "masthead", "kicker", "headline", "subheadline", "body", "bylines", "continuation", "jump",
         "caption")
PICTURE_ROLES = ("illustration", "advertisement")  # Illustration blocks, not TextBlocks


@dataclass(frozen=True)
class AltoPage:
    """What the METS document needs of a sheet's ALTO: the block IDs of each article's parts."""

    sequence: int  # 1-based
    label: str  # the printed page label of the sheet (A1, A1-2 for a sheet it runs over onto)
    parts: dict[tuple[int, int], list[tuple[str, str]]]  # article -> [(role, TextBlock ID)] in reading order


def units(value: float) -> int:
    return round(value * UNITS_PER_PT)


def _box(box: Box) -> dict[str, int]:
    left, top = units(box.x), units(box.y)
    return {"hpos": left, "vpos": top, "width": units(box.right) - left, "height": units(box.bottom) - top}


def alto_context(sheet: Sheet, label: str, image: str, language: str, created: str,
                 agency: str, image_ids: dict[str, str] | None = None) -> tuple[dict[str, object], AltoPage]:
    """The ALTO template's context for one sheet; ``image_ids``: the METS file ID of each picture's original
    image file (by its name in the issue), which an Illustration's FILEID names."""
    sequence = sheet.number + 1
    blocks = _SheetBlocks(f"P{sequence}", image_ids or {})
    spaces = blocks.spaces(sheet)
    page = {"id": blocks.prefix, "sequence": sequence, "label": label, "width": units(sheet.width),
            "height": units(sheet.height), "spaces": spaces}
    context: dict[str, object] = {"page": page, "image": image, "language": language, "created": created,
                                  "agency": agency, "version": __version__, "roles": ROLES}
    return context, AltoPage(sequence, label, blocks.parts)


class _SheetBlocks:
    """A sheet's blocks for the template, their IDs numbered in the order ALTO lists them, and the IDs of each
    article's parts (for the METS) collected on the way."""

    def __init__(self, prefix: str, image_ids: dict[str, str]) -> None:
        self.prefix = prefix
        self.image_ids = image_ids
        self.counters = {"TB": 0, "TL": 0, "ST": 0, "CB": 0, "IL": 0}
        self.parts: dict[tuple[int, int], list[tuple[str, str]]] = {}

    def next_id(self, kind: str) -> str:
        self.counters[kind] += 1
        return f"{self.prefix}_{kind}{self.counters[kind]}"

    def spaces(self, sheet: Sheet) -> list[dict[str, object]]:
        """Running heads in TopMargin, continuation marks in BottomMargin, the rest in PrintSpace."""
        space = sheet.print_space
        top = [b for b in sheet.blocks if b.role == "running-head"]
        bottom = [b for b in sheet.blocks if b.role == "continuation"]
        inside = [b for b in sheet.blocks if b.role not in ("running-head", "continuation")]
        spaces: list[dict[str, object]] = []
        if top:
            spaces.append({"name": "TopMargin", "id": f"{self.prefix}_TM",
                           "box": _box(Box(0, 0, sheet.width, space.y)), "groups": self.groups(top)})
        if bottom:
            spaces.append({"name": "BottomMargin", "id": f"{self.prefix}_BM",
                           "box": _box(Box(0, space.bottom, sheet.width, sheet.height - space.bottom)),
                           "groups": self.groups(bottom)})
        spaces.append({"name": "PrintSpace", "id": f"{self.prefix}_PS", "box": _box(space),
                       "groups": self.groups(inside)})
        return spaces

    def groups(self, blocks: list[Block]) -> list[dict[str, object]]:
        """Consecutive blocks of one article in a ComposedBlock; other blocks alone."""
        result: list[dict[str, object]] = []
        run: list[Block] = []
        for b in [*blocks, None]:
            if run and (b is None or b.article != run[0].article or run[0].article is None):
                result.append(self.group(run))
                run = []
            if b is not None:
                run.append(b)
        return result

    def group(self, run: list[Block]) -> dict[str, object]:
        # An article's blocks in one ComposedBlock; an advertisement in one of its own.
        advertisement = run[0].role == "advertisement"
        group_id = self.next_id("CB") if run[0].article is not None or advertisement else ""
        kind = "advertisement" if advertisement else "article"
        return {"id": group_id, "type": kind, "box": _box(union([x.box for x in run])),
                "blocks": [self.block(x) for x in run]}

    def block(self, b: Block) -> dict[str, object]:
        return self.illustration(b) if b.role in PICTURE_ROLES else self.text_block(b)

    def illustration(self, b: Block) -> dict[str, object]:
        picture_id = self.next_id("IL")
        if b.article is not None:
            self.parts.setdefault(b.article, []).append((b.role, picture_id))
        return {"id": picture_id, "role": b.role, "box": _box(b.box), "illustration": True,
                "type": b.kind or "photo", "fileid": self.image_ids.get(b.image or "", "")}

    def text_block(self, b: Block) -> dict[str, object]:
        block_id = self.next_id("TB")
        if b.article is not None and b.role != "jump":  # a jump line stands in the article, not in its text
            self.parts.setdefault(b.article, []).append((b.role, block_id))
        lines = []
        for line in b.lines:
            words = [{"space": w.space, "text": w.text, "box": _box(w.box),
                      "id": "" if w.space else self.next_id("ST")} for w in line.words]
            lines.append({"id": self.next_id("TL"), "box": _box(line.box), "words": words})
        return {"id": block_id, "role": b.role, "box": _box(b.box), "lines": lines, "illustration": False}


def render_alto(context: dict[str, object], layout: Path | None = None) -> bytes:
    return environment("archive", layout).get_template("alto.xml").render(**context).encode("utf-8")
