"""issue.yaml -> Issue: a declarative schema, every problem collected, then one abort.

YAML is read as a node tree (``yaml.compose``), never with ``safe_load``'s
type guessing: ``issue: 0123`` stays "0123", ``number: 08`` stays "08", ``no``
stays "no", and every value keeps the line it was written on for messages.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError, Problem, display_path
from .model import Hint, Issue, Page
from .parse import parse_page
from .sources import read_page

PAGE_SIZES = ("tabloid", "broadsheet", "a3")
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_ISSN = re.compile(r"^\d{4}-\d{3}[\dXx]$")
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class Field:
    """One key of a mapping: whether it is required and how its text is checked."""

    required: bool = False
    check: Callable[[str], str | None] | None = None  # returns a problem message, or None


def _iso_date(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a date in ISO 8601 form (YYYY-MM-DD)"
    return None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else f"{value!r} is not written as YYYY-MM-DD"


def _language(value: str) -> str | None:
    return None if _LANGUAGE.match(value) else f"{value!r} is not a BCP 47 language tag (e.g. zh-Hans)"


def _issn(value: str) -> str | None:
    if not _ISSN.match(value):
        return f"{value!r} is not an ISSN (NNNN-NNNC)"
    digits = value.replace("-", "")
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return None if digits[7].upper() == expected else f"ISSN {value!r} has a wrong check digit (expected {expected})"


def _page_size(value: str) -> str | None:
    return None if value in PAGE_SIZES else f"page size {value!r} is not one of {', '.join(PAGE_SIZES)}"


def _article_number(value: str) -> str | None:
    return None if value.isdigit() and int(value) >= 1 else f"{value!r} is not an article number (1 is the first)"


def _encoding(value: str) -> str | None:
    try:
        codecs.lookup(value)
    except LookupError:
        return f"unknown encoding {value!r}"
    return None


ISSUE_FIELDS: dict[str, Field] = {
    "paper": Field(required=True),
    "date": Field(required=True, check=_iso_date),
    "issue": Field(),
    "language": Field(check=_language),
    "publisher": Field(),
    "place": Field(),
    "issn": Field(check=_issn),
    "lccn": Field(),
    "edition": Field(),
    "lunar_date": Field(),
    "page_size": Field(check=_page_size),
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
}
_NODE_VALUES = ("pages", "spans")  # keys whose value is a list or a mapping, read by their own code


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
            key = str(key_node.value)
            if key not in fields:
                close = difflib.get_close_matches(key, fields, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else f" (known keys: {', '.join(fields)})"
                self.problem(key_node, f"unknown key `{key}` in {what}{hint}")
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
            if check and (message := check(text)):
                self.problem(value_node, f"`{key}`: {message}")
                continue
            values[key] = (text, value_node)
        for key, spec in fields.items():
            if spec.required and key not in given:
                self.problem(node, f"missing required key `{key}` in {what}")
        return values


def load_issue(path: Path, layout: Path | None = None) -> Issue:
    """Read issue.yaml and every page file; raise one InputError with all problems."""
    reader = _Reader(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(reader.name, None, "issue file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(reader.name, None, f"cannot read issue file: {exc}")]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc)
        raise InputError([Problem(reader.name, line, f"not valid YAML: {detail}")]) from None
    if root is None:
        raise InputError([Problem(reader.name, 1, "the issue file is empty")])
    top = reader.mapping(root, ISSUE_FIELDS, "issue.yaml")
    pages = _pages(reader, top.get("pages"), path.parent)
    layout_dir = layout
    if layout_dir is None and "layout" in top:
        layout_dir = (path.parent / top["layout"][0]).resolve()
        if not layout_dir.is_dir():
            reader.problem(top["layout"][1], f"layout folder {top['layout'][0]!r} does not exist")
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
        page_size=get("page_size") or "tabloid",
        layout=layout_dir,
    )


def _pages(reader: _Reader, entry: tuple[str, yaml.Node] | None, base: Path) -> list[Page]:
    if entry is None:
        return []
    node = entry[1]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.problem(node, "`pages` must be a list of at least one page")
        return []
    pages: list[Page] = []
    labels: set[str] = set()
    for item in node.value:
        page = reader.mapping(item, PAGE_FIELDS, "a page")
        if not {"number", "section", "file"} <= page.keys():
            continue
        label = page["number"][0]
        if label in labels:
            reader.problem(page["number"][1], f"page label {label!r} is used twice")
        labels.add(label)
        file = base / page["file"][0]
        encoding = page["encoding"][0] if "encoding" in page else None
        try:
            articles = parse_page(read_page(file, encoding), display_path(file))
        except InputError as error:
            for problem in error.problems:
                # A missing page file is reported where issue.yaml names it.
                if problem.line is None:
                    reader.problem(page["file"][1], f"{page['file'][0]}: {problem.message}")
                else:
                    reader.problems.append(problem)
            continue
        lead, spans = _hints(reader, page, len(articles))
        pages.append(Page(label=label, section=page["section"][0], source=file, articles=tuple(articles),
                          lead=lead, spans=spans))
    return pages


def _hints(reader: _Reader, page: dict[str, tuple[str, yaml.Node]],
           count: int) -> tuple[Hint | None, tuple[Hint, ...]]:
    """A page's make-up hints: ``lead: N`` and ``spans: {N: columns}``, articles numbered from 1 in page order."""
    def article(text: str, node: yaml.Node) -> int | None:
        if not text.isdigit() or int(text) < 1:
            reader.problem(node, f"{text!r} is not an article number (1 is the first)")
            return None
        if int(text) > count:
            reader.problem(node, f"the page has {count} article{'s' if count != 1 else ''}, not {int(text)}")
            return None
        return int(text) - 1

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
            index = article(str(key_node.value), key_node)
            value = str(value_node.value) if isinstance(value_node, yaml.ScalarNode) else ""
            if not value.isdigit() or int(value) < 1:
                reader.problem(value_node, f"`spans`: {value!r} is not a number of columns")
            elif index is not None:
                spans.append(Hint(index, int(value), reader.name, key_node.start_mark.line + 1))
    return lead, tuple(spans)
