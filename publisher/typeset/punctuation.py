"""Half-width punctuation inside Chinese text becomes full-width.

The source was typed with half-width ``, ( ) ? ; : !`` between Chinese
characters; a Chinese paper prints ``，（）？；：！``. A mark is converted only
in Chinese context, so ``5.2%``, ``12:30``, ``3,000`` and Latin phrases such as
``Hello, world`` keep their ASCII marks. Chinese context is what the line
breaker sets on the em grid (``cjk.classes``, the one table of character
classes). Nothing else changes: no NFC/NFKC, which would turn compatibility
ideographs into other characters.

Straight double quotes ``"`` in Chinese context become “ and ” in turn.
Each converted offset is recorded, so the source is recovered exactly
(:func:`restore`): the offsets say which characters were half-width.
"""

from __future__ import annotations

import re

from ..model import Text
from .cjk.classes import is_cjk

FULL_WIDTH = {
    ",": "，",
    "(": "（",
    ")": "）",
    "?": "？",
    ";": "；",
    ":": "：",
    "!": "！",
}
HALF_WIDTH = {full: half for half, full in FULL_WIDTH.items()} | {"“": '"', "”": '"'}
_MARKS = re.compile("[" + re.escape("".join(FULL_WIDTH) + '"') + "]")


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character in direction ``step`` that is not a space."""
    index += step
    while 0 <= index < len(text) and text[index] in " \t":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def normalise(source: str) -> Text:
    """Convert half-width punctuation in Chinese context; remember which offsets changed."""
    if not any(mark in source for mark in FULL_WIDTH) and '"' not in source:
        return Text(source)
    chars = list(source)
    changed: list[int] = []
    open_parens: list[int] = []  # offsets of "(" not yet closed, to convert a pair together
    quotes: list[int] = []
    for mark in _MARKS.finditer(source):  # the marks only, in order: every other character is kept as it is
        i, char = mark.start(), mark.group()
        if char == '"':
            before, after = _neighbour(source, i, -1), _neighbour(source, i, 1)
            if (before and is_cjk(before)) or (after and is_cjk(after)):
                quotes.append(i)
            continue
        if char not in FULL_WIDTH:
            continue
        before, after = _neighbour(source, i, -1), _neighbour(source, i, 1)
        if char == "(":
            open_parens.append(i)
            continue
        if char == ")":
            if open_parens:
                start = open_parens.pop()
                outside = (_neighbour(source, start, -1), after)
                inside = (_neighbour(source, start, 1), before)
                if any(c and is_cjk(c) for c in outside + inside):
                    changed += [start, i]
            elif before and is_cjk(before):
                changed.append(i)
            continue
        if char == ":" and before.isdigit() and after.isdigit():
            continue  # a time or a ratio: 12:30, 3:1
        if char == "," and before.isdigit() and after.isdigit():
            continue  # a thousands separator: 3,000
        if (before and is_cjk(before)) or (after and is_cjk(after)):
            changed.append(i)
    for start in open_parens:  # an unclosed "(" follows its own context
        before, after = _neighbour(source, start, -1), _neighbour(source, start, 1)
        if (before and is_cjk(before)) or (after and is_cjk(after)):
            changed.append(start)
    for i in changed:
        chars[i] = FULL_WIDTH[source[i]]
    for n, i in enumerate(quotes):  # opening and closing quotes alternate
        chars[i] = "“" if n % 2 == 0 else "”"
    changed = sorted(changed + quotes)
    return Text("".join(chars), tuple(changed))


def restore(text: Text) -> str:
    """The source text before normalisation."""
    chars = list(text.value)
    for i in text.normalised:
        chars[i] = HALF_WIDTH[chars[i]]
    return "".join(chars)
