"""Shared fixtures: the sample issue and a factory for small issues in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_PAGE = SEEDS / "a1.txt"
SEED_ISSUE = SEEDS / "issue.yaml"


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
