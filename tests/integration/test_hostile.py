"""Hostile and careless input, as users run the command: nothing read, written or run outside its place,
nothing left behind by a failure, no traceback (issue 11, each case it lists and the ones found after)."""

from __future__ import annotations

import fcntl
import io
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from publisher.cli import main
from publisher.ingest.issue_yaml import load_issue
from publisher.print.pdf import write_pdf
from publisher.print.print_options import PrintOptions
from tests.conftest import ROOT, SEED_FRONT_YAML, SEED_ISSUE, SEED_PAGE

# The sample's front page alone: hostile input is tried on it, at the lines of a one-page issue.yaml
# (the page of photographs, A2, has its own tests: tests/unit/test_images.py, test_pictures.py).
SEED_YAML = SEED_FRONT_YAML
PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"


def issue_folder(folder: Path, replace: dict[str, str] | None = None, extra: str = "") -> Path:
    """The sample issue copied into ``folder``, with issue.yaml's text edited; returns issue.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED_PAGE, folder / "a1.txt")
    text = SEED_YAML
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    path = folder / "issue.yaml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def run(*args: str, timeout: float = 120, env: dict[str, str] | None = None,
        preexec: Callable[[], None] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The command in its own process, as a user runs it (a hang fails the test instead of the suite)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True,
                          timeout=timeout, env=environment, preexec_fn=preexec, cwd=cwd or ROOT, check=False)


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else []


def assert_message(result: subprocess.CompletedProcess[str], code: int, pattern: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(pattern, result.stderr), result.stderr


# --- security ------------------------------------------------------------------


@pytest.mark.parametrize("where", ["command line", "issue.yaml"])
def test_a_layout_template_cannot_run_commands(tmp_path: Path, where: str) -> None:
    issue = issue_folder(tmp_path / "issue", extra="layout: evil\n" if where == "issue.yaml" else "")
    layout = tmp_path / "issue" / "evil"
    (layout / "print").mkdir(parents=True)
    (layout / "print" / "masthead.html").write_text(PAYLOAD + "\n", encoding="utf-8")
    args = ["--layout", str(layout)] if where == "command line" else []
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"), "--pdf", *args)
    assert code == 2
    assert "masthead.html:1: template error: access to attribute '__init__'" in err and "unsafe" in err
    assert not (tmp_path / "out").exists() and not list(tmp_path.rglob("PWNED")) and not Path("PWNED").exists()


@pytest.mark.parametrize(("layout", "message"), [
    ("/usr", ":14: `layout`: /usr is an absolute path; a layout folder must be named relative to the issue's folder"),
    ("..", ":14: `layout`: .. leads outside the issue's folder; a layout folder must be inside it"),
    ("linked", ":14: `layout`: linked leads outside the issue's folder; a layout folder must be inside it"),
    ("a1.txt", ":14: `layout`: layout folder 'a1.txt' is not a folder"),
    ("gone", ":14: `layout`: layout folder 'gone' does not exist"),
])
def test_the_layout_issue_yaml_names_stays_inside_its_folder(tmp_path: Path, layout: str, message: str) -> None:
    issue = issue_folder(tmp_path / "issue", extra=f"layout: {layout}\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "issue" / "linked").symlink_to(tmp_path / "elsewhere")
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and message in err, err
    assert not (tmp_path / "out").exists()


def test_a_layout_cannot_include_a_file_linked_from_outside(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue", extra="layout: layout\n")
    (tmp_path / "issue" / "layout" / "print").mkdir(parents=True)
    (tmp_path / "secret.html").write_text("SECRET", encoding="utf-8")
    (tmp_path / "issue" / "layout" / "print" / "secret.html").symlink_to(tmp_path / "secret.html")
    (tmp_path / "issue" / "layout" / "print" / "masthead.html").write_text('{% include "secret.html" %}\n',
                                                                          encoding="utf-8")
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"), "--pdf")
    assert code == 2 and "layout file 'secret.html' leads outside the layout folder" in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("paper", "stem"), [("../../x", "x"), ("/tmp/x", "tmp_x"), ("江海/晚报", "江海_晚报")])
def test_paper_names_files_inside_out(tmp_path: Path, paper: str, stem: str) -> None:
    issue = issue_folder(tmp_path / "issue", {"paper: 江海晚报": f'paper: "{paper}"'})
    out = tmp_path / "deep" / "out"
    code, _, err = cli("build", str(issue), "--out", str(out), "--epub")
    assert code == 0, err
    assert files(out) == [f"{stem}-2022-11-28.epub", f"{stem}-2022-11-28.json"]
    assert files(tmp_path / "deep") == ["out", *[f"out/{name}" for name in files(out)]]


def test_a_long_paper_name_gives_a_name_a_file_system_takes(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue", {"paper: 江海晚报": "paper: " + "江海晚报" * 30})
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"), "--epub")
    assert code == 0, err
    [epub, _json] = files(tmp_path / "out")
    assert epub.startswith("江海晚报" * 9) and re.search(r"~[0-9a-f]{8}-2022-11-28\.epub$", epub)


@pytest.mark.parametrize(("name", "message"), [
    ("/etc/passwd", "`file`: /etc/passwd is an absolute path"),
    ("../../../../../../etc/passwd", "`file`: ../../../../../../etc/passwd leads outside the issue's folder"),
    ("passwd.txt", "`file`: passwd.txt leads outside the issue's folder; a page file must be inside it"),
])
def test_a_page_file_outside_the_issue_folder_is_refused(tmp_path: Path, name: str, message: str) -> None:
    issue = issue_folder(tmp_path / "issue", {"file: a1.txt": f"file: {name}"})
    (tmp_path / "issue" / "passwd.txt").symlink_to("/etc/passwd")
    for command in ("build", "package"):
        code, _, err = cli(command, str(issue), "--out", str(tmp_path / "out"))
        assert code == 2 and f"issue.yaml:13: {message}" in err, err
        assert not (tmp_path / "out").exists()
    code, _, err = cli("check", str(SEED_ISSUE.with_suffix(".pdf")), "--issue", str(issue))
    assert code == 2 and message in err


@pytest.mark.parametrize("kind", ["fifo page", "fifo issue.yaml", "device page", "fifo in batch"])
def test_pipes_and_devices_are_refused_without_blocking(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "archive" / "issue"
    issue = issue_folder(folder, {"file: a1.txt": "file: page.txt"})
    if kind == "fifo issue.yaml":
        issue.unlink()
        os.mkfifo(issue)
    elif kind == "device page":
        try:
            os.mknod(folder / "page.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # what /dev/zero is
        except PermissionError:
            pytest.skip("making a device node needs CAP_MKNOD (test_parse_refuses_dev_zero stands in)")
    else:
        os.mkfifo(folder / "page.txt")
    if kind == "fifo in batch":
        issue_folder(tmp_path / "archive" / "good")
        result = run("batch", str(tmp_path / "archive"), "--out", str(tmp_path / "out"), "--jobs", "1", timeout=300)
        assert_message(result, 1, r"issue/issue.yaml:13: page.txt: page file is a named pipe, not a regular file")
        assert len([p for p in files(tmp_path / "out") if p.endswith(".pdf")]) == 1
        return
    result = run("build", str(issue), "--out", str(tmp_path / "out"), timeout=60)
    what = {"fifo page": "page file is a named pipe", "fifo issue.yaml": "issue file is a named pipe",
            "device page": "page file is a device"}[kind]
    assert_message(result, 2, what + ", not a regular file")
    if kind != "fifo issue.yaml":
        assert_message(run("parse", str(folder / "page.txt"), timeout=60), 2, what)
    assert not (tmp_path / "out").exists()


def test_parse_refuses_dev_zero() -> None:
    assert_message(run("parse", "/dev/zero", timeout=60), 2, r"^/dev/zero: page file is a device, not a regular file")


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for number in range(3):
            book.writestr(f"EPUB/chapter{number}.xhtml", b"\0" * (40 << 20), compress_type=zipfile.ZIP_DEFLATED,
                          compresslevel=9)


def test_check_refuses_a_zip_bomb(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.epub"
    _zip_bomb(bomb)
    assert bomb.stat().st_size < 200_000
    result = run("check", str(bomb), timeout=120, preexec=lambda: resource.setrlimit(
        resource.RLIMIT_AS, (2 << 30, 2 << 30)))  # 2 GB of address space: a bomb unpacked would not fit
    assert_message(result, 1, "")
    assert "error EPUB001" in result.stdout and "out of proportion for a book, not unpacked" in result.stdout


def test_check_refuses_a_damaged_or_lying_archive(tmp_path: Path) -> None:
    book = tmp_path / "book.epub"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("mimetype", b"application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("EPUB/a.xhtml", b"<html>" * 10000, compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(book.read_bytes())
    start = data.index(b"EPUB/a.xhtml") + len("EPUB/a.xhtml") + 10
    data[start:start + 20] = b"\xff" * 20  # the compressed stream, no longer what its CRC says
    book.write_bytes(bytes(data))
    code, out, _ = cli("check", str(book))
    assert code == 1 and "error EPUB001" in out and "damaged entry" in out


def test_check_refuses_a_pdf_stream_bomb(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, zlib.compress(b" " * (300 << 20), 9))
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = stream
    pdf.save(tmp_path / "bomb.pdf")
    pdf.close()
    code, out, _ = cli("check", str(tmp_path / "bomb.pdf"))
    assert code == 1 and "error PDF001" in out and "decodes to more than 256 MiB" in out


def test_check_of_a_pipe_named_like_an_edition(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "book.epub")
    code, _, err = cli("check", str(tmp_path / "book.epub"))
    assert code == 2 and "book.epub: not a regular file" in err


def test_a_batch_hashes_only_a_layouts_own_files(tmp_path: Path) -> None:
    issue_folder(tmp_path / "archive" / "a")
    layout = tmp_path / "layout"
    layout.mkdir()
    os.mkfifo(layout / "pipe.css")  # read by a fingerprint, this would hang the batch
    os.mkfifo(layout / "data.bin")
    (layout / "print").mkdir()
    (layout / "print" / "extra.css").write_text("p {}", encoding="utf-8")
    result = run("batch", str(tmp_path / "archive"), "--out", str(tmp_path / "out"), "--layout", str(layout),
                 timeout=300)
    assert result.returncode == 0, result.stderr
    usr = run("batch", str(tmp_path / "archive"), "--out", str(tmp_path / "out2"), "--layout", "/usr", timeout=300)
    assert_message(usr, 2, r"^/usr: more than 200 layout files: not a layout folder")
    assert not (tmp_path / "out2").exists()


# --- nothing lost, nothing left --------------------------------------------------


def test_a_failed_build_leaves_the_output_folder_as_it_was(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    out = tmp_path / "out"
    code, _, err = cli("build", str(issue), "--out", str(out), "--layout", str(tmp_path / "nonexistent"))
    assert code == 2 and "nonexistent: layout folder does not exist" in err
    code, _, err = cli("build", str(issue), "--out", str(out), "--layout", str(issue))
    assert code == 2 and "issue.yaml: layout folder is not a folder" in err
    assert not out.exists()  # not even the folder
    # An earlier edition in the folder stays as it was when a later build fails in the layout.
    out.mkdir()
    (out / "江海晚报-2022-11-28.json").write_text("earlier", encoding="utf-8")
    layout = tmp_path / "layout" / "print"
    layout.mkdir(parents=True)
    (layout / "article.html").write_text("{{ article.no_such_field }}\n", encoding="utf-8")
    code, _, err = cli("build", str(issue), "--out", str(out), "--layout", str(layout.parent))
    assert code == 2 and "article.html:1: template error:" in err, err
    assert files(out) == ["江海晚报-2022-11-28.json"]
    assert (out / "江海晚报-2022-11-28.json").read_text(encoding="utf-8") == "earlier"


def test_stale_part_files_of_killed_runs_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".江海晚报-2022-11-28.pdf.k1ll3d.part").write_bytes(b"")  # a kill -9 during the PDF write
    (out / ".build.0ld.part").mkdir()
    (out / ".build.0ld.part" / "江海晚报-2022-11-28.json").write_text("{", encoding="utf-8")
    live = out / ".other-2022-11-28.epub.l1ve.part"
    with live.open("wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a concurrent build still writing it
        code, _, err = cli("build", str(issue), "--out", str(out), "--epub")
        assert code == 0, err
        assert files(out) == [".other-2022-11-28.epub.l1ve.part", "江海晚报-2022-11-28.epub",
                              "江海晚报-2022-11-28.json"]


def test_a_page_deleted_mid_build_is_attached_as_it_was_read(tmp_path: Path) -> None:
    issue = load_issue(issue_folder(tmp_path / "issue"))
    (tmp_path / "issue" / "a1.txt").unlink()
    (tmp_path / "issue" / "issue.yaml").write_text("changed", encoding="utf-8")
    out = write_pdf(issue, tmp_path / "out.pdf", PrintOptions(variant="pdf/a-3u", attach_sources=True))
    with pikepdf.open(out) as pdf:
        attached = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    assert attached == {"issue.yaml": SEED_YAML.encode("utf-8"), "a1.txt": SEED_PAGE.read_bytes()}


# --- messages instead of tracebacks ----------------------------------------------


def test_deep_nesting_in_issue_yaml(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "archive" / "deep", extra="edition: " + "[" * 500 + "\n")
    issue_folder(tmp_path / "archive" / "fine")
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and "issue.yaml:14: not valid YAML: nested more than 16 levels deep" in err, err
    result = run("batch", str(tmp_path / "archive"), "--out", str(tmp_path / "batch"), "--jobs", "1", timeout=300)
    assert_message(result, 1, r"deep/issue.yaml:14: not valid YAML: nested more than 16 levels deep")
    assert re.search(r"built\s+1", result.stdout) and re.search(r"failed\s+1", result.stdout)


def test_a_relative_layout_folder(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    (tmp_path / "mylayout" / "print").mkdir(parents=True)
    result = run("build", str(issue), "--out", "out", "--layout", "mylayout", "--pdf", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert files(tmp_path / "out") == ["江海晚报-2022-11-28.json", "江海晚报-2022-11-28.pdf"]


@pytest.mark.parametrize(("edit", "message"), [
    ({"file: a1.txt": "file: a1.txt\n    encoding: hex"},
     ":14: `encoding`: 'hex' is not a character encoding of text (e.g. utf-8, gb18030, big5)"),
    ({"file: a1.txt": "file: a1.txt\n    encoding: unicode_escape"}, ":14: `encoding`: 'unicode_escape' is not a"),
    ({"paper: 江海晚报": 'paper: "江海\\0晚报"'}, ":2: `paper` holds control character U+0000 (character 3)"),
    ({"paper: 江海晚报": 'paper: "江海\\ud800晚报"'}, ":2: `paper` holds U+D800 (character 3), which is not a character"),
    ({"language: zh-Hans": 'language: "zh-Hans\\n"'}, ":5: `language` holds a line break (character 8)"),
    ({"language: zh-Hans": "language: |\n  zh-Hans"}, ":5: `language` holds a line break"),
    ({"issue: 0123": "issue: " + "1" * 201}, ":4: `issue` is 201 characters long; the limit is 200"),
    ({"pages:": "? [a, b]\n: c\npages:"}, ":10: a key in issue.yaml must be a name, not a list or mapping"),
    ({"file: a1.txt": 'file: "a1\\0.txt"'}, ":13: `file` holds control character U+0000"),
])
def test_bad_values_are_file_line_messages(tmp_path: Path, edit: dict[str, str], message: str) -> None:
    issue = issue_folder(tmp_path / "issue", edit)
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and message in err, err
    assert not (tmp_path / "out").exists()


def test_parse_with_a_codec_that_is_no_character_set() -> None:
    for codec in ("unicode_escape", "hex", "rot13", "idna"):
        code, out, err = cli("parse", str(SEED_PAGE), "--encoding", codec)
        assert code == 2 and "is not a character encoding of text" in err and out == ""


def test_out_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("", encoding="utf-8")
    code, _, err = cli("build", str(issue_folder(tmp_path / "issue")), "--out", str(tmp_path / "out"), "--epub")
    assert code == 4 and err.strip().endswith("out: cannot write: it is not a folder")
    code, _, err = cli("build", str(issue_folder(tmp_path / "issue")), "--out", str(tmp_path / "out" / "x"), "--epub")
    assert code == 4 and "cannot write" in err


def _unshare() -> list[str] | None:
    """A command prefix giving a private mount namespace (to mount a small or read-only tmpfs), or None."""
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True,
                           check=False) if shutil.which("unshare") else None
    return ["unshare", "--user", "--map-root-user", "--mount"] if probe and probe.returncode == 0 else None


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit then fail with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))


def test_a_full_disk(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    out = tmp_path / "out"
    result = run("build", str(issue), "--out", str(out), "--epub", preexec=_limit_file_size)
    assert_message(result, 4, r"out: cannot write: File too large")
    assert files(out) == []
    prefix = _unshare()
    if prefix is None:
        pytest.skip("no private mount namespace here for a real full disk (the file size limit above stands in)")
    out.mkdir()
    script = (f"mount -t tmpfs -o size=100k tmpfs {out} && {sys.executable} -m publisher build {issue} "
              f"--out {out} --epub; echo \"exit $?\"; ls -A {out}")
    done = subprocess.run([*prefix, "sh", "-c", script], capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.strip() == "exit 4", done.stdout  # and the folder is empty: no .part, no JSON


def test_a_read_only_output_folder(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    out = tmp_path / "out"
    out.mkdir()
    if os.geteuid() != 0:
        out.chmod(0o555)
        result = run("build", str(issue), "--out", str(out), "--epub")
        assert_message(result, 4, r"out: cannot write: Permission denied")
        return
    prefix = _unshare()
    if prefix is None:
        pytest.skip("root ignores file modes, and no private mount namespace is available for a read-only mount")
    script = (f"mount -t tmpfs -o ro tmpfs {out} && {sys.executable} -m publisher build {issue} --out {out} --epub; "
              "echo \"exit $?\"")
    done = subprocess.run([*prefix, "sh", "-c", script], capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert "out: cannot write: Read-only file system" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.strip() == "exit 4"


@pytest.mark.parametrize(("toml", "message"), [
    ("[sizes.tabloid]\ncolumns = 0\n", "layout.toml:2: `sizes.tabloid.columns` = 0 is out of range (1 to 24)"),
    ("[sizes.tabloid\ncolumns = 0\n", "layout.toml:1: not valid TOML: Expected ']' at the end of a table"),
])
def test_a_bad_layout_toml(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "none.pdf").write_bytes(b"")
    (tmp_path / "layout" / "print").mkdir(parents=True)
    (tmp_path / "layout" / "print" / "layout.toml").write_text(toml, encoding="utf-8")
    for command in (["build", "--pdf"], ["check"]):
        args = [str(SEED_ISSUE), "--out", str(tmp_path / "out")] if command[0] == "build" else \
            [str(tmp_path / "none.pdf"), "--issue", str(SEED_ISSUE)]
        code, _, err = cli(command[0], *args, *command[1:], "--layout", str(tmp_path / "layout"))
        assert code == 2 and message in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("template", "message"), [
    ('{% include "nope.html" %}', "masthead.html:1: template 'nope.html' not found in the layout"),
    ("{% if %}", "masthead.html:1: template error: Expected an expression"),
    ("{{ 1 / 0 }}", "masthead.html:1: template error: ZeroDivisionError: division by zero"),
    ('{% include "masthead.html" %}', "masthead.html:1: the templates call themselves without end"),
    ("\n\n{{ 'x' * 100000000 }}", "masthead.html:3: template error: a repeated string or list would hold"),
])
def test_template_failures_point_at_the_template(tmp_path: Path, template: str, message: str) -> None:
    (tmp_path / "layout" / "print").mkdir(parents=True)
    (tmp_path / "layout" / "print" / "masthead.html").write_text(template, encoding="utf-8")
    code, _, err = cli("build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--pdf",
                       "--layout", str(tmp_path / "layout"))
    assert code == 2 and message in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("value", "message"), [
    ("99999999999999", "SOURCE_DATE_EPOCH=99999999999999 is after the year 9999"),
    ("-1", "SOURCE_DATE_EPOCH='-1' is not a number of seconds"),
    ("²", "SOURCE_DATE_EPOCH='²' is not a number of seconds"),  # str.isdigit() says yes, int() says no
    ("1e9", "SOURCE_DATE_EPOCH='1e9' is not a number of seconds"),
])
def test_source_date_epoch_out_of_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str,
                                        message: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    for command in ("build", "batch"):
        target = str(SEED_ISSUE) if command == "build" else str(SEED_ISSUE.parent)
        code, _, err = cli(command, target, "--out", str(tmp_path / "out"))
        assert code == 2 and err.startswith(f"environment: {message}") and len(err.splitlines()) == 1, err
    assert not (tmp_path / "out").exists()


def test_a_non_utf8_issue_yaml_gets_its_line_and_a_hint(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    issue.write_bytes(SEED_YAML.encode("gb18030"))
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2
    assert err.strip().endswith("issue.yaml:1: not valid UTF-8 (byte 0xbd); issue.yaml must be UTF-8: it reads as "
                                "GB18030: save it as UTF-8")


def test_a_utf16_issue_yaml_with_its_bom_is_read(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    issue.write_bytes(SEED_YAML.encode("utf-16"))
    assert load_issue(issue).paper == "江海晚报"


def test_an_issue_yaml_symlink_loop_in_a_batch_is_reported(tmp_path: Path) -> None:
    issue_folder(tmp_path / "archive" / "good")
    (tmp_path / "archive" / "loop").mkdir()
    (tmp_path / "archive" / "loop" / "issue.yaml").symlink_to("issue.yaml")
    (tmp_path / "archive" / "out-link").mkdir()
    (tmp_path / "archive" / "out-link" / "issue.yaml").symlink_to(SEED_ISSUE)
    (tmp_path / "archive" / "root").symlink_to("/")  # a link to a folder is not walked
    code, out, err = cli("batch", str(tmp_path / "archive"), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert code == 1
    assert "loop/issue.yaml: a loop of symbolic links" in err
    assert "out-link/issue.yaml: a symbolic link out of the folder being built" in err
    assert re.search(r"built\s+1", out) and re.search(r"failed\s+2", out)


@pytest.mark.parametrize("dpi", ["0", "9", "601", "20000"])
def test_preview_resolution_is_bounded(tmp_path: Path, dpi: str) -> None:
    code, _, err = cli("preview", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--dpi", dpi)
    assert code == 2 and err.strip() == f"command line: --dpi {dpi}: the resolution must be 10 to 600"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--bleed", "10000mm"], "command line: --bleed 10000mm: at most 25 mm"),
    (["--bleed", "1e3mm"], "command line: --bleed '1e3mm' is not a length such as 3mm"),
])
def test_odd_option_values(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = cli("build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), *args)
    assert code == 2 and err.strip() == message


def test_too_many_jobs(tmp_path: Path) -> None:
    code, _, err = cli("batch", str(SEED_ISSUE.parent), "--out", str(tmp_path / "out"), "--jobs", "100000")
    assert code == 2 and "command line: --jobs 100000: at most" in err and "(4 a CPU)" in err


# --- found beyond the issue's list ----------------------------------------------


def test_a_date_far_in_the_future(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue", {"date: 2022-11-28": "date: 9999-12-31"})
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"), "--epub")
    assert code == 0, err  # zip dates stop at 2107; the package document keeps the year 9999


def test_a_utf7_page_that_decodes_to_a_lone_surrogate(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue", {"file: a1.txt": "file: a1.txt\n    encoding: utf-7"})
    (tmp_path / "issue" / "a1.txt").write_bytes(b"# A\n\nText +2AA- here.\n")
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and "a1.txt:3:6: lone surrogate U+D800 is not allowed in a page file" in err, err


def test_a_flood_of_bad_characters_is_summed_up(tmp_path: Path) -> None:
    page = tmp_path / "binary.txt"
    page.write_bytes(b"\x01" * 100_000)
    code, _, err = cli("parse", str(page))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 21
    assert lines[-1].endswith("binary.txt:1: 99980 more characters that are not allowed from here on")


def test_messages_cannot_rewrite_the_terminal(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue", {"file: a1.txt": 'file: "\\e[2J\\u202egone.txt"'})
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and "\x1b" not in err and "\u202e" not in err
    assert "`file` holds control character U+001B" in err


def test_pages_beyond_the_limit(tmp_path: Path) -> None:
    pages = "".join(f"  - {{number: P{n}, section: 要闻, file: a1.txt}}\n" for n in range(501))
    issue = issue_folder(tmp_path / "issue", {"pages:\n  - number: A1\n    section: 要闻\n    file: a1.txt\n":
                                              "pages:\n" + pages})
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and "issue.yaml:11: 501 pages; the limit is 500 pages an issue" in err


def test_articles_beyond_the_limit(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    (tmp_path / "issue" / "a1.txt").write_text("\n\n".join(f"# 标题{n}\n\n正文。" for n in range(201)), encoding="utf-8")
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and "issue.yaml:13: a1.txt: 201 articles on one page; the limit is 200" in err


def test_page_files_together_beyond_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("publisher.ingest.issue_yaml.ISSUE_TEXT_BYTES", 3 * SEED_PAGE.stat().st_size)  # 4 MiB otherwise
    pages = "".join(f"  - {{number: P{n}, section: 要闻, file: a1.txt}}\n" for n in range(4))
    issue = issue_folder(tmp_path / "issue", {"pages:\n  - number: A1\n    section: 要闻\n    file: a1.txt\n":
                                              "pages:\n" + pages})
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and "issue.yaml:14: a1.txt: the page files up to here hold 40.7 KiB, more than the limit" in err


def test_a_tampered_batch_manifest_means_build_again(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    issue_folder(archive / "a")
    out = tmp_path / "out"
    out.mkdir()
    (out / "batch-manifest.json").write_text('{"format": "publisher-batch/1", "issues": {"a/issue.yaml": "x", '
                                             '"b": {"fingerprint": null, "outputs": ["../../x"]}}}', encoding="utf-8")
    code, table, err = cli("batch", str(archive), "--out", str(out), "--jobs", "1")
    assert code == 0, err
    assert re.search(r"built\s+1", table)
    for name in ("a/issue.yaml", "b"):
        assert (f"batch-manifest.json: the entry of {name} is not as a batch writes it: ignored, that issue is "
                "built again") in err


def test_a_recursive_yaml_alias(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue")
    issue.write_text("paper: x\ndate: 2022-11-28\npages: &p [*p]\n", encoding="utf-8")
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    assert code == 2 and "issue.yaml:3: a page must be a mapping of keys to values" in err


def test_twenty_thousand_problems_are_summed_up(tmp_path: Path) -> None:
    issue = issue_folder(tmp_path / "issue", extra="".join(f"k{n}: v\n" for n in range(20_000)))
    code, _, err = cli("build", str(issue), "--out", str(tmp_path / "out"))
    lines = err.splitlines()
    assert code == 2 and len(lines) == 101 and lines[-1] == "… and 19900 more problems"


def test_an_empty_path_option(tmp_path: Path) -> None:
    result = run("build", str(SEED_ISSUE), "--out", "")
    assert_message(result, 2, "argument --out: an empty path")


def test_a_layout_that_renders_broken_xml(tmp_path: Path) -> None:
    (tmp_path / "layout" / "epub").mkdir(parents=True)
    (tmp_path / "layout" / "epub" / "page.xhtml").write_text("<html><p>&nbsp;{{ book.title }}", encoding="utf-8")
    code, _, err = cli("build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--epub",
                       "--layout", str(tmp_path / "layout"))
    assert code == 2 and "page.xhtml: renders XML that is not well-formed: undefined entity" in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("template", "message"), [
    ("<html><p>&nbsp;{{ book.title }}", "page.xhtml: renders XML that is not well-formed: undefined entity"),
    ("\n{{ 1 / 0 }}", "page.xhtml:2: template error: ZeroDivisionError: division by zero"),
])
def test_an_epub_template_failure_in_a_whole_build(tmp_path: Path, template: str, message: str) -> None:
    """With cores for it the EPUB is written in a process of its own beside the print edition's make-up: its
    template's failure comes back with its line, the print edition stops, and nothing is written."""
    (tmp_path / "layout" / "epub").mkdir(parents=True)
    (tmp_path / "layout" / "epub" / "page.xhtml").write_text(template, encoding="utf-8")
    code, _, err = cli("build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--jobs", "2",
                       "--layout", str(tmp_path / "layout"))
    assert code == 2 and message in err and "Traceback" not in err, err
    assert not (tmp_path / "out").exists()


def test_an_output_that_cannot_be_printed_in_the_locale(tmp_path: Path) -> None:
    result = run("build", str(SEED_ISSUE), "--out", str(tmp_path / "out"), "--epub",
                 env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "\\u6c5f" in result.stdout  # 江, escaped rather than a crash


def test_a_reader_that_goes_away() -> None:
    parse = subprocess.Popen([sys.executable, "-m", "publisher", "parse", str(SEED_PAGE)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert parse.stdout is not None and parse.stderr is not None
    parse.stdout.read(10)
    parse.stdout.close()  # as `publisher parse page.txt | head -c 10`
    assert parse.wait(timeout=60) in (0, 141)
    assert b"Traceback" not in parse.stderr.read()
    parse.stderr.close()


def test_a_batch_manifest_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "out" / "batch-manifest.json").mkdir(parents=True)
    code, _, err = cli("batch", str(SEED_ISSUE.parent), "--out", str(tmp_path / "out"))
    assert code == 4 and "batch-manifest.json: cannot write the batch manifest: it is not a file" in err
