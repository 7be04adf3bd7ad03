"""The command line as users run it: exit codes, messages, no tracebacks, no output on errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from publisher.cli import main
from tests.conftest import SEED_PAGE

Make = Callable[..., Path]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True, check=False)


def test_parse_prints_the_articles_as_json() -> None:
    out = io.StringIO()
    assert main(["parse", str(SEED_PAGE)], stdout=out) == 0
    articles = json.loads(out.getvalue())["articles"]
    assert [a["dateline"] for a in articles] == ["晚报综合消息", "晚报讯", "晚报讯", "晚报讯"]
    assert articles[2]["bylines"] == ["记者朱文君 李彤"]
    assert articles[0]["blocks"][0] == {"kind": "paragraph", "text": articles[0]["blocks"][0]["text"], "line": 7,
                                        "normalised": articles[0]["blocks"][0]["normalised"]}


def test_parse_with_encoding(tmp_path: Path) -> None:
    page = tmp_path / "gb.txt"
    page.write_bytes(SEED_PAGE.read_text(encoding="utf-8").encode("gb18030"))
    result = run("parse", str(page), "--encoding", "gb18030")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["articles"]) == 4


def test_bad_page_gives_a_clear_message_and_no_traceback(tmp_path: Path) -> None:
    page = tmp_path / "gb.txt"
    page.write_bytes(SEED_PAGE.read_text(encoding="utf-8").encode("gb18030"))
    result = run("parse", str(page))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(str(page) + ":3: not valid UTF-8")
    assert result.stdout == ""


def test_build_on_bad_input_writes_nothing(make_issue: Make, tmp_path: Path) -> None:
    path = make_issue("paper: 晚报\ndate: 2022-13-01\npages:\n  - {number: A1, section: 要闻, file: gone.txt}\n")
    out_dir = tmp_path / "out"
    result = run("build", str(path), "--out", str(out_dir))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("issue.yaml:2: `date`: '2022-13-01' is not a day of the calendar: there is no month 13")
    assert lines[1].endswith("issue.yaml:4: gone.txt: page file not found")
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_help_explains_each_command() -> None:
    for args in (["--help"], ["parse", "--help"], ["build", "--help"]):
        result = run(*args)
        assert result.returncode == 0
        assert "usage: publisher" in result.stdout


def test_missing_issue_file() -> None:
    result = run("build", "no/such/issue.yaml", "--out", "x")
    assert result.returncode == 2
    assert result.stderr.strip() == "no/such/issue.yaml: issue file not found"


def test_a_bad_line_break_level_in_layout_toml_stops_the_build_before_anything_is_written(
    make_issue: Make, tmp_path: Path
) -> None:
    path = make_issue("paper: 晚报\ndate: 2022-11-28\nlayout: lay\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n",
                      {"a1.txt": "# 标题\n\n正文。\n"})
    (path.parent / "lay" / "print").mkdir(parents=True)
    (path.parent / "lay" / "print" / "layout.toml").write_text('[typography]\nline_break = "loose"\n', encoding="utf-8")
    out_dir = tmp_path / "out"
    result = run("build", str(path), "--out", str(out_dir))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith("layout.toml:2: typography.line_break must be \"basic\", \"gb\" or \"strict\", not 'loose'")
    assert not out_dir.exists() or not any(out_dir.iterdir())
