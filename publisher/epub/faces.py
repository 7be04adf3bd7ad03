"""Which embedded face draws each character of the book: the stylesheets' cascade over its documents.

Each face is subset to the characters it draws, not to every character of
the issue: the bold sans draws the headlines (a few hundred characters of an
issue's thousands), the bold serif the kickers, subheadlines and datelines.
What draws what is the layout's CSS, so it is read from there, as a reader
would: for every element the cascade's ``font-family`` and ``font-weight``
(specificity, order, inheritance, the reading system's bold headings), the
first embedded family of the list, and within it the face CSS font matching
picks for the weight. Rules inside ``@media`` or ``@supports`` may or may
not apply on a given reader, so an element counts for the faces both ways.

Where the cascade cannot be followed (the ``font`` shorthand, a ``style``
attribute naming a font, CSS that does not parse) every face gets every
character, as before faces were told apart: a glyph is never missing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import cssselect2  # type: ignore[import-untyped]  # WeasyPrint's own dependencies
import tinycss2  # type: ignore[import-untyped]

from ..typeset.coverage import needs_glyph

_XHTML = "{http://www.w3.org/1999/xhtml}"
_HEAD = f"{_XHTML}head"
_GENERIC = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "ui-serif",
                      "ui-sans-serif", "ui-monospace", "math", "emoji", "fangsong", "inherit", "initial", "unset"})
# What a reading system's own stylesheet makes bold (HTML's rendering section).
_UA_BOLD = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "th"})
_KEYWORD_WEIGHTS = {"normal": 400, "bold": 700}
_NOT_BY_PATH = frozenset("+~:")  # sibling combinators, pseudo-classes: a selector that reads more than the path


class Unfollowable(Exception):
    """The stylesheets say something about fonts this cascade does not follow."""


@dataclass(frozen=True)
class Face:
    """An embedded face as fonts.css declares it: a CSS family and a weight."""

    family: str
    weight: int


@dataclass
class _Rule:
    selector: Any  # cssselect2's compiled selector
    family: list[str] | None
    weight: str | None
    important: bool
    order: int
    conditional: bool  # inside @media or @supports


@dataclass
class Cascade:
    """The rules of a book's stylesheets that decide fonts, ready to match elements."""

    rules: list[_Rule] = field(default_factory=list)
    matcher: Any = field(default_factory=cssselect2.Matcher)
    # Every font rule's selector reads only the element's and its ancestors' names, classes and ids
    # (no sibling combinator, pseudo-class or attribute test): an element's style then follows
    # from that path alone, and the thousands of alike elements of an issue are matched once.
    by_path: bool = True
    ids: bool = False  # some selector names an id: part of the path
    # A path as a number: (its parent's number, or -1 at the root; tag, class, id) -> number.
    paths: dict[tuple[int, str, str | None, str | None], int] = field(default_factory=dict)
    path_styles: dict[int, tuple[_Style, _Style]] = field(default_factory=dict)

    def add(self, css: str) -> None:
        self._add_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), {}, False)

    def _add_rules(self, rules: Iterable[Any], namespaces: dict[str, str], conditional: bool) -> None:
        for rule in rules:
            if rule.type == "error":
                raise Unfollowable(f"CSS that does not parse: {rule.message}")
            if rule.type == "at-rule":
                keyword = rule.lower_at_keyword
                if keyword == "namespace":
                    tokens = [t for t in rule.prelude if t.type not in ("whitespace", "comment")]
                    if len(tokens) == 2 and tokens[0].type == "ident":
                        namespaces[tokens[0].value] = tokens[1].value
                elif keyword in ("media", "supports") and rule.content is not None:
                    inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                    self._add_rules(inner, namespaces, True)
                continue
            if rule.type != "qualified-rule":
                continue
            declarations = [d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                                         skip_whitespace=True)
                            if d.type == "declaration"]
            for declaration in declarations:
                if declaration.lower_name == "font":
                    raise Unfollowable("the font shorthand")
            fonts = [d for d in declarations if d.lower_name in ("font-family", "font-weight")]
            if not fonts:
                continue
            self._note_selector_kind(rule.prelude)
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude, namespaces)
            except cssselect2.SelectorError as exc:
                raise Unfollowable(f"a selector this cascade cannot read: {exc}") from None
            for declaration in fonts:
                family = _families(declaration.value) if declaration.lower_name == "font-family" else None
                weight = tinycss2.serialize(declaration.value).strip() if declaration.lower_name == "font-weight" \
                    else None
                for selector in selectors:
                    if selector.pseudo_element is not None:
                        continue  # generated content: a space at most (epub.css's CJK–Latin space)
                    compiled = _Rule(selector, family, weight, declaration.important, len(self.rules), conditional)
                    self.rules.append(compiled)
                    self.matcher.add_selector(selector, compiled)

    def _note_selector_kind(self, prelude: list[Any]) -> None:
        for token in prelude:
            if token.type == "hash":
                self.ids = True
            elif token.type in ("[] block", "function") or (token.type == "literal" and token.value in _NOT_BY_PATH):
                self.by_path = False


def _families(tokens: list[Any]) -> list[str]:
    names: list[str] = []
    current: list[str] = []
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            names.append(" ".join(current))
            current = []
        elif token.type == "string" or token.type == "ident":
            current.append(token.value)
    names.append(" ".join(current))
    return [name.strip() for name in names if name.strip()]


def _weight(value: str, inherited: int) -> int:
    value = value.lower()
    if value in _KEYWORD_WEIGHTS:
        return _KEYWORD_WEIGHTS[value]
    if value == "bolder":
        return 700 if inherited < 600 else 900
    if value == "lighter":
        return 100 if inherited < 600 else 400
    if value in ("inherit", "unset"):
        return inherited
    if value == "initial":
        return 400
    try:
        return int(float(value))
    except ValueError:
        raise Unfollowable(f"font-weight: {value}") from None


def match_face(faces: Iterable[Face], family: str, weight: int) -> Face | None:
    """The face of ``family`` that CSS font matching picks for ``weight`` (CSS Fonts 4, 5.2)."""
    candidates = sorted((face for face in faces if face.family == family), key=lambda face: face.weight)
    if not candidates:
        return None
    weights = [face.weight for face in candidates]

    def pick(order: list[int]) -> Face:
        return candidates[weights.index(order[0])]

    if weight in weights:
        return pick([weight])
    below = sorted((w for w in weights if w < weight), reverse=True)
    above = sorted(w for w in weights if w > weight)
    if 400 <= weight <= 500:
        up_to_500 = [w for w in above if w <= 500]
        return pick(up_to_500 + below + [w for w in above if w > 500])
    if weight < 400:
        return pick(below + above)
    return pick(above + below)


@dataclass(frozen=True)
class _Style:
    families: tuple[str, ...] | None  # None: the reading system's own font
    weight: int


def characters_by_face(documents: Iterable[bytes | ElementTree.Element], stylesheets: Iterable[str],
                       faces: Iterable[Face]) -> Mapping[Face | None, set[int]] | None:
    """For each face, the characters the documents draw with it (a face's family first in the
    element's list; the family's fallbacks follow it in that list). None: the cascade cannot be
    followed, every face must draw everything. Characters drawn in the reader's own font are under None.
    ``documents``: their bytes, or their root elements as parsed already.
    """
    cascade = Cascade()
    try:
        for css in stylesheets:
            cascade.add(css)
    except Unfollowable:
        return None
    declared = list(faces)
    families = {face.family for face in declared}
    drawn: dict[Face | None, set[str]] = {}
    chosen: dict[tuple[tuple[str, ...] | None, int], Face | None] = {}  # the face of each style, found once
    try:
        for content in documents:
            root = ElementTree.fromstring(content) if isinstance(content, bytes) else content
            for style, texts in _texts_by_style(cascade, root).items():
                if (style.families, style.weight) not in chosen:
                    chosen[style.families, style.weight] = _first_face(declared, families, style.families,
                                                                       style.weight)
                drawn.setdefault(chosen[style.families, style.weight], set()).update(*texts)
    except Unfollowable:
        return None
    # Each distinct character asked once: an issue has a few thousand, its documents ~100,000.
    return {face: glyphs(chars) for face, chars in drawn.items()}


def glyphs(chars: Iterable[str]) -> set[int]:
    """The code points of ``chars`` that are drawn (``coverage.needs_glyph``)."""
    return {ord(c) for c in chars if needs_glyph(c)}


def _first_face(declared: list[Face], families: set[str], family_list: tuple[str, ...] | None,
                weight: int) -> Face | None:
    for family in family_list or ():
        if family.startswith("generic:"):
            return None
        if family in families:
            return match_face(declared, family, weight)
    return None


def _texts_by_style(cascade: Cascade, root: ElementTree.Element) -> dict[_Style, list[str]]:
    """The document's texts by the style (font-family list, weight) they are set in, both ways for
    conditional rules."""
    parents = {child: parent for parent in root.iter() for child in parent}
    wrappers = _Wrappers(root, parents)
    by_style: dict[_Style, list[str]] = {}
    # The lists an element's text goes to, by its pair of styles: alike elements share one pair (a path's).
    sinks: dict[int, tuple[list[str], ...]] = {}
    styles: dict[int, tuple[_Style, _Style]] = {}
    paths: dict[int, int] = {}  # each element's path (Cascade.paths), where its styles follow from it
    for etree in root.iter():  # in document order, as cssselect2 walks them
        if not isinstance(etree.tag, str):
            continue  # a comment or processing instruction
        parent = parents.get(etree)
        if etree.tag == _HEAD or (parent is not None and parent.tag == _HEAD):
            continue
        style = etree.get("style")
        if style and "font" in style.lower():
            raise Unfollowable("a style attribute naming a font")
        path = None
        above = paths.get(id(parent)) if parent is not None else -1
        if cascade.by_path and above is not None:
            key = (above, etree.tag, etree.get("class"), etree.get("id") if cascade.ids else None)
            path = paths[id(etree)] = cascade.paths.setdefault(key, len(cascade.paths))
        both = cascade.path_styles.get(path) if path is not None else None
        if both is None:
            parent_styles = styles.get(id(parent)) if parent is not None else None
            matched = [payload for *_, payload in cascade.matcher.match(wrappers.of(etree))]
            local = etree.tag.removeprefix(_XHTML)
            both = (_computed(matched, parent_styles[0] if parent_styles else None, local, conditional=False),
                    _computed(matched, parent_styles[1] if parent_styles else None, local, conditional=True))
            if path is not None:
                cascade.path_styles[path] = both
        styles[id(etree)] = both
        text = etree.text or ""
        if len(etree):
            text += "".join(child.tail or "" for child in etree)
        if text.strip():
            lists = sinks.get(id(both))
            if lists is None:
                distinct = both[:1] if both[0] == both[1] else both
                lists = sinks[id(both)] = tuple(by_style.setdefault(computed, []) for computed in distinct)
            for texts_of_style in lists:
                texts_of_style.append(text)
    return by_style


class _Wrappers:
    """cssselect2's view of the elements, made only for those the cascade must match: the
    thousands whose path was matched already need none (wrapping each cost a third of the walk)."""

    def __init__(self, root: ElementTree.Element, parents: Mapping[ElementTree.Element, ElementTree.Element]) -> None:
        wrapper = cssselect2.ElementWrapper.from_xml_root(root)
        self._known: dict[int, Any] = {id(root): wrapper}
        self._parents = parents

    def of(self, element: ElementTree.Element) -> Any:
        known = self._known.get(id(element))
        if known is None:
            for child in self.of(self._parents[element]).iter_children():
                self._known[id(child.etree_element)] = child
            known = self._known[id(element)]
        return known


def _computed(rules: list[_Rule], parent: _Style | None, tag: str, conditional: bool) -> _Style:
    families = parent.families if parent else None
    weight = parent.weight if parent else 400
    if tag in _UA_BOLD:
        weight = 700 if tag != "b" and tag != "strong" else _weight("bolder", weight)
    applying = [rule for rule in rules if conditional or not rule.conditional]
    # Important declarations beat normal ones; then specificity and order (the matcher's sort).
    applying.sort(key=lambda rule: rule.important)
    inherited_weight = weight
    for rule in applying:
        if rule.family is not None:
            families = tuple(rule.family) if rule.family[0] not in ("generic:inherit", "generic:unset") else families
        if rule.weight is not None:
            weight = _weight(rule.weight, parent.weight if parent else inherited_weight)
    return _Style(families, weight)
