"""`publisher package`: a BagIt bag that validates, catalogues the issue, and rebuilds byte for byte."""

from __future__ import annotations

import io
import json
from pathlib import Path

import bagit
import pikepdf
import pytest

from publisher.cli import main
from tests.conftest import SEED_FRONT_YAML, SEED_ISSUE, SEED_PAGE

SLUG = "江海晚报-2022-11-28"


def catalogued_issue(folder: Path) -> Path:
    """The seed issue's front page with an ISSN and LCCN, its page file in a subfolder.

    The front page alone: a bag does not carry the pictures' files yet (docs/pictures.md), so a bag of the
    page of photographs (A2) could not be rebuilt from its own sources.
    """
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "a1.txt").write_bytes(SEED_PAGE.read_bytes())
    text = SEED_FRONT_YAML.replace("file: a1.txt", "file: pages/a1.txt")
    text = text.replace("edition: 第一版\n", "edition: 第一版\nissn: 0317-8471\nlccn: sn 86012345\n")
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    return folder / "issue.yaml"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bags(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    base = tmp_path_factory.mktemp("package")
    issue = catalogued_issue(base / "issue")
    out = io.StringIO()
    assert main(["package", str(issue), "--out", str(base / "first")], stdout=out) == 0, out.getvalue()
    first = base / "first" / SLUG
    # Package again, from the bag's own copy of the sources only.
    assert main(["package", str(first / "data" / "source" / "issue.yaml"), "--out", str(base / "second")]) == 0
    return first, base / "second" / SLUG, out.getvalue()


def test_the_bag_validates_with_sha256_manifests(bags: tuple[Path, Path, str]) -> None:
    first, _, printed = bags
    assert printed == f"wrote {first}\n"
    bag = bagit.Bag(str(first))
    bag.validate()
    assert bag.algorithms == ["sha256"]
    assert sorted(p.name for p in first.iterdir()) == ["bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt",
                                                        "tagmanifest-sha256.txt"]
    assert bag.info["Bagging-Date"] == "2022-11-28"
    assert bag.info["External-Identifier"] == "ISSN 0317-8471 LCCN sn 86012345 江海晚报 2022-11-28 No. 0123"
    assert not list(first.parent.glob(".*"))  # no staging folder left


def test_a_bag_rebuilt_from_its_own_sources_is_byte_identical(bags: tuple[Path, Path, str]) -> None:
    first, second, _ = bags
    a, b = files(first), files(second)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_payload_holds_editions_sources_report_and_manifest(bags: tuple[Path, Path, str]) -> None:
    first, _, _ = bags
    data = first / "data"
    assert sorted(files(data)) == [
        "archive/0001.pdf", "archive/0001.tif", "archive/0001.xml", "archive/mets.xml",
        "check-report.json", "editions/江海晚报-2022-11-28.epub", "editions/江海晚报-2022-11-28.pdf",
        "issue-manifest.json", "source/issue.yaml", "source/pages/a1.txt",
    ]
    assert (data / "source" / "pages" / "a1.txt").read_bytes() == SEED_PAGE.read_bytes()
    with pikepdf.open(data / "editions" / f"{SLUG}.pdf") as pdf:
        assert pdf.open_metadata().pdfa_status == "3U"
        assert set(pdf.attachments) == {"issue.yaml", "a1.txt"}
    report = json.loads((data / "check-report.json").read_text(encoding="utf-8"))
    assert report["passed"] is True
    assert [e["file"] for e in report["editions"]] == [f"editions/{SLUG}.epub", f"editions/{SLUG}.pdf",
                                                       "archive/mets.xml"]


def test_issue_manifest_catalogues_the_issue(bags: tuple[Path, Path, str]) -> None:
    first, _, _ = bags
    manifest = json.loads((first / "data" / "issue-manifest.json").read_text(encoding="utf-8"))
    assert {k: manifest[k] for k in ("paper", "issn", "lccn", "date", "issue", "edition")} == {
        "paper": "江海晚报", "issn": "0317-8471", "lccn": "sn 86012345", "date": "2022-11-28", "issue": "0123",
        "edition": "第一版",
    }
    [page] = manifest["pages"]
    assert page["sequence"] == 1 and page["label"] == "A1" and page["source"] == "source/pages/a1.txt"
    pdf = next(e for e in manifest["editions"] if e["format"] == "application/pdf")
    assert pdf["page_labels"] == ["A1"] and pdf["conformance"] == "PDF/A-3U"
    families = {(f["family"], f["weight"]) for f in manifest["fonts"]}
    assert {("Noto Serif CJK SC", 400), ("Noto Serif CJK SC", 700), ("Noto Sans CJK SC", 700)} <= families
    for font in manifest["fonts"]:
        assert font["version"].startswith("Version ") and len(font["sha256"]) == 64
        assert "/" not in font["file"]  # a file name, not this machine's path
    assert manifest["toolkit"]["name"] == "publisher" and manifest["toolkit"]["version"]
    assert manifest["check"] == {"report": "check-report.json", "passed": True}


def test_a_page_file_outside_the_issue_folder_cannot_be_packaged(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "a1.txt").write_bytes(SEED_PAGE.read_bytes())
    (tmp_path / "issue").mkdir()
    issue = tmp_path / "issue" / "issue.yaml"
    issue.write_text("paper: 测试晚报\ndate: 2024-02-29\npages:\n  - number: A1\n    section: 要闻\n"
                     "    file: ../shared/a1.txt\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["package", str(issue), "--out", str(tmp_path / "out")], stderr=err) == 2
    # Refused when the issue is read, as by every command: the issue folder is not trusted.
    assert err.getvalue().startswith(f"{issue}:6: `file`: ../shared/a1.txt leads outside the issue's folder")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_editions_that_fail_the_check_are_not_packaged(tmp_path: Path) -> None:
    layout = tmp_path / "layout" / "epub"
    layout.mkdir(parents=True)
    css = (Path(__file__).resolve().parents[2] / "layouts" / "epub" / "epub.css").read_text(encoding="utf-8")
    (layout / "epub.css").write_text('@import url("https://fonts.example.com/x.css");\n' + css, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["package", str(SEED_ISSUE), "--out", str(tmp_path / "bags"), "--layout", str(tmp_path / "layout")],
                stdout=out, stderr=err)
    assert code == 1
    assert "error EPUB011" in out.getvalue()
    assert "not packaged, the editions fail the check (" in err.getvalue() and "EPUB011)" in err.getvalue()
    assert not (tmp_path / "bags").exists()  # the output folder is left as it was: it did not exist
