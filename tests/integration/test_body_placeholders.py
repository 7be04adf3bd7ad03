"""The body's lines in their placeholders: consecutive paragraphs of a column share one, except in a tagged PDF.

Real builds (the template, WeasyPrint, the finisher that draws the lines) of a
synthetic issue; the layouts that place the lines wrongly are refused with the
build's message, no traceback and no PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from bench.synthetic import make_issue
from publisher.build import BuildOptions, build, load
from publisher.cli import main
from publisher.print.body import set_body
from publisher.print.pdf import made_up_sheets
from publisher.print.print_options import PrintOptions
from publisher.print.render import render_print_html
from publisher.resources import LAYOUTS_DIR
from publisher.typeset.geometry import load_geometry

PLACEHOLDER = 'class="set-lines'


@pytest.fixture(scope="module")
def issue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_issue(tmp_path_factory.mktemp("placeholders") / "issue", pages=2, seed=3)


def pieces_set(issue_path: Path) -> int:
    issue = load(issue_path)
    body = set_body(made_up_sheets(issue), load_geometry(issue.page_size, issue.layout))
    return sum(len(sheet) for sheet in body.sheets)


def test_consecutive_paragraphs_share_a_placeholder_but_each_keeps_its_own_when_tagged(issue: Path) -> None:
    loaded = load(issue)
    geometry = load_geometry(loaded.page_size, loaded.layout)
    sheets = made_up_sheets(loaded)
    plain = render_print_html(loaded, geometry, "2022-11-28T00:00:00Z", sheets=sheets)
    tagged = render_print_html(loaded, geometry, "2022-11-28T00:00:00Z", sheets=sheets, tagged=True)
    pieces = pieces_set(issue)
    assert tagged.count(PLACEHOLDER) == pieces
    assert plain.count(PLACEHOLDER) < pieces * 0.8


def test_a_tagged_pdf_has_a_paragraph_for_each_piece_of_body(issue: Path, tmp_path: Path) -> None:
    options = BuildOptions(json=False, pdf=True, epub=False, jobs=1, print=PrintOptions(variant="pdf/ua-1"))
    [path] = build(issue, tmp_path, options)
    paragraphs = 0
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            tags: list[str] = []
            counted = False
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    tags.append(str(operands[0]))
                    counted = False
                elif name == "EMC":
                    tags.pop()
                elif name == "Tf" and str(operands[0]).startswith("/Body") and tags[-1:] == ["/P"] and not counted:
                    paragraphs += 1  # a marked paragraph drawn in a body face (pdf_lines.font_name)
                    counted = True
    assert paragraphs == pieces_set(issue)


def _layout(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "layout" / "print"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "layout"


TOO_HIGH = ('{%- macro paragraph(lines, class="") -%}<img class="set-lines {{ class }}" src="{{ set_lines_src }}" '
            'alt="正文" style="height: {{ (lines | length + 1) * g.line_pitch }}pt">{%- endmacro -%}')
MERGED_WHEN_TAGGED = (LAYOUTS_DIR / "print" / "article.html").read_text(encoding="utf-8").replace(
    "body_runs(apart=tagged)", "body_runs")
HIDDEN = "img.set-lines { display: block; width: 100%; visibility: hidden; }"
NOT_PLACED = '{%- macro paragraph(lines, class="") -%}<p>{% for line in lines %}{{ line.text }}{% endfor %}</p>' \
             "{%- endmacro -%}"


@pytest.mark.parametrize(("files", "variant", "message"), [
    ({"_lines.html": TOO_HIGH}, None, "is not filled by the next pieces of body"),
    ({"article.html": MERGED_WHEN_TAGGED}, "pdf/ua-1", "a tagged PDF needs each on its own"),
    ({"lines.css": HIDDEN}, None, "placeholders laid out, 0 drawn"),
    ({"_lines.html": NOT_PLACED}, None, "of them not placed"),
], ids=["too-high", "merged-when-tagged", "hidden", "not-placed"])
def test_a_layout_that_misplaces_the_lines_is_refused(issue: Path, tmp_path: Path, files: dict[str, str],
                                                       variant: str | None, message: str) -> None:
    err = io.StringIO()
    args = ["build", str(issue), "--out", str(tmp_path / "out"), "--pdf", "--jobs", "1",
            "--layout", str(_layout(tmp_path, files))]
    code = main(args + (["--pdf-variant", variant] if variant else []), stdout=io.StringIO(), stderr=err)
    assert code == 2, err.getvalue()
    assert "the body's lines cannot be placed" in err.getvalue() and message in err.getvalue(), err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not list((tmp_path / "out").glob("*.pdf"))
