"""The print layout's numbers from layout.toml, and the line-break level it sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.typeset.geometry import line_break_level, load_geometry


def test_the_project_layout_sets_clreqs_strict_level() -> None:
    assert load_geometry(None).line_break == "strict"


@pytest.mark.parametrize(("written", "level"), [("basic", "basic"), ("gb", "gb"), ("strict", "strict"),
                                               ("normal", "basic")])  # the basic level's earlier name
def test_a_layout_folder_can_ask_for_each_of_clreqs_levels(tmp_path: Path, written: str, level: str) -> None:
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "layout.toml").write_text(f'[typography]\nline_break = "{written}"\n', encoding="utf-8")
    assert load_geometry(None, tmp_path).line_break == level
    assert line_break_level(tmp_path) == level


def test_an_unknown_level_is_reported_with_its_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "layout.toml").write_text('[type]\nbody = 9.0\n\n[typography]\nline_break = "loose"\n',
                                                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_geometry(None, tmp_path)
    assert str(caught.value) == 'print/layout.toml:5: typography.line_break must be "basic", "gb" or "strict", not \'loose\''
