"""Reading what an untrusted folder names: confinement, regular files only, limits; safe file names."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from publisher.limits import NAME_BYTES
from publisher.names import safe_stem
from publisher.untrusted import Refused, inside, read_regular


def test_a_name_must_stay_inside_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "issue"
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "a1.txt").write_text("x", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    assert inside(folder, "pages/a1.txt", "page file") == (folder / "pages" / "a1.txt").resolve()
    assert inside(folder, "pages/../pages/a1.txt", "page file").name == "a1.txt"
    with pytest.raises(Refused, match="is an absolute path"):
        inside(folder, str(tmp_path / "secret.txt"), "page file")
    with pytest.raises(Refused, match="leads outside the issue's folder"):
        inside(folder, "../secret.txt", "page file")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(Refused, match="leads outside the issue's folder"):
        inside(folder, "link.txt", "page file")
    # A link that stays inside the folder is followed.
    (folder / "inner.txt").symlink_to(folder / "pages" / "a1.txt")
    assert inside(folder, "inner.txt", "page file") == (folder / "pages" / "a1.txt").resolve()


def test_names_no_file_system_can_hold(tmp_path: Path) -> None:
    for name, message in (("", "empty"), ("  ", "empty"), ("a\0b", "NUL"), ("a\ud800.txt", "surrogate")):
        with pytest.raises(Refused, match=message):
            inside(tmp_path, name, "page file")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises(Refused, match="loop of symbolic links"):
        inside(tmp_path, "loop", "page file")


def test_only_a_regular_file_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    # A writer that never comes would hang a blocking open: this must return at once.
    with pytest.raises(Refused, match="page file is a named pipe, not a regular file"):
        read_regular(fifo, 1024, "page file")
    with pytest.raises(Refused, match="page file is a device, not a regular file"):
        read_regular(Path("/dev/zero"), 1024, "page file")
    with pytest.raises(Refused, match="page file is a folder, not a regular file"):
        read_regular(tmp_path, 1024, "page file")
    with pytest.raises(Refused, match="page file not found"):
        read_regular(tmp_path / "gone.txt", 1024, "page file")


def test_a_pipe_with_a_writer_is_not_read_either(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    opened = threading.Event()

    def writer() -> None:
        fd = os.open(fifo, os.O_RDWR)  # keeps the pipe open as a writer would
        opened.set()
        try:
            os.write(fd, b"data")
            opened.wait(5)
        finally:
            os.close(fd)

    thread = threading.Thread(target=writer)
    thread.start()
    opened.wait(5)
    try:
        with pytest.raises(Refused, match="named pipe"):
            read_regular(fifo, 1024, "page file")
    finally:
        thread.join(5)


def test_size_limit(tmp_path: Path) -> None:
    page = tmp_path / "big.txt"
    page.write_bytes(b"x" * 2048)
    assert read_regular(page, 2048, "page file") == b"x" * 2048
    with pytest.raises(Refused, match=r"page file is 2 KiB, more than the limit of 1 KiB"):
        read_regular(page, 1024, "page file")


@pytest.mark.parametrize(("paper", "stem"), [
    ("江海晚报", "江海晚报"),
    ("../../x", "x"),
    ("/etc/cron.d/x", "etc_cron.d_x"),
    ("..", "issue"),
    ("   ", "issue"),
    (".hidden", "hidden"),
    ("-rf --no-preserve-root", "rf --no-preserve-root"),
    ("\u202eexe.pdf", "exe.pdf"),  # a right-to-left override would show it as "fdp.exe"
    ("晚\u200b报", "晚报"),  # zero-width space
    ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
    ("北京\u3000晚报", "北京 晚报"),
    ("trailing. ", "trailing"),
    ("a\x1b[31mb", "a_[31mb"),
])
def test_safe_file_names_keep_what_a_reader_sees(paper: str, stem: str) -> None:
    assert safe_stem(paper) == stem


def test_a_long_name_is_cut_and_marked() -> None:
    long_a, long_b = "江" * 150 + "甲", "江" * 150 + "乙"
    stem_a, stem_b = safe_stem(long_a), safe_stem(long_b)
    assert len(stem_a.encode("utf-8")) <= NAME_BYTES
    assert stem_a.startswith("江" * 30) and stem_a != stem_b  # different names stay apart
    assert safe_stem(long_a) == stem_a  # and the same name gives the same file
