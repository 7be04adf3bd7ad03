"""The role of each line of a raw page, and the rule that gave it.

The units of a page (``publisher.ingest.parse.units``: its non-blank lines, markup
taken off) are read in order and each is given a role by the first rule that
fits (``publisher parse --explain`` prints the role and the rule):

- a ``{role}`` marker at the start of the line decides (``publisher.ingest.markers``);
- a heading under its kicker is the headline; a heading, a ``——`` line or a
  short tag line ending in ``！``/``？`` right under the headline is the
  subheadline (副题); any other heading starts an article, and can carry
  kicker and headline together, split after a speech verb
  (``…会议上强调 一着不让…``);
- a line of bylines (``记者 王某``, ``□晚报记者   王某某``, ``（据新华社）``, see
  ``publisher.ingest.bylines``) belongs to the article it is in: under the headline
  when no paragraph has come yet, else after the text. It is never a kicker;
- a photo caption (``①…``, ``图为…``, ``…摄``) is a ``caption`` block;
- an image line (``![alt](photos/a.jpg)``, ``publisher.ingest.pictures``) is a
  picture of the article it is in; the line under it is its caption when it
  reads as one (or is marked ``{caption}``), its credit kept apart, or its
  credit when it is one alone. Standing after the byline that ended the
  article above, or before any head, it is a picture on its own (图片新闻),
  and the pictures right after it are its pictures too;
- a short line without sentence-final punctuation right before a headline
  is its kicker (引题);
- the first paragraph may open with the dateline (电头), bold (``**晚报讯**``)
  or in one of the forms of ``publisher.ingest.datelines``; a bold line inside the
  body is a subhead (小标题);
- a paragraph may end with bylines after its last sentence, spaced or glued;
- a paragraph that does not end a sentence was cut by the column extraction
  and the next text line continues it.

Every part keeps its place in the page: a rule that would take text out of
order (a join across a byline, a dateline not followed by its paragraph) does
not apply, or is an error for a marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problem
from ..model import BlockKind
from .bylines import SENTENCE_END, SPACE, byline_parts, trailing_bylines
from .captions import is_caption, is_credit, split_credit
from .datelines import is_dateline, split_dateline
from .pictures import ImageLine

# A kicker and a headline on one heading line: the kicker ends with a speech verb.
SPEECH_VERBS = ("强调", "指出", "表示", "要求", "提出", "认为", "希望", "寄语", "宣布", "透露", "呼吁", "说", "称")
_SPLIT_HEADING = re.compile(rf"^(?P<kicker>\S+?(?:{'|'.join(SPEECH_VERBS)}))[ \u3000]+(?P<headline>\S.*)$")
_BOLD_LEAD_IN = re.compile(r"^\*\*(?P<lead>[^*]+?)\*\*[ \t\u3000]*(?P<rest>\S.*)$")

_BLOCK_MARKERS: dict[str, BlockKind] = {"paragraph": "paragraph", "subhead": "subhead", "caption": "caption"}

KICKER_MAX = 60
TAG_MAX = 20  # a tag line under the headline: 扰民！ 谁来管？
_TAG_END = "！？!?"

# The rules, as ``--explain`` names them.
RULE_MARKER = "role marker {{{}}}"
RULE_HEADING = "a # heading starts an article"
RULE_SPLIT_HEADING = "a heading split after a speech verb: kicker, then headline"
RULE_HEADLINE_UNDER_KICKER = "a heading right under its kicker"
RULE_SUBHEADLINE_HEADING = "a heading right under the headline"
RULE_SUBHEADLINE_DASH = "a —— line right under the headline"
RULE_TAG = "a short line ending in ！ or ？ right under the headline (tag line)"
RULE_SUBHEADLINE_BEFORE_DATELINE = "a short line under the headline, before the dateline"
RULE_KICKER = "a short line without sentence-final punctuation right before a headline"
RULE_KICKER_SIGNED = "a short question or exclamation right before a headline, after the byline above"
RULE_BYLINE_HEAD = "a byline line between the headline and the first paragraph"
RULE_BYLINE_AFTER = "a byline line after the text belongs to the article above"
RULE_BYLINE_CONTINUED = "a byline line before any headline: the end of an article from another page"
RULE_BYLINE_SPACED = "a byline after the last sentence, after a space"
RULE_BYLINE_GLUED = "a byline glued to the last sentence"
RULE_CAPTION = "a photo caption (①…, 图为…, …摄, （… 摄）, （资料图片）)"
RULE_PICTURE = "an image line: a picture of the article it is in"
RULE_PICTURE_ALONE = "an image line after the byline that ended the article above: a picture on its own (图片新闻)"
RULE_PICTURE_FIRST = "an image line before any head: a picture on its own (图片新闻)"
RULE_PICTURE_GROUP = "an image line right after a picture on its own: another picture of it"
RULE_PICTURE_CAPTION = "a photo caption under a picture (①…, 图为…, …摄, 新华社发)"
RULE_PICTURE_CAPTION_CREDIT = "a photo caption under a picture (①…, 图为…, …摄, 新华社发), its credit kept apart"
RULE_PICTURE_CREDIT_ALONE = "a photo credit alone under a picture: its credit"
RULE_PICTURE_MARKED = "role marker {caption} under a picture: its caption"
RULE_PICTURE_MARKED_CREDIT = "role marker {caption} under a picture: its caption, its credit kept apart"
RULE_DATELINE_BOLD = "a bold lead-in opening the first paragraph"
RULE_DATELINE_FORM = "a dateline (本报讯, X报讯, 新华社…电 …) opening the first paragraph"
RULE_DATELINE_ALONE = "a dateline on its own line before the first paragraph"
RULE_SUBHEAD_BOLD = "a bold line inside the article"
RULE_SUBHEAD_LEAD_IN = "a bold lead-in after the first paragraph"
RULE_PARAGRAPH = "text"
RULE_CONTINUED = "text before any headline: an article continued from another page"
RULE_JOINED = "the paragraph above does not end a sentence: cut by the column extraction"


@dataclass(frozen=True)
class Unit:
    """One non-blank source line, its markup taken off."""

    kind: str  # "heading", "bold", "text", "image"
    text: str  # without its markup (an image line's: its alt text)
    line: int
    level: int = 0  # heading level
    marker: str | None = None  # the role a {role} marker gives it
    source: str = ""  # the line as written, for --explain
    image: ImageLine | None = None  # what an image line says


@dataclass(frozen=True)
class Decision:
    """What the parser made of one source line, and why (``publisher parse --explain``)."""

    line: int
    article: int  # 1-based, in page order
    roles: tuple[str, ...]
    rule: str
    source: str


@dataclass
class Piece:
    kind: BlockKind
    text: str
    line: int


@dataclass
class PictureDraft:
    """A picture while its page is being read: its image line and what the line under it gave."""

    image: ImageLine
    line: int
    caption: str | None = None
    credit: str | None = None
    caption_line: int | None = None
    kind: str = "picture"


@dataclass
class Draft:
    """An article while its units are being read."""

    line: int
    kicker: str | None = None
    headline: str | None = None
    level: int = 0  # the headline's heading level: 1 for `# `, 2 for `## `; 0 when not written as a heading
    subheadline: str | None = None
    dateline: str | None = None
    blocks: list[Piece | PictureDraft] = field(default_factory=list)
    bylines: list[tuple[str, int, int]] = field(default_factory=list)  # text, line, blocks before it
    last: str = ""  # the role of the last unit read into it
    picture_story: bool = False  # a picture on its own (图片新闻)

    @property
    def has_paragraph(self) -> bool:
        return any(p.kind == "paragraph" for p in self.blocks)

    @property
    def has_head(self) -> bool:
        return self.headline is not None or self.kicker is not None

    @property
    def ended(self) -> bool:
        """Signed off: a byline after its text or pictures (not one under the headline)."""
        return self.last == "byline" and any(p.kind in ("paragraph", "picture") for p in self.blocks)

    @property
    def open_paragraph(self) -> bool:
        """The last unit gave a paragraph that does not end a sentence: the next text continues it."""
        last = self.blocks[-1] if self.blocks else None
        return (self.last == "paragraph" and isinstance(last, Piece) and last.kind == "paragraph"
                and not last.text.endswith(SENTENCE_END))

    def last_paragraph(self) -> Piece | None:
        """The last block, if it is a paragraph (the one a cut paragraph's rest joins)."""
        last = self.blocks[-1] if self.blocks else None
        return last if isinstance(last, Piece) and last.kind == "paragraph" else None



def _is_kicker(unit: Unit, following: Unit | None, signed_off: bool = False) -> bool:
    """A short line right before a headline, without sentence-final punctuation.

    A question or exclamation (``为啥总堵？``) is a kicker too when the article
    above has just been signed off with its byline: it cannot be that
    article's last sentence. A line ending with a byline is a paragraph.
    """
    if unit.kind != "text" or unit.marker is not None or following is None or len(unit.text) > KICKER_MAX:
        return False
    if not ((following.kind == "heading" and following.marker is None) or following.marker == "headline"):
        return False
    if signed_off and len(unit.text) <= TAG_MAX and unit.text.endswith(tuple(_TAG_END)):
        return True
    return not unit.text.endswith(SENTENCE_END) and trailing_bylines(unit.text, glued_ok=True) is None


def _is_tag_line(text: str) -> bool:
    body = text.rstrip(_TAG_END)
    return len(text) <= TAG_MAX and body != text and bool(body) and not any(c in "。！？!?；;" for c in body)


class Reader:
    """Reads the units of one page in order and gives each a role."""

    def __init__(self, page_units: list[Unit], name: str, problems: list[Problem]) -> None:
        self.units = page_units
        self.name = name
        self.problems = problems
        self.drafts: list[Draft] = []
        self.decisions: list[Decision] = []

    @property
    def current(self) -> Draft | None:
        return self.drafts[-1] if self.drafts else None

    def article(self, unit: Unit) -> Draft:
        """The article a body unit goes to: the current one, or one continued from another page."""
        if self.current is None:
            self.drafts.append(Draft(unit.line))
        assert self.current is not None
        return self.current

    def decide(self, unit: Unit, roles: tuple[str, ...], rule: str) -> None:
        self.decisions.append(Decision(unit.line, len(self.drafts), roles, rule, unit.source))

    @property
    def signed_off(self) -> bool:
        """The article above ended its text with a byline, or is a picture on its own that ended with a picture
        (or nothing is above)."""
        draft = self.current
        return draft is None or draft.ended or (draft.picture_story and draft.last == "picture")

    def following(self, index: int) -> Unit | None:
        return self.units[index + 1] if index + 1 < len(self.units) else None

    def plain_text(self, index: int) -> bool:
        """The unit at ``index`` will be read as paragraph text."""
        if index >= len(self.units):
            return False
        unit = self.units[index]
        if unit.marker is not None:
            return unit.marker in ("paragraph", "join")
        return (unit.kind == "text" and byline_parts(unit.text) is None and not is_caption(unit.text)
                and not _is_kicker(unit, self.following(index)) and _BOLD_LEAD_IN.match(unit.text) is None)

    def opens_with_dateline(self, index: int) -> bool:
        if index >= len(self.units) or self.units[index].marker is not None:
            return False
        unit = self.units[index]
        if unit.kind == "bold":
            return is_dateline(unit.text, bold=True)
        return unit.kind == "text" and (_BOLD_LEAD_IN.match(unit.text) is not None
                                         or split_dateline(unit.text) is not None)

    def read(self) -> None:
        taken = -1  # a caption line read with the picture above it
        for index, unit in enumerate(self.units):
            if index == taken:
                continue
            if unit.kind == "image":
                taken = self.picture(unit, index)
            elif unit.marker is not None:
                self.marked(unit, index)
            elif unit.kind == "heading":
                self.heading(unit)
            elif unit.kind == "bold":
                self.bold(unit, index)
            else:
                self.text(unit, index)

    # -- headings and the article head

    def heading(self, unit: Unit) -> None:
        draft = self.current
        if draft is not None and draft.last == "kicker" and draft.headline is None:
            draft.headline, draft.level, draft.last = unit.text, unit.level, "headline"
            self.decide(unit, ("headline",), RULE_HEADLINE_UNDER_KICKER)
        elif draft is not None and draft.last == "headline" and draft.subheadline is None:
            draft.subheadline, draft.last = unit.text, "subheadline"
            self.decide(unit, ("subheadline",), RULE_SUBHEADLINE_HEADING)
        elif split := _SPLIT_HEADING.match(unit.text):
            self.drafts.append(Draft(unit.line, kicker=split["kicker"], headline=split["headline"], level=unit.level,
                                     last="headline"))
            self.decide(unit, ("kicker", "headline"), RULE_SPLIT_HEADING)
        else:
            self.drafts.append(Draft(unit.line, headline=unit.text, level=unit.level, last="headline"))
            self.decide(unit, ("headline",), RULE_HEADING)

    def under_headline(self, unit: Unit, index: int) -> str | None:
        """The rule that makes a text line right under the headline its subheadline, if one does."""
        draft = self.current
        if draft is None or draft.last != "headline" or draft.subheadline is not None:
            return None
        following = self.following(index)
        more_body = following is not None and following.kind != "heading" and following.marker not in (
            "headline", "kicker")
        if unit.text.startswith("——"):
            return RULE_SUBHEADLINE_DASH
        if more_body and _is_tag_line(unit.text):
            return RULE_TAG
        if (len(unit.text) <= TAG_MAX and not unit.text.endswith(SENTENCE_END)
                and self.opens_with_dateline(index + 1)):
            return RULE_SUBHEADLINE_BEFORE_DATELINE
        return None

    # -- the body

    def bylines(self, unit: Unit, parts: list[str]) -> None:
        draft = self.current
        if draft is None:
            rule = RULE_BYLINE_CONTINUED
        elif draft.has_head and not draft.has_paragraph:
            rule = RULE_BYLINE_HEAD
        else:
            rule = RULE_BYLINE_AFTER
        draft = self.article(unit)
        draft.bylines += [(part, unit.line, len(draft.blocks)) for part in parts]
        draft.last = "byline"
        self.decide(unit, ("byline",) * len(parts), rule)

    def block(self, unit: Unit, kind: BlockKind, text: str, rule: str) -> None:
        draft = self.article(unit)
        draft.blocks.append(Piece(kind, text, unit.line))
        draft.last = kind
        self.decide(unit, (kind,), rule)

    def bold(self, unit: Unit, index: int) -> None:
        draft = self.article(unit)
        if (not draft.has_paragraph and draft.dateline is None and is_dateline(unit.text, bold=True)
                and self.plain_text(index + 1)):
            draft.dateline, draft.last = unit.text, "dateline"
            self.decide(unit, ("dateline",), RULE_DATELINE_ALONE)
        else:
            self.block(unit, "subhead", unit.text, RULE_SUBHEAD_BOLD)

    def text(self, unit: Unit, index: int) -> None:
        if (parts := byline_parts(unit.text)) is not None:
            self.bylines(unit, parts)
        elif is_caption(unit.text):
            self.block(unit, "caption", unit.text, RULE_CAPTION)
        elif _is_kicker(unit, self.following(index), self.signed_off):
            self.drafts.append(Draft(unit.line, kicker=unit.text, last="kicker"))
            self.decide(unit, ("kicker",), RULE_KICKER if not unit.text.endswith(SENTENCE_END) else RULE_KICKER_SIGNED)
        elif (rule := self.under_headline(unit, index)) is not None:
            draft = self.article(unit)
            draft.subheadline, draft.last = unit.text, "subheadline"
            self.decide(unit, ("subheadline",), rule)
        else:
            self.paragraph(unit, index)

    def paragraph(self, unit: Unit, index: int) -> None:
        continued = self.current is None
        draft = self.article(unit)
        text = unit.text
        roles: list[str] = []
        rules: list[str] = []
        first = not draft.has_paragraph and draft.dateline is None
        if first and is_dateline(text) and self.plain_text(index + 1):
            draft.dateline, draft.last = text, "dateline"
            self.decide(unit, ("dateline",), RULE_DATELINE_ALONE)
            return
        if lead_in := _BOLD_LEAD_IN.match(text):
            text = lead_in["rest"]
            if first:
                draft.dateline = lead_in["lead"].strip()
                roles, rules = ["dateline"], [RULE_DATELINE_BOLD]
            else:  # a bold lead-in later in the article works as a subhead
                draft.blocks.append(Piece("subhead", lead_in["lead"].strip(), unit.line))
                roles, rules = ["subhead"], [RULE_SUBHEAD_LEAD_IN]
        elif first and (found := split_dateline(text)) is not None and found[1]:
            draft.dateline, text = found
            roles, rules = ["dateline"], [RULE_DATELINE_FORM]
        bylines: list[str] = []
        byline_rule = ""
        if trailing := trailing_bylines(text, glued_ok=not self.plain_text(index + 1)):
            spaced = text[len(trailing[0]):][:1] in tuple(SPACE)
            text, bylines = trailing
            byline_rule = RULE_BYLINE_SPACED if spaced else RULE_BYLINE_GLUED
        if not roles and draft.open_paragraph and (cut := draft.last_paragraph()) is not None:
            cut.text += text
            roles, rules = ["joined-to-previous"], [RULE_JOINED]
        else:
            draft.blocks.append(Piece("paragraph", text, unit.line))
            roles.append("paragraph")
            rules.append(RULE_CONTINUED if continued else RULE_PARAGRAPH)
        draft.last = "paragraph"
        if bylines:
            draft.bylines += [(part, unit.line, len(draft.blocks)) for part in bylines]
            roles += ["byline"] * len(bylines)
            rules.append(byline_rule)
            draft.last = "byline"
        self.decide(unit, tuple(roles), "; ".join(rules))

    # -- pictures

    def picture(self, unit: Unit, index: int) -> int:
        """Read an image line and the caption or credit under it; the index of that line if taken, else -1."""
        assert unit.image is not None
        draft = self.current
        if draft is None or draft.ended:
            draft = Draft(unit.line, last="picture", picture_story=True)
            self.drafts.append(draft)
            rule = RULE_PICTURE_FIRST if len(self.drafts) == 1 else RULE_PICTURE_ALONE
        else:
            rule = RULE_PICTURE_GROUP if draft.picture_story and draft.last == "picture" else RULE_PICTURE
        picture = PictureDraft(unit.image, unit.line)
        draft.blocks.append(picture)
        draft.last = "picture"
        self.decide(unit, ("picture",), rule)
        below = self.following(index)
        if below is None or below.kind != "text" or below.marker not in (None, "caption"):
            return -1
        if below.marker == "caption" or is_caption(below.text):
            picture.caption, picture.credit = split_credit(below.text)
            if below.marker:
                rule = RULE_PICTURE_MARKED if picture.credit is None else RULE_PICTURE_MARKED_CREDIT
            else:
                rule = RULE_PICTURE_CAPTION if picture.credit is None else RULE_PICTURE_CAPTION_CREDIT
        elif is_credit(below.text):
            picture.credit, rule = below.text, RULE_PICTURE_CREDIT_ALONE
        else:
            return -1
        picture.caption_line = below.line
        roles = (("caption",) if picture.caption else ()) + (("credit",) if picture.credit else ())
        self.decide(below, roles, rule)
        return index + 1

    # -- markers

    def marked(self, unit: Unit, index: int) -> None:
        role = unit.marker
        assert role is not None
        rule = RULE_MARKER.format(role)
        draft = self.current
        if role == "kicker":
            self.drafts.append(Draft(unit.line, kicker=unit.text, last="kicker"))
            self.decide(unit, ("kicker",), rule)
        elif role == "headline":
            if draft is not None and draft.last == "kicker" and draft.headline is None:
                draft.headline, draft.level, draft.last = unit.text, unit.level, "headline"
            else:
                self.drafts.append(Draft(unit.line, headline=unit.text, level=unit.level, last="headline"))
            self.decide(unit, ("headline",), rule)
        elif role == "subheadline":
            if draft is None or draft.last != "headline" or draft.subheadline is not None:
                self.problem(unit, "{subheadline} must come right after a headline")
                return
            draft.subheadline, draft.last = unit.text, "subheadline"
            self.decide(unit, ("subheadline",), rule)
        elif role == "dateline":
            if draft is not None and (draft.dateline is not None or draft.has_paragraph):
                self.problem(unit, "{dateline} must come before the article's first paragraph, once")
                return
            if not self.plain_text(index + 1):  # it is printed at the start of that paragraph
                self.problem(unit, "{dateline} must be followed by the article's first paragraph")
                return
            draft = self.article(unit)
            draft.dateline, draft.last = unit.text, "dateline"
            self.decide(unit, ("dateline",), rule)
        elif role == "byline":
            draft = self.article(unit)
            draft.bylines.append((unit.text, unit.line, len(draft.blocks)))
            draft.last = "byline"
            self.decide(unit, ("byline",), rule)
        elif role == "join":
            cut = draft.last_paragraph() if draft is not None and draft.last == "paragraph" else None
            if draft is None or cut is None:
                self.problem(unit, "{join} has no paragraph right above it to join")
                return
            cut.text += unit.text
            draft.last = "paragraph"
            self.decide(unit, ("joined-to-previous",), rule)
        elif role in _BLOCK_MARKERS:
            self.block(unit, _BLOCK_MARKERS[role], unit.text, rule)

    def problem(self, unit: Unit, message: str) -> None:
        self.problems.append(Problem(self.name, unit.line, message))

