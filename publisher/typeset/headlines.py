"""Headlines cut into lines the way an editor cuts them: at the spaces between
phrases, into lines of about equal length, never leaving one character alone.

A Chinese headline is written as phrases separated by spaces (从快从严从紧
压紧压实责任 坚决遏制疫情反弹反复). A reader's line breaker sees no word
boundaries in Chinese and breaks wherever the line is full, which cuts a
phrase and can strand its last character on a line of its own. These
functions choose the breaks themselves, for the cover image, which has no
line breaker of its own; the EPUB's documents mark phrases and words for the
reader's engine to keep together (``publisher.epub.phrasing``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import combinations, pairwise

Measure = Callable[[str], float]

_TOKEN = re.compile(r"[0-9A-Za-z.,%‰℃-]")  # the characters of a number or Latin word: 5.2%, 3,200, COVID-19

# A line may not start with these (closing marks) nor end with the openers.
_NO_START = set("、。，．：；？！）］｝〕〉》」』】〗〙’”%‰℃·")
_NO_END = set("（［｛〔〈《「『【〖〘‘“")


def phrases(text: str) -> list[str]:
    """The phrases of a headline: the runs between its spaces (ASCII or ideographic)."""
    return text.split()


def balanced_lines(text: str, measure: Measure, limit: float) -> list[str]:
    """``text`` cut into the fewest lines no wider than ``limit``, as even as possible.

    Breaks fall between phrases; a phrase wider than ``limit`` on its own is
    cut between characters, evenly, and never with a single character on a
    line. Phrases on one line keep one space between them.
    """
    pieces: list[str] = []
    for phrase in phrases(text):
        pieces += [phrase] if measure(phrase) <= limit else _split_phrase(phrase, measure, limit)
    if not pieces:
        return []
    if len(pieces) > PIECES:
        # A headline of thousands of pieces (a 3,000-letter word cut letter by letter) would be cut in more
        # ways than there are atoms: its pieces fill the lines in order instead.
        return _filled(pieces, measure, limit)
    for count in range(1, len(pieces) + 1):
        best = _best_partition(pieces, count, measure, limit)
        if best is not None:
            return best
    return pieces  # unreachable: one piece a line always fits


PIECES = 12  # pieces of a headline whose every cut into lines is tried (at most 462 cuts for a line count)


def _filled(pieces: Sequence[str], measure: Measure, limit: float) -> list[str]:
    """The pieces in order, as many on each line as fit (a line holds one piece at least), joined as
    ``_best_partition`` joins them."""
    lines: list[str] = []
    for piece in pieces:
        if lines and measure(joined := f"{lines[-1]} {piece}") <= limit:
            lines[-1] = joined
        else:
            lines.append(piece)
    return lines


def _best_partition(pieces: Sequence[str], count: int, measure: Measure, limit: float) -> list[str] | None:
    """The partition of ``pieces`` into ``count`` lines whose widest line is narrowest; None if none fits."""
    best: tuple[float, list[str]] | None = None
    # Headlines have a handful of phrases: trying every cut is cheap.
    for cuts in combinations(range(1, len(pieces)), count - 1):
        bounds = (0, *cuts, len(pieces))
        lines = [" ".join(pieces[a:b]) for a, b in pairwise(bounds)]
        widest = max(measure(line) for line in lines)
        if widest <= limit and (best is None or widest < best[0]):
            best = (widest, lines)
    return best[1] if best else None


def _split_phrase(phrase: str, measure: Measure, limit: float) -> list[str]:
    """A phrase too wide for a line, cut into even parts between characters."""
    chars = list(phrase)
    for parts in range(2, len(chars) + 1):
        size = -(-len(chars) // parts)
        if size < 2 and len(chars) > 1:
            break
        lines = _even_cut(chars, parts)
        if len(lines) < 2:
            break  # it cannot be cut (one Latin word): more parts change nothing
        if all(measure(line) <= limit for line in lines):
            return lines
    return chars  # each character alone still overflows: nothing better exists


def _even_cut(chars: list[str], parts: int) -> list[str]:
    """``chars`` in ``parts`` runs of near-equal length, moving a cut off a prohibited place."""
    lines: list[str] = []
    start = 0
    for index in range(parts):
        end = round(len(chars) * (index + 1) / parts)
        # A closing mark cannot start the next line, an opener cannot end this
        # one, and a number or Latin word is not cut.
        while start < end < len(chars) and (chars[end] in _NO_START or chars[end - 1] in _NO_END
                                            or (_TOKEN.match(chars[end - 1]) and _TOKEN.match(chars[end]))):
            end += 1
        if end > start:
            lines.append("".join(chars[start:end]))
        start = end
    if start < len(chars):
        lines[-1] += "".join(chars[start:])
    # The last run can end up a single character after the cuts moved: join it back.
    if len(lines) > 1 and len(lines[-1]) == 1:
        lines[-2] += lines.pop()
    return lines
