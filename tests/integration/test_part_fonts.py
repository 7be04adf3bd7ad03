"""The faces of the parts: the installed ones cut once, by the join; a layout's own font cut as WeasyPrint cuts it.

Real builds of the sample in one and in two parts, with a layout whose Latin
runs are set in a font of its own folder (loaded by @font-face, so not a
family fontconfig knows and not a face the join can cut again).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
import uharfbuzz as hb

from publisher.build import BuildOptions, build, load
from publisher.errors import ToolError
from publisher.print.job import plan_job
from publisher.print.layout import write_part
from publisher.print.pdf import made_up_sheets
from publisher.print.print_options import PrintOptions
from publisher.resources import LAYOUTS_DIR
from publisher.typeset.fonts import find_face
from tests.conftest import SEED_ISSUE


def programs(pdf: pikepdf.Pdf) -> dict[str, bytes]:
    """Each font of the first page by its name in the PDF (without the subset tag): its embedded program."""
    found = {}
    for font in pdf.pages[0].Resources.Font.values():
        descriptor = font.DescendantFonts[0].FontDescriptor
        stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
        found[str(font.BaseFont).split("+", 1)[-1]] = bytes(stream.read_bytes())
    return found


def glyphs(program: bytes) -> int:
    return int(hb.Face(hb.Blob(program)).glyph_count)


def test_a_part_carries_the_installed_faces_as_their_name_only_and_the_joined_pdf_cuts_them(tmp_path: Path) -> None:
    issue = load(SEED_ISSUE)
    part = write_part(plan_job(issue, PrintOptions(), made_up_sheets(issue)), 0, 2)
    with pikepdf.open(io.BytesIO(part.pdf)) as pdf:
        in_part = programs(pdf)
    [joined] = build(SEED_ISSUE, tmp_path, BuildOptions(json=False, pdf=True, epub=False, jobs=1))
    with pikepdf.open(joined) as pdf:
        in_joined = programs(pdf)
    assert in_part and all(glyphs(program) == 1 for program in in_part.values())  # .notdef, and the name
    for name in in_part:
        # The joined PDF's copy of the face holds every glyph the issue shows in it (ids kept: up to the last).
        assert glyphs(in_joined[name]) > 100, name


def test_a_part_copies_no_installed_face_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.pdf import fonts as pdf_fonts

    copied: list[int] = []
    read = pdf_fonts.get_hb_object_data

    def counted(*args: object, **kwargs: object) -> object:
        data = read(*args, **kwargs)
        copied.append(len(data) if isinstance(data, bytes) else 0)
        return data

    monkeypatch.setattr(pdf_fonts, "get_hb_object_data", counted)
    issue = load(SEED_ISSUE)
    part = write_part(plan_job(issue, PrintOptions(), made_up_sheets(issue)), 0, 2)
    with pikepdf.open(io.BytesIO(part.pdf)) as pdf:
        assert programs(pdf)
    whole = min(find_face(family, weight).path.stat().st_size
                for family, weight in (("Noto Sans CJK SC", 400), ("Noto Serif CJK SC", 400)))
    assert copied and max(copied) < whole / 100  # the .notdef cuts, never a 20 MB collection


@pytest.fixture
def own_font_layout(tmp_path: Path) -> Path:
    try:
        latin = find_face("DejaVu Sans").path
    except ToolError:
        pytest.skip("fontconfig finds no DejaVu Sans to lend the layout")
    folder = tmp_path / "layout" / "print"
    folder.mkdir(parents=True)
    shutil.copy(latin, folder / "own.ttf")
    css = (LAYOUTS_DIR / "print" / "lines.css").read_text(encoding="utf-8")
    (folder / "lines.css").write_text(css + '@font-face { font-family: "Layout Own"; src: url(own.ttf); }\n'
                                      '.as-l, .as-r { font-family: "Layout Own"; }\n', encoding="utf-8")
    return tmp_path / "layout"


def test_a_layouts_own_font_is_cut_in_the_parts_and_embedded_from_them(own_font_layout: Path, tmp_path: Path) -> None:
    pdfs = {}
    for jobs in (1, 2):
        options = BuildOptions(json=False, pdf=True, epub=False, jobs=jobs, layout=own_font_layout)
        [path] = build(SEED_ISSUE, tmp_path / str(jobs), options)
        pdfs[jobs] = path.read_bytes()
    assert pdfs[1] == pdfs[2]
    with pikepdf.open(io.BytesIO(pdfs[1])) as pdf:
        own = [program for name, program in programs(pdf).items() if "Layout" in name or "DejaVu" in name]
    assert own and 1 < glyphs(own[0]) < 300  # its glyphs the issue shows, not .notdef alone nor the whole face
    text = subprocess.run(["pdftotext", str(tmp_path / "1" / path.name), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "2022" in text
