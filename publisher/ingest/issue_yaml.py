"""issue.yaml -> Issue: a declarative schema, every problem collected, then one abort.

YAML is read as a node tree (``yaml.compose``), never with ``safe_load``'s
type guessing: ``issue: 0123`` stays "0123", ``number: 08`` stays "08", ``no``
stays "no", and every value keeps the line it was written on for messages.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import yaml

from ..errors import InputError, Problem, display_path, folder_problem
from ..limits import (
    ADS_PER_PAGE,
    ARTICLES_PER_ISSUE,
    ARTICLES_PER_PAGE,
    EAR_CHARS,
    FIELD_CHARS,
    ISSUE_FILE_BYTES,
    ISSUE_TEXT_BYTES,
    PAGES_PER_ISSUE,
    YAML_DEPTH,
    YAML_NODES,
)
from ..model import METADATA, Ad, AdPlace, Article, Hint, Issue, Page
from ..untrusted import Refused, inside, read_regular, size_text
from .images import Shelf
from .parse import parse_page
from .sources import decode_page, decode_utf8, encoding_problem, read_page_bytes

if TYPE_CHECKING:
    from ..typeset.geometry import Geometry

_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_ISSN = re.compile(r"^\d{4}-\d{3}[\dXx]$")
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class Field:
    """One key of a mapping: whether it is required and how its text is checked."""

    required: bool = False
    check: Callable[[str], str | None] | None = None  # returns a problem message, or None


_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _iso_date(value: str) -> str | None:
    """A day written YYYY-MM-DD: the form is told apart from a day the calendar does not have."""
    written = _DATE.fullmatch(value)
    if written is None:
        try:
            day = dt.date.fromisoformat(value)  # another ISO 8601 form, such as 20221128
        except ValueError:
            return f"{value!r} is not a date in ISO 8601 form (YYYY-MM-DD)"
        return f"{value!r} is not written as YYYY-MM-DD ({day.isoformat()})"
    year, month, day_of_month = (int(part) for part in written.groups())
    if year < 1:
        return f"{value!r} is not a day of the calendar: there is no year 0"
    if not 1 <= month <= 12:
        return f"{value!r} is not a day of the calendar: there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day_of_month <= days:
        return f"{value!r} is not a day of the calendar: {year}-{month:02d} has {days} days"
    return None


def _language(value: str) -> str | None:
    return None if _LANGUAGE.fullmatch(value) else f"{value!r} is not a BCP 47 language tag (e.g. zh-Hans)"


def _issn(value: str) -> str | None:
    if not _ISSN.fullmatch(value):
        return f"{value!r} is not an ISSN (NNNN-NNNC)"
    digits = value.replace("-", "")
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return None if digits[7].upper() == expected else f"ISSN {value!r} has a wrong check digit (expected {expected})"


_WHOLE = re.compile(r"[0-9]{1,6}")  # ASCII: str.isdigit() takes "²", which int() refuses


def _whole(text: str) -> int | None:
    """A small whole number written in ASCII digits, or None."""
    return int(text) if _WHOLE.fullmatch(text) else None


def _article_number(value: str) -> str | None:
    number = _whole(value)
    return None if number is not None and number >= 1 else f"{value!r} is not an article number (1 is the first)"


def _encoding(value: str) -> str | None:
    return encoding_problem(value)


def _columns(value: str) -> str | None:
    number = _whole(value)
    return None if number is not None and number >= 1 else f"{value!r} is not a number of columns (1 or more)"


# Lengths an advertisement's height may be booked in, in millimetres.
_UNITS = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}
_LENGTH = re.compile(r"([0-9]{1,5}(?:\.[0-9]{1,3})?)[ \t]*(mm|cm|in|pt)")


def length_mm(value: str) -> float | None:
    """A length written with its unit (``60mm``, ``6cm``, ``2.5in``, ``170pt``) in millimetres, or None."""
    match = _LENGTH.fullmatch(value.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else None


def _length(value: str) -> str | None:
    length = length_mm(value)
    if length is None:
        return f"{value[:20]!r} is not a length: write it with its unit ({', '.join(_UNITS)}), e.g. 60mm"
    return None if length > 0 else f"{value!r}: a height of nothing books no space"


def _place(value: str) -> str | None:
    places = get_args(AdPlace)
    return None if value in places else f"{value[:20]!r} is not a place: an advertisement goes at the " \
                                         f"{' or the '.join(places)} of the page"


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _text(value: str) -> str | None:
    """What every value must be: one line of text a file, a PDF and an EPUB can hold, of bounded length."""
    if len(value) > FIELD_CHARS:
        return f"is {len(value)} characters long; the limit is {FIELD_CHARS}"
    for position, char in enumerate(value, start=1):
        code = ord(char)
        if unicodedata.category(char) == "Cc":
            kind = "a line break" if char in "\r\n" else f"control character U+{code:04X}"
            return f"holds {kind} (character {position}); a value is one line of text"
        if 0xD800 <= code <= 0xDFFF or _is_noncharacter(code):
            return f"holds U+{code:04X} (character {position}), which is not a character"
        if char in _BIDI_CONTROLS:
            return (f"holds the bidirectional control U+{code:04X} (character {position}), which reorders what "
                    "is shown around it; a value is plain text")
    if value and all(unicodedata.category(char) in _INVISIBLE for char in value):
        return "holds no visible character"
    return None


# Marks that reorder the text around them when shown (Trojan Source): never needed in a Chinese paper's metadata.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset({"Cf", "Zs", "Zl", "Zp", "Mn", "Me"})  # format controls, spaces, combining marks alone


def _shown_key(key: str) -> str:
    return key if len(key) <= 40 else key[:40] + "…"


def _ear_line(value: str) -> str | None:
    """The weather or slogan: one line of the front page's ear."""
    if len(value) > EAR_CHARS:
        return f"is {len(value)} characters long; the ear (报眼) shows one line of at most {EAR_CHARS}"
    return None


_CHECKS: dict[str, Callable[[str], str | None]] = {"date": _iso_date, "language": _language, "issn": _issn,
                                                   "weather": _ear_line, "slogan": _ear_line}
ISSUE_FIELDS: dict[str, Field] = {
    **{f.name: Field(required=f.required, check=_CHECKS.get(f.name)) for f in METADATA},
    "page_size": Field(),  # one of the sizes the print layout's layout.toml declares (_check_page_size)
    "layout": Field(),
    "pages": Field(required=True),
}
PAGE_FIELDS: dict[str, Field] = {
    "number": Field(required=True),
    "section": Field(required=True),
    "file": Field(required=True),
    "encoding": Field(check=_encoding),
    "lead": Field(check=_article_number),
    "spans": Field(),
    "ads": Field(),
}
AD_FIELDS: dict[str, Field] = {
    "file": Field(required=True),
    "columns": Field(required=True, check=_columns),
    "height": Field(required=True, check=_length),
    "place": Field(check=_place),
    "alt": Field(),
}
_NODE_VALUES = ("pages", "spans", "ads")  # keys whose value is a list or a mapping, read by their own code


class _Reader:
    """Walks the YAML node tree of one file and collects problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = display_path(path)
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.name, line, message))

    def mapping(self, node: yaml.Node, fields: dict[str, Field], what: str) -> dict[str, tuple[str, yaml.Node]]:
        """Scalar values of a mapping by key, with their nodes; 'pages' is kept as a node."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return {}
        values: dict[str, tuple[str, yaml.Node]] = {}
        given: set[str] = set()  # keys present, even with a bad value: not also "missing"
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"a key in {what} must be a name, not a list or mapping")
                continue
            key = str(key_node.value)
            if key not in fields:
                close = difflib.get_close_matches(key, fields, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else f" (known keys: {', '.join(fields)})"
                self.problem(key_node, f"unknown key `{_shown_key(key)}` in {what}{hint}")
                continue
            if key in given:
                self.problem(key_node, f"key `{key}` is given twice in {what}")
                continue
            given.add(key)
            if key in _NODE_VALUES:
                values[key] = ("", value_node)
                continue
            if not isinstance(value_node, yaml.ScalarNode):
                self.problem(value_node, f"`{key}` must be a single value, not a list or mapping")
                continue
            text = str(value_node.value)
            if value_node.style is None and text in _NULLS:
                given.discard(key)  # an empty value is the same as a missing key
                continue
            check = fields[key].check
            if (message := _text(text)) is not None:
                self.problem(value_node, f"`{key}` {message}")
                continue
            if check and (message := check(text)):
                self.problem(value_node, f"`{key}`: {message}")
                continue
            values[key] = (text, value_node)
        for key, spec in fields.items():
            if spec.required and key not in given:
                self.problem(node, f"missing required key `{key}` in {what}")
        return values


class Oversized(yaml.composer.ComposerError):
    """issue.yaml is YAML, but more of it than any issue needs."""


class _DepthLimitedLoader(yaml.SafeLoader):
    """Composes the node tree within bounds, before anything walks it.

    Nesting deeper than YAML_DEPTH is refused (500 `[` would exhaust the
    stack), and so is a tree of more than YAML_NODES nodes counted as the
    readers see it, every alias as the whole of what it stands for: a 54 KB
    file whose `pages` named one mapping by alias thousands of times had the
    batch read its page file once per mention, and one of 211 KB gave
    validation 8 million problems to find.
    """

    _depth = 0

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._weights: dict[int, int] = {}  # id(node) -> nodes it stands for, aliases expanded

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > YAML_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, f"nested more than {YAML_DEPTH} levels deep", mark)
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            node = super().compose_node(parent, index)
            if node is not None:
                self._weigh(node, mark)
            return node
        finally:
            self._depth -= 1

    def _weigh(self, node: yaml.Node, mark: Any) -> None:
        if id(node) in self._weights:
            return  # an alias: the node it names is weighed already
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        weight = 1 + sum(self._weights.get(id(child), 1) for child in children)
        if weight > YAML_NODES:
            raise Oversized(None, None, f"more than {YAML_NODES:,} values, counting each alias as all it stands "
                            "for; the limit keeps the reading of issue.yaml short", mark)
        self._weights[id(node)] = weight


def compose(text: str) -> yaml.Node | None:
    """issue.yaml's node tree; yaml.YAMLError for text that is not YAML or is nested too deeply."""
    loader = _DepthLimitedLoader(text)
    try:
        return loader.get_single_node()
    except RecursionError:  # a stack already deep when we were called: still no traceback
        raise yaml.composer.ComposerError(None, None, "nested too deeply", None) from None
    finally:
        loader.dispose()


def issue_text(data: bytes, name: str) -> str:
    """issue.yaml's text: UTF-8 (a BOM allowed), or UTF-16 with its BOM, as YAML allows."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    return decode_utf8(data, name, if_gb18030="; issue.yaml must be UTF-8: it reads as GB18030: save it as UTF-8",
                       otherwise="; issue.yaml must be UTF-8: save it as UTF-8")


def load_issue(path: Path, layout: Path | None = None) -> Issue:
    """Read issue.yaml and every page file; raise one InputError with all problems."""
    reader = _Reader(path)
    try:
        data = read_regular(path, ISSUE_FILE_BYTES, "issue file")
    except Refused as refused:
        raise InputError([Problem(reader.name, None, str(refused))]) from None
    text = issue_text(data, reader.name)
    try:
        root = compose(text)
    except yaml.YAMLError as exc:
        line = _yaml_line(exc, text)
        what = "too large" if isinstance(exc, Oversized) else "not valid YAML"
        raise InputError([Problem(reader.name, line, f"{what}: {_yaml_problem(exc)}")]) from None
    if root is None:
        raise InputError([Problem(reader.name, 1, "the issue file is empty")])
    folder = path.absolute().parent
    top = reader.mapping(root, ISSUE_FIELDS, "issue.yaml")
    layout_dir = layout.absolute() if layout is not None else None
    if layout_dir is None and "layout" in top:
        layout_dir = _issue_layout(reader, top["layout"], folder)
    size_ok = "layout" not in top or layout_dir is not None  # not checked against a refused layout
    if "page_size" in top and size_ok:
        size_ok = _check_page_size(reader, top["page_size"], layout_dir)

    @cache
    def geometry() -> Geometry | None:
        """The page size's grid, for the pictures' spans and the ads' sizes; None where it cannot be known."""
        return _geometry(top["page_size"][0] if "page_size" in top else None, layout_dir) if size_ok else None

    pages = _pages(reader, top.get("pages"), folder, Shelf(folder), geometry)
    if size_ok:
        _check_spans(reader, pages, geometry())
    if reader.problems:
        raise InputError(reader.problems)

    def get(key: str) -> str | None:
        return top[key][0] if key in top else None

    return Issue(
        paper=top["paper"][0],
        date=dt.date.fromisoformat(top["date"][0]),
        pages=tuple(pages),
        source=path,
        language=get("language") or "zh-Hans",
        issue=get("issue"),
        publisher=get("publisher"),
        place=get("place"),
        issn=get("issn"),
        lccn=get("lccn"),
        edition=get("edition"),
        lunar_date=get("lunar_date"),
        weather=get("weather"),
        slogan=get("slogan"),
        page_size=get("page_size"),  # None: the layout's default_size
        layout=layout_dir,
        data=data,
    )


def _yaml_line(exc: yaml.YAMLError, text: str) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow: the reader knows its offset
        return text.count("\n", 0, exc.position) + 1
    return None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.reader.ReaderError):
        return f"character U+{exc.character:04X} is not allowed in YAML" if isinstance(exc.character, int) \
            else "a byte that is not UTF-8"
    return str(getattr(exc, "problem", None) or exc)


def _check_page_size(reader: _Reader, entry: tuple[str, yaml.Node], layout_dir: Path | None) -> bool:
    """The page size must be one the print layout declares (layout.toml's ``sizes``): whether it is."""
    # Imported here: a batch's re-run imports this module to fingerprint issue.yaml and
    # should not pay for the layout's reader when no issue names a page size.
    from ..typeset.layout_toml import load_layout_toml

    try:
        sizes = load_layout_toml(layout_dir)["sizes"]
    except InputError:
        return False  # a broken layout.toml: the build reports it with its own lines
    value, node = entry
    if value not in sizes:
        reader.problem(node, f"page size {value!r} is not one of {', '.join(sizes)}")
        return False
    return True


def _check_spans(reader: _Reader, pages: list[Page], grid: Geometry | None) -> None:
    """Spans wider than the page's grid, found with the other problems of issue.yaml.

    The make-up finds what needs the text set (too little text for the columns, spans that cannot
    tile a sheet); this much the file and the layout show, so it is reported with everything else."""
    if grid is None or not any(page.spans for page in pages):
        return
    for page in pages:
        for hint in page.spans:
            if hint.value > grid.columns:
                reader.problems.append(Problem(hint.file, hint.line, f"page {page.label}, article {hint.article + 1}: "
                                               f"{hint.value} columns asked, the page's grid has {grid.columns}"))


def _geometry(size: str | None, layout_dir: Path | None) -> Geometry | None:
    from ..typeset.geometry import load_geometry

    try:
        return load_geometry(size, layout_dir)
    except InputError:
        return None  # a broken layout.toml: the build reports it with its own lines


def _issue_layout(reader: _Reader, entry: tuple[str, yaml.Node], folder: Path) -> Path | None:
    """The layout folder issue.yaml names: inside the issue's folder, since the folder is not trusted."""
    name, node = entry
    try:
        layout_dir = inside(folder, name, "layout folder")
    except Refused as refused:
        reader.problem(node, f"`layout`: {refused}")
        return None
    if (problem := folder_problem(layout_dir)) is not None:
        reader.problem(node, f"`layout`: layout folder {name!r} {problem}")
        return None
    return layout_dir


def _pages(reader: _Reader, entry: tuple[str, yaml.Node] | None, base: Path, images: Shelf,
           geometry: Callable[[], Geometry | None]) -> list[Page]:
    if entry is None:
        return []
    node = entry[1]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.problem(node, "`pages` must be a list of at least one page")
        return []
    if len(node.value) > PAGES_PER_ISSUE:
        reader.problem(node, f"{len(node.value)} pages; the limit is {PAGES_PER_ISSUE} pages an issue")
        return []
    pages: list[Page] = []
    labels: set[str] = set()
    tally = _Tally()
    for number, item in enumerate(node.value):
        page = reader.mapping(item, PAGE_FIELDS, "a page")
        ads = _ads(reader, page["ads"][1], images, geometry, front=number == 0) if "ads" in page else ()
        if "number" in page:
            label = page["number"][0]
            if label in labels:
                reader.problem(page["number"][1], f"page label {label!r} is used twice")
            labels.add(label)
        if "file" not in page:
            continue
        # Every problem of the page is reported, even when a key is missing.
        read = _page_file(reader, page, base, images, geometry, tally)
        if tally.over:
            break
        if read is None:
            continue
        file, data, articles = read
        lead, spans = _hints(reader, page, len(articles))
        if {"number", "section"} <= page.keys():
            pages.append(Page(label=page["number"][0], section=page["section"][0], source=file,
                              articles=tuple(articles), lead=lead, spans=spans, ads=ads, data=data))
    return pages


@dataclass
class _Tally:
    """What the page files read so far hold, against the issue's limits; ``over`` once past one."""

    bytes: int = 0
    articles: int = 0
    over: bool = False


def _page_file(reader: _Reader, page: dict[str, tuple[str, yaml.Node]], base: Path, images: Shelf,
               geometry: Callable[[], Geometry | None], tally: _Tally) -> tuple[Path, bytes, list[Article]] | None:
    """A page's file, its bytes and its articles; None (the problem reported) if it cannot be read or parsed."""
    name, file_node = page["file"]
    try:
        data = read_page_bytes(inside(base, name, "page file"))
    except Refused as refused:
        reader.problem(file_node, f"`file`: {refused}")
        return None
    except InputError as error:
        # A missing or unreadable page file is reported where issue.yaml names it.
        reader.problem(file_node, f"{name}: {error.problems[0].message}")
        return None
    tally.bytes += len(data)
    if tally.bytes > ISSUE_TEXT_BYTES:
        reader.problem(file_node, f"{name}: the page files up to here hold {size_text(tally.bytes)}, more than the "
                                  f"limit of {size_text(ISSUE_TEXT_BYTES)} for an issue")
        tally.over = True
        return None
    file = base / name
    encoding = page["encoding"][0] if "encoding" in page else None
    try:
        articles = parse_page(decode_page(data, display_path(file), encoding), display_path(file), images)
    except InputError as error:
        reader.problems += error.problems
        return None
    reader.problems += _picture_spans(articles, display_path(file), geometry)
    tally.articles += len(articles)
    if len(articles) > ARTICLES_PER_PAGE:
        reader.problem(file_node, f"{name}: {len(articles)} articles on one page; the limit is {ARTICLES_PER_PAGE}")
        return None
    if tally.articles > ARTICLES_PER_ISSUE:
        reader.problem(file_node, f"{name}: the pages up to here hold {tally.articles} articles; the limit is "
                                  f"{ARTICLES_PER_ISSUE} an issue")
        tally.over = True
        return None
    return file, data, articles


def _picture_spans(articles: list[Article], name: str, geometry: Callable[[], Geometry | None]) -> list[Problem]:
    """A picture's span must fit the page's grid (layout.toml's columns for the page size)."""
    asked = [p for article in articles for p in article.pictures if p.span is not None]
    grid = geometry() if asked else None
    if grid is None:
        return []
    return [Problem(name, p.line, f"span={p.span}: the {grid.size} page's grid has {grid.columns} columns")
            for p in asked if p.span is not None and p.span > grid.columns]


def _ads(reader: _Reader, node: yaml.Node, images: Shelf, geometry: Callable[[], Geometry | None],
         front: bool) -> tuple[Ad, ...]:
    """A page's booked advertisements: ``ads: [{file: ads/x.png, columns: 5, height: 60mm, place: foot}]``."""
    if not isinstance(node, yaml.SequenceNode):
        reader.problem(node, "`ads` must be a list of advertisements, e.g. [{file: ads/x.png, columns: 5, "
                             "height: 60mm}]")
        return ()
    if len(node.value) > ADS_PER_PAGE:
        reader.problem(node, f"{len(node.value)} advertisements on one page; the limit is {ADS_PER_PAGE}")
        return ()
    ads: list[Ad] = []
    for item in node.value:
        ad = reader.mapping(item, AD_FIELDS, "an advertisement")
        image = None
        if "file" in ad:
            try:
                image = images.image(ad["file"][0])
            except Refused as refused:
                reader.problem(ad["file"][1], f"`file`: {refused}")
        columns = int(ad["columns"][0]) if "columns" in ad else None
        height = length_mm(ad["height"][0]) if "height" in ad else None
        grid = geometry() if columns is not None or height is not None else None
        if grid is not None and columns is not None and columns > grid.columns:
            reader.problem(ad["columns"][1], f"`columns`: {columns} columns, but the {grid.size} page's grid has "
                                             f"{grid.columns}")
            columns = None
        if grid is not None and height is not None:
            lines = grid.sheet_lines - (grid.make_up.masthead_lines if front else 0)
            room = lines * grid.line_pitch * 25.4 / 72
            if height > room:
                under = "the masthead" if front else "the page header"
                reader.problem(ad["height"][1], f"`height`: {ad['height'][0]} does not fit the type area of the "
                                                f"{grid.size} page, {room:.1f} mm under {under}")
                height = None
        if image is not None and columns is not None and height is not None:
            place: AdPlace = "top" if "place" in ad and ad["place"][0] == "top" else "foot"
            ads.append(Ad(image=image, columns=columns, height_mm=height, place=place,
                          alt=ad["alt"][0] if "alt" in ad else None, file=reader.name,
                          line=item.start_mark.line + 1))
    return tuple(ads)


def _hints(reader: _Reader, page: dict[str, tuple[str, yaml.Node]],
           count: int) -> tuple[Hint | None, tuple[Hint, ...]]:
    """A page's make-up hints: ``lead: N`` and ``spans: {N: columns}``, articles numbered from 1 in page order."""
    def article(text: str, node: yaml.Node) -> int | None:
        if (number := _whole(text)) is None or number < 1:
            reader.problem(node, f"{text[:20]!r} is not an article number (1 is the first)")
            return None
        if number > count:
            reader.problem(node, f"the page has {count} article{'s' if count != 1 else ''}, not {number}")
            return None
        return number - 1

    lead = None
    if "lead" in page and (index := article(*page["lead"])) is not None:
        lead = Hint(index, index + 1, reader.name, page["lead"][1].start_mark.line + 1)
    spans: list[Hint] = []
    if "spans" in page:
        node = page["spans"][1]
        if not isinstance(node, yaml.MappingNode):
            reader.problem(node, "`spans` must map article numbers to columns, e.g. {1: 4, 3: 2}")
            return lead, ()
        for key_node, value_node in node.value:
            index = article(str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "", key_node)
            value = str(value_node.value) if isinstance(value_node, yaml.ScalarNode) else ""
            if (columns := _whole(value)) is None or columns < 1:
                reader.problem(value_node, f"`spans`: {value[:20]!r} is not a number of columns")
            elif index is not None:
                spans.append(Hint(index, columns, reader.name, key_node.start_mark.line + 1))
    return lead, tuple(spans)


def key_line(data: bytes, key: str) -> int | None:
    """The line of issue.yaml a top-level ``key`` is written on, for a message found after loading."""
    try:
        root = compose(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    if isinstance(root, yaml.MappingNode):
        for key_node, value in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return int(value.start_mark.line) + 1
    return None
