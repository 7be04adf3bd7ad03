"""Consecutive printed lines that can share one element of the print layout.

WeasyPrint's time goes with the elements it styles and lays out (each gets a
computed style and boxes of its own) more than with the lines it sets. So
consecutive lines of a paragraph that are plain text (one run with no class
and no margin, no indent, every character in the body's own face) and are
stretched by the same letter-spacing become one element, their lines
separated by preserved newlines (``white-space: pre``). On the 16-page
benchmark issue 2,970 lines take 1,579 elements instead of 2,970; the sheets
are pixel-identical and the render is about a fifth faster (bench/RESULTS.md).

A line whose every mark that the ``halt`` feature changes is compressed takes
the feature as a whole (the line's class ``halt``) instead of a span per mark:
the feature leaves every other character of the line as it is, so the line
is set the same with fewer elements.

The face condition keeps the line grid exact: the lines of a group share one
box whose height is not fixed, and a fallback face's taller metrics could
otherwise push the lines below off the grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .cjk.breaking import Line, Run
from .cjk.measure import Measure, measure


@dataclass(frozen=True)
class LineGroup:
    """Lines set as one element, all with the same spacing and features; only the first may be indented."""

    lines: tuple[Line, ...]
    halt: bool = False  # the whole group takes the halt feature

    @property
    def letter_spacing_pt(self) -> float:
        return self.lines[0].letter_spacing_pt

    @property
    def indent_pt(self) -> float:
        return self.lines[0].indent_pt

    @property
    def last(self) -> bool:
        return self.lines[-1].last


def _face(run: Run) -> Measure:
    return measure("serif", 700 if "b" in run.classes else 400)


def _halt_whole(line: Line) -> Line | None:
    """The line without its ``halt`` spans, if every mark the feature changes in it is compressed; else None."""
    if not any("halt" in run.classes for run in line.runs):
        return None
    for run in line.runs:
        if "halt" not in run.classes:
            face = _face(run)
            if any(face.halt_advance(ch) != face.advance(ch) for ch in run.text):
                return None
    runs: list[Run] = []
    for run in line.runs:
        run = replace(run, classes=tuple(c for c in run.classes if c != "halt"))
        last = runs[-1] if runs else None
        if last is not None and last.classes == run.classes and not last.margin_right_pt and not run.margin_left_pt:
            runs[-1] = replace(last, text=last.text + run.text, margin_right_pt=run.margin_right_pt)
        else:
            runs.append(run)
    return replace(line, runs=tuple(runs))


def _plain(line: Line) -> bool:
    if line.indent_pt or len(line.runs) != 1:
        return False
    run = line.runs[0]
    return not (run.classes or run.margin_left_pt or run.margin_right_pt) and all(map(_face(run).in_primary, run.text))


def _spacing(line: Line) -> str:
    return f"{line.letter_spacing_pt:.4f}"  # as the template prints it


def group_lines(lines: Sequence[Line]) -> list[LineGroup]:
    """``lines`` in order, consecutive plain lines with the same spacing and features in one group."""
    groups: list[tuple[list[Line], bool]] = []
    joinable = False  # may the last line of the last group take the next one after it
    for line in lines:
        whole = _halt_whole(line)
        halt = whole is not None
        line = whole or line
        plain = _plain(line)
        if joinable and plain and groups[-1][1] == halt and _spacing(line) == _spacing(groups[-1][0][-1]):
            groups[-1][0].append(line)
        else:
            groups.append(([line], halt))
        joinable = plain
    return [LineGroup(tuple(group), halt) for group, halt in groups]
