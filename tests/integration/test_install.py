"""An installed publisher, not a checkout: the wheel and `pip install .` build the sample from any folder.

Each test copies what a source distribution holds into a temporary folder,
installs it with pip into a fresh virtual environment (no editable install,
nothing of the checkout on the path), and builds the sample issue from a
folder outside the checkout. The dependencies are not downloaded: a ``.pth``
file in the new environment lists this environment's site-packages, after
the new environment's own, so the installed ``publisher`` is the one imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

# What `pip install .` and a source distribution need: nothing else of the checkout.
SOURCE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE")
SOURCE_FOLDERS = ("publisher", "layouts", "fonts")
HEADLINE = "从快从严从紧"


def _copy_source(dest: Path) -> Path:
    for name in SOURCE_FILES:
        shutil.copy2(ROOT / name, dest / name)
    for name in SOURCE_FOLDERS:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def _run(argv: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    result = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{argv}:\n{result.stdout}\n{result.stderr}"
    return result


def _fresh_venv(path: Path) -> Path:
    """A virtual environment without pip, seeing this environment's packages last."""
    _run([sys.executable, "-m", "venv", "--without-pip", path], cwd=path.parent)
    python = path / "bin" / "python"
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=path).stdout
    site = Path(purelib.strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def _pip_install(python: Path, target: Path, cwd: Path) -> None:
    # --no-build-isolation: the build backend (setuptools>=77, of the dev extra) comes from this environment.
    _run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-build-isolation",
          target], cwd=cwd)


def _build_sample(venv_python: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sample = shutil.copytree(SEEDS, tmp_path / "sample")
    location = _run([venv_python, "-c", "import publisher; print(publisher.__file__)"], cwd=elsewhere).stdout
    assert Path(location.strip()).is_relative_to(venv_python.parent.parent), location
    assert not Path(location.strip()).is_relative_to(ROOT)
    out = tmp_path / "out"
    _run([venv_python.parent / "publisher", "build", sample / "issue.yaml", "--out", out], cwd=elsewhere)
    pdf = next(out.glob("*.pdf"))
    assert next(out.glob("*.epub")).stat().st_size > 0
    text = _run(["pdftotext", "-enc", "UTF-8", pdf, "-"], cwd=elsewhere).stdout
    assert HEADLINE in "".join(text.split())


def test_wheel_holds_every_subpackage_and_the_layouts_and_fonts(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    source = _copy_source(tmp_path / "src")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dist, source],
         cwd=tmp_path)
    wheel = next(dist.glob("publisher-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "publisher").rglob("__init__.py")}
    assert "publisher/typeset/cjk" in packages
    for package in packages:
        assert f"{package}/__init__.py" in names, package
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "publisher").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    for folder in ("layouts", "fonts"):
        shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file()}
        assert shipped, folder
        assert {f"publisher/_data/{name}" for name in shipped} <= names
    # What the issue names: templates, CSS, layout.toml, the fonts' roles and their OFL licences.
    for name in ("layouts/print/issue.html", "layouts/print/print.css", "layouts/print/layout.toml",
                 "layouts/epub/page.xhtml", "layouts/epub/epub.css", "fonts/fonts.toml", "fonts/OFL.txt",
                 "fonts/LICENSE-Hanazono.txt"):
        assert f"publisher/_data/{name}" in names, name

    python = _fresh_venv(tmp_path / "venv")
    _pip_install(python, wheel, tmp_path)
    _build_sample(python, tmp_path)


def test_pip_install_of_the_source_folder_builds_the_sample(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    source = _copy_source(tmp_path / "src")
    python = _fresh_venv(tmp_path / "venv")
    _pip_install(python, source, tmp_path)
    installed = Path(_run([python, "-c", "import publisher.resources as r; print(r.LAYOUTS_DIR)"],
                          cwd=tmp_path).stdout.strip())
    assert installed.is_relative_to(tmp_path / "venv") and (installed / "print" / "issue.html").is_file()
    _build_sample(python, tmp_path)
