"""The print edition laid out in parts and joined: the same PDF for any number of jobs, each face once.

Real builds (WeasyPrint in worker processes, HarfBuzz, pikepdf) of a synthetic
issue whose sheets split into parts, one of them starting with the second
sheet of a printed page that runs over.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from bench.synthetic import make_issue
from publisher.build import BuildOptions, build
from publisher.cli import main
from publisher.print.pdf import LaidOut
from publisher.print.print_options import PrintOptions
from publisher.print.sheet_jobs import PART_SHEETS, part_ranges
from tests.conftest import SEED_ISSUE, SEED_PAGE


def pdf_only(jobs: int, variant: str | None = None, attach: bool = False) -> BuildOptions:
    return BuildOptions(json=False, pdf=True, epub=False, jobs=jobs,
                        print=PrintOptions(variant=variant, attach_sources=attach))


@pytest.fixture(scope="module")
def issue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four printed pages; the second runs over onto a second sheet (its page file doubled)."""
    path = make_issue(tmp_path_factory.mktemp("parts") / "issue", pages=4, seed=7)
    second = sorted(path.parent.glob("*.txt"))[1]
    second.write_text(second.read_text(encoding="utf-8") * 2, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(issue: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, bytes]:
    out = tmp_path_factory.mktemp("built")
    return {jobs: build(issue, out / str(jobs), pdf_only(jobs))[0].read_bytes() for jobs in (1, 2, 3)}


def test_any_number_of_jobs_gives_the_same_bytes(built: dict[int, bytes]) -> None:
    assert built[1] == built[2] == built[3]
    with pikepdf.open(io.BytesIO(built[1])) as pdf:
        assert len(pdf.pages) >= 5  # the parts really were several, one starting mid-page


def test_each_face_is_embedded_once(built: dict[int, bytes]) -> None:
    with pikepdf.open(io.BytesIO(built[2])) as pdf:
        programs: Counter[tuple[int, int]] = Counter()
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
                programs[program.objgen] += 1
        fonts = {str(font.BaseFont) for font in pdf.pages[0].Resources.Font.values()}
    assert len(programs) == len({name.split("+")[-1] for name in fonts})
    # One resource dictionary serves every page: the body's serif and the frame's serif are one font.
    assert len([name for name in fonts if name.endswith("Noto-Serif-CJK-SC")]) == 1


def test_the_joined_pdf_keeps_labels_outline_and_the_marks_of_a_page_that_runs_over(built: dict[int, bytes],
                                                                                     tmp_path: Path) -> None:
    path = tmp_path / "joined.pdf"
    path.write_bytes(built[2])
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
        labels = [str(pdf.Root.PageLabels.Nums[i].P) for i in range(1, 2 * count, 2)]
        with pdf.open_outline() as outline:
            tops = [item.title.split()[0] for item in outline.root]
            headlines = sum(len(item.children) for item in outline.root)
    # The second page runs over onto a sheet of its own label (it used to repeat the page's: A2-2).
    assert labels[:3] == ["A1", "A2", "A2续"] and len(set(labels)) == count
    assert tops == [label for label in labels if "续" not in label]  # one entry per printed page
    assert headlines >= 8  # the stories, under their pages, including those of the part that starts mid-page
    text = "".join(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())
    # Jump lines only where a story breaks, each naming the sheet that answers it; no mark in the margins.
    assert "转下页" not in text and "接上页" not in text
    for to in re.findall(r"（下转(\S+?)版）", text):
        assert to in labels and f"（上接{labels[labels.index(to) - 1]}版）" in text


def test_the_print_process_hands_back_what_it_laid_out(issue: Path, tmp_path: Path) -> None:
    # With two jobs the PDF is made in a process of its own (build.printing_beside); the archive's ALTO
    # needs each sheet's text and boxes back from it, as one job gives them.
    alone, beside = LaidOut(), LaidOut()
    build(issue, tmp_path / "one", pdf_only(1), laid_out=alone)
    build(issue, tmp_path / "two", pdf_only(2), laid_out=beside)
    assert alone.sheets and beside.sheets == alone.sheets and beside.plan == alone.plan


def test_the_build_leaves_weasyprint_and_pikepdf_to_its_print_process(tmp_path: Path) -> None:
    # Imported there while the issue is read, they are not on the way from the issue to its make-up.
    import sys

    script = ("import sys\nfrom publisher.cli import main\n"
              f"main(['build', {str(SEED_ISSUE)!r}, '--out', {str(tmp_path)!r}, '--jobs', '2'])\n"
              "print(sorted(name for name in ('weasyprint', 'pikepdf') if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".epub", ".json", ".pdf"]


def test_pdfua_in_parts_tags_every_text_and_maps_every_mark(issue: Path, tmp_path: Path) -> None:
    [path] = build(issue, tmp_path, pdf_only(2, "pdf/ua-1"))
    with pikepdf.open(path) as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        parents = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        tree = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
        for number, page in enumerate(pdf.pages):
            assert int(page.StructParents) == number
            marks = tree[number]
            open_tags: list[str] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name == "BDC" and "/MCID" in operands[1]:
                    element = marks[int(operands[1].MCID)]
                    assert element.Pg.objgen == page.objgen  # the element names the page that shows it
                    assert str(element.S) == str(operands[0])
                if name in ("BDC", "BMC"):
                    open_tags.append(str(operands[0]))
                elif name == "EMC":
                    open_tags.pop()
                elif name in ("Tj", "TJ"):
                    assert open_tags and "/Artifact" not in open_tags and "/Figure" not in open_tags


def test_pdfa3_in_parts_carries_the_sources_once(tmp_path: Path) -> None:
    [path] = build(SEED_ISSUE, tmp_path, pdf_only(2, "pdf/a-3u", attach=True))
    with pikepdf.open(path) as pdf:
        assert pdf.open_metadata().pdfa_status == "3U"
        assert sorted(pdf.attachments) == ["a1.txt", "a2.txt", "ads/coffee-festival.png", "issue.yaml",
                                           "photos/chelsea.png", "photos/coffee.png", "photos/hubble_deep_field.jpg",
                                           "photos/rocket.jpg"]
        assert pdf.attachments["a1.txt"].get_file().read_bytes() == SEED_PAGE.read_bytes()
        photo = SEED_ISSUE.parent / "photos" / "rocket.jpg"
        assert pdf.attachments["photos/rocket.jpg"].get_file().read_bytes() == photo.read_bytes()
        # The placeholders of the body's lines and of the pictures' frames are gone: the images are the
        # sample's three photos and its advertisement.
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        sizes = []
        for name in ("photos/chelsea.png", "photos/coffee.png", "photos/hubble_deep_field.jpg", "photos/rocket.jpg",
                     "ads/coffee-festival.png"):
            with Image.open(SEED_ISSUE.parent / name) as image:
                sizes.append(image.size)
        assert sorted((int(i.Width), int(i.Height)) for i in images) == sorted(sizes)


def test_a_layout_that_does_not_place_the_lines_is_refused(tmp_path: Path) -> None:
    layout = tmp_path / "layout" / "print"
    layout.mkdir(parents=True)
    (layout / "_lines.html").write_text(
        '{%- macro paragraph(lines, class="") -%}<p>{% for line in lines %}{{ line.text }}{% endfor %}</p>'
        "{%- endmacro -%}", encoding="utf-8")
    err = io.StringIO()
    code = main(["build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--pdf", "--layout",
                 str(tmp_path / "layout")], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "the body's lines cannot be placed" in err.getvalue() and "Traceback" not in err.getvalue()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize(("count", "jobs"), [(16, 1), (17, 1), (40, 1), (64, 2), (6, 3), (1, 4)])
def test_parts_are_bounded_whatever_the_jobs(count: int, jobs: int) -> None:
    ranges = part_ranges(count, jobs)
    assert ranges[0][0] == 0 and ranges[-1][1] == count
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(ranges))  # consecutive
    assert all(start % 2 == 0 and 0 < end - start <= PART_SHEETS for start, end in ranges)
    assert len(ranges) >= min(jobs, (count + 1) // 2)


def test_jobs_below_one_is_an_error(tmp_path: Path) -> None:
    err = io.StringIO()
    code = main(["build", str(SEED_ISSUE), "--out", str(tmp_path), "--jobs", "0"], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert err.getvalue() == "command line: --jobs must be 1 or more, not 0\n"


def test_ctrl_c_stops_the_workers_and_leaves_no_pdf(tmp_path: Path) -> None:
    import signal
    import sys
    import time

    issue = make_issue(tmp_path / "issue", pages=16)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "publisher", "build", str(issue), "--out", str(out), "--pdf",
                                "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    def running(pid: str) -> bool:
        try:  # a zombie, waiting for whoever adopted it to reap it, runs no more
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False

    def python(pid: str) -> bool:
        try:
            return Path(os.readlink(f"/proc/{pid}/exe")).name.startswith("python")
        except OSError:  # gone already
            return False

    def workers_of(parent: int | str) -> list[str]:
        """The build's forked workers: its descendants running Python (not, say, fc-match)."""
        children = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout.split()
        return [pid for child in children if python(child) for pid in (child, *workers_of(child))]

    # The print process, and the parts' workers it forks once the issue is made up.
    workers: list[str] = []
    deadline = time.monotonic() + 60
    while len(workers) < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        workers = workers_of(process.pid)
    assert len(workers) == 3, "the build laid its sheets out without workers"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == "publisher: interrupted\n"
    time.sleep(0.5)
    assert not [pid for pid in workers if running(pid)]
    assert not list(out.glob("*.pdf")) and not list(out.glob(".*"))
