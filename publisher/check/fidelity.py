"""Text fidelity: every text of the source issue must be found in an edition's text.

Whitespace is ignored on both sides: line breaks, the spaces an extractor puts
between glyphs, and the space between a dateline and its paragraph are layout,
not text. Everything else must match character for character (the normalised
punctuation of the model is what both editions print).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import display_path
from ..model import Issue
from ..typeset.whitespace import squeeze


@dataclass(frozen=True)
class Missing:
    """A source text the edition does not hold, and how far it matched."""

    file: str
    line: int
    text: str
    matched: int  # length of the longest prefix found (whitespace removed)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def describe(self) -> str:
        squeezed = squeeze(self.text)
        head = squeezed[:24] + ("…" if len(squeezed) > 24 else "")
        if self.matched == 0:
            return f"「{head}」 is not in the edition's text"
        tail = squeezed[max(0, self.matched - 8):self.matched]
        return f"「{head}」 is not in the edition's text: it differs after 「{tail}」"


def source_texts(issue: Issue) -> Iterator[tuple[str, int, str]]:
    """Every text of every article (kicker, headline, paragraphs, captions, credits, bylines …) with its page
    file and line; a picture's alt text is not read in the text and goes with its image."""
    for page in issue.pages:
        file = display_path(page.source)
        for article in page.articles:
            for part in article.parts():
                if part.in_flow:
                    yield file, part.line, part.text.value


def missing_texts(issue: Issue, edition_text: str) -> list[Missing]:
    haystack = squeeze(edition_text)
    missing = []
    for file, line, text in source_texts(issue):
        needle = squeeze(text)
        if needle and needle not in haystack:
            missing.append(Missing(file, line, text, _matched_prefix(needle, haystack)))
    return missing


def _matched_prefix(needle: str, haystack: str) -> int:
    """The longest prefix of ``needle`` in ``haystack`` (binary search: containment is monotone)."""
    low, high = 0, len(needle)
    while low < high:
        mid = (low + high + 1) // 2
        if needle[:mid] in haystack:
            low = mid
        else:
            high = mid - 1
    return low
