"""The page header, bylines, subheads and jump lines drawn by the toolkit (_text_lines.html, head_lines.place_line)
where WeasyPrint would set them.

The reference is WeasyPrint itself: a layout whose ``_text_lines.html`` puts
each line's text in the page (as the print layout did before) is laid out and
written by WeasyPrint; the default layout draws the same lines at their
placeholders. Every word of the PDF's text layer and every block of the
archive's text is compared, on an issue with every kind of these lines: a
folio that mixes Latin and Chinese, bylines under the headline and after the
text (several on a line), subheads, a story that breaks
(jump lines), and a byline list and a subhead too long for one line of their
column (left to WeasyPrint to wrap).
"""

from __future__ import annotations

import io
import random
import re
import subprocess
from pathlib import Path

import pytest

from publisher.cli import main
from publisher.ingest.issue_yaml import load_issue
from publisher.print.pdf import lay_out_text
from publisher.print.print_options import PrintOptions
from publisher.print.sheet_text import Block
from tests.conftest import SEED_PAGE

# The lines as text WeasyPrint sets: each run a span of its class, the CJK–Latin space as margins and bold
# text's missing characters regular (the text_runs filter), as page_header.html and article.html printed them.
AS_TEXT = ('{% from "_text.html" import spaced %}'
           '{%- macro text_line(text, class="") -%}<span class="{{ class }}">{{ spaced(text, "sans") }}</span>'
           '{%- endmacro -%}'
           '{%- macro text_run(text, class="") -%}<span class="{{ class }}">{{ spaced(text, "sans") }}</span>'
           '{%- endmacro -%}')
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
MANY = "记者张亮 顾晓燕 施磊 陈静 通讯员周敏 李彤 朱文君 林晓雯 实习生梁志 王凯 见习记者刘洪 童剑"


def _issue(folder: Path) -> Path:
    rng = random.Random(8)
    ideographs = [c for c in SEED_PAGE.read_text(encoding="utf-8") if "\u4e00" <= c <= "\u9fff"]

    def text(n: int) -> str:
        return "".join(rng.choice(ideographs) for _ in range(n)) + "。"

    long_story = "\n\n".join(text(180) for _ in range(40))
    a1 = (f"# 长文一篇\n\n记者张亮 通讯员梁志\n\n{text(120)}\n\n**延伸阅读**\n\n{long_story}\n\n"
          f"**{'一个长得放不进一行栏宽的小标题' * 3}**\n\n{text(90)} 记者顾晓燕\n")
    a2 = f"# 第二版的消息\n\n{text(200)}\n\n{text(160)} {MANY}\n\n# 又一则\n\n{text(150)} 实习生陈静 记者施磊\n"
    (folder / "a1.txt").write_text(a1, encoding="utf-8")
    (folder / "a2.txt").write_text(a2, encoding="utf-8")
    path = folder / "issue.yaml"
    path.write_text("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n"
                    "  - {number: A2, section: NBA快讯, file: a2.txt}\n", encoding="utf-8")
    return path


def _words(pdf: Path) -> list[tuple[str, tuple[float, ...]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(m.group(5), tuple(float(v) for v in m.groups()[:4])) for m in WORD.finditer(out)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Path]:
    root = tmp_path_factory.mktemp("text-lines")
    layout = root / "layout" / "print"
    layout.mkdir(parents=True)
    (layout / "_text_lines.html").write_text(AS_TEXT, encoding="utf-8")
    issue = _issue(root)
    pdfs = []
    for name, extra in (("drawn", []), ("set", ["--layout", str(root / "layout")])):
        err = io.StringIO()
        assert main(["build", str(issue), "--out", str(root / name), "--pdf", "--jobs", "1", *extra],
                    stdout=io.StringIO(), stderr=err) == 0, err.getvalue()
        [pdf] = (root / name).glob("*.pdf")
        pdfs.append(pdf)
    return issue, root / "layout", pdfs[0], pdfs[1]


def test_the_issue_has_every_kind_of_line_drawn_and_the_long_ones_set(built: tuple[Path, Path, Path, Path]) -> None:
    from publisher.print.pdf import made_up_sheets
    from publisher.print.render import render_print_html
    from publisher.typeset.geometry import load_geometry

    issue = load_issue(built[0])
    html = render_print_html(issue, load_geometry(issue.page_size, issue.layout), "2024-02-29T00:00:00Z",
                             layout=issue.layout, sheets=made_up_sheets(issue))
    for kind in ("ph-folio", "ph-paper", "ph-date", "bylines", "bylines head", "subhead", "jump to", "jump from"):
        elements = re.findall(rf'<(?:p|h3) class="{kind}"[^>]*>(.*?)</(?:p|h3)>', html, re.S)
        assert any('class="set-head' in element and not re.sub(r"<[^>]+>", "", element).strip()
                   for element in elements), kind  # drawn: a placeholder, no text of its own
    assert 'class="set-head set-text set-run ph-weekday"' in html
    assert 'class="set-head set-text set-run byline"' in html
    wrapped = [e for e in re.findall(r'<(?:p|h3) class="(?:bylines|subhead)"[^>]*>(.*?)</(?:p|h3)>', html, re.S)
               if "set-head" not in e]
    assert len(wrapped) == 2  # the long byline list and the long subhead: WeasyPrint's text


def test_lines_drawn_stand_where_weasyprint_sets_them(built: tuple[Path, Path, Path, Path]) -> None:
    drawn, reference = _words(built[2]), _words(built[3])
    # The same words in the same reading order, each within a tenth of a point (most within 0.02; Pango puts the
    # masthead ear's letter-spaced title, 导读, 0.054 pt further apart than its letter-spacing).
    assert [text for text, _ in drawn] == [text for text, _ in reference]
    assert len(drawn) > 500
    worst = max(max(abs(a - b) for a, b in zip(box, expected, strict=True))
                for (_, box), (_, expected) in zip(drawn, reference, strict=True))
    assert worst < 0.1


def test_the_archive_reads_the_lines_drawn_as_those_set(built: tuple[Path, Path, Path, Path]) -> None:
    issue, layout = built[0], built[1]
    drawn = lay_out_text(load_issue(issue), PrintOptions()).sheets
    reference = lay_out_text(load_issue(issue, layout), PrintOptions()).sheets
    assert len(drawn) == len(reference) >= 3
    roles: set[str] = set()
    for ours, theirs in zip(drawn, reference, strict=True):
        assert [block.role for block in ours.blocks] == [block.role for block in theirs.blocks]
        for mine, expected in zip(ours.blocks, theirs.blocks, strict=True):
            roles.add(mine.role)
            assert _texts(mine) == _texts(expected)
            for line, other in zip(mine.lines, expected.lines, strict=True):
                for word, twin in zip(line.words, other.words, strict=True):
                    assert abs(word.box.x - twin.box.x) < 0.05 and abs(word.box.y - twin.box.y) < 0.05
                    assert abs(word.box.right - twin.box.right) < 0.05, (word.text, word.box, twin.box)
    assert {"running-head", "bylines", "jump"} <= roles


def _texts(block: Block) -> list[list[str]]:
    return [[word.text for word in line.words] for line in block.lines]


def test_a_layout_that_hides_the_page_headers_lines_is_refused(tmp_path: Path) -> None:
    from tests.conftest import SEED_ISSUE

    root = Path(__file__).resolve().parents[2]
    layout = tmp_path / "layout" / "print"
    layout.mkdir(parents=True)
    css = (root / "layouts" / "print" / "lines.css").read_text(encoding="utf-8")
    (layout / "lines.css").write_text(css + "\n.page-header img.set-head { visibility: hidden; }\n", encoding="utf-8")
    err = io.StringIO()
    code = main(["build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--pdf", "--jobs", "1", "--layout",
                 str(tmp_path / "layout")], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "sheet 2: the heads' lines cannot be placed" in err.getvalue()
    assert "_text_lines.html every line of the page header" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_a_drawn_line_its_css_makes_wider_than_its_place_is_refused(tmp_path: Path) -> None:
    from tests.conftest import SEED_ISSUE

    root = Path(__file__).resolve().parents[2]
    layout = tmp_path / "layout" / "print"
    layout.mkdir(parents=True)
    css = (root / "layouts" / "print" / "lines.css").read_text(encoding="utf-8")
    # The bylines' CSS at 40 pt: the template's one_line test, at layout.toml's byline size, still draws them.
    (layout / "lines.css").write_text(css + "\n.bylines { font-size: 40pt; }\n", encoding="utf-8")
    err = io.StringIO()
    code = main(["build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--pdf", "--jobs", "1", "--layout",
                 str(tmp_path / "layout")], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert re.search(r"sheet \d+: the line 「记者[^」]+」 is [\d.]+ pt wider than its place", err.getvalue()), err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_the_outline_keeps_the_subheads_drawn(built: tuple[Path, Path, Path, Path]) -> None:
    import pikepdf

    def outline(pdf: Path) -> list[tuple[int, str, int]]:
        with pikepdf.open(pdf) as document, document.open_outline() as tree:
            pages = {page.objgen: number for number, page in enumerate(document.pages)}
            entries: list[tuple[int, str, int]] = []

            def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
                for item in items:
                    assert item.destination is not None
                    entries.append((depth, item.title, pages[item.destination[0].objgen]))
                    walk(item.children, depth + 1)

            walk(tree.root, 0)
            return entries

    drawn, reference = outline(built[2]), outline(built[3])
    assert drawn == reference
    assert (2, "延伸阅读", 0) in drawn  # a subhead drawn by the toolkit, under its story's headline
