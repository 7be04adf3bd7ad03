"""Fuzzing issue.yaml and page bytes: whatever they hold, the result is an issue or file:line messages.

Never another exception (a traceback for the user), never a message that
spans lines or carries control characters, never a file name that leaves its
folder; and a build that fails leaves its output folder as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.build import BuildOptions, build
from publisher.errors import InputError
from publisher.ingest.issue_yaml import ISSUE_FIELDS, PAGE_FIELDS, load_issue
from publisher.ingest.parse import parse_page
from publisher.ingest.sources import decode_page
from tests.conftest import SEED_ISSUE, SEED_PAGE

SEED_YAML = SEED_ISSUE.read_bytes()
SEED_TEXT = SEED_PAGE.read_bytes()

_ODD_VALUES = [
    "0123", "no", "~", "null", "2022-11-28", "2022-02-30", "9999-12-31", "0001-01-01", "zh-Hans", "zh-Hans\\n",
    "../a1.txt", "/etc/passwd", "a1.txt", "fifo.txt", "dir.txt", "link.txt", "loop.txt", "", " ", "\\0", "\\ud800",
    "\\e[31m", "\\u202e", "[", "{", "*a", "&a x", "!!python/object/apply:os.system [id]", "<<", "gb18030", "hex",
    "utf-7", "utf-16", "unicode_escape", "tabloid", "a3", "x" * 250, "1234-5679", "江海晚报", "A1", "要闻", ".",
]
_KEYS = [*ISSUE_FIELDS, *PAGE_FIELDS, "pagse", "<<", "x"]


@st.composite
def _values(draw: st.DrawFn) -> str:
    value = draw(st.one_of(st.sampled_from(_ODD_VALUES), st.text(max_size=20)))
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "double":
        return '"' + value.replace('"', '\\"') + '"'
    if style == "single":
        return "'" + value.replace("\\", "").replace("'", "''") + "'"
    return value.replace("\\", "")


@st.composite
def _issue_yaml(draw: st.DrawFn) -> bytes:
    lines = [f"{key}: {draw(_values())}" for key in draw(st.lists(st.sampled_from(_KEYS), max_size=8))]
    if draw(st.booleans()):
        lines.append("pages:")
        for _ in range(draw(st.integers(0, 3))):
            page = draw(st.lists(st.sampled_from(list(PAGE_FIELDS)), max_size=5))
            lines += [("  - " if i == 0 else "    ") + f"{k}: {draw(_values())}" for i, k in enumerate(page)] or ["  -"]
    return "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"


def _mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.tuples(st.integers(0, len(seed)), st.binary(max_size=16), st.integers(0, 16)).map(
        lambda cut: seed[: cut[0]] + cut[1] + seed[cut[0] + cut[2]:])


ISSUE_BYTES = st.one_of(_issue_yaml(), _mutated(SEED_YAML), st.binary(max_size=300))
PAGE_BYTES = st.one_of(_mutated(SEED_TEXT), st.binary(max_size=300),
                       st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")))


def _folder(root: Path, issue: bytes, page: bytes) -> Path:
    (root / "issue.yaml").write_bytes(issue)
    (root / "a1.txt").write_bytes(page)
    os.mkfifo(root / "fifo.txt")
    (root / "dir.txt").mkdir()
    (root / "link.txt").symlink_to("/etc/passwd")
    (root / "loop.txt").symlink_to("loop.txt")
    return root / "issue.yaml"


def _assert_reported(error: InputError) -> None:
    assert error.problems
    for problem in error.problems:
        shown = str(problem)
        assert "\n" not in shown and "\x1b" not in shown and "\x00" not in shown


@given(issue=ISSUE_BYTES, page=PAGE_BYTES)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_issue_folder_loads_or_is_reported(issue: bytes, page: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            loaded = load_issue(_folder(Path(tmp), issue, page))
        except InputError as error:
            _assert_reported(error)
            return
        name = loaded.slug.encode("utf-8")
        assert b"/" not in name and b"\0" not in name and not name.startswith(b".") and len(name) < 200
        for page_ in loaded.pages:
            assert page_.source.resolve().is_relative_to(Path(tmp).resolve())


@given(data=PAGE_BYTES, encoding=st.sampled_from([None, "utf-8", "gb18030", "big5", "utf-16", "utf-7", "hz",
                                                  "iso2022_jp", "latin-1", "hex", "unicode_escape", "idna"]))
@settings(max_examples=400, deadline=None)
def test_any_page_bytes_parse_or_are_reported(data: bytes, encoding: str | None) -> None:
    try:
        text = decode_page(data, "page.txt", encoding)
    except InputError as error:
        _assert_reported(error)
        return
    parse_page(text)


@given(issue=st.one_of(_issue_yaml(), _mutated(SEED_YAML)), page=_mutated(SEED_TEXT))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_build_writes_everything_or_nothing(issue: bytes, page: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _folder(Path(tmp) / "in", issue, page) if (Path(tmp) / "in").mkdir() is None else None
        assert path is not None
        out = Path(tmp) / "out"
        try:
            written = build(path, out, BuildOptions(pdf=False))
        except InputError as error:
            _assert_reported(error)
            assert not out.exists()
            return
        assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
