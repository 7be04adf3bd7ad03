"""`publisher catalog`: the OPDS feed and the page of covers, read by Readium's
OPDS parser (Thorium Reader's) and opened in Chromium; real EPUBs throughout.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import etree  # type: ignore[import-untyped]
from PIL import Image

from publisher.cli import main
from publisher.epub.book import write_epub
from publisher.epub.shelf import THUMBNAIL_WIDTH, write_catalogue
from publisher.ingest.issue_yaml import load_issue
from publisher.model import Issue
from tests.conftest import ROOT, SEED_ISSUE

READERS = ROOT / "tests" / "readers"
NODE_MODULES = READERS / "node_modules"
ARTIFACTS = ROOT / "tests" / "artifacts"
NS = {"a": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/"}
ACQUISITION = "http://opds-spec.org/acquisition"
DATES = ("2022-10-31", "2022-11-01", "2022-11-28")


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three issues in two months, one of them in three editions, as a batch lays them out."""
    folder = tmp_path_factory.mktemp("shelf")
    seed = load_issue(SEED_ISSUE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1669680000")
        for date in DATES:
            issue: Issue = dataclasses.replace(seed, date=dt.date.fromisoformat(date))
            where = folder / date
            write_epub(issue, where / f"{issue.slug}.epub")
        latest = dataclasses.replace(seed, date=dt.date.fromisoformat(DATES[-1]))
        write_epub(latest, folder / DATES[-1] / f"{latest.slug}-vertical.epub", vertical=True)
        write_epub(latest, folder / DATES[-1] / f"{latest.slug}-zh-Hant.epub", traditional=True)
    # Neither a temporary file nor the copy inside a preservation package is an issue of the shelf.
    (folder / DATES[0] / ".江海晚报-2022-10-31.epub.x1.part").write_bytes(b"half")
    bag = folder / "bag"
    (bag / "data").mkdir(parents=True)
    (bag / "bagit.txt").write_text("BagIt-Version: 1.0\n", encoding="utf-8")
    shutil.copy(folder / DATES[0] / "江海晚报-2022-10-31.epub", bag / "data" / "江海晚报-2022-10-31.epub")
    out, err = io.StringIO(), io.StringIO()
    assert main(["catalog", str(folder)], out, err) == 0, err.getvalue()
    assert out.getvalue().splitlines() == [f"wrote {folder / 'opds.xml'}", f"wrote {folder / 'index.html'}"]
    return folder


def _feed(shelf: Path) -> etree._Element:
    return etree.parse(str(shelf / "opds.xml")).getroot()


def _local(shelf: Path, href: str) -> Path:
    path = (shelf / unquote(href)).resolve()
    assert path.is_relative_to(shelf.resolve()) and path.is_file(), href
    return path


def test_feed_has_one_entry_per_issue_newest_first(shelf: Path) -> None:
    feed = _feed(shelf)
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findtext("a:id", namespaces=NS).startswith("urn:uuid:")
    assert feed.findtext("a:updated", namespaces=NS) == "2022-11-29T00:00:00Z"
    self_link = feed.find("a:link[@rel='self']", NS)
    assert self_link.get("type") == "application/atom+xml;profile=opds-catalog;kind=acquisition"
    entries = feed.findall("a:entry", NS)
    assert [e.findtext("dc:issued", namespaces=NS) for e in entries] == list(reversed(DATES))
    assert [e.findtext("a:title", namespaces=NS) for e in entries] == [f"江海晚报 {d}" for d in reversed(DATES)]
    assert len({e.findtext("a:id", namespaces=NS) for e in entries}) == 3
    for entry in entries:
        assert entry.findtext("dc:language", namespaces=NS) == "zh-Hans"
        assert entry.findtext("a:updated", namespaces=NS) == "2022-11-29T00:00:00Z"
        assert "头版：从快从严从紧 压紧压实责任" in entry.findtext("a:summary", namespaces=NS)
        assert entry.findtext("a:author/a:name", namespaces=NS) == "江海晚报"
        assert [c.get("term") for c in entry.findall("a:category", NS)] == ["要闻", "城事"]


def test_entries_link_covers_thumbnails_and_every_edition(shelf: Path) -> None:
    entries = _feed(shelf).findall("a:entry", NS)
    for entry in entries:
        links = entry.findall("a:link", NS)
        cover = [link for link in links if link.get("rel") == "http://opds-spec.org/image"]
        thumbnail = [link for link in links if link.get("rel") == "http://opds-spec.org/image/thumbnail"]
        assert len(cover) == 1 and len(thumbnail) == 1
        with Image.open(_local(shelf, cover[0].get("href"))) as image:
            assert image.size == (1600, 2560)
        with Image.open(_local(shelf, thumbnail[0].get("href"))) as image:
            assert image.size == (THUMBNAIL_WIDTH, 480)
        for link in links:
            if link.get("rel") == ACQUISITION:
                assert link.get("type") == "application/epub+zip"
                assert int(link.get("length")) == _local(shelf, link.get("href")).stat().st_size
    latest = [(link.get("title"), unquote(link.get("href"))) for link in entries[0].findall("a:link", NS)
              if link.get("rel") == ACQUISITION]
    assert latest == [
        ("电子版", "2022-11-28/江海晚报-2022-11-28.epub"),
        ("竖排版", "2022-11-28/江海晚报-2022-11-28-vertical.epub"),
        ("繁體版", "2022-11-28/江海晚报-2022-11-28-zh-Hant.epub"),
    ]


@pytest.mark.readers
def test_thorium_s_opds_parser_reads_the_feed(shelf: Path) -> None:
    if shutil.which("node") is None or not (NODE_MODULES / "r2-opds-js").is_dir():
        pytest.skip("node or the npm package r2-opds-js is missing: run `make setup`")
    done = subprocess.run(["node", str(READERS / "opds.mjs"), str(shelf / "opds.xml")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    feed = json.loads(done.stdout)
    assert feed["metadata"]["title"] == "江海晚报 书目"
    publications = feed["publications"]
    assert [p["metadata"]["title"] for p in publications] == [f"江海晚报 {d}" for d in reversed(DATES)]
    for publication in publications:
        assert publication["metadata"]["language"] == "zh-Hans"
        assert publication["metadata"]["description"].startswith("江海晚报")
        assert {i["rel"] for i in publication["images"]} == {"http://opds-spec.org/image",
                                                             "http://opds-spec.org/image/thumbnail"}
        assert {link["type"] for link in publication["links"]} == {"application/epub+zip"}
        for link in publication["links"]:
            _local(shelf, link["href"])
    assert len(publications[0]["links"]) == 3


@pytest.mark.readers
def test_the_page_of_covers_opens_offline_in_chromium(shelf: Path) -> None:
    if shutil.which("node") is None or not Path("/usr/bin/chromium").exists():
        pytest.skip("node or chromium is missing: run `make setup`")
    if not (NODE_MODULES / "puppeteer-core").is_dir():
        pytest.skip("npm package puppeteer-core is missing: run `make setup`")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "catalogue.png"
    shot.unlink(missing_ok=True)
    done = subprocess.run(["node", str(READERS / "shelf.mjs"), str(shelf / "index.html"), str(shot)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    page = json.loads(done.stdout)
    assert page["errors"] == []
    assert page["months"] == ["2022年11月", "2022年10月"]
    assert [(i["month"], i["title"]) for i in page["issues"]] == [
        ("2022年11月", "江海晚报 2022-11-28"), ("2022年11月", "江海晚报 2022-11-01"), ("2022年10月", "江海晚报 2022-10-31")]
    for item in page["issues"]:
        assert item["cover"]["loaded"] and item["cover"]["width"] == THUMBNAIL_WIDTH
        assert item["cover"]["alt"].startswith("封面：江海晚报")
        for link in item["links"]:
            assert urlsplit(link["href"]).scheme == "file"
            _local(shelf, str(Path(unquote(urlsplit(link["href"]).path)).relative_to(shelf)))
    # Everything the page loaded came from its own folder.
    assert all(urlsplit(url).scheme == "file" and Path(unquote(urlsplit(url).path)).is_relative_to(shelf)
               for url in page["requests"]), page["requests"]
    with Image.open(shot) as image:
        assert image.width == 1000 and image.height > 800


def test_a_rerun_gives_the_same_catalogue(shelf: Path) -> None:
    feed, page = (shelf / "opds.xml").read_bytes(), (shelf / "index.html").read_bytes()
    write_catalogue(shelf)
    assert (shelf / "opds.xml").read_bytes() == feed and (shelf / "index.html").read_bytes() == page


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["catalog", *args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_no_folder_is_an_input_error(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing")) == (2, "", f"{tmp_path / 'missing'}: does not exist\n")
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert run(str(tmp_path / "a-file")) == (2, "", f"{tmp_path / 'a-file'}: is not a folder\n")


def test_a_folder_without_editions_is_an_input_error(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path))
    assert code == 2 and out == ""
    assert err == (f"{tmp_path}: no EPUB edition found under this folder; "
                   "build issues into it first (publisher build / publisher batch)\n")


def test_unreadable_editions_are_all_listed_and_nothing_is_written(shelf: Path, tmp_path: Path) -> None:
    folder = tmp_path / "shelf"
    shutil.copytree(shelf / DATES[0], folder / DATES[0])
    (folder / "a.epub").write_bytes(b"not a zip")
    (folder / "b.epub").write_bytes(b"PK\x03\x04 broken")
    code, out, err = run(str(folder))
    assert code == 2 and out == ""
    assert err.splitlines() == [f"{folder / 'a.epub'}: not a readable EPUB edition: File is not a zip file",
                                f"{folder / 'b.epub'}: not a readable EPUB edition: File is not a zip file"]
    assert "Traceback" not in err
    assert not (folder / "opds.xml").exists() and not (folder / "index.html").exists()
    assert not (folder / "covers").exists()


def _with_identifier(source: Path, target: Path, identifier: str) -> None:
    """A copy of an EPUB whose package document carries another issue: identifier."""
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w") as copy:
        for info in book.infolist():
            data = book.read(info)
            if info.filename.endswith(".opf"):
                text = data.decode("utf-8")
                start = text.index(">issue:") + 1
                data = (text[:start] + identifier + text[text.index("<", start):]).encode("utf-8")
            copy.writestr(info, data)


def test_editions_from_elsewhere_write_nothing_outside_the_folder(shelf: Path, tmp_path: Path) -> None:
    """The EPUBs under DIR are not trusted: their identifier names files, and they may be pipes or bombs."""
    folder = tmp_path / "archive" / "shelf"
    folder.mkdir(parents=True)
    _with_identifier(shelf / DATES[0] / "江海晚报-2022-10-31.epub", folder / "x.epub", "issue:../../../escaped")
    code, _, err = run(str(folder))
    assert code == 0, err
    assert not list((tmp_path / "archive").glob("*escaped*")) and not list(tmp_path.glob("*escaped*"))
    assert sorted(p.name for p in (folder / "covers").iterdir()) == ["escaped-thumbnail.png", "escaped.png"]

    os.mkfifo(folder / "pipe.epub")  # opened, it would block the catalogue for ever
    with zipfile.ZipFile(folder / "bomb.epub", "w") as bomb:
        bomb.writestr("mimetype", b"application/epub+zip")
        bomb.writestr("META-INF/container.xml", b"\0" * (40 << 20), compress_type=zipfile.ZIP_DEFLATED)
    code, _, err = run(str(folder))
    assert code == 2 and "Traceback" not in err
    assert f"{folder / 'bomb.epub'}: not a readable EPUB edition: META-INF/container.xml expands" in err
    assert f"{folder / 'pipe.epub'}: not a readable EPUB edition: not a regular file" in err
