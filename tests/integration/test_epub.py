"""The EPUB edition, checked with the real epubcheck and the real fonts.

Each edition is built and checked once per module (epubcheck starts a JVM).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from publisher.check.epubcheck import Report, run_epubcheck
from publisher.epub.book import write_epub
from publisher.errors import InputError
from publisher.ingest.issue_yaml import load_issue
from publisher.model import Article, Block, Issue, Page, Text
from tests.conftest import ROOT, SEED_ISSUE

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HOSTILE = ("<script>alert(1)</script>", '<img src="file:///etc/passwd">', "{{ 7*7 }}", "javascript:alert(1)")
EXT_B = "𠀁"  # U+20001: only HanaMinB has it


@dataclass(frozen=True)
class Book:
    path: Path
    issue: Issue
    report: Report

    def read(self, name: str) -> bytes:
        with zipfile.ZipFile(self.path) as z:
            return z.read(name)

    def names(self) -> list[str]:
        with zipfile.ZipFile(self.path) as z:
            return z.namelist()

    def xml(self, name: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.read(name))

    def opf(self) -> ElementTree.Element:
        return self.xml("EPUB/content.opf")

    def articles(self) -> list[str]:
        return sorted(n for n in self.names() if re.fullmatch(r"EPUB/text/p\d+(-a\d+)?\.xhtml", n))


def _odd_issue(issue: Issue) -> Issue:
    """The sample plus a second page with hostile text and an Extension B character,
    and a third page without articles."""
    hostile = Article(
        headline=Text('<b onload="x()">标题</b> {{ 7*7 }}'),
        kicker=Text("<script>alert(1)</script>"),
        subheadline=Text("——javascript:alert(1)"),
        dateline=Text("晚报讯"),
        bylines=(Text("记者<i>某</i>"),),
        blocks=(
            *(Block("paragraph", Text(f"第{i}段：{text}。"), 3 + i) for i, text in enumerate(HOSTILE)),
            Block("subhead", Text("相关链接"), 9),
            Block("paragraph", Text(f"生僻字{EXT_B}照常显示。"), 10),
        ),
        line=1,
    )
    source = issue.pages[0].source
    pages = (
        issue.pages[0],
        Page(label="A2", section="<综合>", source=source, articles=(hostile,)),
        Page(label="A3", section="广告", source=source),
    )
    return dataclasses.replace(issue, pages=pages)


@pytest.fixture(scope="module")
def issue() -> Issue:
    return load_issue(SEED_ISSUE)


EDITIONS: dict[str, dict[str, bool]] = {
    "sample": {},
    "vertical": {"vertical": True},
    "traditional": {"traditional": True},
    "traditional-vertical": {"traditional": True, "vertical": True},
    "odd": {},
    "odd-vertical": {"vertical": True},
}
# The build time every edition of this module is stamped with.
EPOCH = "1669680000"  # 2022-11-29T00:00:00Z


@pytest.fixture(scope="module")
def books(issue: Issue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Book]:
    """Every edition, built and checked once; epubcheck runs in parallel (each is a JVM)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return _books(issue, tmp_path_factory)


def _books(issue: Issue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Book]:
    out_dir = tmp_path_factory.mktemp("epub")
    issues = {name: (_odd_issue(issue) if name.startswith("odd") else issue) for name in EDITIONS}
    paths = {name: write_epub(issues[name], out_dir / f"{name}.epub", **opts) for name, opts in EDITIONS.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = dict(zip(paths, pool.map(run_epubcheck, paths.values()), strict=True))
    return {name: Book(paths[name], issues[name], reports[name]) for name in EDITIONS}


@pytest.fixture(scope="module")
def sample(books: dict[str, Book]) -> Book:
    return books["sample"]


@pytest.fixture(scope="module")
def vertical(books: dict[str, Book]) -> Book:
    return books["vertical"]


@pytest.fixture(scope="module")
def traditional(books: dict[str, Book]) -> Book:
    return books["traditional"]


@pytest.fixture(scope="module")
def odd(books: dict[str, Book]) -> Book:
    return books["odd"]


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_epubcheck_finds_nothing(edition: str, books: dict[str, Book]) -> None:
    book = books[edition]
    assert book.report.version.startswith("5.")
    assert (book.report.fatal, book.report.errors, book.report.warnings) == (0, 0, 0), [
        str(m) for m in book.report.messages
    ]


def test_package_metadata(sample: Book) -> None:
    opf = sample.opf()
    assert opf.get(XML_LANG) == "zh-Hans"
    assert opf.findtext("opf:metadata/dc:language", namespaces=NS) == "zh-Hans"
    assert opf.findtext("opf:metadata/dc:title", namespaces=NS) == "江海晚报 2022-11-28"
    assert opf.findtext("opf:metadata/dc:date", namespaces=NS) == "2022-11-28"
    assert opf.findtext("opf:metadata/dc:publisher", namespaces=NS) == "南通日报社"
    source = opf.findtext("opf:metadata/dc:source", namespaces=NS) or ""
    assert "江海晚报" in source and "印刷版" in source and "0123" in source
    identifier = opf.findtext("opf:metadata/dc:identifier", namespaces=NS) or ""
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier)
    props = {m.get("property") for m in opf.iterfind("opf:metadata/opf:meta", NS)}
    assert {
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
        "dcterms:conformsTo",
        "dcterms:modified",
    } <= props
    modified = [m.text for m in opf.iterfind("opf:metadata/opf:meta", NS) if m.get("property") == "dcterms:modified"]
    assert modified == ["2022-11-29T00:00:00Z"]  # the build's time (SOURCE_DATE_EPOCH), not the issue's date


def test_modified_is_the_build_time_without_source_date_epoch(
    issue: Issue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    book = write_epub(issue, tmp_path / "now.epub")
    after = dt.datetime.now(dt.UTC)
    with zipfile.ZipFile(book) as z:
        opf = ElementTree.fromstring(z.read("EPUB/content.opf"))
        stamp = z.infolist()[0].date_time
    modified = [m.text for m in opf.iterfind("opf:metadata/opf:meta", NS) if m.get("property") == "dcterms:modified"]
    assert len(modified) == 1 and modified[0] is not None
    when = dt.datetime.strptime(modified[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert before <= when <= after
    assert stamp[:3] == (when.year, when.month, when.day)


def test_every_document_has_the_language(sample: Book) -> None:
    for name in [n for n in sample.names() if n.endswith(".xhtml")]:
        root = sample.xml(name)
        assert root.get(XML_LANG) == "zh-Hans" and root.get("lang") == "zh-Hans", name


def test_identifier_is_stable_and_distinct_per_edition(
    issue: Issue, sample: Book, traditional: Book, vertical: Book, tmp_path: Path
) -> None:
    def ident(book: Book) -> str:
        return book.opf().findtext("opf:metadata/dc:identifier", namespaces=NS) or ""

    again = write_epub(issue, tmp_path / "again.epub")
    with zipfile.ZipFile(again) as z:
        opf_again = ElementTree.fromstring(z.read("EPUB/content.opf"))
    assert opf_again.findtext("opf:metadata/dc:identifier", namespaces=NS) == ident(sample)
    assert len({ident(sample), ident(traditional), ident(vertical)}) == 3


def test_navigation_groups_articles_by_page(sample: Book) -> None:
    nav = sample.xml("EPUB/text/nav.xhtml")
    toc = nav.find(".//x:nav[@id='toc']", NS)
    assert toc is not None
    page_items = toc.findall("x:ol/x:li", NS)
    assert ["".join(li.find("x:a", NS).itertext()) for li in page_items] == ["A1 要闻", "A2 城事"]  # type: ignore[union-attr]
    links = page_items[0].findall("x:ol/x:li/x:a", NS)
    assert ["".join(a.itertext()) for a in links] == [a.headline.value for a in sample.issue.pages[0].articles
                                                      if a.headline]
    # Every entry reaches its article inside the page's document.
    for link in links:
        target, anchor = (link.get("href") or "").split("#")
        article = sample.xml(f"EPUB/text/{target}").find(f".//x:article[@id='{anchor}']", NS)
        assert article is not None and "".join(link.itertext()) in "".join(article.itertext())
    landmarks = {a.get(f"{{{NS['epub']}}}type") for a in nav.iterfind(".//x:nav[@id='landmarks']//x:a", NS)}
    assert {"cover", "toc", "bodymatter"} <= landmarks
    ncx = sample.xml("EPUB/toc.ncx")
    points = ncx.findall("ncx:navMap/ncx:navPoint", NS)
    assert [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in points] == ["A1 要闻", "A2 城事"]
    assert [p.find("ncx:content", NS).get("src") for p in points[0].findall("ncx:navPoint", NS)] == [  # type: ignore[union-attr]
        f"text/p01.xhtml#p01-a{n:02d}" for n in range(1, 5)]


def test_page_list_has_one_entry_per_printed_page(odd: Book) -> None:
    """Each printed page once: its number for readers that read one (epub.js: parseInt), its label as printed."""
    nav = odd.xml("EPUB/text/nav.xhtml")
    links = nav.findall(".//x:nav[@id='page-list']/x:ol/x:li/x:a", NS)
    assert [a.text for a in links] == ["1 A1", "2 A2", "3 A3"]
    for link, label in zip(links, ["A1", "A2", "A3"], strict=True):
        target, anchor = (link.get("href") or "").split("#")
        doc = odd.xml(f"EPUB/text/{target}")
        marker = doc.find(f".//*[@id='{anchor}']")
        assert marker is not None and marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
        assert marker.get("aria-label") == label
    ncx = odd.xml("EPUB/toc.ncx")
    ncx_pages = ncx.findall("ncx:pageList/ncx:pageTarget", NS)
    assert [p.findtext("ncx:navLabel/ncx:text", namespaces=NS) for p in ncx_pages] == ["A1", "A2", "A3"]
    # NCX readers page by the value of "normal" page targets, up to dtb:maxPageNumber.
    assert [(p.get("type"), p.get("value")) for p in ncx_pages] == [("normal", "1"), ("normal", "2"), ("normal", "3")]
    head = {m.get("name"): m.get("content") for m in ncx.iterfind("ncx:head/ncx:meta", NS)}
    assert head["dtb:maxPageNumber"] == "3" and head["dtb:totalPageCount"] == "3"


def test_a_numeric_page_label_is_its_own_number(issue: Issue, tmp_path: Path) -> None:
    pages = tuple(dataclasses.replace(issue.pages[0], label=label) for label in ("1", "2"))
    book = write_epub(dataclasses.replace(issue, pages=pages), tmp_path / "numbers.epub")
    with zipfile.ZipFile(book) as z:
        nav = ElementTree.fromstring(z.read("EPUB/text/nav.xhtml"))
    assert [a.text for a in nav.findall(".//x:nav[@id='page-list']/x:ol/x:li/x:a", NS)] == ["1", "2"]


# What each face draws, by the layout's CSS: the heads in the bold sans; kickers,
# subheadlines, datelines and the title page's labels in the bold serif; the rest in the serif.
FACE_ELEMENTS = {
    "sans-700": ("page-label", "headline", "subhead", "masthead-paper"),
    "serif-700": ("kicker", "subheadline", "dateline", "masthead-edition"),
}


def _drawn(book: Book, classes: tuple[str, ...], tags: tuple[str, ...] = ()) -> set[int]:
    chars: set[int] = set()
    for name in [*book.articles(), "EPUB/text/nav.xhtml", "EPUB/text/title.xhtml"]:
        for element in book.xml(name).iter():
            own = set((element.get("class") or "").split())
            tag = element.tag.rsplit("}", 1)[-1]
            in_nav_title = tag == "h1" and element.get("id") == "toc-title"
            if own & set(classes) or tag in tags or (in_nav_title and "headline" in classes):
                chars |= {ord(c) for c in "".join(element.itertext()) if not c.isspace()}
    return chars


@pytest.mark.parametrize("edition", ["sample", "vertical", "traditional", "traditional-vertical"])
def test_each_face_is_subset_to_what_it_draws(edition: str, books: dict[str, Book]) -> None:
    book = books[edition]
    fonts = sorted(n for n in book.names() if n.startswith("EPUB/fonts/") and n.endswith((".otf", ".ttf")))
    assert fonts == ["EPUB/fonts/sans-700.otf", "EPUB/fonts/serif-400.otf", "EPUB/fonts/serif-700.otf"]
    cmaps = {name[len("EPUB/fonts/"):-4]: set(TTFont(io.BytesIO(book.read(name))).getBestCmap()) - {0x20}
             for name in fonts}
    sans = _drawn(book, FACE_ELEMENTS["sans-700"] + ("headline",))
    bold = _drawn(book, FACE_ELEMENTS["serif-700"], tags=("dt",))
    text = {ord(c) for n in book.articles() for c in "".join(book.xml(n).itertext()) if not c.isspace()}
    # Every character a face is asked to draw is in it, and the bold faces hold nothing else.
    assert cmaps["sans-700"] == sans
    assert cmaps["serif-700"] == bold
    assert text - sans - bold <= cmaps["serif-400"]
    # The heads' faces are a small part of the issue's characters (the sample: 58 and 59 of ~660).
    assert len(cmaps["sans-700"]) < len(cmaps["serif-400"]) / 5 and len(cmaps["serif-700"]) < len(cmaps["serif-400"]) / 5


def test_licences_travel_with_the_faces_in_a_linked_document(sample: Book, odd: Book) -> None:
    assert not [n for n in sample.names() if n.endswith(".txt")]
    licences = "".join(sample.xml("EPUB/text/licences.xhtml").itertext())
    assert "SIL OPEN FONT LICENSE" in licences and "Hanazono Font License" not in licences
    # Hanazono's licence only where a Hanazono face is embedded.
    assert "Hanazono Font License" in "".join(odd.xml("EPUB/text/licences.xhtml").itertext())
    link = sample.xml("EPUB/text/title.xhtml").find(".//x:a[@href='licences.xhtml']", NS)
    assert link is not None
    spine = {ref.get("idref"): ref.get("linear") for ref in sample.opf().iterfind("opf:spine/opf:itemref", NS)}
    assert spine["licences"] == "no"
    assert b"specified-fonts" in sample.read("META-INF/com.apple.ibooks.display-options.xml")
    # The fallback face comes only with a character that needs it.
    odd_fonts = [n for n in odd.names() if n.startswith("EPUB/fonts/") and n.endswith(".ttf")]
    assert odd_fonts == ["EPUB/fonts/fallback-2.ttf"]
    assert set(TTFont(io.BytesIO(odd.read(odd_fonts[0]))).getBestCmap()) == {ord(EXT_B)}
    # Only what differs from the defaults is declared: each declaration is an epubcheck usage note.
    css = sample.read("EPUB/css/fonts.css").decode()
    assert "font-style" not in css and css.count("font-weight: 700") == 2 and "font-weight: 400" not in css


def test_hostile_text_shows_literally_and_stays_inert(odd: Book) -> None:
    docs = [n for n in odd.names() if n.endswith((".xhtml", ".ncx"))]
    for name in docs:
        root = odd.xml(name)
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "img" and name == "EPUB/text/cover.xhtml":
                assert element.get("src") == "../images/cover.png"  # the book's own cover image, the only one
                continue
            assert tag not in ("script", "img", "iframe", "object", "embed", "b", "i"), (name, tag)
            for attr, value in element.attrib.items():
                assert not attr.startswith("on"), (name, attr)
                assert not value.strip().lower().startswith(("javascript:", "file:", "http:", "https:")), value
    text = "".join(odd.xml("EPUB/text/p02.xhtml").itertext())
    for literal in HOSTILE:
        assert literal in text
    assert '<b onload="x()">标题</b> {{ 7*7 }}' in text
    assert "49" not in text
    toc = "".join(odd.xml("EPUB/text/nav.xhtml").itertext())
    assert "<综合>" in toc and "{{ 7*7 }}" in toc


def test_every_paragraph_is_one_run_in_order(sample: Book) -> None:
    for page_no, page in enumerate(sample.issue.pages, start=1):
        page_doc = sample.xml(f"EPUB/text/p{page_no:02d}.xhtml")
        for art_no, article in enumerate(page.articles, start=1):
            doc = page_doc.find(f".//x:article[@id='p{page_no:02d}-a{art_no:02d}']", NS)
            assert doc is not None
            runs = ["".join(p.itertext()) for p in doc.iterfind("x:p", NS)]
            bylines = ["".join(p.itertext()) for p in doc.iterfind("x:footer/x:p", NS)]
            paragraphs = [b.text.value for b in article.paragraphs]
            if article.dateline:
                assert runs[0] == article.dateline.value + paragraphs[0]
                runs[0] = runs[0][len(article.dateline.value) :]
            assert runs == paragraphs
            assert bylines == [b.value for b in article.bylines]
            whole = "".join(doc.itertext())
            position = 0
            for text in article.flow_texts():  # a picture's alt text goes with its image
                found = whole.find(text.value, position)
                assert found >= 0, text.value[:20]
                position = found + len(text.value)


def test_rebuilds_are_byte_identical(
    issue: Issue, sample: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = write_epub(issue, tmp_path / "a.epub").read_bytes()
    assert first == sample.path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = write_epub(issue, tmp_path / "b.epub").read_bytes()
    assert stamped == write_epub(issue, tmp_path / "c.epub").read_bytes()
    assert stamped != first
    with zipfile.ZipFile(tmp_path / "b.epub") as z:
        opf = z.read("EPUB/content.opf").decode()
    assert "2023-11-14T22:13:20Z" in opf


def test_container_layout(sample: Book) -> None:
    with zipfile.ZipFile(sample.path) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        assert {i.date_time for i in z.infolist()} == {(2022, 11, 29, 0, 0, 0)}


def test_vertical_edition_turns_pages_right_to_left(vertical: Book) -> None:
    spine = vertical.opf().find("opf:spine", NS)
    assert spine is not None and spine.get("page-progression-direction") == "rtl"
    css = vertical.read("EPUB/css/vertical.css").decode()
    assert "-epub-writing-mode: vertical-rl" in css and "\n  writing-mode: vertical-rl" in css
    doc = vertical.read("EPUB/text/p01.xhtml").decode()
    assert "../css/vertical.css" in doc


def test_traditional_edition(traditional: Book) -> None:
    opf = traditional.opf()
    assert opf.get(XML_LANG) == "zh-Hant"
    assert opf.findtext("opf:metadata/dc:language", namespaces=NS) == "zh-Hant"
    assert opf.findtext("opf:metadata/dc:title", namespaces=NS) == "江海晚報 2022-11-28（繁體版）"
    doc = traditional.xml("EPUB/text/p01.xhtml")
    assert doc.get(XML_LANG) == "zh-Hant"
    text = "".join(doc.itertext())
    assert "疫情防控工作領導小組會議" in text and "领导" not in text
    nav = "".join(traditional.xml("EPUB/text/nav.xhtml").itertext())
    assert "目錄" in nav
    serif = TTFont(io.BytesIO(traditional.read("EPUB/fonts/serif-400.otf")))
    assert serif["name"].getDebugName(1) == "Noto Serif CJK TC"


def test_uncovered_character_fails_before_writing(issue: Issue, tmp_path: Path) -> None:
    page = issue.pages[0]
    article = dataclasses.replace(page.articles[0], blocks=(Block("paragraph", Text("私用\U0010fffd。"), 5),))
    bad = dataclasses.replace(issue, pages=(dataclasses.replace(page, articles=(article,)),))
    out = tmp_path / "bad.epub"
    with pytest.raises(InputError, match="U\\+10FFFD"):
        write_epub(bad, out)
    assert list(tmp_path.iterdir()) == []


def test_epubcheck_reports_errors_of_a_broken_book(sample: Book, tmp_path: Path) -> None:
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(sample.path) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if info.filename != "EPUB/text/nav.xhtml":
                dst.writestr(info, src.read(info))
    report = run_epubcheck(broken)
    assert not report.valid and report.errors + report.fatal > 0
    assert any("nav.xhtml" in str(m) for m in report.messages)


def test_user_layout_overrides_the_stylesheet(issue: Issue, tmp_path: Path) -> None:
    layout = tmp_path / "layout"
    (layout / "epub").mkdir(parents=True)
    (layout / "epub" / "epub.css").write_text("p { text-indent: 3em; }\n", encoding="utf-8")
    out = write_epub(issue, tmp_path / "custom.epub", layout=layout)
    with zipfile.ZipFile(out) as z:
        assert z.read("EPUB/css/epub.css") == b"p { text-indent: 3em; }\n"
        # Templates the folder does not override still come from the project.
        assert b'<article id="p01-a01">' in z.read("EPUB/text/p01.xhtml")


def test_vertical_numbers_stand_upright(books: dict[str, Book]) -> None:
    """縦中横: 第0段 … in the vertical edition put the digit in a tcy span; the text is unchanged."""
    book = books["odd-vertical"]
    page = book.read("EPUB/text/p02.xhtml").decode("utf-8")
    assert '第<span class="tcy">0</span>段' in page
    assert b'class="tcy"' not in books["odd"].read("EPUB/text/p02.xhtml")
    # A short page label is one upright cell (縦中横), never half sideways; in the text and in the contents.
    assert '<h1 class="page-label"><span class="tcy">A2</span> ' in page
    assert '<span class="tcy">A2</span> ' in book.read("EPUB/text/nav.xhtml").decode("utf-8")
    css = book.read("EPUB/css/vertical.css").decode("utf-8")
    assert "text-combine-upright: all" in css


# --- on a reader's shelf -------------------------------------------------------


def _meta(book: Book, prop: str) -> list[str]:
    return [m.text or "" for m in book.opf().iterfind("opf:metadata/opf:meta", NS) if m.get("property") == prop]


def _named(book: Book, name: str) -> list[str]:
    return [m.get("content") or "" for m in book.opf().iterfind("opf:metadata/opf:meta", NS) if m.get("name") == name]


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_cover_image_is_declared_and_shown(edition: str, books: dict[str, Book]) -> None:
    book = books[edition]
    items = [i for i in book.opf().iterfind("opf:manifest/opf:item", NS) if "cover-image" in (i.get("properties") or "")]
    assert len(items) == 1
    item = items[0]
    assert item.get("href") == "images/cover.png" and item.get("media-type") == "image/png"
    assert _named(book, "cover") == [item.get("id")]
    image = Image.open(io.BytesIO(book.read("EPUB/images/cover.png")))
    assert image.format == "PNG" and image.size == (1600, 2560)
    # The cover is a picture, not a blank page: it holds ink, paper and the masthead's red.
    colours = {c for _, c in image.convert("RGB").getcolors(1 << 16) or []}
    assert len(colours) > 8
    cover = book.xml("EPUB/text/cover.xhtml")
    img = cover.find(".//x:img", NS)
    assert img is not None and img.get("src") == "../images/cover.png"
    alt = img.get("alt") or ""
    paper = "江海晚報" if edition.startswith("traditional") else "江海晚报"
    assert alt.startswith(f"封面：{paper}") and "0123" in alt
    headline = book.issue.pages[0].articles[0].headline
    assert headline is not None
    if not edition.startswith("traditional"):
        assert headline.value in alt


def test_cover_images_differ_by_writing_mode(sample: Book, vertical: Book) -> None:
    horizontal = Image.open(io.BytesIO(sample.read("EPUB/images/cover.png"))).convert("L")
    upright = Image.open(io.BytesIO(vertical.read("EPUB/images/cover.png"))).convert("L")
    # The masthead: across the top of the default cover, down the right side of the vertical one.
    top_band = horizontal.crop((0, 100, 1600, 440))
    right_top = upright.crop((1200, 100, 1600, 440))
    left_top = upright.crop((0, 100, 400, 440))
    assert top_band.getextrema()[0] < 100  # ink across the top
    assert right_top.getextrema()[0] < 100 and sum(right_top.histogram()[:100]) > sum(left_top.histogram()[:100])


def test_series_description_subjects_and_identifiers(sample: Book, odd: Book) -> None:
    opf = sample.opf()
    collection = [m for m in opf.iterfind("opf:metadata/opf:meta", NS) if m.get("property") == "belongs-to-collection"]
    assert [m.text for m in collection] == ["江海晚报"]
    ref = "#" + (collection[0].get("id") or "")
    refines = {m.get("property"): m.text for m in opf.iterfind("opf:metadata/opf:meta", NS) if m.get("refines") == ref}
    assert refines == {"collection-type": "series", "group-position": "20221128"}
    assert _named(sample, "calibre:series") == ["江海晚报"]
    assert _named(sample, "calibre:series_index") == ["20221128"]
    description = opf.findtext("opf:metadata/dc:description", namespaces=NS) or ""
    assert description.startswith("江海晚报2022年11月28日第0123期。头版：")
    for article in sample.issue.pages[0].articles:
        assert article.headline is not None and article.headline.value in description
    assert [s.text for s in opf.iterfind("opf:metadata/dc:subject", NS)] == ["要闻", "城事"]
    assert [s.text for s in odd.opf().iterfind("opf:metadata/dc:subject", NS)] == ["要闻", "<综合>", "广告"]
    identifiers = [i.text for i in opf.iterfind("opf:metadata/dc:identifier", NS)]
    assert identifiers[1:] == ["issue:江海晚报-2022-11-28", "mobi-asin:" + (identifiers[0] or "")]
    # The page-list's source is named as the source of the pagination.
    source = opf.find("opf:metadata/dc:source", NS)
    assert source is not None
    refined = [m.text for m in opf.iterfind("opf:metadata/opf:meta", NS)
               if m.get("refines") == "#" + (source.get("id") or "") and m.get("property") == "source-of"]
    assert refined == ["pagination"]


def test_editions_are_told_apart_by_their_titles(books: dict[str, Book]) -> None:
    titles = {name: books[name].opf().findtext("opf:metadata/dc:title", namespaces=NS) for name in
              ("sample", "vertical", "traditional", "traditional-vertical")}
    assert titles == {
        "sample": "江海晚报 2022-11-28",
        "vertical": "江海晚报 2022-11-28（竖排版）",
        "traditional": "江海晚報 2022-11-28（繁體版）",
        "traditional-vertical": "江海晚報 2022-11-28（繁體直排版）",
    }


def test_vertical_edition_declares_its_writing_mode(sample: Book, vertical: Book) -> None:
    assert _named(vertical, "primary-writing-mode") == ["vertical-rl"]
    assert _named(sample, "primary-writing-mode") == []


def test_vertical_title_page_reads_in_lines_with_upright_numbers(vertical: Book, sample: Book) -> None:
    page = vertical.read("EPUB/text/title.xhtml").decode("utf-8")
    assert ('<span class="w"><span class="upright">2022</span>年</span><span class="w"><span class="tcy">11</span>月'
            '</span><span class="w"><span class="tcy">28</span>日</span>') in page
    assert '<span class="w">第<span class="upright">0123</span>期</span>' in page
    title = vertical.xml("EPUB/text/title.xhtml")
    groups = title.findall(".//x:dl/x:div", NS)
    # Each label with its value in one group: one vertical line each.
    assert [g.findtext("x:dt", namespaces=NS) for g in groups][:3] == ["日期", "农历", "期号"]
    css = vertical.read("EPUB/css/vertical.css").decode("utf-8")
    assert "text-orientation: upright" in css
    epub_css = vertical.read("EPUB/css/epub.css").decode("utf-8")
    assert ".masthead-facts dt { display: inline" in epub_css and ".masthead-facts dd { display: inline" in epub_css
    assert b'class="upright"' not in sample.read("EPUB/text/title.xhtml")


def test_traditional_edition_quotes_with_corner_brackets(traditional: Book, sample: Book) -> None:
    source = "".join("".join(sample.xml(n).itertext()) for n in sample.articles())
    text = "".join("".join(traditional.xml(n).itertext()) for n in traditional.articles())
    assert source.count("“") > 0
    assert "“" not in text and "”" not in text
    assert text.count("「") == source.count("“") and text.count("」") == source.count("”")
    assert "「外防輸入、內防反彈」" in text


def test_heads_are_cut_into_phrases_and_words(sample: Book) -> None:
    doc = sample.read("EPUB/text/p01.xhtml").decode("utf-8")
    assert ('<h2 class="headline"><span class="phrase"><span class="w">从快</span><span class="w">从严</span>'
            '<span class="w">从紧</span></span> <span class="phrase"><span class="w">压紧</span>'
            '<span class="w">压实</span><span class="w">责任</span></span> <span class="phrase">'
            '<span class="w">坚决</span><span class="w">遏制</span><span class="w">疫情</span>'
            '<span class="w">反弹</span><span class="w">反复</span></span></h2>') in doc
    # A kicker without spaces is cut into words only (the issue's 疫 / 情 falls between two).
    assert ('<p class="kicker"><span class="w">王晖</span><span class="w">主持</span><span class="w">召开</span>'
            '<span class="w">市新冠</span><span class="w">肺炎</span><span class="w">疫情</span>') in doc
    css = sample.read("EPUB/css/breaks.css").decode("utf-8")
    assert ".w { white-space: nowrap; }" in css and ".phrase { display: inline-block; text-wrap: balance; }" in css
    assert "break-after: avoid" in css and "article.long {\n  break-before: page;" in css


def test_articles_flow_in_their_page_and_a_long_one_starts_a_screen(issue: Issue, tmp_path: Path) -> None:
    from publisher.epub.book import LONG_ARTICLE

    short, long_text = "短讯一则。" * 20, "长篇报道。" * (LONG_ARTICLE // 5 + 1)
    articles = tuple(Article(headline=Text(f"标题{n}"), blocks=(Block("paragraph", Text(text), 1),))
                     for n, text in enumerate((long_text, short, long_text, short)))
    page = dataclasses.replace(issue.pages[0], articles=articles)
    book = write_epub(dataclasses.replace(issue, pages=(page,)), tmp_path / "flow.epub")
    with zipfile.ZipFile(book) as z:
        doc = ElementTree.fromstring(z.read("EPUB/text/p01.xhtml"))
        assert [n for n in z.namelist() if n.startswith("EPUB/text/p")] == ["EPUB/text/p01.xhtml"]
    found = doc.findall(".//x:article", NS)
    assert [a.get("id") for a in found] == [f"p01-a{n:02d}" for n in range(1, 5)]
    # The first article opens the document anyway; of the others, only the long one starts a screen.
    assert [a.get("class") for a in found] == [None, None, "long", None]


def test_the_book_sets_no_colour_of_its_own(books: dict[str, Book]) -> None:
    """Text, rules and links take the reader's colours (currentColor, inherit): no theme can hide them."""
    for name in ("sample", "vertical"):
        for sheet in [n for n in books[name].names() if n.endswith(".css")]:
            css = books[name].read(sheet).decode("utf-8")
            assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(|(?<![-\w])(?:gr[ae]y|black|white|silver)(?![-\w])", css), sheet
    css = books["sample"].read("EPUB/css/epub.css").decode("utf-8")
    assert "nav a, nav a:link, nav a:visited { color: inherit; text-decoration: none; }" in css
    assert "a, a:link, a:visited { color: inherit; }" in css


def test_kindle_identity_is_the_book_s_own(sample: Book, vertical: Book) -> None:
    """calibre takes the first identifier whose value is a urn:uuid after those it reads by scheme."""
    def ids(book: Book) -> list[str]:
        return [i.text or "" for i in book.opf().iterfind("opf:metadata/dc:identifier", NS)]

    for book in (sample, vertical):
        assert ids(book)[2] == "mobi-asin:" + ids(book)[0]
    assert ids(sample)[0] != ids(vertical)[0]


@pytest.mark.parametrize("edition", ["sample", "vertical", "traditional", "traditional-vertical"])
def test_each_edition_is_lighter_by_the_glyphs_its_faces_do_not_draw(
    edition: str, books: dict[str, Book], tmp_path: Path
) -> None:
    """Against the same edition whose faces all carry every character (what a cascade this build cannot
    follow still gets, here through the font shorthand), the book is smaller by the fonts' difference."""
    book = books[edition]
    layout = tmp_path / "layout" / "epub"
    layout.mkdir(parents=True)
    css = (ROOT / "layouts" / "epub" / "epub.css").read_text(encoding="utf-8")
    (layout / "epub.css").write_text(css + "\n.unused { font: inherit; }\n", encoding="utf-8")
    full = write_epub(book.issue, tmp_path / "full.epub", layout=layout.parent, **EDITIONS[edition])

    def fonts(path: Path) -> dict[str, int]:
        with zipfile.ZipFile(path) as z:
            return {i.filename: i.compress_size for i in z.infolist() if i.filename.startswith("EPUB/fonts/")}

    ours, everything = fonts(book.path), fonts(full)
    assert ours.keys() == everything.keys()
    for bold in ("EPUB/fonts/sans-700.otf", "EPUB/fonts/serif-700.otf"):
        assert ours[bold] < everything[bold] / 3, (bold, ours[bold], everything[bold])
    saved = sum(everything.values()) - sum(ours.values())
    assert book.path.stat().st_size <= full.stat().st_size - saved + 2_000  # the rest of the book is the same
    assert saved > 150_000


@pytest.mark.parametrize("edition", ["sample", "odd-vertical"])
def test_epubcheck_usage_notes_are_only_the_embedded_faces(edition: str, books: dict[str, Book]) -> None:
    """With -u epubcheck notes each declaration of an @font-face (CSS-028), which embedding a face needs;
    nothing else (the licences are a linked document, not an unreferenced file)."""
    report = run_epubcheck(books[edition].path, usage=True)
    assert report.valid and report.warnings == 0
    css = books[edition].read("EPUB/css/fonts.css").decode("utf-8")
    declarations = sum(block.count(";") for block in re.findall(r"@font-face\s*\{([^}]*)\}", css))
    assert sorted({m.id for m in report.messages}) == ["CSS-028"], [str(m) for m in report.messages]
    # The JSON report gives one message per code, with a location for each note.
    assert sum(len(m.locations) for m in report.messages) == declarations == 8 + (5 if edition.startswith("odd") else 0)


@pytest.mark.parametrize("edition", ["sample", "vertical", "traditional", "traditional-vertical"])
def test_each_picture_is_a_figure_with_alt_text_and_its_caption(edition: str, books: dict[str, Book]) -> None:
    book = books[edition]
    pictures = [p for page in book.issue.pages for a in page.articles for p in a.pictures]
    assert pictures, "the sample has pictures (seeds/a2.txt)"
    figures = [f for name in book.articles() for f in book.xml(name).iterfind(".//x:figure[@class]", NS)
               if "picture" in (f.get("class") or "").split()]
    assert len(figures) == len(pictures)
    for figure, picture in zip(figures, pictures, strict=True):
        img = figure.find("x:img", NS)
        assert img is not None and (img.get("alt") or "").strip()
        caption = "".join(figure.find("x:figcaption", NS).itertext())  # type: ignore[union-attr]
        if not edition.startswith("traditional"):
            assert img.get("alt") == picture.description()
            assert picture.caption is not None and picture.caption.value in caption
            assert picture.credit is None or picture.credit.value in caption
        data = book.read("EPUB/" + (img.get("src") or "").removeprefix("../"))
        shown = Image.open(io.BytesIO(data))
        assert (shown.width, shown.height) == (int(img.get("width") or 0), int(img.get("height") or 0))
        assert max(shown.size) <= 1600
    manifest = {i.get("href"): i.get("media-type") for i in book.opf().iterfind("opf:manifest/opf:item", NS)}
    assert {manifest[h] for h in manifest if (h or "").startswith("images/picture-")} <= {"image/jpeg", "image/png"}
