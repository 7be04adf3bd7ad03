"""Page files: encodings, BOM, newlines, control characters, missing files."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.ingest.parse import parse_page
from publisher.ingest.sources import read_page
from tests.conftest import SEED_PAGE

SEED = SEED_PAGE.read_text(encoding="utf-8")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_newlines_and_bom_parse_identically(tmp_path: Path, newline: str, bom: bytes) -> None:
    page = tmp_path / "p.txt"
    page.write_bytes(bom + SEED.replace("\n", newline).encode("utf-8"))
    text = read_page(page)
    assert text == SEED
    assert parse_page(text) == parse_page(SEED)


def test_declared_gb18030_is_honoured(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_bytes(SEED.encode("gb18030"))
    assert read_page(page, "gb18030") == SEED


def test_undeclared_gb18030_is_an_error_with_a_hint(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_bytes(SEED.encode("gb18030"))
    with pytest.raises(InputError) as caught:
        read_page(page)
    [problem] = caught.value.problems
    assert problem.file.endswith("p.txt")
    assert problem.line == 3
    assert "not valid UTF-8" in problem.message and "encoding: gb18030" in problem.message


def test_undecodable_bytes_without_a_gb18030_reading(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_bytes("标题\n".encode() + b"\xff\xff\xff\n")
    with pytest.raises(InputError) as caught:
        read_page(page)
    [problem] = caught.value.problems
    assert problem.line == 2 and "gb18030" not in problem.message


def test_control_characters_are_reported_at_line_and_column(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("# 标题\n\n正文\x07内容。\n第二\x00行\t有制表符。\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_page(page)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2
    assert messages[0].endswith("p.txt:3:3: control character U+0007 is not allowed in a page file")
    assert messages[1].endswith("p.txt:4:3: control character U+0000 is not allowed in a page file")


def test_missing_page_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_page(tmp_path / "nope.txt")
    assert "nope.txt: page file not found" in str(caught.value.problems[0])
