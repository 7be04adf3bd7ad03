"""The story heads drawn by the toolkit (publisher/print/head_lines.py) where WeasyPrint would set them.

The reference is WeasyPrint itself: a layout whose ``_head_lines.html`` puts
each head line's text in the page, as the print layout did before, is laid
out and written by WeasyPrint; the default layout draws the same lines at
their placeholders. Every word of the sheets is compared.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from publisher.build import BuildOptions, build
from publisher.cli import main
from publisher.print.print_options import PrintOptions
from tests.conftest import SEED_ISSUE

ROOT = Path(__file__).resolve().parents[2]
# The heads as text WeasyPrint sets: the line in the head's own font, bold text's missing characters regular,
# the CJK–Latin space as margins (the text_runs filter), exactly what article.html printed before.
AS_TEXT = ('{% from "_text.html" import spaced %}{%- macro head_line(text, spacing=0) -%}<span class="hl"'
           '{% if spacing %} style="letter-spacing: {{ spacing }}em; margin-right: -{{ spacing }}em"{% endif %}>'
           '{{ spaced(text, "sans") }}</span>{%- endmacro -%}')
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def pdf_only(variant: str | None = None) -> BuildOptions:
    return BuildOptions(json=False, pdf=True, epub=False, jobs=1, print=PrintOptions(variant=variant))


def words(pdf: Path) -> list[list[tuple[str, tuple[float, ...]]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("<page ")[1:]
    return [[(m.group(5), tuple(float(v) for v in m.groups()[:4])) for m in WORD.finditer(page)] for page in pages]


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("heads")
    layout = root / "layout" / "print"
    layout.mkdir(parents=True)
    (layout / "_head_lines.html").write_text(AS_TEXT, encoding="utf-8")
    [drawn] = build(SEED_ISSUE, root / "drawn", pdf_only())
    code = main(["build", str(SEED_ISSUE), "--out", str(root / "set"), "--pdf", "--layout", str(root / "layout")],
                stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    [set_by_weasyprint] = (root / "set").glob("*.pdf")
    return drawn, set_by_weasyprint


def test_heads_drawn_stand_where_weasyprint_sets_them(editions: tuple[Path, Path]) -> None:
    drawn, reference = (words(pdf) for pdf in editions)
    assert len(drawn) == len(reference)
    compared = 0
    for ours, theirs in zip(drawn, reference, strict=True):
        # The same words in the same reading order (heads before their bodies), each within a fifth of a point.
        assert [text for text, _ in ours] == [text for text, _ in theirs]
        for (_, box), (_, expected) in zip(ours, theirs, strict=True):
            assert max(abs(a - b) for a, b in zip(box, expected, strict=True)) < 0.2
            compared += 1
    assert compared > 100


def test_heads_are_drawn_not_laid_out_as_text() -> None:
    headline = re.search(r'<h2 class="headline"[^>]*>(.*?)</h2>', _html(), re.S)
    assert headline is not None and 'class="set-head"' in headline.group(1)
    assert not re.sub(r"<[^>]+>", "", headline.group(1)).strip()  # no text of its own for WeasyPrint to shape


def _html() -> str:
    from publisher.build import load
    from publisher.print.pdf import made_up_sheets
    from publisher.print.render import render_print_html
    from publisher.typeset.geometry import load_geometry

    issue = load(SEED_ISSUE)
    geometry = load_geometry(issue.page_size, issue.layout)
    return render_print_html(issue, geometry, "2022-11-28T00:00:00Z", layout=issue.layout,
                             sheets=made_up_sheets(issue))


def test_a_headline_drawn_stays_a_heading_of_the_tagged_pdf(tmp_path: Path) -> None:
    [path] = build(SEED_ISSUE, tmp_path, pdf_only("pdf/ua-1"))
    with pikepdf.open(path) as pdf:
        parents = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        marks = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
        headings = 0
        for number, page in enumerate(pdf.pages):
            shown: dict[int, str] = {}
            current: int | None = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and "/MCID" in operands[1]:
                    current = int(operands[1].MCID)
                elif str(operator) == "EMC":
                    current = None
                elif str(operator) == "TJ" and current is not None:
                    shown[current] = "TJ"
            for mcid, element in enumerate(marks[number]):
                if mcid not in shown:
                    continue
                ancestors = []
                node = element
                while "/P" in node and str(node.S) != "/Document":
                    ancestors.append(str(node.S))
                    node = node.P
                assert "/Figure" not in ancestors
                if "/H2" in ancestors:
                    headings += 1
        assert headings >= 4  # every line of the sample's headlines, drawn inside its H2


def test_a_head_in_a_face_no_role_knows_is_refused(tmp_path: Path) -> None:
    layout = tmp_path / "layout" / "print"
    layout.mkdir(parents=True)
    css = (ROOT / "layouts" / "print" / "lines.css").read_text(encoding="utf-8")
    (layout / "lines.css").write_text(css + '\nh2.headline { font-family: "DejaVu Sans", sans-serif; }\n',
                                      encoding="utf-8")
    err = io.StringIO()
    code = main(["build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--pdf", "--layout",
                 str(tmp_path / "layout")], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "a head's font-family 'DejaVu Sans' is no role's first family in fonts.toml" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_a_layout_that_hides_the_heads_lines_is_refused(tmp_path: Path) -> None:
    layout = tmp_path / "layout" / "print"
    layout.mkdir(parents=True)
    css = (ROOT / "layouts" / "print" / "lines.css").read_text(encoding="utf-8")
    (layout / "lines.css").write_text(css + "\nimg.set-head { visibility: hidden; }\n", encoding="utf-8")
    err = io.StringIO()
    code = main(["build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--pdf", "--jobs", "1", "--layout",
                 str(tmp_path / "layout")], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "the heads' lines cannot be placed" in err.getvalue() and " 0 drawn" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))
