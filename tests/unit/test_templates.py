"""Layout search path: a user folder overrides the project's files by name."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from publisher.errors import InputError, ToolError
from publisher.layouts import read_asset
from publisher.templates import environment


def test_project_layout_is_found() -> None:
    env = environment("epub", None)
    assert env.get_template("page.xhtml") is not None
    # The print edition's level is filled in when the book is made (test_line_breaking).
    assert b"line-break: {{ line_break }}" in read_asset("epub", "epub.css", None)


def test_user_folder_overrides_by_name(tmp_path: Path) -> None:
    (tmp_path / "epub").mkdir()
    (tmp_path / "epub" / "epub.css").write_text("p { color: black }", encoding="utf-8")
    (tmp_path / "extra.css").write_text("h1 { }", encoding="utf-8")
    assert read_asset("epub", "epub.css", tmp_path) == b"p { color: black }"
    assert read_asset("epub", "extra.css", tmp_path) == b"h1 { }"
    # Templates the user folder lacks still come from the project.
    assert environment("epub", tmp_path).get_template("page.xhtml") is not None


def test_environment_is_cached_and_strict() -> None:
    env = environment("epub", None)
    assert env is environment("epub", None)
    assert env.undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ t }}").render(t="<script>") == "&lt;script&gt;"


def test_missing_asset_and_folder_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ToolError, match=r"no-such\.css"):
        read_asset("epub", "no-such.css", None)
    with pytest.raises(ToolError):
        read_asset("epub", "../print/print.css", tmp_path)
    with pytest.raises(InputError, match="layout folder does not exist"):
        environment("epub", tmp_path / "nowhere")
