"""The EPUB in real consumers: calibre's Kindle conversion, and epub.js (the
engine of many reading apps) in headless Chromium. Screenshots go to
tests/artifacts/. Each test skips, saying why, only when its tool is absent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from publisher.config import load_issue
from publisher.epub import write_epub
from publisher.model import Issue
from tests.conftest import ROOT, SEED_ISSUE

ARTIFACTS = ROOT / "tests" / "artifacts"
READERS = ROOT / "tests" / "readers"
NODE_MODULES = READERS / "node_modules"


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
