"""Consecutive printed lines that can share one element of the print layout.

WeasyPrint's time goes with the elements it styles and lays out (each gets a
computed style and boxes of its own) more than with the lines it sets. So
consecutive lines of a paragraph that are plain text (one run with no class
and no margin, no indent, every character in the body's own face) and are
stretched by the same letter-spacing become one element, their lines
separated by preserved newlines (``white-space: pre``). On the 16-page
benchmark issue 2,970 lines take 1,579 elements instead of 2,970; the sheets
are pixel-identical and the render is about a fifth faster (bench/RESULTS.md).

The face condition keeps the line grid exact: the lines of a group share one
box whose height is not fixed, and a fallback face's taller metrics could
otherwise push the lines below off the grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .cjk.breaking import Line
from .cjk.measure import measure


@dataclass(frozen=True)
class LineGroup:
    """Lines set as one element: all the same spacing; only the first may differ in kind."""

    lines: tuple[Line, ...]

    @property
    def letter_spacing_pt(self) -> float:
        return self.lines[0].letter_spacing_pt

    @property
    def indent_pt(self) -> float:
        return self.lines[0].indent_pt

    @property
    def last(self) -> bool:
        return self.lines[-1].last


def _plain(line: Line) -> bool:
    if line.indent_pt or len(line.runs) != 1:
        return False
    run = line.runs[0]
    face = measure("serif", 400)
    return not (run.classes or run.margin_left_pt or run.margin_right_pt) and all(map(face.in_primary, run.text))


def _spacing(line: Line) -> str:
    return f"{line.letter_spacing_pt:.4f}"  # as the template prints it


def group_lines(lines: Sequence[Line]) -> list[LineGroup]:
    """``lines`` in order, consecutive plain lines with the same spacing in one group."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and _plain(line) and _plain(groups[-1][-1]) and _spacing(line) == _spacing(groups[-1][-1]):
            groups[-1].append(line)
        else:
            groups.append([line])
    return [LineGroup(tuple(group)) for group in groups]
