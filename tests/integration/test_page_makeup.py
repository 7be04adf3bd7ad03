"""The printed page made up as a mosaic, measured on the real PDF: filled sheets, blocks side by side, no
headline stub, the text layer in page order, and `publisher check` agreeing with the build."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from bench.synthetic import make_issue as synthetic_issue
from publisher.build import BuildOptions, build
from publisher.check.pdf_audit import _type_area, text_layer
from publisher.cli import main
from publisher.ingest.issue_yaml import load_issue
from publisher.typeset.geometry import load_geometry
from tests.conftest import SEED_ISSUE, SEED_PAGE

Make = Callable[..., Path]
PDF_ONLY = BuildOptions(json=False, pdf=True, epub=False)
HEADLINE_PT = 18.0  # headlines are set at this size or larger; body, kickers and bylines smaller
# The lowest glyph of a sheet's last grid line sits above the line's foot by the font's descent.
WITHIN_A_LINE = 1.25


def sheets(pdf: Path) -> list[list[LTChar]]:
    """The characters of each sheet, in the order they are drawn."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    out = []
    with pdf.open("rb") as stream:
        for page in PDFPage.get_pages(stream):
            interpreter.process_page(page)
            out.append([c for c in device.get_result() if isinstance(c, LTChar) and c.get_text().strip()])
    return out


def blank_band(chars: list[LTChar], issue_path: Path) -> float:
    """From the lowest glyph to the foot of the type area, in pt."""
    issue = load_issue(issue_path)
    g = load_geometry(issue.page_size, issue.layout)
    foot = g.margin_bottom  # PDF coordinates run up from the sheet's foot
    return min(float(c.y0) for c in chars) - foot


def headlines(chars: list[LTChar], masthead: str = "江海晚报") -> list[list[list[LTChar]]]:
    """Headlines as lists of lines (characters of one size one under the other); the masthead is not one."""
    big = sorted((c for c in chars if c.size >= HEADLINE_PT), key=lambda c: (-round(c.y0), c.x0))
    rows: list[list[LTChar]] = []
    for c in big:
        if rows and abs(rows[-1][-1].y0 - c.y0) < 2 and abs(rows[-1][-1].size - c.size) < 0.1 and c.x0 - rows[-1][-1].x1 < c.size * 2:
            rows[-1].append(c)
        else:
            rows.append([c])
    heads: list[list[list[LTChar]]] = []
    for row in rows:
        for head in heads:
            last = head[-1]
            if abs(last[0].size - row[0].size) < 0.1 and 0 < last[0].y0 - row[0].y0 < 1.6 * row[0].size and (
                    row[0].x0 < last[-1].x1 and last[0].x0 < row[-1].x1):
                head.append(row)
                break
        else:
            heads.append([row])
    return [h for h in heads if "".join(c.get_text() for r in h for c in r) != masthead]


def side_by_side(heads: list[list[list[LTChar]]]) -> bool:
    boxes = [(min(c.x0 for r in h for c in r), max(c.x1 for r in h for c in r),
              min(c.y0 for r in h for c in r), max(c.y1 for r in h for c in r)) for h in heads]
    return any(a[2] < b[3] and b[2] < a[3] and (a[1] < b[0] or b[1] < a[0])
               for i, a in enumerate(boxes) for b in boxes[i + 1:])


def stubs(heads: list[list[list[LTChar]]]) -> list[str]:
    return ["".join(c.get_text() for c in h[-1]) for h in heads if len(h) > 1 and len(h[-1]) * 3 < max(map(len, h))]


def check_clean(pdf: Path, issue: Path) -> None:
    for extra in ([], ["--issue", str(issue)]):
        out, err = io.StringIO(), io.StringIO()
        code = main(["check", str(pdf), *extra], stdout=out, stderr=err)
        assert code == 0, out.getvalue() + err.getvalue()
        assert " 0 errors" in out.getvalue()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    [pdf] = build(SEED_ISSUE, tmp_path_factory.mktemp("sample"), PDF_ONLY)
    return pdf


def test_the_sample_is_a_filled_mosaic(sample: Path) -> None:
    # The front page; the page of photographs (A2) is filled once the make-up places its pictures.
    front, _photos = sheets(sample)
    chars = front
    g = load_geometry(None)
    assert 0 <= blank_band(chars, SEED_ISSUE) <= WITHIN_A_LINE * g.line_pitch
    heads = headlines(chars)
    assert len(heads) == 4
    assert side_by_side(heads)
    assert not stubs(heads)


def test_the_sample_checks_clean_with_and_without_the_issue(sample: Path) -> None:
    check_clean(sample, SEED_ISSUE)


def test_the_lead_headline_is_the_largest_and_on_top(sample: Path) -> None:
    for chars in sheets(sample):
        heads = headlines(chars)
        lead = heads[0]
        assert lead[0][0].size == max(h[0][0].size for h in heads)
        assert max(c.y1 for r in lead for c in r) == max(c.y1 for h in heads for r in h for c in r)


@pytest.mark.slow
def test_the_benchmark_issue_has_no_stub_and_mostly_side_by_side(tmp_path: Path) -> None:
    issue = synthetic_issue(tmp_path / "issue", pages=16, seed=0)
    [pdf] = build(issue, tmp_path / "out", PDF_ONLY)
    g = load_geometry(None)
    pages = sheets(pdf)
    assert len(pages) == 16
    bands = [blank_band(chars, issue) for chars in pages]
    heads = [headlines(chars) for chars in pages]
    assert not [s for h in heads for s in stubs(h)]
    assert sum(side_by_side(h) for h in heads) >= len(pages) // 2
    # The benchmark's pages hold little text (its body takes 37–51 % of a sheet): their spare goes to the
    # heads and between the rows first. Most sheets end within a grid line of the foot; on the thinnest the
    # rest stays at the foot (README: a page with too little text).
    type_area = g.sheet_lines * g.line_pitch
    assert sum(band <= WITHIN_A_LINE * g.line_pitch for band in bands) >= 10, [round(b / type_area, 3) for b in bands]
    assert max(bands) <= 0.2 * type_area, [round(b / type_area, 3) for b in bands]
    check_clean(pdf, issue)


def test_a_page_that_runs_over_fills_its_first_sheet_and_reads_in_order(make_issue: Make, tmp_path: Path) -> None:
    page = SEED_PAGE.read_text(encoding="utf-8") * 2
    path = make_issue("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n",
                      {"a1.txt": page})
    [pdf] = build(path, tmp_path / "out", PDF_ONLY)
    pages = sheets(pdf)
    assert len(pages) >= 2
    assert blank_band(pages[0], path) <= WITHIN_A_LINE * load_geometry(None).line_pitch
    check_clean(pdf, path)


def test_a_paragraph_longer_than_a_sheet_is_printed_whole(make_issue: Make, tmp_path: Path) -> None:
    rng = random.Random(3)
    ideographs = [c for c in SEED_PAGE.read_text(encoding="utf-8") if "\u4e00" <= c <= "\u9fff"]
    paragraph = "".join(rng.choice(ideographs) for _ in range(20000)) + "。"
    path = make_issue("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n",
                      {"a1.txt": f"# 长文\n\n{paragraph}\n\n# 短文\n\n一段短文。\n"})
    [pdf] = build(path, tmp_path / "out", PDF_ONLY)
    issue = load_issue(path)
    # The type area of every sheet: the running heads in the margins would fall inside the paragraph.
    raw = text_layer(pdf, _type_area(pdf, load_geometry(issue.page_size, issue.layout)))
    assert paragraph in re.sub(r"\s+", "", raw)
    assert len(sheets(pdf)) >= 4
    check_clean(pdf, path)


def test_make_up_hints_in_issue_yaml(make_issue: Make, tmp_path: Path) -> None:
    page = SEED_PAGE.read_text(encoding="utf-8")
    yaml = ("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - number: A1\n    section: 要闻\n    file: a1.txt\n"
            "    lead: 4\n    spans: {2: 3}\n")
    path = make_issue(yaml, {"a1.txt": page})
    [pdf] = build(path, tmp_path / "out", PDF_ONLY)
    heads = headlines(sheets(pdf)[0], masthead="测试晚报")
    issue = load_issue(path)
    lead = "".join(c.get_text() for row in heads[0] for c in row)
    assert lead == issue.pages[0].articles[3].headline.value.replace(" ", "")  # type: ignore[union-attr]
    assert heads[0][0][0].size == max(h[0][0].size for h in heads)


def test_bad_make_up_hints_are_errors_at_their_line(make_issue: Make, tmp_path: Path) -> None:
    page = SEED_PAGE.read_text(encoding="utf-8")
    yaml = ("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - number: A1\n    section: 要闻\n    file: a1.txt\n"
            "    lead: 9\n    spans: {2: 7, x: 2, 3: wide}\n")
    path = make_issue(yaml, {"a1.txt": page})
    err = io.StringIO()
    assert main(["build", str(path), "--out", str(tmp_path / "out")], stderr=err) == 2
    messages = err.getvalue()
    assert "issue.yaml:7: the page has 4 articles, not 9" in messages
    assert "issue.yaml:8: 'x' is not an article number" in messages
    assert "issue.yaml:8: `spans`: 'wide' is not a number of columns" in messages
    assert "Traceback" not in messages
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    # A span the grid cannot give is found when the page is made up, still at its line.
    yaml = yaml.replace("    lead: 9\n", "").replace("{2: 7, x: 2, 3: wide}", "{2: 7}")
    path = make_issue(yaml, {"a1.txt": page})
    err = io.StringIO()
    assert main(["build", str(path), "--out", str(tmp_path / "out2")], stderr=err) == 2
    assert "issue.yaml:7: page A1, article 2: 7 columns asked, the page's grid has 5" in err.getvalue()
    assert not (tmp_path / "out2").exists() or not list((tmp_path / "out2").iterdir())


def test_a_two_page_issue_of_short_articles_checks_clean(make_issue: Make, tmp_path: Path) -> None:
    rng = random.Random(5)
    sentences = [s + "。" for s in SEED_PAGE.read_text(encoding="utf-8").replace("\n", "").split("。")
                 if 10 < len(s) < 80 and "#" not in s and "*" not in s]

    def article(number: int) -> str:
        paragraphs = ["".join(rng.choice(sentences) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 4))]
        return f"# 短讯标题第{number}则 简明扼要\n\n" + "\n\n".join(paragraphs) + "\n\n记者 王某\n"

    pages = {name: "\n\n".join(article(n) for n in range(rng.randint(3, 5))) for name in ("p1.txt", "p2.txt")}
    path = make_issue("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - {number: A1, section: 要闻, file: p1.txt}\n"
                      "  - {number: A2, section: 本地, file: p2.txt}\n", pages)
    [pdf] = build(path, tmp_path / "out", PDF_ONLY)
    assert len(sheets(pdf)) == 2
    assert not [s for chars in sheets(pdf) for s in stubs(headlines(chars, masthead="测试晚报"))]
    check_clean(pdf, path)
