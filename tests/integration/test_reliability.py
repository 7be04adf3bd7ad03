"""Reliability, round three (issue 24, and the batch parts of issues 23 and 26): one bad folder never costs
another issue, every input is bounded, a re-run says what is true and costs a walk of the folders.

Real builds throughout (WeasyPrint, ebooklib, bagit); each case is also run in a second form.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import bagit
import pytest
from lxml import etree  # type: ignore[import-untyped]
from PIL import Image

from bench.synthetic import make_issue
from publisher.archive.package import recover_old_bags
from publisher.cli import main
from publisher.epub.book import write_epub
from publisher.ingest.issue_yaml import load_issue
from publisher.manifest import JOURNAL, MANIFEST, Manifest, ManifestEntry
from publisher.progress import Done, summary_table
from tests.conftest import ROOT, SEED_FRONT_YAML, SEED_ISSUE, SEED_PAGE

SLUG = "江海晚报-2022-11-28"  # make_issue's paper and default date
SEED_YAML = SEED_FRONT_YAML  # the sample's front page alone


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def run(*args: str, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The command in its own process, as a user runs it (a hang fails the test instead of the suite)."""
    result = subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True,
                            timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=cwd, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def statuses(table: str) -> dict[str, int]:
    return {cells[0]: int(cells[1]) for cells in (line.split() for line in table.splitlines())
            if cells and cells[0] in ("built", "skipped", "failed")}


def seed_issue(folder: Path, replace: dict[str, str] | None = None) -> Path:
    """The sample issue copied into ``folder`` with issue.yaml's text edited; returns issue.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a1.txt").write_bytes(SEED_PAGE.read_bytes())
    text = SEED_YAML
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    return folder / "issue.yaml"


def settle() -> None:
    """Let the files just written age past the stamps' settling time, so a run records their stamps."""
    time.sleep(2.1)


# --- one issue's outputs never meet another's -------------------------------------------------------------------


@pytest.mark.parametrize(("folder", "package", "kind"), [
    (SLUG, True, "bag"),  # the root issue's bag would replace the sub-folder issue's editions
    (f"{SLUG}.pdf", False, "file"),  # the root issue's PDF would be where the sibling issue's folder is
], ids=["bag-over-a-folder", "pdf-over-a-folder"])
def test_output_names_that_meet_another_issues_folder_fail_that_issue(tmp_path: Path, folder: str, package: bool,
                                                                      kind: str) -> None:
    root = tmp_path / "archive"
    make_issue(root, pages=1, seed=1)
    make_issue(root / folder, pages=1, seed=2, date="2022-11-27")
    out = tmp_path / "out"
    args = ("batch", str(root), "--out", str(out), "--jobs", "2", *(("--package",) if package else ()))
    for _ in range(2):  # and the same on the next run
        code, table, err = cli(*args)
        assert code == 1 and statuses(table) in ({"built": 1, "skipped": 0, "failed": 1},
                                                 {"built": 0, "skipped": 1, "failed": 1}), (table, err)
        assert (f"{root / 'issue.yaml'}: its {kind} {folder} would be where the issue {folder}/issue.yaml is built "
                f"({folder}/); rename that issue's folder") in err
        editions = sorted(p.name for p in (out / folder).iterdir() if p.suffix in (".pdf", ".epub", ".json"))
        assert editions == [f"江海晚报-2022-11-27{suffix}" for suffix in (".epub", ".json", ".pdf")]
        if package:
            bagit.Bag(str(out / folder / "江海晚报-2022-11-27")).validate()
        assert not [p for p in out.iterdir() if p.is_file() and p.name.startswith(SLUG)]  # none of the refused


def test_issue_folders_named_like_the_batchs_own_files(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    make_issue(root / "good", pages=1, seed=3)
    names = ("batch-manifest.json", "opds.xml", "index.html", "covers")
    for number, name in enumerate(names):
        make_issue(root / name / "inner" if name == "covers" else root / name, pages=1, seed=4 + number)
    out = tmp_path / "out"
    for run_number in range(2):
        code, table, err = cli("batch", str(root), "--out", str(out), "--jobs", "2")
        assert code == 1, err
        assert statuses(table)["failed"] == 4 and statuses(table)["built" if run_number == 0 else "skipped"] == 1
        for name in names:
            assert re.search(rf"{name}/(inner/)?issue\.yaml: its editions would go to {name}/.* but {name} is the "
                             "batch's own", err), err
        assert (out / MANIFEST).is_file() and (out / "opds.xml").is_file() and (out / "index.html").is_file()
    feed = etree.parse(str(out / "opds.xml"))
    assert len(feed.getroot().findall("{http://www.w3.org/2005/Atom}entry")) == 1


@pytest.mark.parametrize("where", ["x", "x/inner"])
def test_a_link_planted_in_the_output_folder_is_not_written_through(tmp_path: Path, where: str) -> None:
    root = tmp_path / "archive"
    make_issue(root / "x" / "inner", pages=1, seed=13)
    make_issue(root / "y", pages=1, seed=14, date="2022-11-29")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / where).parent.mkdir(parents=True, exist_ok=True)
    (out / where).symlink_to(elsewhere, target_is_directory=True)
    code, table, err = cli("batch", str(root), "--out", str(out), "--jobs", "2")
    assert code == 1 and statuses(table) == {"built": 1, "skipped": 0, "failed": 1}
    assert f"its output folder {out / where} is a symbolic link" in err
    assert list(elsewhere.iterdir()) == []


# --- issue.yaml bounded before anything walks it ----------------------------------------------------------------


def _alias_bomb(folder: Path) -> None:
    """A 54 KB issue.yaml whose pages name one page mapping thousands of times."""
    folder.mkdir(parents=True)
    (folder / "a1.txt").write_bytes(SEED_PAGE.read_bytes() * 10)
    head = "paper: x\ndate: 2022-11-28\np: &p {number: A1, section: s, file: a1.txt}\npages:\n"
    (folder / "issue.yaml").write_text(head + "  - *p\n" * 7700, encoding="utf-8")


def _unknown_keys_bomb(folder: Path) -> None:
    """A 185 KB issue.yaml: a mapping of 16,000 unknown keys named by 500 pages."""
    folder.mkdir(parents=True)
    (folder / "a1.txt").write_bytes(SEED_PAGE.read_bytes())
    keys = "".join(f"  k{n}: v\n" for n in range(16_000))
    (folder / "issue.yaml").write_text("paper: x\ndate: 2022-11-28\nx: &m\n  number: A1\n  section: s\n"
                                       "  file: a1.txt\n" + keys + "pages:\n" + "  - *m\n" * 500, encoding="utf-8")


def test_yaml_alias_bombs_fail_alone_and_at_once(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    make_issue(root / "good", pages=1, seed=9)
    _alias_bomb(root / "aliases")
    _unknown_keys_bomb(root / "keys")
    result = run("batch", str(root), "--out", str(tmp_path / "out"), "--jobs", "2", timeout=240)
    assert result.returncode == 1 and re.search(r"built\s+1", result.stdout), result.stderr
    for folder, line in (("aliases", 5), ("keys", 16008)):
        assert (f"{root / folder / 'issue.yaml'}:{line}: too large: more than 50,000 values, counting each alias "
                "as all it stands for") in result.stderr


def test_a_fingerprint_reads_each_page_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.ingest import fingerprint

    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "a1.txt").write_bytes(SEED_PAGE.read_bytes())
    (folder / "issue.yaml").write_text("paper: x\ndate: 2022-11-28\np: &p {number: A1, section: s, file: a1.txt}\n"
                                       "pages:\n" + "  - *p\n" * 300, encoding="utf-8")
    reads: list[Path] = []
    real = fingerprint.read_regular

    def counted(path: Path, limit: int, what: str) -> bytes:
        reads.append(Path(path))
        return real(path, limit, what)

    monkeypatch.setattr(fingerprint, "read_regular", counted)
    found = fingerprint.issue(folder / "issue.yaml", "environment")
    assert found.pages == 300 and found.fingerprint is not None
    assert [p.name for p in reads] == ["issue.yaml", "a1.txt"]


# --- the manifest -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("manifest", ["[" * 200_000 + "]" * 200_000, '{"format": "publisher-batch/1", "issues": '
                                      + '{"a": ' * 50_000 + "1" + "}" * 50_001])
def test_a_deeply_nested_manifest_means_build_again(tmp_path: Path, manifest: str) -> None:
    make_issue(tmp_path / "archive" / "one", pages=1, seed=10)
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text(manifest, encoding="utf-8")
    for built in (1, 0):
        code, table, err = cli("batch", str(tmp_path / "archive"), "--out", str(out), "--jobs", "1")
        assert code == 0 and statuses(table)["built"] == built, err
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))["issues"]["one/issue.yaml"]["outputs"]


def test_the_manifest_is_journalled_not_rewritten_for_each_issue(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.save()
    before = (tmp_path / MANIFEST).read_bytes()
    for number in range(3000):
        manifest.set(f"{number:04d}/issue.yaml", ManifestEntry(fingerprint=f"{number:064x}", pages=1,
                                                               outputs={f"{number:04d}/x.pdf": 1}))
    assert (tmp_path / MANIFEST).read_bytes() == before  # not written 3,000 times
    assert len((tmp_path / JOURNAL).read_text(encoding="utf-8").splitlines()) == 3000
    manifest.close()
    # A run killed here: the next one replays the journal; a line cut short by the kill is ignored.
    with (tmp_path / JOURNAL).open("a", encoding="utf-8") as journal:
        journal.write('{"issue": "cut/issue.yaml", "entry": {"fingerp')
    replayed = Manifest(tmp_path)
    assert len(replayed.issues) == 3000 and replayed.changed
    replayed.save()
    assert not (tmp_path / JOURNAL).exists() and len(Manifest(tmp_path).issues) == 3000


def test_what_the_terminal_shows_is_escaped(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    evil = "\x1b]0;pwned\x07\x1b[2J"
    seed_issue(root / f"x{evil}", {"date: 2022-11-28": "date: 2022-13-28"})
    out = tmp_path / "out"
    code, _, err = cli("batch", str(root), "--out", str(out), "--jobs", "1")
    assert code == 1 and "\x1b" not in err and "\\x1b]0;pwned\\x07" in err
    # A message stored in the manifest, edited to carry escapes, is shown escaped too.
    data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for entry in data["issues"].values():
        entry["failed"] = ["\x1b[31mforged\r[9/9] built everything"]
    (out / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    code, _, err = cli("batch", str(root), "--out", str(out), "--jobs", "1")
    assert code == 1 and "\x1b" not in err and "\r" not in err and "\\x1b[31mforged\\r[9/9]" in err


# --- stale editions and what a re-run says (issue 23) -------------------------------------------------------------


@pytest.mark.parametrize("breakage", ["date", "page file"])
def test_a_broken_issue_keeps_its_last_good_editions_marked_stale(tmp_path: Path, breakage: str) -> None:
    root = tmp_path / "archive"
    issue = make_issue(root / "2022-11-28", pages=1, seed=11)
    make_issue(root / "2022-11-29", pages=1, seed=12, date="2022-11-29")
    out = tmp_path / "out"
    assert cli("batch", str(root), "--out", str(out), "--jobs", "2")[0] == 0
    kept = {p.name: p.read_bytes() for p in (out / "2022-11-28").iterdir()}
    if breakage == "date":
        issue.write_text(issue.read_text(encoding="utf-8").replace("date: 2022-11-28", "date: 2022-11-31"),
                         encoding="utf-8")
    else:
        (issue.parent / "a1.txt").unlink()
    code, table, err = cli("batch", str(root), "--out", str(out), "--jobs", "2")
    assert code == 1 and "2022-11-28/issue.yaml:" in err
    assert ("\n1 issue unchanged, 1 failed; 1 issue keep the editions of the last good build, marked stale in the "
            "manifest and the catalogue\n") in table
    assert {p.name: p.read_bytes() for p in (out / "2022-11-28").iterdir()} == kept
    entry = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["issues"]["2022-11-28/issue.yaml"]
    assert entry["failed"] and sorted(entry["outputs"]) == sorted(f"2022-11-28/{name}" for name in kept)
    feed = (out / "opds.xml").read_text(encoding="utf-8")
    assert feed.count('term="stale"') == 1 and "旧版" in (out / "index.html").read_text(encoding="utf-8")
    # Unchanged since: reported from the manifest, nothing built, the catalogue left as it is.
    settle()
    code, table, _ = cli("batch", str(root), "--out", str(out), "--jobs", "2")
    assert code == 1 and "1 issue unchanged, 1 failed as before; 1 issue keep" in table
    assert "pages/s" not in table and "opds.xml" not in table
    # Fixed: built again, no longer stale.
    if breakage == "date":
        issue.write_text(issue.read_text(encoding="utf-8").replace("date: 2022-11-31", "date: 2022-11-28"),
                         encoding="utf-8")
    else:
        make_issue(root / "2022-11-28", pages=1, seed=11)
    code, table, _ = cli("batch", str(root), "--out", str(out), "--jobs", "2")
    assert code == 0 and "1 issue built (1 page, " in table and ", 1 unchanged" in table
    assert 'term="stale"' not in (out / "opds.xml").read_text(encoding="utf-8")


def test_the_summary_says_what_happened() -> None:
    def line(outcomes: list[Done]) -> str:
        return summary_table(outcomes, 2.0).splitlines()[-1]

    assert line([Done("a", "skipped", 2, 0.0)] * 3 + [Done("b", "failed", 1, 0.0, before=True)]) == \
        "3 issues unchanged, 1 failed as before"
    assert line([Done("a", "built", 3, 1.0), Done("b", "skipped", 2, 0.0), Done("c", "failed", 1, 0.5)]) == \
        "1 issue built (3 pages, 1.50 pages/s), 1 unchanged, 1 failed"
    assert line([]) == "no issue"


# --- the unchanged re-run (issue 26) -----------------------------------------------------------------------------


def test_an_unchanged_rerun_imports_nothing_of_the_typesetting_stack(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    for day in (1, 2, 3):
        make_issue(root / f"2022-11-0{day}", pages=1, seed=20 + day, date=f"2022-11-0{day}")
    seed_issue(root / "broken", {"date: 2022-11-28": "date: 2022-13-28"})
    out = tmp_path / "out"
    cli("batch", str(root), "--out", str(out), "--jobs", "2")
    settle()
    cli("batch", str(root), "--out", str(out), "--jobs", "2")  # fingerprints the fresh files again, stamps them
    probe = ("import io, sys\nfrom publisher.cli import main\nout, err = io.StringIO(), io.StringIO()\n"
             f"code = main(['batch', {str(root)!r}, '--out', {str(out)!r}], stdout=out, stderr=err)\n"
             "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'jinja2', 'weasyprint', 'uharfbuzz',"
             " 'lxml', 'pikepdf', 'PIL', 'fontTools', 'pdfminer', 'ebooklib', 'bagit', 'multiprocessing'})\n"
             "heavy += [m for m in ('publisher.ingest.fingerprint', 'publisher.build') if m in sys.modules and "
             "m != 'publisher.build']\n"
             "print(code, heavy, out.getvalue().splitlines()[-1], sep='|')\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert result.stdout.strip() == "1|[]|3 issues unchanged, 1 failed as before", result.stderr


def test_an_unreadable_issue_file_fails_as_before_without_the_typesetting_stack(tmp_path: Path) -> None:
    """An issue.yaml that is a named pipe, or past its size limit, had no fingerprint: it was built (and failed)
    again on every run, importing the whole typesetting stack (3.5 s of a 0.5 s re-run), and said `failed`,
    not `failed as before`."""
    from publisher.limits import ISSUE_FILE_BYTES

    root = tmp_path / "archive"
    make_issue(root / "good", pages=1, seed=31)
    (root / "pipe").mkdir()
    os.mkfifo(root / "pipe" / "issue.yaml")
    (root / "huge").mkdir()
    (root / "huge" / "issue.yaml").write_bytes(b"# " + b"x" * ISSUE_FILE_BYTES + b"\n")
    out = tmp_path / "out"
    code, _out, err = cli("batch", str(root), "--out", str(out), "--jobs", "1")
    assert code == 1 and "named pipe" in err and "huge/issue.yaml" in err, err
    settle()
    cli("batch", str(root), "--out", str(out), "--jobs", "1")  # the good issue's fresh files stamped
    probe = ("import io, sys\nfrom publisher.cli import main\nout, err = io.StringIO(), io.StringIO()\n"
             f"code = main(['batch', {str(root)!r}, '--out', {str(out)!r}], stdout=out, stderr=err)\n"
             "heavy = sorted(m for m in ('yaml', 'weasyprint', 'jinja2', 'lxml', 'PIL', 'publisher.ingest.fingerprint')"
             " if m in sys.modules)\n"
             "print(code, heavy, out.getvalue().splitlines()[-1], err.getvalue().count('named pipe'), sep='|')\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert result.stdout.strip() == "1|[]|1 issue unchanged, 2 failed as before|1", result.stderr


# --- a time limit for each issue ----------------------------------------------------------------------------------


def test_an_issue_past_its_time_limit_fails_alone(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    slow = root / "slow"
    slow.mkdir(parents=True)
    (slow / "a1.txt").write_text("".join(f"# 简讯第{n}条\n\n**晚报讯** 今天天气很好，市民出门散步。\n\n" for n in range(200)),
                                 encoding="utf-8")
    (slow / "issue.yaml").write_text("paper: 晚报\ndate: 2022-11-28\npages:\n  - {number: A1, section: 要闻, "
                                     "file: a1.txt}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", str(root), "--out", str(out), "--jobs", "1", "--time-limit", "3", timeout=120)
    message = f"{slow / 'issue.yaml'}: not built within the time limit of 3 s (--time-limit)"
    assert result.returncode == 1 and message in result.stderr and "1 issue failed" in result.stdout
    assert not [p for p in out.rglob("*") if p.suffix in (".pdf", ".epub")]
    # Its inputs unchanged, the same limit: reported from the manifest; a longer limit tries it again.
    assert "1 issue failed as before" in run("batch", str(root), "--out", str(out), "--time-limit", "3").stdout
    again = run("batch", str(root), "--out", str(out), "--time-limit", "4", timeout=120)
    assert "not built within the time limit of 4 s" in again.stderr and "as before" not in again.stdout


def test_time_limit_values(tmp_path: Path) -> None:
    for value, message in (("0", "from more than 0 to 86400 seconds"), ("x", "'x' is not a number of seconds"),
                           ("1e9", "from more than 0 to 86400 seconds")):
        result = run("batch", str(tmp_path), "--out", str(tmp_path / "out"), "--time-limit", value)
        assert result.returncode == 2 and message in result.stderr


# --- interrupted runs leave nothing behind -----------------------------------------------------------------------


def test_a_bag_moved_aside_by_a_killed_repackage_is_put_back(tmp_path: Path) -> None:
    out = tmp_path / "bags"
    assert cli("package", str(SEED_ISSUE), "--out", str(out))[0] == 0
    bag = out / SLUG
    # Killed between the two renames of a re-package: the old bag aside, no bag in its place.
    aside = out / f".{SLUG}.k1ll9.old"
    aside.mkdir()
    bag.rename(aside / "bag")
    assert cli("package", str(SEED_ISSUE), "--out", str(out))[0] == 0
    assert sorted(p.name for p in out.iterdir()) == [SLUG]
    bagit.Bag(str(bag)).validate()


def test_recovering_old_bags_restores_removes_or_leaves_them(tmp_path: Path) -> None:
    def aside(name: str, mark: str) -> Path:
        folder = tmp_path / f".{name}.{mark}.old"
        (folder / "bag").mkdir(parents=True)
        (folder / "bag" / "bagit.txt").write_text(mark, encoding="utf-8")
        return folder

    aside("lost-2022-11-28", "a1")  # its bag was never replaced: put back
    (tmp_path / "kept-2022-11-28").mkdir()
    aside("kept-2022-11-28", "b2")  # replaced: the old one goes
    live = aside("live-2022-11-28", "c3")  # a run at work holds it
    fd = os.open(live, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        recover_old_bags(tmp_path)
    finally:
        os.close(fd)
    assert (tmp_path / "lost-2022-11-28" / "bagit.txt").read_text(encoding="utf-8") == "a1"
    assert not (tmp_path / "kept-2022-11-28" / "bagit.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".live-2022-11-28.c3.old", "kept-2022-11-28",
                                                          "lost-2022-11-28"]


def _python_descendants(pid: int) -> list[int]:
    """The build's forked processes: the print process, and the sheets' workers it forks."""
    found = subprocess.run(["pgrep", "-P", str(pid), "-f", "publisher"], capture_output=True, text=True,
                           check=False).stdout.split()
    return [int(p) for child in found for p in (child, *_python_descendants(int(child)))]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("kill", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_sheet_workers_end_with_their_build(tmp_path: Path, kill: signal.Signals) -> None:
    issue = make_issue(tmp_path / "issue", pages=16, seed=0)
    build = subprocess.Popen([sys.executable, "-m", "publisher", "build", str(issue), "--out", str(tmp_path / "out"),
                              "--pdf", "--jobs", "2"], env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(workers := _python_descendants(build.pid)) < 3:
            assert build.poll() is None and time.monotonic() < deadline, "no sheet workers started"
            time.sleep(0.05)
        build.send_signal(kill)
        build.wait(timeout=30)
        deadline = time.monotonic() + 3  # they laid out their sheets for 12 s more before
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()


# --- the catalogue ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("book")
    return write_epub(load_issue(SEED_ISSUE), folder / f"{SLUG}.epub")


def test_the_catalogue_writes_no_cover_through_a_planted_link(tmp_path: Path, book: Path) -> None:
    shelf = tmp_path / "shelf"
    (shelf / "2022").mkdir(parents=True)
    (shelf / "2022" / book.name).write_bytes(book.read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for planted in (shelf / "covers", shelf / "covers" / "2022"):  # the link at the top, then one further in
        if planted.parent != shelf:
            (shelf / "covers").mkdir()
        planted.symlink_to(elsewhere, target_is_directory=True)
        code, _, err = cli("catalog", str(shelf))
        assert code == 2 and f"{planted}: a symbolic link where the catalogue writes its covers" in err
        assert list(elsewhere.iterdir()) == [] and not (shelf / "opds.xml").exists()
        planted.unlink()


def test_the_catalogue_lists_no_book_linked_from_elsewhere(tmp_path: Path, book: Path) -> None:
    shelf = tmp_path / "shelf"
    (shelf / "own").mkdir(parents=True)
    (shelf / "own" / book.name).write_bytes(book.read_bytes())
    (shelf / "linked.epub").symlink_to(book)
    (shelf / "folder").symlink_to(book.parent, target_is_directory=True)
    assert cli("catalog", str(shelf))[0] == 0
    feed = (shelf / "opds.xml").read_text(encoding="utf-8")
    assert feed.count("<entry") == 1 and "own/" in feed and "linked.epub" not in feed and "folder/" not in feed


@pytest.mark.parametrize("size", [(1, 80_000), (80_000, 1)], ids=["tall", "wide"])
def test_a_cover_of_an_extreme_shape_makes_a_small_thumbnail(tmp_path: Path, book: Path, size: tuple[int, int]) -> None:
    cover = io.BytesIO()
    Image.new("RGB", size, "red").save(cover, "PNG")
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(shelf / book.name, "w") as target:
        for info in source.infolist():
            target.writestr(info, cover.getvalue() if info.filename.endswith("cover.png") else source.read(info))
    assert cli("catalog", str(shelf))[0] == 0
    [thumbnail] = (shelf / "covers").glob("*-thumbnail.png")
    with Image.open(thumbnail) as image:
        assert image.width <= 300 and image.height <= 900


# --- the masthead and metadata values -----------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["江海晚报很长的名字" * 22, "The Jianghai Evening News Daily X"], ids=["cjk", "latin"])
def test_a_masthead_too_long_for_its_page_is_an_input_error(tmp_path: Path, paper: str) -> None:
    issue = seed_issue(tmp_path / "issue", {"paper: 江海晚报": f"paper: {paper}"})
    for command in ("build", "package"):
        code, _, err = cli(command, str(issue), "--out", str(tmp_path / command))
        assert code == 2 and f"{issue}:2: the masthead does not fit the 7 lines the page keeps for it" in err, err
        assert f"({len(paper)} characters) is too long for the page" in err
        assert not (tmp_path / command).exists()


@pytest.mark.parametrize(("key", "value", "message"), [
    ("lunar_date", "\\u202e", "`lunar_date` holds the bidirectional control U+202E (character 1)"),
    ("lunar_date", "壬寅\\u2067年", "`lunar_date` holds the bidirectional control U+2067 (character 3)"),
    ("edition", "\\u200b\\u200d", "`edition` holds no visible character"),
])
def test_a_value_of_bidi_controls_or_nothing_visible(tmp_path: Path, key: str, value: str, message: str) -> None:
    issue = seed_issue(tmp_path / "issue")
    text = re.sub(rf"^{key}: .*$", lambda _: f'{key}: "{value}"', issue.read_text(encoding="utf-8"), flags=re.M)
    issue.write_text(text, encoding="utf-8")
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and message in err, err


# --- bounded time -------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_page_of_200_briefs_is_made_up(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    folder.mkdir()
    (folder / "a1.txt").write_text("".join(f"# 简讯第{n}条\n\n**晚报讯** 今天天气很好，市民出门散步。\n\n" for n in range(200)),
                                   encoding="utf-8")
    (folder / "issue.yaml").write_text("paper: 晚报\ndate: 2022-11-28\npages:\n  - {number: A1, section: 要闻, "
                                       "file: a1.txt}\n", encoding="utf-8")
    result = run("build", str(folder / "issue.yaml"), "--out", str(tmp_path / "out"), "--pdf", timeout=900)
    assert result.returncode == 0, result.stderr
    import pikepdf

    with pikepdf.open(tmp_path / "out" / "晚报-2022-11-28.pdf") as pdf:
        assert len(pdf.pages) >= 13  # at most 16 articles weighed for a sheet


@pytest.mark.parametrize(("toml", "message"), [
    ("[type]\nbody = 1000.0\n", "layout.toml:2: `type.body` = 1000.0 is out of range (4 to 72)"),
    ("[type]\nbody = 0.01\n", "layout.toml:2: `type.body` = 0.01 is out of range (4 to 72)"),
    ("[type]\nbody_line_height = 1000.0\n", "layout.toml:2: `type.body_line_height` = 1000.0 is out of range (1 to 3)"),
    ("[type]\nbody_line_height = 0.01\n", "layout.toml:2: `type.body_line_height` = 0.01 is out of range (1 to 3)"),
    ("[type]\nbody = 4.0\n", "page size broadsheet: a sheet holds 263 lines of 4 pt body type at line height 1.45; "
                             "at most 250"),
    ("[type]\nbody = 40.0\n", "page size tabloid: a column 127 pt wide holds 3.2 characters of 40 pt body type; "
                               "at least 4"),
    ("[compose]\nmasthead_lines = 1000\n", "page size a3: a sheet holds 82 lines of 9 pt body type at line height "
                                           "1.45, too few for the masthead's 1000"),
])
def test_extreme_layout_values_end_with_a_message(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "layout").mkdir()
    (tmp_path / "layout" / "layout.toml").write_text(toml, encoding="utf-8")
    result = run("build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--layout", str(tmp_path / "layout"),
                 timeout=120)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def _use_bomb(href: str) -> str:
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="9" '
             'height="9"><defs><rect id="a0" width="1" height="1"/>']
    for level in range(1, 10):
        parts.append(f'<g id="a{level}">' + f'<use {href}="#a{level - 1}"/>' * 10 + "</g>")
    return "".join(parts) + f'</defs><use {href}="#a9"/></svg>'


@pytest.mark.parametrize("where", ["file", "inline"])
def test_an_svg_use_bomb_in_a_layout_is_refused(tmp_path: Path, where: str) -> None:
    layout = tmp_path / "layout" / "print"
    layout.mkdir(parents=True)
    if where == "file":
        (layout / "logo.svg").write_text(_use_bomb("xlink:href"), encoding="utf-8")
        css = (ROOT / "layouts" / "print" / "print.css").read_text(encoding="utf-8")
        (layout / "print.css").write_text(css + "\n.masthead { background-image: url(logo.svg); }\n", encoding="utf-8")
        message = "logo.svg (it draws more than 50,000 elements, counting each <use> as all it names)"
    else:
        masthead = (ROOT / "layouts" / "print" / "masthead.html").read_text(encoding="utf-8")
        (layout / "masthead.html").write_text(masthead.replace('<div class="mh-name">',
                                                               '<div class="mh-name">' + _use_bomb("href")),
                                              encoding="utf-8")
        message = "an SVG in the print templates asks too much: it draws more than 50,000 elements"
    result = run("build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--pdf", "--layout",
                 str(tmp_path / "layout"), timeout=120)
    assert result.returncode == 2 and message in result.stderr, result.stderr


# --- never over the issue's own sources ----------------------------------------------------------------------------


def test_a_build_into_its_own_folder_never_replaces_a_page_file(tmp_path: Path) -> None:
    issue = seed_issue(tmp_path / "issue", {"file: a1.txt": f"file: {SLUG}.json"})
    (tmp_path / "issue" / "a1.txt").rename(tmp_path / "issue" / f"{SLUG}.json")
    page = (tmp_path / "issue" / f"{SLUG}.json").read_bytes()
    for options in ((), ("--epub",)):
        code, _, err = cli("build", str(issue), "--out", str(tmp_path / "issue"), *options)
        assert code == 2 and f"the output {tmp_path / 'issue' / SLUG}.json would replace" in err
        assert (tmp_path / "issue" / f"{SLUG}.json").read_bytes() == page
        assert sorted(p.name for p in (tmp_path / "issue").iterdir()) == sorted([f"{SLUG}.json", "issue.yaml"])


def test_a_package_never_replaces_the_folder_of_its_sources(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    issue = seed_issue(archive / SLUG)
    (archive / SLUG / "notes.txt").write_text("an archivist's notes\n", encoding="utf-8")
    code, _, err = cli("package", str(issue), "--out", str(archive))
    assert code == 2 and f"the output {archive / SLUG} would replace {issue}, a source of the issue" in err
    assert sorted(p.name for p in (archive / SLUG).iterdir()) == ["a1.txt", "issue.yaml", "notes.txt"]
    # Nor a folder of that name that is no bag.
    (tmp_path / "out" / SLUG).mkdir(parents=True)
    (tmp_path / "out" / SLUG / "keep.txt").write_text("x", encoding="utf-8")
    code, _, err = cli("package", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and "exists and is not a bag" in err and (tmp_path / "out" / SLUG / "keep.txt").is_file()


# --- a new round (hostile inputs of our own) ----------------------------------------------------------------------


@pytest.mark.parametrize(("size", "crop"), [((20_000, 1), None), ((1, 20_000), None), ((640, 427), 0.0)],
                         ids=["flat-strip", "tall-strip", "photo-with-no-crop-allowed"])
def test_a_picture_of_no_printable_shape_is_an_input_error_at_its_line(tmp_path: Path, size: tuple[int, int],
                                                                       crop: float | None) -> None:
    """A 20,000 x 1 px strip took a ValueError traceback in the sheet plan (a story with no way to set it), a
    1 x 20,000 px one `a1.txt: cannot be made up` with no line, as did a photo under `max_crop = 0` (it must
    happen to be whole lines tall): each is the picture's error, at its line, saying what would do."""
    folder = tmp_path / "issue"
    (folder / "photos").mkdir(parents=True)
    Image.new("RGB", size, (9, 9, 9)).save(folder / "photos" / "strip.png")
    (folder / "a1.txt").write_text("# 标题\n\n**晚报讯** 正文内容。\n\n![图](photos/strip.png){span=2}\n说明。\n",
                                   encoding="utf-8")
    text = SEED_YAML
    if crop is not None:
        (folder / "layout").mkdir()
        (folder / "layout" / "layout.toml").write_text(f"[pictures]\nmax_crop = {crop}\n", encoding="utf-8")
        text += "layout: layout\n"
    (folder / "issue.yaml").write_text(text, encoding="utf-8")
    code, _out, err = cli("build", str(folder / "issue.yaml"), "--out", str(tmp_path / "out"), "--pdf")
    assert code == 2, err
    assert re.search(rf"a1\.txt:5: photos/strip\.png: a picture of {size[0]} x {size[1]} px fits no sheet of page "
                     rf"A1: at no span of 1 to \d+ columns does a crop of at most {0.15 if crop is None else crop:g} of a side", err), err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
