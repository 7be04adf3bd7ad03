"""The printed page made up: each printed page's stories as blocks on its sheets, with the page's furniture.

One orchestrating function, ``make_up``: for each printed page in print
order, its stories ranked and set (``publisher.typeset.stories``), each sheet
planned (``publisher.typeset.sheet_plan``: which stories, their arrangement,
where a story breaks) and its blocks placed (``publisher.typeset.blocks``).
The furniture is decided here too: every sheet's own label (a page that runs
over goes on on ``A4续``), the front page's masthead and ear (报眼), a section
front's flag, and what the build reports (``notes``): a sheet its copy does
not fill, a page whose copy runs over.

Headlines keep their rank across the issue: no inside page's headline is
larger than ``inside_lead_ratio`` of the front lead's, and on every sheet the
lead's headline is the largest.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..errors import InputError, Problem
from ..model import Page
from .blocks import Block, place, rules_beside
from .figures import PlacedAd, booked_lines, figure, place_ad
from .geometry import Geometry, Tier
from .sheet_plan import Jumps, SheetPlan, Unplaceable, plan_sheet
from .stories import Story, lead_index, offer, page_stories

AD_RAGGED_FACTOR = 10  # blocks ending on different lines over a foot advertisement: holes, not a ragged foot
_SECTION_LABEL = re.compile(r"^(?P<section>[A-Za-z]+)\d+$")


@dataclass(frozen=True)
class EarEntry:
    """A line of the front page's 导读: an inside page's lead and the page it is on."""

    label: str
    headline: str


@dataclass(frozen=True)
class MadeUpSheet:
    """One sheet of paper as the make-up leaves it: a printed page, or a part of one that runs over (its text
    as printed, for the archive, is ``print.sheet_text.SheetText``)."""

    label: str  # its own label, unique in the issue: the page's (A4), or a continuation's (A4续)
    section: str
    anchor: str | None  # the first sheet of a printed page: its outline entry and running strings
    masthead: bool  # the first sheet carries the masthead
    blocks: tuple[Block, ...]
    top: float  # pt where the blocks start (under the masthead or the section's flag)
    continued: bool  # the printed page began on the sheet before
    continues: bool  # the printed page goes on on the next sheet
    spare_lines: int = 0  # grid lines left at the foot: the copy could not fill the sheet
    lines: int = 0  # grid lines the blocks may take (under the masthead or the flag)
    page_label: str = ""  # the printed page's label (the same on all its sheets)
    flag: str | None = None  # a section front's flag: the section's letter (B1 -> "B")
    ear: tuple[EarEntry, ...] = ()  # the front page's 导读
    over_lines: int = 0  # on a page's first sheet: lines across the width its copy runs over onto more sheets
    ads: tuple[PlacedAd, ...] = ()  # space booked for advertisements (on a page's first sheet)

    @property
    def filled(self) -> float:
        """The share of the sheet's lines its copy fills."""
        return (self.lines - self.spare_lines) / self.lines if self.lines else 1.0


def section_fronts(pages: Sequence[Page]) -> set[int]:
    """The pages that open a lettered section (B1 after A8): not the issue's first, which has the masthead."""
    fronts = set()
    for index in range(1, len(pages)):
        this = _SECTION_LABEL.match(pages[index].label)
        before = _SECTION_LABEL.match(pages[index - 1].label)
        if this and (before is None or before["section"] != this["section"]):
            fronts.add(index)
    return fronts


def _ear(pages: Sequence[Page], fronts: set[int], entries: int) -> tuple[EarEntry, ...]:
    """The 导读: the leads of the inside pages, the section fronts' first, in page order."""
    inside = [i for i in range(1, len(pages)) if pages[i].articles
              and pages[i].articles[lead_index(pages[i])].headline is not None]
    chosen = sorted(sorted(inside, key=lambda i: (i not in fronts, i))[:entries])
    return tuple(EarEntry(pages[i].label, pages[i].articles[lead_index(pages[i])].headline.value)  # type: ignore[union-attr]
                 for i in chosen)


class _Labels:
    """The sheets' labels: a page's own, then its continuations' as the layout words them, never one twice."""

    def __init__(self, pages: Sequence[Page], geometry: Geometry) -> None:
        self.taken = {page.label for page in pages}
        self.furniture = geometry.furniture

    def continuation(self, label: str, sheet: int) -> str:
        """The label of a page's ``sheet``-th continuation sheet (from 1), unique in the issue."""
        number = sheet
        while (candidate := self.furniture.sheet_label(label, number)) in self.taken:
            number += 1
        self.taken.add(candidate)
        return candidate


def _headline_size(blocks: Sequence[Block]) -> float | None:
    lead = next((b for b in blocks if b.lead and b.head and b.head.headline), None)
    return lead.head.headline.size if lead and lead.head and lead.head.headline else None


def _place_sheet(plan: SheetPlan, geometry: Geometry, top: float, cap: float) -> tuple[Block, ...]:
    """The plan's blocks placed; the lead's first, so that every other headline stays below its size."""
    rules = geometry.make_up
    placed: list[Block | None] = [None] * len(plan.arrangement.blocks)
    last = len(plan.stories) - 1
    order = sorted(range(len(placed)), key=lambda n: not plan.stories[plan.arrangement.blocks[n].story].lead)
    others_cap = cap
    for n in order:
        p = plan.arrangement.blocks[n]
        story = plan.stories[p.story]
        tail = plan.split_last and p.story == last
        placed[n] = place(story, p, geometry, top, tail=tail, continues=tail,
                          cap=cap if story.lead else others_cap)
        if story.lead and (size := _headline_size([placed[n]])) is not None:  # type: ignore[list-item]
            # Below the lead's, yet never smaller than a brief's smallest: a head is read first.
            others_cap = min(cap, max(size - rules.rank_step_pt, rules.tiers["brief"].min_pt))
    blocks = [b for b in placed if b is not None]
    return tuple(rules_beside(blocks, geometry.column_gap, geometry.line_pitch))


def make_up(pages: Sequence[Page], geometry: Geometry) -> list[MadeUpSheet]:
    """Every printed page of the issue made up on one sheet or more, in print order."""
    rules, tiers = geometry.make_up, geometry.make_up.tiers
    pitch = geometry.line_pitch
    fronts = section_fronts(pages)
    labels = _Labels(pages, geometry)
    sheets: list[MadeUpSheet] = []
    cap = math.inf  # inside pages: a share of the front lead's headline
    for index, page in enumerate(pages):
        lead_tier: Tier = tiers["front_lead"] if index == 0 else tiers["inside_lead"]
        pending: list[Story] = page_stories(page, geometry, lead_tier, cap)
        page_sheets: list[MadeUpSheet] = []
        label = page.label
        while not page_sheets or pending:
            first = not page_sheets
            masthead = index == 0 and first
            flag = _SECTION_LABEL.match(page.label)["section"] if first and index in fronts else None  # type: ignore[index]
            furniture_lines = rules.masthead_lines if masthead else rules.flag_lines if flag else 0
            top = furniture_lines * pitch
            height = geometry.sheet_lines - furniture_lines
            ads: tuple[PlacedAd, ...] = ()
            if first and page.ads:
                # Booked space first, at its booked size: the stories fill the rest.
                top, height, ads = _book(page, geometry, top, height)
            blocks: tuple[Block, ...] = ()
            spare = height
            if pending:
                if not first:  # the first story a page runs over with leads its new sheet
                    pending[0] = offer(replace(pending[0]), geometry, len(pending), leads=True)
                following = labels.continuation(page.label, len(page_sheets) + 1)
                jumps = Jumps(geometry.furniture.jump_to.format(label=following),
                              geometry.furniture.jump_from.format(label=label))
                try:
                    if any(not story.options for story in pending):
                        raise Unplaceable  # a story no width can set (a picture of no printable shape)
                    plan, pending = plan_sheet(pending, _over_ads(geometry, ads), height, lead=first, jumps=jumps)
                except Unplaceable:
                    raise InputError([Problem(hint.file, hint.line, f"page {page.label}: the columns asked for "
                                              "its articles cannot tile a sheet")
                                      for hint in page.spans]
                                     or _unplaceable_pictures(page, geometry, height)
                                     or [Problem(str(page.source), None, "cannot be made up")]) from None
                blocks = _place_sheet(plan, geometry, top, cap)
                spare = plan.spare
                if spare > 1 and ads:
                    ads = _under_stories(ads, blocks, geometry)
            blocks = _named_frames(blocks, label)
            page_sheets.append(MadeUpSheet(label, page.section, f"{index}" if first else None, masthead, blocks, top,
                                     continued=not first, continues=bool(pending), spare_lines=spare,
                                     lines=height, page_label=page.label, flag=flag,
                                     ads=_named_ads(ads, label)))
            if pending:
                label = following
        if index == 0 and (size := _headline_size(page_sheets[0].blocks)) is not None:
            cap = max(math.floor(rules.inside_lead_ratio * size), rules.tiers["brief"].min_pt)
        sheets += _with_overrun(page_sheets, geometry)
    if sheets and sheets[0].masthead:
        sheets[0] = replace(sheets[0], ear=_ear(pages, fronts, geometry.furniture.ear_entries))
    return sheets


def _over_ads(geometry: Geometry, ads: tuple[PlacedAd, ...]) -> Geometry:
    """Over a foot advertisement, blocks side by side end on one line where they can and the blank is one band:
    what the copy cannot fill then goes under the advertisement, not into holes over it."""
    if not any(ad.ad.place == "foot" for ad in ads):
        return geometry
    rules = geometry.make_up
    return replace(geometry, make_up=replace(rules, ragged_cost=rules.ragged_cost * AD_RAGGED_FACTOR,
                                             foot_even_weight=rules.foot_even_weight * AD_RAGGED_FACTOR))


def _book(page: Page, geometry: Geometry, top: float, height: int) -> tuple[float, int, tuple[PlacedAd, ...]]:
    """The page's booked advertisements placed, in bands across the width at the sheet's foot or top (each as
    tall as the tallest booked there, with a rule's gap); the type area's top and the lines left for stories."""
    pitch, gap = geometry.line_pitch, geometry.make_up.block_gap_lines
    placed: list[PlacedAd] = []
    for where in ("top", "foot"):
        booked = [ad for ad in page.ads if ad.place == where]
        if not booked:
            continue
        band = max(booked_lines(ad, geometry) for ad in booked)
        if band + gap >= height:
            raise InputError([Problem(ad.file, ad.line, f"page {page.label}: {band} lines booked for "
                                      f"advertisements leave no room for its stories") for ad in booked])
        at = top if where == "top" else top + (height - band) * pitch
        # Side by side from the right, each at the foot (or top) of the band.
        right = geometry.content_width
        for ad in booked:
            shown = place_ad(ad, at, geometry)
            lines = booked_lines(ad, geometry)
            offset = (band - lines) * pitch if where == "foot" else 0.0
            shown = replace(shown, top=at + offset, left=right - shown.width)
            right -= shown.width + geometry.column_gap
            placed.append(shown)
        height -= band + gap
        if where == "top":
            top += (band + gap) * pitch
    return top, height, tuple(placed)


def _under_stories(ads: tuple[PlacedAd, ...], blocks: tuple[Block, ...],
                   geometry: Geometry) -> tuple[PlacedAd, ...]:
    """A sheet its copy cannot fill: its foot advertisements stand right under the stories (a rule's gap
    between), so that the blank is at the sheet's foot, in one place, not a hole over the advertisement."""
    foot = [ad for ad in ads if ad.ad.place == "foot"]
    if not foot or not blocks:
        return ads
    lowest = max(block.top + block.height for block in blocks)
    rise = min(ad.top for ad in foot) - (lowest + geometry.make_up.block_gap_lines * geometry.line_pitch)
    if rise <= 0:
        return ads
    return tuple(replace(ad, top=ad.top - rise) if ad.ad.place == "foot" else ad for ad in ads)


def _named_ads(ads: tuple[PlacedAd, ...], label: str) -> tuple[PlacedAd, ...]:
    return tuple(replace(ad, key=f"{label}/ad{n}/{ad.ad.image.sha256[:16]}") for n, ad in enumerate(ads, 1))


def _named_frames(blocks: tuple[Block, ...], label: str) -> tuple[Block, ...]:
    """The blocks with each picture's frame named for the PDF: its sheet's label (unique in the issue), its
    place on the sheet and its image, so that every frame is an image object of its own."""
    named = []
    count = 0
    for block in blocks:
        figures = []
        for shown in block.figures:
            count += 1
            figures.append(replace(shown, key=f"{label}/{count}/{shown.picture.image.sha256[:16]}"))
        named.append(replace(block, figures=tuple(figures)) if figures else block)
    return tuple(named)


def _with_overrun(page_sheets: list[MadeUpSheet], geometry: Geometry) -> list[MadeUpSheet]:
    """A page's sheets, its first noting how many lines across the width its copy runs over."""
    if len(page_sheets) == 1:
        return page_sheets
    pitch = geometry.line_pitch
    area = sum(b.span * round(b.height / pitch) for sheet in page_sheets[1:] for b in sheet.blocks)
    over = -(-area // geometry.columns)
    first = page_sheets[0]
    return [replace(first, over_lines=over), *page_sheets[1:]]


def notes(sheets: Sequence[MadeUpSheet]) -> list[str]:
    """What the make-up tells the build's user: pages whose copy runs over, sheets their copy does not fill."""
    said: list[str] = []
    for index, sheet in enumerate(sheets):
        if sheet.over_lines:
            onto = [s.label for s in sheets[index + 1:] if s.page_label == sheet.page_label and s.continued]
            said.append(f"{sheet.label}: the copy runs {sheet.over_lines} lines over the sheet; "
                        f"it goes on on {', '.join(onto)}")
        for block in sheet.blocks:
            for shown in block.figures:
                if shown.low_resolution:
                    said.append(f"{sheet.label}: {shown.picture.image.file} prints at {shown.ppi:.0f} ppi "
                                f"(a newspaper asks 200; give a larger original or a smaller span)")
        for ad in sheet.ads:
            if ad.low_resolution:
                said.append(f"{sheet.label}: {ad.ad.image.file} prints at {ad.ppi:.0f} ppi (a newspaper asks 200; "
                            "ask the advertiser for a larger original)")
            if ad.whole:
                said.append(f"{sheet.label}: {ad.ad.image.file} ({ad.ad.image.width}x{ad.ad.image.height} px) is "
                            f"another shape than the space booked for it ({ad.ad.columns} columns, "
                            f"{ad.ad.height_mm:g} mm): shown whole, blank beside it")
        if not sheet.blocks:
            said.append(f"{sheet.label}: the page has no copy")
        elif sheet.spare_lines > 1:
            said.append(f"{sheet.label}: the copy fills {sheet.filled:.0%} of the sheet")
    return said


def _unplaceable_pictures(page: Page, geometry: Geometry, height: int) -> list[Problem]:
    """The pictures of ``page`` no sheet can hold at any width (within the layout's crop), at their lines.

    A 1 x 20,000 px strip is taller than the sheet even one column wide, a 20,000 x 1 px one flatter than a
    line at any width, and with ``max_crop = 0`` a photo must happen to be whole lines tall: the make-up
    finds no plan, and the editor is told which picture, not only that the page cannot be made up.
    """
    problems = []
    for article in page.articles:
        for picture in article.pictures:
            shown = (figure(picture, geometry.block_width(span), geometry) for span in range(1, geometry.columns + 1))
            if all(f is None or f.least + len(f.caption) > height for f in shown):
                image, crop = picture.image, geometry.pictures.max_crop
                problems.append(Problem(str(page.source), picture.line,
                                        f"{image.file}: a picture of {image.width} x {image.height} px fits no "
                                        f"sheet of page {page.label}: at no span of 1 to {geometry.columns} "
                                        f"columns does a crop of at most {crop:g} of a side, keeping its "
                                        f"orientation, give it whole lines of the grid within the sheet's "
                                        f"{height}; crop the image nearer a photograph's shape, or allow a "
                                        f"larger [pictures] max_crop in layout.toml"))
    return problems
