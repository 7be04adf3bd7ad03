"""The body's columns in the frame WeasyPrint lays out: placed in their block where the make-up put them, a
column of nothing but body being its lines' placeholder (one box, not a column and a placeholder in it).

Real layouts (the templates, WeasyPrint, the archive's reading of the laid-out sheets) of a synthetic issue.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import make_issue
from publisher.build import load
from publisher.print.job import plan_job
from publisher.print.layout import lay_out
from publisher.print.pdf import lay_out_text, made_up_sheets
from publisher.print.pdf_lines import placeholder_boxes
from publisher.print.print_options import PrintOptions
from publisher.resources import LAYOUTS_DIR
from publisher.typeset.geometry import load_geometry
from publisher.typeset.makeup import MadeUpSheet

PX = 0.75  # pt per CSS pixel


@pytest.fixture(scope="module")
def issue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_issue(tmp_path_factory.mktemp("frame") / "issue", pages=2, seed=3)


def _classes(box: Any) -> set[str]:
    return set((box.element.get("class") or "").split())


def _sheet_box(box: Any) -> Any:
    """The ``section.sheet`` box under a page: the origin of the make-up's positions."""
    if getattr(box, "element_tag", None) == "section" and "sheet" in _classes(box):
        return box
    for child in getattr(box, "children", ()):
        if (found := _sheet_box(child)) is not None:
            return found
    return None


def _body_only(sheet: MadeUpSheet) -> list[tuple[float, float, float, int]]:
    """Each column of nothing but paragraphs: its left and top on the sheet, its width, its lines (pt, lines)."""
    return [(block.left + column.left, block.top + block.body_top + column.top, column.width,
             sum(len(piece.lines) for piece in column.pieces))
            for block in sheet.blocks for column in block.columns
            if column.pieces and all(piece.kind == "paragraph" for piece in column.pieces)]


def test_a_column_of_nothing_but_body_is_its_placeholder_where_the_make_up_put_it(issue: Path) -> None:
    loaded = load(issue)
    sheets = made_up_sheets(loaded)
    document = lay_out(plan_job(loaded, PrintOptions(), sheets))
    pitch = load_geometry(loaded.page_size, loaded.layout).line_pitch
    counted = 0
    for page, sheet in zip(document.pages, sheets, strict=True):
        origin = _sheet_box(page._page_box)
        x0, y0 = origin.content_box_x(), origin.content_box_y()
        placed = [((box.content_box_x() - x0) * PX, (box.content_box_y() - y0) * PX, box.width * PX,
                   box.height * PX) for box in placeholder_boxes(page._page_box) if "column" in _classes(box)]
        expected = _body_only(sheet)
        assert len(placed) == len(expected)
        for (x, y, width, height), (left, top, column_width, lines) in zip(placed, expected, strict=True):
            assert abs(x - left) < 0.01 and abs(y - top) < 0.01 and abs(width - column_width) < 0.01
            assert abs(height - lines * pitch) < 0.01  # as high as the column's lines
        counted += len(placed)
    assert counted >= 4  # most columns of a synthetic issue hold nothing but body


def test_a_layout_without_placed_lines_puts_the_same_lines_in_the_same_places(issue: Path, tmp_path: Path) -> None:
    """A layout whose own _lines.html has only the paragraph macro (as before placed_lines) gets a column with
    its placeholder in it, and the archive reads every line of the sheets in the same place as with ours."""
    own = (LAYOUTS_DIR / "print" / "_lines.html").read_text(encoding="utf-8")
    folder = tmp_path / "layout" / "print"
    folder.mkdir(parents=True)
    (folder / "_lines.html").write_text(own[:own.index("{#- A column that holds nothing but")], encoding="utf-8")
    loaded = load(issue)
    ours = lay_out_text(loaded, PrintOptions())
    theirs = lay_out_text(dataclasses.replace(loaded, layout=tmp_path / "layout"), PrintOptions())

    def lines(laid_out: Any) -> list[tuple[str, str, float, float, float]]:
        return [(block.role, line.text, round(line.box.x, 2), round(line.box.y, 2), round(line.box.width, 2))
                for sheet in laid_out.sheets for block in sheet.blocks for line in block.lines]

    assert len([line for line in lines(ours) if line[0] == "body"]) > 100
    assert lines(theirs) == lines(ours)
