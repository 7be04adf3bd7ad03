"""Pictures as a build meets them: every problem at its file:line, exit 2, nothing written; editions with
pictures build, lose no text and check clean."""

from __future__ import annotations

import io
import os
from pathlib import Path

from publisher.build import BuildOptions, build
from publisher.cli import main
from publisher.ingest.issue_yaml import load_issue
from tests import images
from tests.conftest import copy_sample


def test_broken_pictures_and_bookings_stop_the_build_before_anything_is_written(tmp_path: Path) -> None:
    issue = copy_sample(tmp_path / "issue")
    photos = tmp_path / "issue" / "photos"
    (photos / "coffee.png").write_bytes(images.truncated(images.noisy_png()))
    (photos / "chelsea.png").write_bytes(images.png_claiming((100_000, 100_000)))
    (photos / "rocket.jpg").unlink()
    (photos / "secret.jpg").symlink_to(tmp_path / "elsewhere.jpg")
    (tmp_path / "elsewhere.jpg").write_bytes(images.jpeg())
    page = (tmp_path / "issue" / "a2.txt").read_text(encoding="utf-8")
    (tmp_path / "issue" / "a2.txt").write_text(page + "\n![外面的图](photos/secret.jpg)\n图为外面。\n", encoding="utf-8")
    appended = page.count("\n") + 2  # the image line added at the page's end
    (tmp_path / "issue" / "ads" / "coffee-festival.png").write_bytes(images.gif())
    issue.write_text(issue.read_text(encoding="utf-8").replace("columns: 5", "columns: 6"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", str(issue), "--out", str(tmp_path / "out")], stdout=out, stderr=err)
    assert code == 2 and out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert [line.split(": ", 1)[0].rsplit("/", 1)[-1] for line in lines] == [
        "issue.yaml:18", "issue.yaml:18", "a2.txt:7", "a2.txt:14", "a2.txt:23", f"a2.txt:{appended}"]
    assert lines[0].endswith("`file`: ads/coffee-festival.png: a GIF image; a picture must be JPEG, PNG or TIFF")
    assert lines[1].endswith("`columns`: 6 columns, but the tabloid page's grid has 5")
    assert lines[2].endswith("photos/coffee.png: the PNG cannot be decoded: it is truncated")
    assert "photos/chelsea.png: the PNG claims 10,000 million pixels" in lines[3]
    assert lines[4].endswith("photos/rocket.jpg: picture file not found")
    assert lines[5].endswith("photos/secret.jpg leads outside the issue's folder; a picture must be inside it")
    assert "Traceback" not in err.getvalue()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_sample_with_its_photographs_builds_and_checks_clean(tmp_path: Path) -> None:
    issue = copy_sample(tmp_path / "issue")
    built = build(issue, tmp_path / "out", BuildOptions())
    assert sorted(p.suffix for p in built) == [".epub", ".json", ".pdf"]
    out = io.StringIO()
    code = main(["check", *(str(p) for p in built if p.suffix != ".json"), "--issue", str(issue)], stdout=out)
    assert code == 0, out.getvalue()
    assert " 0 errors" in out.getvalue()
    # Every caption and credit is in both editions: the check's fidelity (PDF014, EPUB012) passed on them.
    captions = [p.caption_with_credit() for a in load_issue(issue).pages[1].articles for p in a.pictures]
    assert len(captions) == 4 and all(captions)
    assert os.path.getsize(next(p for p in built if p.suffix == ".pdf")) > 0
