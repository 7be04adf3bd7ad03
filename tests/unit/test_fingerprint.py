"""Batch fingerprints: what makes an issue build again, and what does not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publisher.build import BuildOptions, EpubOptions
from publisher.ingest.fingerprint import environment_digest, issue_digest

ISSUE = "paper: 测试晚报\ndate: 2024-02-29\nlayout: mine\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n"


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    (tmp_path / "a1.txt").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "print.css").write_text("body {}\n", encoding="utf-8")
    path = tmp_path / "issue.yaml"
    path.write_text(ISSUE, encoding="utf-8")
    return path


def test_the_same_inputs_give_the_same_fingerprint(issue: Path) -> None:
    env = environment_digest(BuildOptions(), None)
    assert env == environment_digest(BuildOptions(), None)
    first, pages = issue_digest(issue, env)
    assert pages == 1 and first is not None and len(first) == 64
    assert issue_digest(issue, env) == (first, 1)


@pytest.mark.parametrize("change", ["page", "issue", "layout"])
def test_an_input_change_changes_the_fingerprint(issue: Path, change: str) -> None:
    env = environment_digest(BuildOptions(), None)
    before, _ = issue_digest(issue, env)
    target = {"page": issue.parent / "a1.txt", "issue": issue, "layout": issue.parent / "mine" / "print.css"}[change]
    target.write_bytes(target.read_bytes() + b"\n")
    assert issue_digest(issue, env)[0] != before


def test_options_layouts_and_build_date_change_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = environment_digest(BuildOptions(), None)
    assert environment_digest(BuildOptions(ebook=EpubOptions(vertical=True)), None) != base
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "print.css").write_text("body {}\n", encoding="utf-8")
    assert environment_digest(BuildOptions(), tmp_path) != base
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert environment_digest(BuildOptions(), None) != base


def test_a_broken_issue_is_fingerprinted_as_it_is_and_an_unreadable_one_not(issue: Path) -> None:
    env = environment_digest(BuildOptions(), None)
    whole, _ = issue_digest(issue, env)
    page = (issue.parent / "a1.txt").read_bytes()
    (issue.parent / "a1.txt").unlink()
    missing, pages = issue_digest(issue, env)
    assert pages == 1 and missing is not None and missing != whole  # stays failed until the page comes back
    (issue.parent / "a1.txt").write_bytes(page)
    assert issue_digest(issue, env) == (whole, 1)
    text = issue.read_text(encoding="utf-8")
    issue.write_text("pages: [\n", encoding="utf-8")
    broken, pages = issue_digest(issue, env)
    assert pages == 0 and broken is not None
    issue.write_text("pages: [ \n", encoding="utf-8")
    assert issue_digest(issue, env)[0] not in (None, broken)  # any edit of a broken file is built again
    issue.write_text(text, encoding="utf-8")
    issue.chmod(0)
    try:
        if not os.access(issue, os.R_OK):  # root reads anything
            assert issue_digest(issue, env) == (None, 0)
    finally:
        issue.chmod(0o644)


@pytest.mark.parametrize("named_by", ["page", "ad", "gb18030 page"])
def test_an_image_the_issue_names_is_one_of_its_inputs(issue: Path, named_by: str) -> None:
    from tests import images

    (issue.parent / "photos").mkdir()
    photo = issue.parent / "photos" / "猫.png"
    photo.write_bytes(images.png())
    page = "# 标题\n\n![一只猫](photos/猫.png){span=2}\n图为一只猫。\n"
    if named_by == "ad":
        issue.write_text(ISSUE.replace("file: a1.txt}", "file: a1.txt, ads: [{file: photos/猫.png, columns: 2, "
                                       "height: 30mm}]}"), encoding="utf-8")
    elif named_by == "gb18030 page":
        issue.write_text(ISSUE.replace("file: a1.txt}", "file: a1.txt, encoding: gb18030}"), encoding="utf-8")
        (issue.parent / "a1.txt").write_bytes(page.encode("gb18030"))
    else:
        (issue.parent / "a1.txt").write_text(page, encoding="utf-8")
    env = environment_digest(BuildOptions(), None)
    before, _ = issue_digest(issue, env)
    photo.write_bytes(images.png((121, 80)))
    changed, _ = issue_digest(issue, env)
    photo.unlink()
    gone, _ = issue_digest(issue, env)
    assert len({before, changed, gone}) == 3
