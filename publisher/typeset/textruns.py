"""Text the browser sets itself (headlines, kickers, bylines, the masthead), cut for the templates.

The body's lines are set by the engine (``publisher.typeset.cjk``), which makes the
CJK–Latin space as margins of the Latin runs. Everywhere else the templates
do the same through the ``text_runs`` filter: a Latin word or number that an
ideograph touches gets a class (``as-l``, ``as-r``) that the stylesheet turns
into a quarter-em margin on that side. No character is added to the text.
Bold text also marks the characters its bold face lacks (``regular``,
``publisher.typeset.boldface``), so that they are set in the weight that exists.
"""

from __future__ import annotations

from .boldface import bold_runs
from .cjk.classes import Kind, is_ideograph, is_latin_alnum, kind
from .fonts import Role


def text_runs(text: str, bold_role: Role | None = None) -> list[tuple[str, str]]:
    """``text`` cut into (piece, classes) for a template to wrap the pieces that have classes."""
    n = len(text)
    regular = [False] * n
    if bold_role is not None:
        at = 0
        for piece, lacking in bold_runs(text, bold_role):
            regular[at : at + len(piece)] = [lacking] * len(piece)
            at += len(piece)
    latin = [kind(ch) is Kind.LATIN for ch in text]
    runs: list[tuple[str, str]] = []
    i = 0
    while i < n:
        j = i + 1
        if latin[i]:
            while j < n and latin[j]:
                j += 1
            sides = []
            if i > 0 and is_ideograph(text[i - 1]) and is_latin_alnum(text[i]):
                sides.append("as-l")
            if j < n and is_ideograph(text[j]) and is_latin_alnum(text[j - 1]):
                sides.append("as-r")
            runs.append((text[i:j], " ".join(sides)))
        else:
            while j < n and not latin[j] and regular[j] == regular[i]:
                j += 1
            runs.append((text[i:j], "regular" if regular[i] else ""))
        i = j
    # Neighbouring plain pieces are one: fewer elements for the renderer.
    merged: list[tuple[str, str]] = []
    for piece, css in runs:
        if merged and not css and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + piece, "")
        else:
            merged.append((piece, css))
    return merged
