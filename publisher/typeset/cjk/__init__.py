"""CJK typesetting for the print edition: character classes, advances, line breaking."""

from .breaking import Line, Run, Span, set_paragraph

__all__ = ["Line", "Run", "Span", "set_paragraph"]
