"""The shipped templates kept compiled between runs: loaded compiled, never a user's, never from a folder others write."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.compiled_templates import compiled_templates

ROOT = Path(__file__).resolve().parents[2]

# A fresh process renders the print stylesheet from the shipped layout and from a user's, and says how many
# templates it compiled itself.
_RUN = """
import sys
from pathlib import Path
import jinja2
compiled = []
compile = jinja2.Environment.compile
def counted(self, source, name=None, filename=None, *args, **kwargs):
    compiled.append(name)
    return compile(self, source, name, filename, *args, **kwargs)
jinja2.Environment.compile = counted
from publisher.templates import environment
shipped = environment("print").get_template("_lines.html").module
user = environment("print", Path(sys.argv[1])).get_template("mine.html").render()
print(sorted(compiled), user)
"""


def _run(cache: Path, layout: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _RUN, str(layout)], env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout.strip()


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    folder = tmp_path / "layout"
    (folder / "print").mkdir(parents=True)
    (folder / "print" / "mine.html").write_text("{{ 6 * 7 }}", encoding="utf-8")
    return folder


def test_a_shipped_template_is_compiled_once_and_a_users_each_time(tmp_path: Path, layout: Path) -> None:
    cache = tmp_path / "cache"
    assert _run(cache, layout) == "['_lines.html', 'mine.html'] 42"
    kept = list((cache / "publisher").rglob("*.cache"))
    assert len(kept) == 1  # the shipped template's, not the user's
    assert _run(cache, layout) == "['mine.html'] 42"
    folder = kept[0].parent
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0


def test_a_damaged_entry_is_compiled_again(tmp_path: Path, layout: Path) -> None:
    cache = tmp_path / "cache"
    _run(cache, layout)
    [kept] = (cache / "publisher").rglob("*.cache")
    kept.write_bytes(kept.read_bytes()[:40])
    assert _run(cache, layout) == "['_lines.html', 'mine.html'] 42"


def test_no_cache_in_a_folder_others_may_write_or_that_cannot_be_made(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "shared"))
    assert compiled_templates() is not None
    folder = next((tmp_path / "shared" / "publisher").iterdir())
    folder.chmod(0o777)
    assert compiled_templates() is None
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert compiled_templates() is None


def test_without_a_cache_the_build_is_the_same(tmp_path: Path) -> None:
    from tests.conftest import SEED_ISSUE

    outputs = []
    for cache in (tmp_path / "cache", tmp_path / "cache", tmp_path / "file"):
        (tmp_path / "file").write_text("", encoding="utf-8")
        out = tmp_path / f"out{len(outputs)}"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "SOURCE_DATE_EPOCH": "1669593600",
               "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "publisher", "build", str(SEED_ISSUE), "--out", str(out)], env=env,
                       check=True, capture_output=True)
        outputs.append(sorted((path.name, path.read_bytes()) for path in out.iterdir()))
    assert outputs[0] == outputs[1] == outputs[2]
