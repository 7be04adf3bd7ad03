"""`publisher batch` on a small archive: layout, incremental runs, fault isolation, interruption, Dask.

Real builds throughout (WeasyPrint, ebooklib) on one-page synthetic issues;
the 30-issue archive is in test_archive.py.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from bench.synthetic import make_issue
from publisher.batch import MANIFEST, BatchOptions, discover, run_batch
from publisher.cli import main
from publisher.manifest import Manifest, ManifestEntry
from publisher.progress import Done, Progress, summary_table

ROOT_DIR = Path(__file__).resolve().parent.parent.parent
BROKEN_DATE = "2022-13-02"


def small_archive(root: Path) -> Path:
    """Two issues of the same paper and date in different folders (same slug), one more, and a broken one."""
    make_issue(root / "town-a" / "2022-11-01", pages=1, seed=1, date="2022-11-01")
    make_issue(root / "town-b" / "2022-11-01", pages=1, seed=2, date="2022-11-01")
    make_issue(root / "town-a" / "2022-11-03", pages=1, seed=3, date="2022-11-03")
    broken = make_issue(root / "town-b" / "2022-11-02", pages=1, seed=4, date="2022-11-02")
    broken.write_text(broken.read_text(encoding="utf-8").replace("date: 2022-11-02", f"date: {BROKEN_DATE}"),
                      encoding="utf-8")
    return root


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["batch", *args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def statuses(table: str) -> dict[str, int]:
    rows = {}
    for line in table.splitlines():
        cells = line.split()
        if cells and cells[0] in ("built", "skipped", "failed"):
            rows[cells[0]] = int(cells[1])
    return rows


def editions(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in (".pdf", ".epub"))


def assert_complete(out: Path) -> None:
    """Every edition under its real name opens: no half-written file."""
    for path in editions(out):
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                assert len(pdf.pages) >= 1
        else:
            with zipfile.ZipFile(path) as book:
                assert book.testzip() is None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A first run, a second run, and a run after one page file changed, on the same archive."""
    base = tmp_path_factory.mktemp("batch")
    root = small_archive(base / "archive")
    out = base / "out"
    results: dict[str, object] = {"root": root, "out": out}
    results["first"] = run_cli(str(root), "--out", str(out), "--jobs", "2")
    results["files_after_first"] = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    results["second"] = run_cli(str(root), "--out", str(out), "--jobs", "2")
    page = root / "town-a" / "2022-11-03" / "a1.txt"
    page.write_bytes(page.read_bytes().replace("。".encode(), "！".encode(), 1))
    results["third"] = run_cli(str(root), "--out", str(out), "--jobs", "2")
    return results


def test_first_run_builds_each_issue_into_its_own_folder(runs: dict[str, object]) -> None:
    code, table, _ = runs["first"]  # type: ignore[misc]
    assert code == 1  # one issue is broken
    assert statuses(table) == {"built": 3, "skipped": 0, "failed": 1}
    files = runs["files_after_first"]
    assert isinstance(files, list)
    for folder in ("town-a/2022-11-01", "town-b/2022-11-01", "town-a/2022-11-03"):
        slug = f"江海晚报-{folder[-10:]}"
        for suffix in (".pdf", ".epub", ".json"):
            assert f"{folder}/{slug}{suffix}" in files
    assert not [f for f in files if f.startswith("town-b/2022-11-02")]  # the broken issue wrote nothing
    assert not [f for f in files if f.endswith(".part")]
    assert MANIFEST in files


def test_a_broken_issue_fails_alone_with_file_line_message(runs: dict[str, object]) -> None:
    _, _, err = runs["first"]  # type: ignore[misc]
    root = runs["root"]
    assert isinstance(root, Path)
    problem = f"{root / 'town-b' / '2022-11-02' / 'issue.yaml'}:3: `date`: '{BROKEN_DATE}' is not a day of the calendar"
    assert problem in err
    assert "Traceback" not in err
    assert "[4/4]" in err  # progress lines (stderr is not a terminal here)


def test_second_run_skips_everything_unchanged(runs: dict[str, object]) -> None:
    code, table, _ = runs["second"]  # type: ignore[misc]
    assert code == 1
    assert statuses(table) == {"built": 0, "skipped": 3, "failed": 1}


def test_an_unchanged_broken_issue_is_reported_from_the_manifest_not_built_again(runs: dict[str, object]) -> None:
    _, _, err = runs["second"]  # type: ignore[misc]
    root = runs["root"]
    assert isinstance(root, Path)
    # Its problem again, as file:line: message, and no progress line: nothing was built.
    assert f"{root / 'town-b' / '2022-11-02' / 'issue.yaml'}:3: `date`: '{BROKEN_DATE}' is not a day of the calendar" in err
    assert "[1/" not in err


def test_an_edited_page_rebuilds_only_its_issue(runs: dict[str, object]) -> None:
    _, table, err = runs["third"]  # type: ignore[misc]
    assert statuses(table) == {"built": 1, "skipped": 2, "failed": 1}
    assert "built town-a/2022-11-03/issue.yaml" in err


def test_manifest_records_fingerprints_and_outputs(runs: dict[str, object]) -> None:
    out = runs["out"]
    assert isinstance(out, Path)
    data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert data["format"] == "publisher-batch/1"
    assert sorted(data["issues"]) == ["town-a/2022-11-01/issue.yaml", "town-a/2022-11-03/issue.yaml",
                                      "town-b/2022-11-01/issue.yaml", "town-b/2022-11-02/issue.yaml"]
    entry = data["issues"]["town-a/2022-11-01/issue.yaml"]
    assert len(entry["fingerprint"]) == 64 and entry["pages"] == 1
    for name, size in entry["outputs"].items():
        assert (out / name).stat().st_size == size
    broken = data["issues"]["town-b/2022-11-02/issue.yaml"]
    assert len(broken["fingerprint"]) == 64 and "outputs" not in broken
    assert [f"`date`: '{BROKEN_DATE}' is not a day of the calendar" in problem for problem in broken["failed"]] == [True]


def test_a_fixed_issue_is_built_and_a_failure_of_the_machine_is_not_kept(tmp_path: Path) -> None:
    from publisher.batch import Outcome, Task, _Inputs, _known_failure, _record
    from publisher.build import BuildOptions
    from publisher.manifest import Manifest

    root = small_archive(tmp_path / "archive")
    out = tmp_path / "out"
    assert run_cli(str(root), "--out", str(out), "--jobs", "2")[0] == 1
    broken = root / "town-b" / "2022-11-02" / "issue.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace(BROKEN_DATE, "2022-11-02"), encoding="utf-8")
    code, table, _ = run_cli(str(root), "--out", str(out), "--jobs", "2")
    assert code == 0 and statuses(table) == {"built": 1, "skipped": 3, "failed": 0}
    # A missing tool or a dead worker says nothing about the issue: it is tried again next time.
    manifest = Manifest(out)
    task = Task(broken, "town-b/2022-11-02/issue.yaml", out, out, "f" * 64, 1, BuildOptions(), False, False)
    inputs = _Inputs("f" * 64, 1, None, ["a1.txt"], None, None, "environment")
    _record(manifest, Outcome(task.name, "failed", 1, 1.0, task.fingerprint, problems=("no java",)), inputs, out)
    manifest.save()
    assert _known_failure(Manifest(out).entry(task.name), task) is None
    _record(manifest, Outcome(task.name, "failed", 1, 1.0, task.fingerprint, problems=("bad",), lasting=True),
            inputs, out)
    manifest.save()
    assert _known_failure(Manifest(out).entry(task.name), task) == ("bad",)


def test_a_deleted_edition_is_built_again(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    make_issue(root / "one", pages=1, seed=5, date="2022-11-05")
    out = tmp_path / "out"
    assert run_cli(str(root), "--out", str(out), "--jobs", "1")[0] == 0
    (out / "one" / "江海晚报-2022-11-05.epub").unlink()
    code, table, _ = run_cli(str(root), "--out", str(out), "--jobs", "1")
    assert code == 0 and statuses(table)["built"] == 1
    assert (out / "one" / "江海晚报-2022-11-05.epub").is_file()


def test_discover_skips_the_output_folder_and_bags(tmp_path: Path) -> None:
    make_issue(tmp_path / "a", pages=1, seed=6)
    (tmp_path / "out" / "a").mkdir(parents=True)
    (tmp_path / "out" / "a" / "issue.yaml").write_text("x", encoding="utf-8")
    bag = tmp_path / "bags" / "x"
    (bag / "data" / "source").mkdir(parents=True)
    (bag / "bagit.txt").write_text("BagIt-Version: 0.97\n", encoding="utf-8")
    (bag / "data" / "source" / "issue.yaml").write_text("x", encoding="utf-8")
    assert discover(tmp_path, tmp_path / "out") == [(tmp_path / "a" / "issue.yaml").resolve()]


def test_bad_batch_input(tmp_path: Path) -> None:
    code, out, err = run_cli(str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert (code, out) == (2, "")
    assert err == f"{tmp_path / 'nowhere'}: does not exist\n"
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    code, _, err = run_cli(str(tmp_path / "a-file"), "--out", str(tmp_path / "out"))
    assert (code, err) == (2, f"{tmp_path / 'a-file'}: is not a folder\n")
    (tmp_path / "a-file").unlink()
    code, _, err = run_cli(str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2 and err == f"{tmp_path}: no issue.yaml found under this folder\n"
    make_issue(tmp_path / "a", pages=1, seed=7)
    code, _, err = run_cli(str(tmp_path), "--out", str(tmp_path / "out"), "--executor", "dask")
    assert code == 2 and err == "command line: --executor dask needs --scheduler ADDRESS\n"
    code, _, err = run_cli(str(tmp_path), "--out", str(tmp_path / "out"), "--jobs", "0")
    assert code == 2 and err == "command line: --jobs 0: at least one job is needed\n"
    code, _, err = run_cli(str(tmp_path), "--out", str(tmp_path / "out"), "--package", "--pdf-variant", "pdf/a-2u")
    assert code == 2 and "--package makes PDF/A-3u print editions" in err
    assert not (tmp_path / "out").exists()


def test_progress_on_a_terminal_and_in_a_log() -> None:
    tty = io.StringIO()
    progress = Progress(tty, 2, 4, tty=True)
    progress.update(Done("a/issue.yaml", "built", 2, 1.0))
    progress.close()
    text = tty.getvalue()
    assert text.startswith("\r[") and "1/2 issues" in text and "pages/s" in text and "left" in text
    log = io.StringIO()
    progress = Progress(log, 2, 4, tty=False)
    progress.update(Done("a/issue.yaml", "failed", 2, 1.0))
    assert log.getvalue() == "[1/2] failed a/issue.yaml (2 pages, 1.0 s)\n"
    table = summary_table([Done("a", "built", 2, 1.5), Done("b", "skipped", 3, 0.0)], 2.0)
    assert statuses(table) == {"built": 1, "skipped": 1, "failed": 0}
    assert "1.00 pages/s" in table


# --- interruption ----------------------------------------------------------


def start_batch(root: Path, out: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    return subprocess.Popen([sys.executable, "-m", "publisher", "batch", str(root), "--out", str(out), "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT_DIR,
                            start_new_session=True)


def recorded_issues(out: Path) -> dict[str, ManifestEntry]:
    """The issues the manifest records, with the journal of a run under way or killed replayed."""
    return Manifest(out).issues


def wait_for_entries(out: Path, count: int, process: subprocess.Popen[str], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(recorded_issues(out)) >= count:
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.1)
    raise AssertionError("the batch made no progress")


def interrupted_archive(root: Path) -> Path:
    for day in range(1, 5):
        make_issue(root / f"2022-11-0{day}", pages=1, seed=10 + day, date=f"2022-11-0{day}")
    return root


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_the_next_run_continues(tmp_path: Path) -> None:
    root, out = interrupted_archive(tmp_path / "archive"), tmp_path / "out"
    process = start_batch(root, out)
    wait_for_entries(out, 1, process)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "publisher: interrupted" in err and "Traceback" not in err
    assert not list(out.rglob("*.part"))
    assert_complete(out)
    recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["issues"]  # written whole on Ctrl-C
    done = len(recorded)
    assert 1 <= done < 4
    # No queued issue was started, nor the one in flight finished, after Ctrl-C: every edition is recorded.
    assert {p.parent.name for p in editions(out)} == {name.split("/")[0] for name in recorded}
    code, table, _ = run_cli(str(root), "--out", str(out), "--jobs", "1")
    assert code == 0
    assert statuses(table) == {"built": 4 - done, "skipped": done, "failed": 0}


@pytest.mark.slow
def test_a_killed_run_leaves_no_half_written_edition(tmp_path: Path) -> None:
    root, out = interrupted_archive(tmp_path / "archive"), tmp_path / "out"
    process = start_batch(root, out)
    wait_for_entries(out, 1, process)
    os.killpg(process.pid, signal.SIGKILL)  # main process and workers, with no chance to clean up
    process.communicate(timeout=60)
    assert_complete(out)
    done = len(recorded_issues(out))  # killed: in the journal, which the next run replays
    code, table, _ = run_cli(str(root), "--out", str(out), "--jobs", "1")
    assert code == 0
    assert statuses(table)["skipped"] == done and statuses(table)["built"] == 4 - done
    assert not list(out.rglob("*.part"))  # leftovers of the killed build are gone
    assert len(editions(out)) == 8
    assert_complete(out)


def descendants(pid: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()
    return [int(c) for c in children] + [d for c in children for d in descendants(int(c))]


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_workers_stop_when_the_batch_is_killed(tmp_path: Path) -> None:
    root, out = interrupted_archive(tmp_path / "archive"), tmp_path / "out"
    process = start_batch(root, out)
    wait_for_entries(out, 1, process)
    family = descendants(process.pid)  # the fork server and the worker building the next issue
    assert family
    os.kill(process.pid, signal.SIGKILL)  # the batch alone, as the OOM killer or `kill -9 PID` would
    process.communicate(timeout=60)
    deadline = time.monotonic() + 60
    while any(running(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(running(pid) for pid in family), "workers went on building after the batch was killed"
    recorded = recorded_issues(out)
    assert {p.parent.name for p in editions(out)} == {name.split("/")[0] for name in recorded}
    assert not list(out.rglob("*.part"))  # the worker unwound: its staged files are gone
    assert_complete(out)


# --- Dask ------------------------------------------------------------------


@pytest.mark.slow
def test_the_same_batch_on_a_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    root = small_archive(tmp_path / "archive")
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        result = run_batch(root, out, BatchOptions(executor="dask", scheduler=cluster.scheduler_address),
                           io.StringIO())
    assert result.count("built") == 3 and result.count("failed") == 1
    [failed] = result.failed
    assert failed.name == "town-b/2022-11-02/issue.yaml" and ":3: `date`" in failed.problems[0]
    assert len(editions(out)) == 6
    assert_complete(out)


def test_each_run_that_builds_ends_with_a_catalogue_of_every_built_issue(runs: dict[str, object]) -> None:
    from urllib.parse import unquote

    from lxml import etree  # type: ignore[import-untyped]

    out = runs["out"]
    assert isinstance(out, Path)
    for run in ("first", "third"):  # a run that built something writes the catalogue again
        _, table, _ = runs[run]  # type: ignore[misc]
        assert f"wrote {out / 'opds.xml'}" in table and f"wrote {out / 'index.html'}" in table
    # A run that found nothing changed leaves it as it was: no EPUB is read again.
    _, table, _ = runs["second"]  # type: ignore[misc]
    assert "opds.xml" not in table and "index.html" not in table
    files = runs["files_after_first"]
    assert isinstance(files, list) and "opds.xml" in files and "index.html" in files
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = etree.parse(str(out / "opds.xml")).getroot().findall("a:entry", ns)
    acquisitions = sorted(
        (unquote(link.get("href")), link.get("type"))
        for entry in entries for link in entry.findall("a:link", ns)
        if link.get("rel") == "http://opds-spec.org/acquisition"
    )
    expected = sorted(
        (f"{folder}/江海晚报-{folder[-10:]}{suffix}", kind)
        for folder in ("town-a/2022-11-01", "town-b/2022-11-01", "town-a/2022-11-03")
        for suffix, kind in ((".epub", "application/epub+zip"), (".pdf", "application/pdf"))
    )
    assert len(entries) == 3 and acquisitions == expected
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count('class="issue"') == 3 and "2022年11月" in page
