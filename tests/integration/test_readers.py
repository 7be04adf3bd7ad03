"""The EPUB in real consumers: calibre's Kindle conversion and metadata reader,
epub.js (the engine of many reading apps) in headless Chromium, page by page at
a phone's and an e-reader's size, and Ace by DAISY, the accessibility checker.
Screenshots go to tests/artifacts/. Each test skips, saying why, only when its
tool is absent.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from publisher.epub.book import write_epub
from publisher.ingest.issue_yaml import load_issue
from publisher.model import Article, Block, Issue, Text
from tests.conftest import ROOT, SEED_ISSUE

ARTIFACTS = ROOT / "tests" / "artifacts"
READERS = ROOT / "tests" / "readers"
NODE_MODULES = READERS / "node_modules"

pytestmark = pytest.mark.readers


@pytest.fixture(scope="module")
def issue() -> Issue:
    return load_issue(SEED_ISSUE)


@pytest.fixture(scope="module")
def first_paragraph(issue: Issue) -> str:
    return issue.pages[0].articles[0].paragraphs[0].text.value


def _artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def test_calibre_converts_to_azw3(issue: Issue, first_paragraph: str) -> None:
    convert = shutil.which("ebook-convert")
    if convert is None:
        pytest.skip("calibre's ebook-convert is not installed (Debian package `calibre`)")
    out = _artifacts()
    book = write_epub(issue, out / "sample.epub")
    azw3 = out / "sample.azw3"
    azw3.unlink(missing_ok=True)
    done = subprocess.run([convert, str(book), str(azw3)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert azw3.stat().st_size > 10_000
    # Read the Kindle book back: the article text survived the conversion.
    txt = out / "sample-from-azw3.txt"
    back = subprocess.run([convert, str(azw3), str(txt)], capture_output=True, text=True, timeout=300)
    assert back.returncode == 0, back.stderr[-2000:]
    assert first_paragraph in "".join(txt.read_text(encoding="utf-8").split())


def _epubjs_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (Debian package `nodejs`)"
    if not Path("/usr/bin/chromium").exists() and shutil.which("chromium") is None:
        return "chromium is not installed (Debian package `chromium`)"
    for package in ("epubjs", "jszip", "puppeteer-core"):
        if not (NODE_MODULES / package).is_dir():
            return f"npm package {package} is missing: run `npm ci --prefix tests/readers`"
    return None


@pytest.mark.parametrize("edition", ["horizontal", "vertical"])
def test_epubjs_renders_the_first_article(issue: Issue, first_paragraph: str, edition: str, tmp_path: Path) -> None:
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    # The harness page, the engine and the book side by side, as a web reader serves them.
    shutil.copy(READERS / "epubjs.html", tmp_path / "epubjs.html")
    shutil.copy(NODE_MODULES / "epubjs" / "dist" / "epub.min.js", tmp_path / "epub.min.js")
    shutil.copy(NODE_MODULES / "jszip" / "dist" / "jszip.min.js", tmp_path / "jszip.min.js")
    write_epub(issue, tmp_path / "book.epub", vertical=edition == "vertical")
    shot = _artifacts() / f"epubjs-{edition}.png"
    shot.unlink(missing_ok=True)
    done = subprocess.run(
        ["node", str(READERS / "render.mjs"), str(tmp_path), str(shot)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    status, lang, fonts, *text = report["result"].split("\n")
    assert status == "RENDERED", report
    assert lang == "zh-Hans"
    # The text is drawn with the book's own subset faces, all of which loaded.
    assert {"Paper Serif:400:loaded", "Paper Sans:700:loaded"} <= set(fonts.split(",")), fonts
    assert first_paragraph in "".join("".join(text).split())
    assert shot.stat().st_size > 10_000


# --- the shelf: Ace by DAISY, calibre's metadata, the Kindle book's writing mode ---

ACE = NODE_MODULES / ".bin" / "ace-cli"
SHELF_EDITIONS: dict[str, dict[str, bool]] = {
    "default": {},
    "vertical": {"vertical": True},
    "traditional": {"traditional": True},
    "traditional-vertical": {"traditional": True, "vertical": True},
}


def _ace_missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (Debian package `nodejs`)"
    if not Path("/usr/bin/chromium").exists():
        return "chromium is not installed (Debian package `chromium`)"
    if not ACE.exists():
        return "Ace by DAISY is missing: run `make setup` (npm package @daisy/ace-cli in tests/readers)"
    return None


def ace_violations(book: Path, out: Path) -> list[str]:
    """Run Ace by DAISY on ``book``; every failed assertion, as 'document: rule (impact): description'."""
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": "/usr/bin/chromium", "PUPPETEER_SKIP_DOWNLOAD": "1"}
    done = subprocess.run([str(ACE), "--silent", "--force", "--outdir", str(out), str(book)],
                          capture_output=True, text=True, timeout=600, env=env)
    report_file = out / "report.json"
    assert report_file.is_file(), f"Ace wrote no report (exit {done.returncode}): {done.stderr[-2000:]}"
    report = json.loads(report_file.read_text(encoding="utf-8"))
    violations = []
    for document in report["assertions"]:
        for assertion in document["assertions"]:
            if assertion["earl:result"]["earl:outcome"] != "pass":
                violations.append(f"{document['earl:testSubject']['url']}: {assertion['earl:test']['dct:title']} "
                                  f"({assertion['earl:test']['earl:impact']}): "
                                  f"{assertion['earl:result']['dct:description']}")
    assert report["earl:result"]["earl:outcome"] == ("pass" if not violations else "fail")
    return violations


@pytest.mark.parametrize("edition", [*SHELF_EDITIONS, "odd"])
def test_ace_finds_no_violation(issue: Issue, edition: str, tmp_path: Path) -> None:
    reason = _ace_missing()
    if reason:
        pytest.skip(reason)
    from tests.integration.test_epub import _odd_issue

    source = _odd_issue(issue) if edition == "odd" else issue
    book = write_epub(source, tmp_path / f"{edition}.epub", **SHELF_EDITIONS.get(edition, {}))
    assert ace_violations(book, tmp_path / "ace") == []


def test_ace_reports_a_violation_it_is_shown(issue: Issue, tmp_path: Path) -> None:
    """The check can fail: a book whose cover image lost its text alternative is reported."""
    reason = _ace_missing()
    if reason:
        pytest.skip(reason)
    good = write_epub(issue, tmp_path / "good.epub")
    bad = tmp_path / "bad.epub"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "EPUB/text/cover.xhtml":
                data = re.sub(rb' alt="[^"]*"', b"", data)
            dst.writestr(info, data, compress_type=info.compress_type)
    violations = ace_violations(bad, tmp_path / "ace")
    assert any("cover.xhtml" in v and "image-alt" in v for v in violations), violations


def test_calibre_shows_cover_series_and_description_of_an_epub_only_build(tmp_path: Path) -> None:
    meta = shutil.which("ebook-meta")
    if meta is None:
        pytest.skip("calibre's ebook-meta is not installed (Debian package `calibre`)")
    from publisher.cli import main

    assert main(["build", str(SEED_ISSUE), "--out", str(tmp_path), "--epub"], io.StringIO(), io.StringIO()) == 0
    book = tmp_path / "江海晚报-2022-11-28.epub"
    assert not (tmp_path / "江海晚报-2022-11-28.pdf").exists()
    cover = tmp_path / "calibre-cover.png"
    done = subprocess.run([meta, str(book), f"--get-cover={cover}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    fields = dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    assert fields["Title"] == "江海晚报 2022-11-28"
    assert fields["Series"] == "江海晚报 #20221128"
    assert fields["Tags"] == "要闻, 城事"  # the sections of A1 and A2
    assert fields["Publisher"] == "南通日报社"
    assert fields["Identifiers"] == "issue:江海晚报-2022-11-28"
    assert fields["Comments"].startswith("江海晚报2022年11月28日第0123期。头版：从快从严从紧 压紧压实责任")
    with Image.open(cover) as image:
        assert image.size == (1600, 2560)


def test_calibre_kindle_book_of_the_vertical_edition_is_vertical_with_a_cover(issue: Issue, tmp_path: Path) -> None:
    convert, debug = shutil.which("ebook-convert"), shutil.which("calibre-debug")
    if convert is None or debug is None:
        pytest.skip("calibre is not installed (Debian package `calibre`)")
    book = write_epub(issue, tmp_path / "vertical.epub", vertical=True)
    azw3 = tmp_path / "vertical.azw3"
    done = subprocess.run([convert, str(book), str(azw3)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "No cover found" not in done.stdout + done.stderr
    inspected = subprocess.run([debug, "--inspect-mobi", str(azw3)], capture_output=True, text=True, timeout=300,
                               cwd=tmp_path)
    assert inspected.returncode == 0, inspected.stderr[-2000:]
    header = (tmp_path / "decompiled_vertical" / "header.txt").read_text(encoding="utf-8")
    assert "primary-writing-mode (525): b'vertical-rl'" in header
    assert "Fake Cover (203): 0" in header  # the book's own cover, not one calibre made up


# --- page by page at a reader's size ------------------------------------------

SCREENS = ("390x844", "600x800")  # a phone, an e-reader
# Headlines whose lines a reader breaks badly if left to itself: long runs
# without spaces, at lengths that fill a line at these sizes and leave one
# character over, and the phrases of the sample's lead.
LONG_HEADLINES = (
    "从快从严从紧 压紧压实责任 坚决遏制疫情反弹反复",
    "全市上下众志成城坚决打赢疫情防控阻击战",
    "以最大决心最强力度打好疫情防控阻击战攻坚战",
    "坚决克服麻痹思想厌战情绪侥幸心理松劲心态严防经验主义",
    "加强重点人员重点场所排查管控全面查漏补缺",
    "细而又细实而又实执行各项闭环措施进一步筑牢外防输入严密防线",
    "主要领导靠前指挥分管领导坐镇一线",
    "引导市民履行好个人防护责任",
)
SUBHEADS = ("相关链接", "记者手记", "延伸阅读", "数据", "背景", "短评")


def _screens_issue(issue: Issue) -> Issue:
    """Articles with the long headlines above; the first has a subhead before each of its many paragraphs,
    paragraphs of varied length, so that subheads fall at the foot of screens."""
    sentences = [s + "。" for p in issue.pages[0].articles for b in p.paragraphs for s in b.text.value.split("。") if s]
    lengths = (1, 3, 2, 5, 1, 4, 2, 6, 1, 3, 2, 4)
    blocks: list[Block] = []
    position = 0
    for number, count in enumerate(lengths):
        blocks.append(Block("subhead", Text(SUBHEADS[number % len(SUBHEADS)]), 1))
        text = "".join(sentences[(position + i) % len(sentences)] for i in range(count))
        position += count
        blocks.append(Block("paragraph", Text(text), 1))
    articles = [Article(headline=Text(LONG_HEADLINES[0]), kicker=Text("吴政隆主持召开省疫情防控工作领导小组会议强调"),
                        dateline=Text("晚报讯"), blocks=tuple(blocks), bylines=(Text("记者朱文君"),))]
    for headline in LONG_HEADLINES[1:]:
        articles.append(Article(headline=Text(headline), blocks=(Block("paragraph", Text(sentences[0]), 1),)))
    page = dataclasses.replace(issue.pages[0], articles=tuple(articles))
    return dataclasses.replace(issue, pages=(page,))


def _read_page_by_page(book: Path, folder: Path, shots: Path) -> dict[str, list[dict[str, Any]]]:
    for name in ("paged.html",):
        shutil.copy(READERS / name, folder / name)
    shutil.copy(NODE_MODULES / "epubjs" / "dist" / "epub.min.js", folder / "epub.min.js")
    shutil.copy(NODE_MODULES / "jszip" / "dist" / "jszip.min.js", folder / "jszip.min.js")
    shutil.copy(book, folder / "book.epub")
    shots.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["node", str(READERS / "paged.mjs"), str(folder), str(shots), *SCREENS],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["errors"] == []
    report: dict[str, list[dict[str, Any]]] = result["report"]
    return report


def _lone_characters(report: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [f"{size} {doc['href']} {heading['tag']}.{heading['cls']}: {heading['lines']}"
            for size, docs in report.items() for doc in docs for heading in doc["headings"]
            if len(heading["lines"]) > 1 and any(len(line) == 1 for line in heading["lines"])]


def _stranded(report: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [f"{size} {doc['href']}: {s}" for size, docs in report.items() for doc in docs for s in doc["stranded"]]


@pytest.mark.parametrize("edition", ["default", "traditional", "vertical"])
def test_screens_keep_headings_with_their_text_and_no_lone_character(
    issue: Issue, edition: str, tmp_path: Path
) -> None:
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    book = write_epub(_screens_issue(issue), tmp_path / "screens.epub", **SHELF_EDITIONS[edition])
    folder = tmp_path / "harness"
    folder.mkdir()
    report = _read_page_by_page(book, folder, _artifacts() / "screens" / edition)
    headings = [h for docs in report.values() for doc in docs for h in doc["headings"]]
    assert len([h for h in headings if h["tag"] == "h1"]) >= 2 * len(LONG_HEADLINES)
    assert sum(len(h["lines"]) > 1 for h in headings) >= 5  # the sizes do make headlines wrap
    assert _lone_characters(report) == []
    if edition != "vertical":  # in vertical text epub.js scrolls down, where screens are not measured
        first = report[SCREENS[0]][3]
        assert len(first["subheads"]) == len(SUBHEADS) * 2 and first["pages"] > 3
        assert _stranded(report) == []


def test_screens_measure_what_a_reader_sees(issue: Issue, tmp_path: Path) -> None:
    """Without the phrase markup and the keep rules the same book strands headings and
    characters on these screens: the measurement above sees what it checks."""
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    layout = tmp_path / "layout" / "epub"
    layout.mkdir(parents=True)
    (layout / "breaks.css").write_text("/* nothing kept together */\n", encoding="utf-8")
    text = (ROOT / "layouts" / "epub" / "_text.xhtml").read_text(encoding="utf-8")
    start = text.index("{%- macro phrased(value) -%}")
    (layout / "_text.xhtml").write_text(text[:start] + "{%- macro phrased(value) -%}{{ t(value) }}{%- endmacro -%}\n",
                                        encoding="utf-8")
    book = write_epub(_screens_issue(issue), tmp_path / "plain.epub", layout=layout.parent)
    folder = tmp_path / "harness"
    folder.mkdir()
    report = _read_page_by_page(book, folder, tmp_path / "shots")
    assert _lone_characters(report) and _stranded(report)
