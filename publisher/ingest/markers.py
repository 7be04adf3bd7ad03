"""Role markers: an archivist's word on one block, where the conventions are ambiguous.

A line that starts with ``{role}`` is given that role, whatever the parser
would have made of it: ``{byline} 记者调查组``, ``{kicker} 记者王某某探访``,
``{paragraph} 扰民！``. The marker and the spaces after it are markup; the rest
of the line is the text. A ``{word}`` the parser does not know is an error
at its ``file:line``.
"""

from __future__ import annotations

import re

MARKERS: dict[str, str] = {
    "kicker": "a kicker (引题) above the headline that follows; starts an article",
    "headline": "a headline; starts an article unless it follows a {kicker}",
    "subheadline": "the subheadline (副题) of the headline right above",
    "dateline": "the dateline (电头) of the article, printed before its first paragraph",
    "byline": "one byline of the article it is in, kept whole",
    "paragraph": "a paragraph of its own, as written (no dateline, byline or caption taken out of it)",
    "subhead": "an in-article subhead (小标题)",
    "caption": "a photo caption",
    "join": "the rest of the paragraph above, cut by the column extraction",
}

_MARKER = re.compile(r"^\{(?P<name>[A-Za-z][A-Za-z_-]*)\}[ \t\u3000]*")


def split_marker(line: str) -> tuple[str | None, str]:
    """``(marker name, rest of the line)``; the name is None when the line has no marker."""
    match = _MARKER.match(line)
    if match is None:
        return None, line
    return match["name"], line[match.end():]


def known() -> str:
    return ", ".join("{" + name + "}" for name in MARKERS)
