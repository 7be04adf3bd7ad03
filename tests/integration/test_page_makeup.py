"""The printed page made up as an editor makes it, measured on the real PDF: blocks side by side, no hole
inside a column, headlines in tiers, no stub, jump lines that answer each other, the page furniture, the text
layer in page order, and `publisher check` agreeing with the build."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from bench.synthetic import make_issue as synthetic_issue
from publisher.build import BuildOptions, build
from publisher.check.pdf_audit import _type_area, text_layer
from publisher.cli import main
from publisher.ingest.issue_yaml import load_issue
from publisher.typeset.geometry import Geometry, load_geometry
from tests.conftest import ROOT, SEED_ISSUE, SEED_PAGE

SHORT_ISSUE = ROOT / "tests" / "makeup_issues" / "short" / "issue.yaml"

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


def rules(pdf: Path) -> list[list[LTRect]]:
    """The rules of each sheet: thin boxes (WeasyPrint draws a rule as a filled box)."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    out = []
    with pdf.open("rb") as stream:
        for page in PDFPage.get_pages(stream):
            interpreter.process_page(page)
            out.append([r for r in device.get_result() if isinstance(r, LTRect) and min(r.width, r.height) <= 3])
    return out


def hole(chars: list[LTChar], thin: list[LTRect], g: Geometry) -> float:
    """The largest empty height inside one of the grid's columns, between two marks (glyphs, horizontal
    rules), in lines of the body's grid: what the make-up keeps under three. Blank under a column's last
    mark (the foot) is not a hole."""
    marks = [(c.x0, c.x1, c.y0, c.y1) for c in chars]
    marks += [(r.x0, r.x1, r.y0, r.y1) for r in thin if r.width > 10]
    worst = 0.0
    for column in range(g.columns):
        left = g.margin_inside + column * (g.column_width + g.column_gap) + 2
        right = left + g.column_width - 4
        here = sorted((m for m in marks if m[1] > left and m[0] < right), key=lambda m: -m[3])
        low = None
        for m in here:
            if low is not None and low - m[3] > worst:
                worst = low - m[3]
            low = m[2] if low is None else min(low, m[2])
    return worst / g.line_pitch


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
    issue = load_issue(SEED_ISSUE)
    pitch = load_geometry(None).line_pitch
    for page, chars in zip(issue.pages, sheets(sample), strict=True):
        heads = headlines(chars)
        marked = next(a for a in page.articles if a.level == 1 or a is page.articles[0])
        assert marked.headline is not None
        first = marked.headline.value.replace(" ", "")[:4]
        lead = next(h for h in heads if "".join(c.get_text() for r in h for c in r).startswith(first))
        assert lead[0][0].size == max(h[0][0].size for h in heads)
        # At the top of the sheet: a story beside it may start its head as high, the lead's under its kicker.
        top = max(c.y1 for h in heads for r in h for c in r)
        assert max(c.y1 for r in lead for c in r) >= top - 2 * pitch


@pytest.mark.slow
def test_the_benchmark_issue_is_made_up_without_holes(tmp_path: Path) -> None:
    issue = synthetic_issue(tmp_path / "issue", pages=16, seed=0)
    notes: list[str] = []
    [pdf] = build(issue, tmp_path / "out", PDF_ONLY, notes=notes)
    g = load_geometry(None)
    pages = sheets(pdf)
    assert len(pages) == 16
    heads = [headlines(chars) for chars in pages]
    assert not [s for h in heads for s in stubs(h)]
    assert sum(side_by_side(h) for h in heads) >= len(pages) // 2
    assert not [h for page in heads for h in page if len(h) > 3]  # no headline over three lines
    # No hole of more than three lines inside a column. The benchmark's pages hold little copy (its body
    # takes 37–51 % of a sheet): what it cannot fill is left at the foot, in one place, and the build says so
    # (the make-up used to spread it over the heads and between the rows, 8–17 lines a column).
    assert max(hole(chars, thin, g) for chars, thin in zip(pages, rules(pdf), strict=True)) <= 3.0
    type_area = g.sheet_lines * g.line_pitch
    labels = [page.label for page in load_issue(issue).pages]
    for label, chars in zip(labels, pages, strict=True):
        if blank_band(chars, issue) > 1.5 * g.line_pitch:
            assert any(n.startswith(f"{label}: the copy fills ") for n in notes), (label, notes)
    assert max(blank_band(chars, issue) for chars in pages) <= 0.5 * type_area
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
    # The type area of every sheet: the running heads in the margins would fall inside the paragraph; the
    # jump lines where it breaks (（下转A1续版）, （上接A1版）) stand inside it and are taken out, as the check does.
    g = load_geometry(issue.page_size, issue.layout)
    raw = text_layer(pdf, _type_area(pdf, g))
    assert paragraph in g.furniture.without_jump_lines(re.sub(r"\s+", "", raw))
    assert "（下转A1续版）" in re.sub(r"\s+", "", raw)
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


@pytest.fixture(scope="module")
def short(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    notes: list[str] = []
    [pdf] = build(SHORT_ISSUE, tmp_path_factory.mktemp("short"), PDF_ONLY, notes=notes)
    return pdf, notes


def test_short_pages_are_made_up_not_padded(short: tuple[Path, list[str]]) -> None:
    pdf, notes = short
    g = load_geometry(None)
    pages = sheets(pdf)
    assert max(hole(chars, thin, g) for chars, thin in zip(pages, rules(pdf), strict=True)) <= 3.0
    # Each page's copy fills a small share of its sheet; the build says how much.
    assert [n.split(":")[0] for n in notes] == ["A1", "A2", "A3", "B1"]
    assert all(re.fullmatch(r"\w+: the copy fills \d+% of the sheet", n) for n in notes), notes
    # A2: the lead beside a column of briefs (the 简讯 column), not stacked across the width.
    a2 = [h for h in headlines_of(pages[1]) if h[0] in ("老街改造完工百年骑楼重现旧貌", "城事简讯")]
    assert len(a2) == 2 and a2[0][2] < a2[1][1]  # the briefs' head is right of the lead's
    check_clean(pdf, SHORT_ISSUE)


def headlines_of(chars: list[LTChar], masthead: str = "濠河晚报") -> list[tuple[str, float, float, float]]:
    """Each line of a headline (type of 14 pt or more, the masthead aside): its text, left and right, size."""
    rows: dict[tuple[int, float], list[LTChar]] = {}
    for c in chars:
        if c.size >= 14:
            rows.setdefault((round(c.y0), round(c.size, 1)), []).append(c)
    found = [("".join(c.get_text() for c in sorted(row, key=lambda c: c.x0)), min(c.x0 for c in row),
              max(c.x1 for c in row), size) for (_, size), row in rows.items()]
    return [row for row in found if row[0] != masthead]


def test_headlines_keep_their_rank(short: tuple[Path, list[str]], sample: Path) -> None:
    pdf, _ = short
    g = load_geometry(None)
    for path, masthead in ((pdf, "濠河晚报"), (sample, "江海晚报")):
        pages = sheets(path)
        front = max(size for *_, size in headlines_of(pages[0], masthead))
        for chars in pages[1:]:
            assert max(size for *_, size in headlines_of(chars)) <= g.make_up.inside_lead_ratio * front + 0.5
    # The briefs (a story of two lines) are set small: at most three times the body's size.
    briefs = [size for text, *_, size in headlines_of(sheets(pdf)[1]) if text in ("城事简讯", "濠河夜游新增两条航线")]
    assert briefs and max(briefs) <= 3 * g.type["body"]


def test_the_front_page_prints_its_date_once_and_an_ear(short: tuple[Path, list[str]], tmp_path: Path) -> None:
    pdf, _ = short
    front = "".join(c.get_text() for c in sheets(pdf)[0])
    assert front.count("2024年3月15日") == 1  # the masthead's: no running head over it
    assert "晴转多云8～17℃东南风3级" in front  # the issue's weather in the ear
    # Without weather or slogan, the ear is a 导读 of the inside pages' leads with their labels.
    issue = synthetic_issue(tmp_path / "issue", pages=3, seed=2)
    [bench] = build(issue, tmp_path / "out", PDF_ONLY)
    first = "".join(c.get_text() for c in sheets(bench)[0])
    loaded = load_issue(issue)
    assert "导读" in first
    for page in loaded.pages[1:]:
        head = next(a for a in page.articles if a.level == 1).headline
        assert head is not None and f"{page.label}{head.value.replace(' ', '')}" in first.replace(" ", "")


def test_folios_stand_on_the_outer_side_and_a_section_front_carries_its_flag(short: tuple[Path, list[str]]) -> None:
    pdf, _ = short
    g = load_geometry(None)
    middle = g.width / 2
    folio_x = []
    for chars in sheets(pdf)[1:]:
        top = [c for c in chars if c.y0 > g.height - g.margin_top and c.get_text() in "ABC"]
        folio_x.append(top[0].x0)
    # A2 is a left-hand page, A3 a right-hand one, B1 a left-hand one: the folio on the outside.
    assert folio_x[0] < middle < folio_x[1] and folio_x[2] < middle
    b1 = sheets(pdf)[3]
    flag_top = g.height - g.margin_top - g.header_rule - g.header_gap
    flag = "".join(c.get_text() for c in sorted(b1, key=lambda c: (-round(c.y0), c.x0))
                   if flag_top - g.make_up.flag_lines * g.line_pitch < c.y0 < flag_top)
    assert all(part in flag for part in ("B", "体育", "濠河晚报")), flag  # the section's letter and name, the paper


def test_a_story_that_breaks_carries_jump_lines_that_answer_each_other(make_issue: Make, tmp_path: Path) -> None:
    rng = random.Random(8)
    ideographs = [c for c in SEED_PAGE.read_text(encoding="utf-8") if "\u4e00" <= c <= "\u9fff"]
    paragraphs = "\n\n".join("".join(rng.choice(ideographs) for _ in range(180)) + "。" for _ in range(60))
    path = make_issue("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n"
                      "  - {number: A2, section: 本地, file: a2.txt}\n",
                      {"a1.txt": f"# 长文一篇\n\n{paragraphs}\n\n## 短文\n\n一段短文。\n",
                       "a2.txt": "# 第二版\n\n一段正文。\n"})
    err = io.StringIO()
    assert main(["build", str(path), "--out", str(tmp_path / "out"), "--pdf"], stderr=err) == 0
    [pdf] = (tmp_path / "out").glob("*.pdf")
    labels = [page.label for page in pikepdf.open(pdf).pages]
    assert labels[:2] == ["A1", "A1续"] and labels[-1] == "A2" and len(set(labels)) == len(labels)
    texts = ["".join(c.get_text() for c in chars) for chars in sheets(pdf)]
    for here, there, text, following in zip(labels, labels[1:], texts, texts[1:], strict=False):
        if there == "A2":
            break
        assert f"（下转{there}版）" in text and f"（上接{here}版）" in following
    assert re.search(r"^A1: the copy runs \d+ lines over the sheet; it goes on on A1续", err.getvalue(), re.M)
    check_clean(pdf, path)  # the text layer holds every paragraph whole, the jump lines aside
