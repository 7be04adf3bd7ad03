"""Where heading-like text may break on a reader's screen: between phrases, then between words.

A reader's line breaker sees no words in Chinese and breaks wherever a line
is full, so a kicker or a contents entry loses its last character to a line
of its own (``坚决遏制疫情反 / 弹反复``) and a number its unit (``1.2 / 万户``).
The templates therefore mark every heading-like text (kicker, headline,
subheadline, subhead, contents entry, title page) as:

- phrases: the runs between the spaces an editor put in, each kept whole
  where it fits on a line;
- units inside a phrase: words found by jieba's dictionary (``rjieba``),
  with punctuation attached to the word it belongs to, a number kept with
  its unit (``1.2万户``, ``2022年``) and every one-character word joined to
  a neighbour, so that no line can hold one character alone.

Each unit is set ``white-space: nowrap`` (``layouts/epub/breaks.css``), which
every reading engine honours, so a line breaks only between units.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

from ..typeset.cjk.classes import Kind, kind
from ..typeset.textruns import text_runs
from .vertical import tcy_segments, upright_segments

# A mark that cannot start a line goes with the word before it; one that
# cannot end a line with the word after it (clreq's line-start and line-end
# prohibitions, with the ellipsis and the dash pair as whole marks).
_CLOSING = frozenset("、。，．：；？！）］｝〕〉》」』】〗〙’”%‰℃…,.;:?!)]}")
_OPENING = frozenset("（［｛〔〈《「『【〖〘‘“—([{")
_JOINING = frozenset("·・/-")  # between two words: 新华社·北京, 5/6
# One-character words that lean on the word before them (particles and
# localisers: 会议上, 城市里, 我们的), rather than on the word after.
_LEANS_BACK = frozenset("的了着过地得上中下里内外后前们等时间性化者家")
# A number stays with a unit of at most this many characters: 1.2万户, 2022年, 58家.
_UNIT_MAX = 2
# A run this short is one unit whatever its words: the steps below only join words, and no
# one-character word is left, so three characters cannot make two units. No dictionary is needed.
_WHOLE_MAX = 3
_NUMBER = re.compile(r"[0-9０-９][0-9０-９.,．%‰]*")
_SPACES = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Phrase:
    """A run between an editor's spaces, cut into the units a line may not split; or the space itself."""

    units: tuple[str, ...]
    space: bool = False

    @property
    def text(self) -> str:
        return "".join(self.units)


@cache
def _segmenter() -> tuple[Callable[[str], list[str]], Callable[[str], str]]:
    """jieba's cut and the Traditional-to-Simplified conversion, loaded on the first run that needs words
    found: rjieba builds its dictionary of 350,000 words on import (~0.1 s of CPU)."""
    import opencc
    import rjieba

    return rjieba.cut, opencc.OpenCC("t2s.json").convert


def phrases(text: str) -> list[Phrase]:
    """``text`` as phrases and spaces, exactly as written: joining every unit gives ``text`` back."""
    out = []
    for run in _SPACES.split(text):
        if not run:
            continue
        out.append(Phrase((run,), space=True) if run.isspace() else Phrase(tuple(units(run))))
    return _no_single_phrase(out)


def _no_single_phrase(parts: list[Phrase]) -> list[Phrase]:
    """A one-character phrase (记者朱文君 摄) goes with its neighbour, the space between them inside a unit."""
    i = 0
    while i < len(parts):
        phrase = parts[i]
        if phrase.space or len(phrase.text) > 1:
            i += 1
        elif i >= 2 and parts[i - 1].space:
            before = parts[i - 2]
            parts[i - 2 : i + 1] = [Phrase((*before.units[:-1], before.units[-1] + parts[i - 1].text + phrase.text))]
            i -= 1
        elif i + 2 < len(parts) and parts[i + 1].space:
            after = parts[i + 2]
            parts[i : i + 3] = [Phrase((phrase.text + parts[i + 1].text + after.units[0], *after.units[1:]))]
        else:
            i += 1
    return parts


def units(run: str) -> list[str]:
    """A run without spaces cut into the pieces a line break may fall between."""
    if len(run) <= _WHOLE_MAX:
        return [run]
    words = _words(run)
    words = _attach_marks(words)
    words = _numbers_with_units(words)
    return _no_single_characters(words)


def _words(run: str) -> list[str]:
    # jieba's dictionary is Simplified: a Traditional run is segmented as its
    # Simplified form (character for character), and cut at the same places.
    cut, simplified = _segmenter()
    key = str(simplified(run))
    if len(key) != len(run):
        key = run
    out = []
    at = 0
    for word in cut(key):
        out.append(run[at : at + len(word)])
        at += len(word)
    return out


def _attach_marks(words: list[str]) -> list[str]:
    out: list[str] = []
    pending = ""  # opening marks waiting for the word they open
    for word in words:
        if all(ch in _OPENING for ch in word):
            pending += word
        elif all(ch in _CLOSING for ch in word) and out and not pending:
            out[-1] += word
        elif all(ch in _JOINING for ch in word) and out and not pending:
            out[-1] += word
            pending = out.pop()
        else:
            out.append(pending + word)
            pending = ""
    if pending:
        if out:
            out[-1] += pending
        else:
            out.append(pending)
    return out


def _numbers_with_units(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        if out and _NUMBER.fullmatch(out[-1]) and len(word) <= _UNIT_MAX and not word[0].isascii():
            out[-1] += word
        else:
            out.append(word)
    return out


def _no_single_characters(words: list[str]) -> list[str]:
    if len(words) < 2:
        return words
    out = list(words)
    i = 0
    while i < len(out) and len(out) > 1:
        if len(out[i]) > 1:
            i += 1
            continue
        back = i > 0 and (i == len(out) - 1 or out[i] in _LEANS_BACK)
        if back:
            out[i - 1] += out.pop(i)
        else:
            out[i] = out.pop(i) + out[i]
    return out


# --- the markup's pieces -------------------------------------------------------

Run = tuple[str, str]  # a piece of text and the CSS classes of the span that holds it ("" for none)


@dataclass(frozen=True)
class MarkedPhrase:
    """A phrase for a template: its units, each a list of runs; or a space."""

    units: tuple[tuple[Run, ...], ...]
    space: bool = False

    @property
    def text(self) -> str:
        return "".join(piece for unit in self.units for piece, _ in unit)


def autospace(text: str) -> list[Run]:
    """``text_runs`` of text set in one weight: the CJK–Latin space's runs. A text with no Latin character
    (most paragraphs of a Chinese paper) is one plain run, known from its distinct characters
    without walking it character by character (the paragraphs' runs 7.5 -> 1.5 ms an issue)."""
    if all(kind(ch) is not Kind.LATIN for ch in set(text)):
        return [(text, "")] if text else []
    return text_runs(text)


def _tcy(text: str) -> list[Run]:
    return [(piece, "tcy" if upright else "") for piece, upright in tcy_segments(text)]


# How a template marks the text inside the units: the CJK–Latin space of
# horizontal text, 縦中横 in vertical text, upright numbers on the vertical
# title page (publisher.epub.vertical).
_MARKS: dict[str, Callable[[str], list[Run]]] = {
    "autospace": autospace,
    "tcy": _tcy,
    "upright": upright_segments,
}


class MarkedPhrases(list[MarkedPhrase]):
    """What ``marked_phrases`` gives a template: the phrases and spaces, in order."""

    @property
    def several(self) -> bool:
        """More than one phrase (spaces aside): each is then set apart (``span.phrase``)."""
        return sum(not phrase.space for phrase in self) > 1


def marked_phrases(text: str, mark: str = "autospace") -> MarkedPhrases:
    """``text`` as phrases of units of runs: the units of ``phrases``, the runs of ``mark`` over the whole text.

    The runs are found on the whole text, so that a Latin word knows the
    ideograph beside it even across a unit; a unit boundary never cuts a run
    that carries a class (a number set upright, a Latin word with its space).
    """
    # Half of a book's heading-like texts come again (a reporter's byline under each story, a headline
    # in the contents and over its story): each is cut once; every template gets a list of its own.
    return MarkedPhrases(_marked_phrases(text, mark))


@lru_cache(maxsize=4096)
def _marked_phrases(text: str, mark: str) -> tuple[MarkedPhrase, ...]:
    runs = _MARKS[mark](text)
    classed: list[tuple[int, int]] = []
    at = 0
    for piece, css in runs:
        if css:
            classed.append((at, at + len(piece)))
        at += len(piece)

    def inside_run(offset: int) -> bool:
        return any(start < offset < end for start, end in classed)

    out: list[MarkedPhrase] = []
    at = 0
    run_index, run_at = 0, 0  # the run holding offset ``at``, and where it starts
    for phrase in phrases(text):
        cuts = [at]
        for unit in phrase.units:
            cuts.append(cuts[-1] + len(unit))
        cuts = [cuts[0], *(c for c in cuts[1:-1] if not inside_run(c)), cuts[-1]]
        units: list[tuple[Run, ...]] = []
        for start, end in pairwise(cuts):
            pieces: list[Run] = []
            while start < end:
                piece, css = runs[run_index]
                stop = min(end, run_at + len(piece))
                pieces.append((piece[start - run_at : stop - run_at], css))
                start = stop
                if stop == run_at + len(piece):
                    run_index, run_at = run_index + 1, stop
            units.append(tuple(pieces))
        out.append(MarkedPhrase(tuple(units), phrase.space))
        at = cuts[-1]
    return tuple(out)
