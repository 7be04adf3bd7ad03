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
    # A face declared without a weight is "normal", which is 400.
    loaded = {face.replace(":normal:", ":400:") for face in fonts.split(",")}
    assert {"Paper Serif:400:loaded", "Paper Sans:700:loaded"} <= loaded, fonts
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
    assert fields["Identifiers"].split(", ") == ["issue:江海晚报-2022-11-28", "mobi-asin:urn:uuid:" + fields["Identifiers"].rsplit(":", 1)[-1]]
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
KICKERS = (
    ("王晖主持召开市新冠肺炎疫情防控工作领导小组会议", "——全市已排查独居老人1.2万户"),
    ("吴新明在市安委会全体（扩大）会议上强调", "——新冠肺炎疫情防控工作进入关键阶段全市上下坚决打赢"),
    ("前三季度全市GDP增幅5.2%高于全省平均水平", "——2022年经济运行情况通报会昨天召开"),
    ("省委常委会召开会议传达学习重要讲话精神研究部署疫情防控和经济社会发展工作",
     "——全市已排查独居老人1.2万户并为其中3800户送去生活物资和防疫用品确保温暖过冬"),
)
CAPTION = "①社区工作人员为独居老人送去生活物资。 记者朱文君 摄"


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
    for number, headline in enumerate(LONG_HEADLINES[1:]):
        # The kickers and subheadlines the issue saw broken inside words on these screens.
        kicker, subheadline = KICKERS[number % len(KICKERS)] if number < 2 * len(KICKERS) else (None, None)
        articles.append(Article(headline=Text(headline), kicker=Text(kicker) if kicker else None,
                                subheadline=Text(subheadline) if subheadline else None,
                                blocks=(Block("paragraph", Text(sentences[number % len(sentences)]), 1),
                                        Block("caption", Text(CAPTION), 1))))
    page = dataclasses.replace(issue.pages[0], articles=tuple(articles))
    return dataclasses.replace(issue, pages=(page,))


def _page_by_page(book: Path, folder: Path, shots: Path | None, *options: str) -> dict[str, Any]:
    """epub.js's report of every document of ``book`` at each of SCREENS (paged.mjs), with screenshots in ``shots``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("paged.html",):
        shutil.copy(READERS / name, folder / name)
    shutil.copy(NODE_MODULES / "epubjs" / "dist" / "epub.min.js", folder / "epub.min.js")
    shutil.copy(NODE_MODULES / "jszip" / "dist" / "jszip.min.js", folder / "jszip.min.js")
    shutil.copy(book, folder / "book.epub")
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["node", str(READERS / "paged.mjs"), str(folder), str(shots or "-"), *options, *SCREENS],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["errors"] == []
    return result


def _read_page_by_page(book: Path, folder: Path, shots: Path | None) -> dict[str, list[dict[str, Any]]]:
    report: dict[str, list[dict[str, Any]]] = _page_by_page(book, folder, shots)["report"]
    return report


def _lone_characters(report: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Heading-like lines (contents entries too) that hold one character (a 縦中横 number is one)."""
    return [f"{size} {doc['href']} {heading['tag']}.{heading['cls']}: {heading['lines']}"
            for size, docs in report.items() for doc in docs for heading in doc["headings"]
            if len(heading["cells"]) > 1 and 1 in heading["cells"]]


def _broken_words(report: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Heading-like lines broken inside a unit of the markup, or where Chromium's own dictionary
    (Intl.Segmenter, ICU) sees no word boundary."""
    return [f"{size} {doc['href']} {heading['cls']}: {heading['lines']} {heading['split_units']} "
            f"{heading['inside_words']}"
            for size, docs in report.items() for doc in docs for heading in doc["headings"]
            if heading["split_units"] or heading["inside_words"]]


def _stranded(report: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [f"{size} {doc['href']}: {s}" for size, docs in report.items() for doc in docs for s in doc["stranded"]]


@pytest.mark.parametrize("edition", ["default", "traditional", "vertical", "traditional-vertical"])
def test_screens_keep_headings_with_their_text_and_no_lone_character(
    issue: Issue, edition: str, tmp_path: Path
) -> None:
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    book = write_epub(_screens_issue(issue), tmp_path / "screens.epub", **SHELF_EDITIONS[edition])
    report = _read_page_by_page(book, tmp_path / "harness", _artifacts() / "screens" / edition)
    headings = [h for docs in report.values() for doc in docs for h in doc["headings"]]
    assert len([h for h in headings if h["cls"] == "headline"]) == 2 * len(LONG_HEADLINES)
    assert len([h for h in headings if h["tag"] == "a"]) >= 2 * len(LONG_HEADLINES)  # the contents' entries
    assert sum(len(h["lines"]) > 1 for h in headings) >= 5  # the sizes do make headlines wrap
    for kind in ("headline", "kicker", "subheadline"):  # and kickers, subheadlines, contents entries
        assert any(len(h["lines"]) > 1 for h in headings if h["cls"] == kind), kind
    assert any(len(h["lines"]) > 1 for h in headings if h["tag"] == "a")
    assert _lone_characters(report) == []
    assert _broken_words(report) == []
    if "vertical" not in edition:  # in vertical text epub.js scrolls down, where screens are not measured
        first = report[SCREENS[0]][3]
        assert len(first["subheads"]) == len(SUBHEADS) * 2 and first["pages"] > 3
        assert _stranded(report) == []


def test_screens_measure_what_a_reader_sees(issue: Issue, tmp_path: Path) -> None:
    """Without the phrase and word markup and the keep rules the same book strands headings,
    breaks words and leaves characters alone on these screens: the measurement above sees what it checks."""
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    layout = tmp_path / "layout" / "epub"
    layout.mkdir(parents=True)
    (layout / "breaks.css").write_text("/* nothing kept together */\n", encoding="utf-8")
    text = (ROOT / "layouts" / "epub" / "_text.xhtml").read_text(encoding="utf-8")
    start = text.index("{%- macro phrased(")
    end = text.index("{%- endmacro -%}", start) + len("{%- endmacro -%}")
    plain = "{%- macro phrased(value, mark=none) -%}{{ t(value) }}{%- endmacro -%}"
    (layout / "_text.xhtml").write_text(text[:start] + plain + text[end:], encoding="utf-8")
    book = write_epub(_screens_issue(issue), tmp_path / "plain.epub", layout=layout.parent)
    report = _read_page_by_page(book, tmp_path / "harness", None)
    assert _lone_characters(report) and _stranded(report)
    assert _broken_words(report)  # Chromium's dictionary sees lines broken inside words


# --- a reader's theme: night and sepia -----------------------------------------

WCAG_AA_TEXT, WCAG_AA_RULE = 4.5, 3.0  # WCAG 2.1: 1.4.3 text, 1.4.11 graphical objects


def _contrasts(result: dict[str, Any]) -> dict[str, float]:
    """The lowest contrast of each kind of thing (caption text, each rule) over the book's documents."""
    lowest: dict[str, float] = {}
    for docs in result["report"].values():
        for doc in docs:
            for colour in doc["colours"]:
                lowest[colour["what"]] = min(lowest.get(colour["what"], 99.0), colour["contrast"])
    return lowest


@pytest.mark.parametrize(("theme", "dark"), [("night", True), ("sepia", False)])
def test_captions_and_rules_keep_their_contrast_in_a_reader_s_theme(
    issue: Issue, theme: str, dark: bool, tmp_path: Path
) -> None:
    """A reading app's theme recolours the page and the body text only; with the system preferring a dark
    scheme too, captions and rules stay at WCAG AA contrast (screenshots in tests/artifacts/themes/)."""
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    book = write_epub(_screens_issue(issue), tmp_path / "themed.epub")
    options = ["--theme", theme] + (["--dark"] if dark else [])
    result = _page_by_page(book, tmp_path / "harness", _artifacts() / "themes" / theme, *options)
    lowest = _contrasts(result)
    assert {"caption text", "caption rule", "page label rule", "rule between articles", "text"} <= set(lowest)
    assert lowest["caption text"] >= WCAG_AA_TEXT and lowest["text"] >= WCAG_AA_TEXT, lowest
    assert min(lowest[k] for k in ("caption rule", "page label rule", "rule between articles")) >= WCAG_AA_RULE, lowest


def test_theme_contrast_is_measured_where_it_falls(issue: Issue, tmp_path: Path) -> None:
    """The fixed grey the captions had (#444) sits at about 2:1 under the night theme: the measurement sees it."""
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    layout = tmp_path / "layout" / "epub"
    layout.mkdir(parents=True)
    css = (ROOT / "layouts" / "epub" / "epub.css").read_text(encoding="utf-8")
    (layout / "epub.css").write_text(css + "\nfigure.caption figcaption { color: #444; }\n", encoding="utf-8")
    book = write_epub(_screens_issue(issue), tmp_path / "grey.epub", layout=layout.parent)
    lowest = _contrasts(_page_by_page(book, tmp_path / "harness", None, "--theme", "night", "--dark"))
    assert lowest["caption text"] < 2.5 and lowest["text"] >= WCAG_AA_TEXT, lowest


# --- the CJK–Latin space at a line's start -------------------------------------

def _autospace_issue(issue: Issue) -> Issue:
    """Paragraphs thick with numbers and Latin words after ideographs, at many lengths, so that at both
    sizes some of them fall at the start of a line."""
    pieces = ("全市新增58家企业", "GDP增长5.2%", "接种COVID-19疫苗", "G15沈海高速", "2022年", "第3季度", "iPhone用户",
              "共有1200户", "PM2.5浓度")
    paragraphs = tuple(Block("paragraph", Text("，".join(pieces[(n + i) % len(pieces)] for i in range(n + 3)) + "。"), 1)
                       for n in range(24))
    article = Article(headline=Text("数字里的城市"), blocks=paragraphs)
    page = dataclasses.replace(issue.pages[0], articles=(article,))
    return dataclasses.replace(issue, pages=(page,))


def _without_reader_autospace(tmp_path: Path, extra: str = "") -> Path:
    """A layout whose CSS behaves as in a reader without text-autospace: the generated space is on."""
    layout = tmp_path / "layout" / "epub"
    layout.mkdir(parents=True)
    css = (ROOT / "layouts" / "epub" / "epub.css").read_text(encoding="utf-8")
    start = css.index("@supports (text-autospace: normal)")
    end = css.index("}\n}\n", start) + 4
    (layout / "epub.css").write_text(css[:start] + css[end:].replace("text-autospace: normal;", "") + extra,
                                     encoding="utf-8")
    return layout.parent


def _line_starts(report: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [f"{size} {doc['href']}: {line}" for size, docs in report.items() for doc in docs
            for line in doc["indented"]]


@pytest.mark.parametrize("reader", ["own text-autospace", "generated space"])
def test_no_line_starts_with_a_visible_cjk_latin_space(issue: Issue, reader: str, tmp_path: Path) -> None:
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    layout = _without_reader_autospace(tmp_path) if reader == "generated space" else None
    book = write_epub(_autospace_issue(issue), tmp_path / "autospace.epub", layout=layout)
    report = _read_page_by_page(book, tmp_path / "harness", None)
    assert _line_starts(report) == []


def test_a_margin_for_the_cjk_latin_space_shows_at_line_starts(issue: Issue, tmp_path: Path) -> None:
    """The quarter-em margin the EPUB had does show as an indent where a number starts a line: the
    measurement finds lines that start with a Latin run, and sees the space there."""
    reason = _epubjs_missing()
    if reason:
        pytest.skip(reason)
    margins = "\n.as-l::before, .as-r::after { content: none; }\n.as-l { margin-left: 0.25em; }\n"
    book = write_epub(_autospace_issue(issue), tmp_path / "margins.epub", layout=_without_reader_autospace(tmp_path,
                                                                                                         margins))
    starts = _line_starts(_read_page_by_page(book, tmp_path / "harness", None))
    assert len(starts) >= 2 and all(0.2 < abs(float(s.rsplit("'gap': ", 1)[1].rstrip("}"))) < 0.3 for s in starts), starts


# --- screens per issue, beside pandoc's EPUB of the same text ------------------

def _screens(result: dict[str, Any]) -> dict[str, int]:
    """The screens a reader pages through at each size: every document of the reading order (linear)."""
    return {size: sum(doc["pages"] for doc in docs if doc["linear"]) for size, docs in result["report"].items()}


@pytest.mark.parametrize("seed", [7])
def test_an_issue_takes_no_more_screens_than_pandoc_s_epub(seed: int, tmp_path: Path) -> None:
    """A held-out 4-page issue (bench.synthetic, a seed no test tunes on) read through at a phone's and an
    e-reader's size: short articles share screens, so it takes no more than pandoc's EPUB of the same text."""
    reason = _epubjs_missing()
    pandoc = shutil.which("pandoc")
    if reason or pandoc is None:
        pytest.skip(reason or "pandoc is not installed (Debian package `pandoc`)")
    from bench.run import markdown
    from bench.synthetic import make_issue

    issue_yaml = make_issue(tmp_path / "issue", pages=4, seed=seed)
    ours = write_epub(load_issue(issue_yaml), tmp_path / "ours.epub")
    (tmp_path / "issue.md").write_text(markdown(issue_yaml), encoding="utf-8")
    subprocess.run([pandoc, "issue.md", "-o", "pandoc.epub", "--metadata", "lang=zh-Hans"], cwd=tmp_path, check=True,
                   timeout=120)
    result = _page_by_page(ours, tmp_path / "ours", _artifacts() / "issue-screens")
    theirs = _screens(_page_by_page(tmp_path / "pandoc.epub", tmp_path / "theirs", None))
    mine = _screens(result)
    assert all(mine[size] <= theirs[size] for size in SCREENS), (mine, theirs)
    # Every article is still reached from the contents, and the page list gives epub.js its numbers.
    assert result["pageList"] == {"pages": [1, 2, 3, 4], "firstPage": 1, "lastPage": 4}
    with zipfile.ZipFile(ours) as z:
        nav = z.read("EPUB/text/nav.xhtml").decode("utf-8")
    articles = [f"p{p:02d}.xhtml#p{p:02d}-a{a:02d}" for p, page in enumerate(load_issue(issue_yaml).pages, start=1)
                for a in range(1, len(page.articles) + 1)]
    assert re.findall(r'href="(p\d+\.xhtml#p\d+-a\d+)"', nav) == articles


# --- the Kindle: one book across conversions ------------------------------------

def _exth(azw3: Path, tmp_path: Path) -> str:
    debug = shutil.which("calibre-debug")
    assert debug is not None
    work = tmp_path / azw3.stem
    work.mkdir()
    done = subprocess.run([debug, "--inspect-mobi", str(azw3)], capture_output=True, text=True, timeout=300, cwd=work)
    assert done.returncode == 0, done.stderr[-2000:]
    return (work / f"decompiled_{azw3.stem}" / "header.txt").read_text(encoding="utf-8")


def test_two_calibre_conversions_give_the_kindle_one_asin(issue: Issue, tmp_path: Path) -> None:
    """calibre writes the ASIN (EXTH 113) a Kindle knows a book by; the same EPUB converted twice, and a
    rebuild of it, keep one ASIN, the book's own UUID; another edition has its own."""
    convert = shutil.which("ebook-convert")
    if convert is None or shutil.which("calibre-debug") is None:
        pytest.skip("calibre is not installed (Debian package `calibre`)")
    asins = {}
    for name, options in (("first", {}), ("again", {}), ("vertical", {"vertical": True})):
        book = write_epub(issue, tmp_path / f"{name}.epub", **options)
        azw3 = tmp_path / f"{name}.azw3"
        done = subprocess.run([convert, str(book), str(azw3)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        header = _exth(azw3, tmp_path)
        found = re.findall(r"^ASIN \(113\): b'([^']+)'$", header, re.M)
        assert len(found) == 1, header
        asins[name] = found[0]
        with zipfile.ZipFile(book) as z:
            assert f"urn:uuid:{found[0]}" in z.read("EPUB/content.opf").decode("utf-8")
    assert asins["first"] == asins["again"] != asins["vertical"]
    # What the AZW3 keeps of the series, which it has no field for (calibre's EXTH writer and reader know
    # none): the paper as author and the date in the title, by which a Kindle's library orders the issues.
    meta = subprocess.run(["ebook-meta", str(tmp_path / "first.azw3")], capture_output=True, text=True, timeout=120)
    fields = {key.strip(): value.strip() for key, value in
              (line.split(":", 1) for line in meta.stdout.splitlines() if ":" in line)}
    assert fields["Author(s)"] == "江海晚报" and fields["Title"] == "江海晚报 2022-11-28"
    assert fields["Identifiers"] == f"mobi-asin:{asins['first']}"
