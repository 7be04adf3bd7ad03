"""``publisher parse --explain``: one line per source line, for an archivist's review.

Each line gives the source line number, the article it went to, the role
or roles it was given (``joined-to-previous`` for the rest of a cut
paragraph), the start of its text and the rule that decided.
"""

from __future__ import annotations

import unicodedata

from .parse import ParsedPage

EXCERPT_COLUMNS = 34


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def excerpt(text: str, columns: int = EXCERPT_COLUMNS) -> str:
    """``text`` cut to ``columns`` terminal columns (CJK counts two), padded to that width."""
    if _columns(text) > columns:
        kept = ""
        for char in text:
            if _columns(kept + char) > columns - 1:
                break
            kept += char
        text = kept + "…"
    return text + " " * (columns - _columns(text))


def explain(parsed: ParsedPage) -> list[str]:
    roles = [" + ".join(_runs(d.roles)) for d in parsed.decisions]
    width = max((len(r) for r in roles), default=0)
    lines = [f"{'line':>5}  {'art':>3}  {'role':<{width}}  {excerpt('text')}  rule"]
    for decision, role in zip(parsed.decisions, roles, strict=True):
        article = str(decision.article) if decision.article else "-"
        lines.append(f"{decision.line:>5}  {article:>3}  {role:<{width}}  {excerpt(decision.source)}  {decision.rule}")
    return lines


def _runs(roles: tuple[str, ...]) -> list[str]:
    """Roles in order, a repeated one counted: ``byline ×2``."""
    result: list[str] = []
    count = 0
    for index, role in enumerate(roles):
        count += 1
        if index + 1 == len(roles) or roles[index + 1] != role:
            result.append(role if count == 1 else f"{role} ×{count}")
            count = 0
    return result
