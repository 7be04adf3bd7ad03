"""Glyph coverage: every character of the issue must have a glyph in some face.

A character that no face of its role's fallback chain covers would print as
tofu (a blank box) or, worse, silently in a reader's own font. We refuse the
issue instead and point at the character's source line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache

import uharfbuzz as hb

from ..errors import InputError, Problem, display_path
from ..model import Issue, TextPart
from ..typeset import fonts
from ..typeset.fonts import FontFace, Role

# Which role and weight shows each part of an article; the print and EPUB
# layouts both follow it (headlines in 黑体, the rest in 宋体).
_HEADLINE: tuple[Role, int] = ("sans", 700)
_BODY: tuple[Role, int] = ("serif", 400)
_BOLD: tuple[Role, int] = ("serif", 700)
_CAPTION: tuple[Role, int] = ("sans", 400)
# The face each part of an article is shown in; paragraphs and bylines in the body's.
_ROLES: dict[TextPart, tuple[Role, int]] = {
    "kicker": _BOLD, "headline": _HEADLINE, "subheadline": _BOLD, "dateline": _BOLD,
    "subhead": _HEADLINE, "caption": _CAPTION, "credit": _CAPTION,
}


@cache
def charset(face: FontFace) -> frozenset[int]:
    """The code points the face maps to a glyph (its cmap), read once per process."""
    # HarfBuzz reads the cmap without parsing the 65k-glyph font: ~1 ms a face.
    blob = hb.Blob.from_file_path(str(face.path))
    return frozenset(hb.Face(blob, face.index).unicodes)


def needs_glyph(char: str) -> bool:
    """False for characters that are not drawn: line ends, format controls, variation selectors."""
    cp = ord(char)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return False  # selects a glyph variant of the previous character; not in the cmap
    return unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")


def uncovered(text: str, faces: Iterable[FontFace]) -> list[str]:
    """The distinct characters of ``text`` that none of ``faces`` covers, in order of appearance."""
    # Each distinct character is asked of each face's cmap (a lookup in the
    # mapped font file), instead of building the face's whole charset: the
    # build checks a few thousand characters, and the charsets of the chain's
    # faces cost ~20 MB held through the PDF's layout, its peak of memory.
    # The answers are kept per chain: an issue's texts share most of their
    # characters, and the EPUB's process, forked after the build's checks, asks again.
    chain = tuple(faces)
    drawn = _DRAWN.setdefault(chain, {})
    missing = []
    for char in dict.fromkeys(text):
        known = drawn.get(char)
        if known is None:
            known = drawn[char] = not needs_glyph(char) or any(
                _font(face).get_nominal_glyph(ord(char)) is not None for face in chain)
        if not known:
            missing.append(char)
    return missing


# Whether each character asked of a chain of faces is drawn by one of them (or needs no glyph).
_DRAWN: dict[tuple[FontFace, ...], dict[str, bool]] = {}


@cache
def _font(face: FontFace) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(str(face.path)), face.index))


def check_coverage(issue: Issue) -> None:
    """Raise InputError naming every character no face of its role's chain covers."""
    problems: list[Problem] = []
    fonts.all_faces()  # every face resolved at once, not one fc-match after the other
    for file, line, text, (role, weight) in _located_texts(issue):
        chain = fonts.chain(role, weight)
        for char in uncovered(text, chain):
            families = ", ".join(face.family for face in chain)
            problems.append(
                Problem(
                    file,
                    line,
                    f"character “{char}” (U+{ord(char):04X}) is in no font of the {role} role ({families})",
                )
            )
    if problems:
        raise InputError(problems)


def _located_texts(issue: Issue) -> Iterator[tuple[str, int | None, str, tuple[Role, int]]]:
    """Every text of the issue with its source location and the role it is shown in."""
    meta = display_path(issue.source)
    yield meta, None, issue.paper, _HEADLINE
    for value in issue.shown_metadata():
        yield meta, None, value, _BODY
    for page in issue.pages:
        file = display_path(page.source)
        yield meta, None, page.label + page.section, _HEADLINE
        for article in page.articles:
            for part in article.parts():
                if part.in_flow:  # a picture's alt text is not drawn in any face of ours
                    yield file, part.line, part.text.value, _ROLES.get(part.part, _BODY)


def faces_for(text: str, role: Role, weight: int) -> list[FontFace]:
    """The faces of the chain that ``text`` actually needs: the first, plus each
    fallback that covers a character the earlier faces lack."""
    chain = fonts.chain(role, weight)
    needed = [chain[0]]
    missing = set(uncovered(text, chain[:1]))
    for face in chain[1:]:
        if not missing:
            break
        got = {c for c in missing if ord(c) in charset(face)}
        if got:
            needed.append(face)
            missing -= got
    return needed
