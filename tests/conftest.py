"""Shared fixtures: the sample issue and a factory for small issues in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_PAGE = SEEDS / "a1.txt"
SEED_ISSUE = SEEDS / "issue.yaml"
SEED_PICTURE_PAGE = SEEDS / "a2.txt"  # the sample's page of photographs (docs/pictures.md)
# The sample's issue.yaml with its front page alone, for tests of one page of text (their lines are this file's).
SEED_FRONT_YAML = SEED_ISSUE.read_text(encoding="utf-8").split("  - number: A2\n")[0]


def copy_sample(folder: Path) -> Path:
    """The sample issue with every file it names (page files, photographs, advertisements) copied into
    ``folder``; returns the copy's issue.yaml, for a test to edit."""
    shutil.copytree(SEEDS, folder, dirs_exist_ok=True)
    return folder / "issue.yaml"


def shared_schemas() -> Path | None:
    """The official XML schemas (ALTO, METS, MODS, XLink), kept beside the repository in shared/schemas/.

    The repository may not hold copies of them. In a git worktree the folder
    beside the main checkout counts too. None where neither exists.
    """
    candidates = [ROOT.parent / "shared" / "schemas"]
    dot_git = ROOT / ".git"
    if dot_git.is_file():  # a worktree: .git names its folder inside the main repository's .git
        text = dot_git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            gitdir = (ROOT / text.removeprefix("gitdir:").strip()).resolve()
            common = gitdir / "commondir"
            main_git = (gitdir / common.read_text(encoding="utf-8").strip()).resolve() if common.is_file() else gitdir
            candidates.append(main_git.parent.parent / "shared" / "schemas")
    return next((folder for folder in candidates if (folder / "alto-4-4.xsd").is_file()), None)


@pytest.fixture
def make_issue(tmp_path: Path) -> Callable[..., Path]:
    """Write an issue.yaml (and page files) into a temporary folder; return its path."""

    def make(yaml_text: str, pages: dict[str, bytes | str] | None = None) -> Path:
        for name, content in (pages or {}).items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            (tmp_path / name).write_bytes(data)
        path = tmp_path / "issue.yaml"
        path.write_text(yaml_text, encoding="utf-8")
        return path

    return make
