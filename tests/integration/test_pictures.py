"""Pictures through every stage, on an issue with every kind an archive holds (tests/pictures_helpers.py):
a plain JPEG, a camera JPEG standing sideways, a CMYK JPEG, a 16-bit PNG, a photo too small for print, a
picture story and a booked advertisement. The print edition, the EPUB and the archive bag are built once."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
from PIL import Image

from publisher.check.pictures_audit import drawn_pictures
from publisher.ingest.issue_yaml import load_issue
from publisher.model import Issue
from publisher.print.render import print_sheets
from publisher.typeset.geometry import Geometry, load_geometry
from publisher.typeset.makeup import MadeUpSheet
from tests.pictures_helpers import picture_issue

pytestmark = pytest.mark.slow
PUBLISHER = [sys.executable, "-m", "publisher"]
ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"


@dataclass(frozen=True)
class Built:
    folder: Path
    issue: Issue
    geometry: Geometry
    sheets: list[MadeUpSheet]
    pdf: Path
    epub: Path
    log: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("pictures")
    issue_yaml = picture_issue(folder / "issue")
    out = folder / "out"
    done = subprocess.run([*PUBLISHER, "build", str(issue_yaml), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    issue = load_issue(issue_yaml)
    geometry = load_geometry(issue.page_size, issue.layout)
    return Built(folder / "issue", issue, geometry, print_sheets(issue, geometry), out / "晚报-2022-11-28.pdf",
                 out / "晚报-2022-11-28.epub", done.stderr)


def test_every_picture_is_drawn_once_with_the_advertisement(built: Built) -> None:
    with pikepdf.open(built.pdf) as pdf:
        drawn = drawn_pictures(pdf)
    pictures = [p for page in built.issue.pages for a in page.articles for p in a.pictures]
    assert len(pictures) == 5 and len(drawn) == len(pictures) + 1


def test_pictures_stand_on_the_grid_unstretched_and_cropped_within_the_limit(built: Built) -> None:
    g = built.geometry
    pitch = g.column_width + g.column_gap
    figures = [(block, f) for sheet in built.sheets for block in sheet.blocks for f in block.figures]
    assert len(figures) == 5
    for block, shown in figures:
        left = block.left + shown.left
        assert abs(left / pitch - round(left / pitch)) < 1e-6  # starts at a column's edge
        columns = round((shown.width + g.column_gap) / pitch)
        assert shown.width == pytest.approx(g.block_width(columns))  # whole columns
        assert shown.height / g.line_pitch == pytest.approx(round(shown.height / g.line_pitch))  # whole lines
        assert shown.crop.share <= g.pictures.max_crop + 1e-9
        image = shown.picture.image
        printed = (shown.width / shown.crop.width) / (shown.height / shown.crop.height)
        assert printed == pytest.approx(image.width / image.height, rel=1e-6)  # never stretched
        # Its caption is under it, across its width; no column of text runs over it.
        assert shown.caption and len(shown.caption) == shown.lines - round(shown.height / g.line_pitch)
        left, right = block.left + shown.left, block.left + shown.left + shown.width
        top, bottom = block.top + shown.top, block.top + shown.top + shown.lines * g.line_pitch  # with its caption
        for column in block.columns:
            if not column.pieces:
                continue
            text_top = block.top + block.body_top + column.top
            text_bottom = block.top + block.body_top + column.lines * g.line_pitch
            across = block.left + column.left < right and left < block.left + column.left + column.width
            assert not (across and text_top < bottom - 1e-6 and top < text_bottom - 1e-6), \
                f"a column of text runs over {shown.picture.image.file} or its caption"
    booked = built.sheets[0].ads[0]
    assert booked.height == pytest.approx(round(30 / 25.4 * 72 / g.line_pitch) * g.line_pitch)
    assert booked.width == pytest.approx(g.block_width(5)) and not booked.whole


def test_a_plain_jpeg_goes_in_with_its_own_bytes(built: Built) -> None:
    night = hashlib.sha256((built.folder / "photos" / "night.jpg").read_bytes()).digest()
    with pikepdf.open(built.pdf) as pdf:
        streams = {hashlib.sha256(bytes(o.read_raw_bytes())).digest() for o in pdf.objects
                   if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"}
    assert night in streams


def test_colours_and_orientation_print_as_the_files_mean_them(built: Built) -> None:
    png = subprocess.run(["pdftoppm", "-r", "36", "-png", "-singlefile", str(built.pdf)], check=True,
                         capture_output=True).stdout
    page = Image.open(io.BytesIO(png)).convert("RGB")
    scale = 36 / 72
    g = built.geometry
    for block in built.sheets[0].blocks:
        for shown in block.figures:
            x0 = (g.margin_inside + block.left + shown.left) * scale
            y0 = (g.margin_top + block.top + shown.top) * scale
            w, h = shown.width * scale, shown.height * scale
            name = Path(shown.picture.image.file).name
            if name == "red-cmyk.jpg":
                red = page.getpixel((int(x0 + w / 2), int(y0 + h / 2)))
                assert isinstance(red, tuple) and red[0] > 200 and red[1] < 60 and red[2] < 60
            if name == "gradient16.png":
                ramp = page.crop((int(x0) + 2, int(y0) + 2, int(x0 + w) - 2, int(y0 + h) - 2)).convert("L")
                mean = sum(ramp.get_flattened_data()) / (ramp.width * ramp.height)  # type: ignore[arg-type]
                assert 100 <= mean <= 155  # a ramp from black to white, not drawn black
            if name == "camera.jpg":  # stored sideways: printed upright, red at its top left
                top_left = page.getpixel((int(x0 + w / 4), int(y0 + h / 4)))
                assert isinstance(top_left, tuple) and top_left[0] > 150 and top_left[2] < 100


def test_low_resolution_is_reported_by_build_and_check(built: Built) -> None:
    low = [line for line in built.log.splitlines() if "ppi" in line]
    assert len(low) == 1 and "photos/small.jpg" in low[0]
    done = subprocess.run([*PUBLISHER, "check", str(built.pdf), "--json"], capture_output=True, text=True)
    assert '"PDF016"' in done.stdout and '"PDF017"' not in done.stdout


def test_the_epub_has_a_figure_for_each_photo(built: Built) -> None:
    with zipfile.ZipFile(built.epub) as book:
        page = ElementTree.fromstring(book.read("EPUB/text/p01.xhtml"))
        ns = {"x": "http://www.w3.org/1999/xhtml"}
        figures = page.findall(".//x:figure[@class='picture']", ns) + page.findall(
            ".//x:figure[@class='picture tall']", ns)
        assert len(figures) == 5
        for figure in figures:
            img = figure.find("x:img", ns)
            assert img is not None and img.get("alt") and figure.find("x:figcaption", ns) is not None
            data = book.read("EPUB/" + (img.get("src") or "")[3:])
            assert max(Image.open(io.BytesIO(data)).size) <= 1600


def test_the_bag_holds_the_originals_and_an_illustration_per_picture(built: Built, tmp_path: Path) -> None:
    done = subprocess.run([*PUBLISHER, "package", str(built.folder / "issue.yaml"), "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    bag = next(tmp_path.iterdir())
    manifest = (bag / "manifest-sha256.txt").read_text(encoding="utf-8")
    for image in (built.folder / "photos").iterdir():
        digest = hashlib.sha256(image.read_bytes()).hexdigest()
        assert f"{digest}  data/archive/pictures/photos/{image.name}" in manifest
    alto = ElementTree.parse(bag / "data" / "archive" / "0001.xml").getroot()
    illustrations = list(alto.iter(f"{ALTO}Illustration"))
    assert sorted(i.get("TYPE") for i in illustrations) == ["advertisement"] + ["photo"] * 5
    assert all((i.get("FILEID") or "").startswith("imageFile") for i in illustrations)
