"""`publisher parse` as an archivist runs it: --explain, role markers, and their errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from publisher.cli import main
from tests.conftest import ROOT, SEED_PAGE

CORPUS = ROOT / "tests" / "parse_corpus"
Make = Callable[..., Path]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True, check=False)


def test_explain_prints_one_line_per_source_line() -> None:
    out = io.StringIO()
    assert main(["parse", "--explain", str(CORPUS / "zhujiang-a3.txt")], stdout=out) == 0
    header, *lines = out.getvalue().splitlines()
    assert header.split()[:4] == ["line", "art", "role", "text"]
    page_lines = [n for n, text in enumerate((CORPUS / "zhujiang-a3.txt").read_text().splitlines(), 1) if text.strip()]
    assert [int(line.split()[0]) for line in lines] == page_lines
    by_line = {int(line.split()[0]): line for line in lines}
    assert by_line[3].split()[1:3] == ["1", "byline"]
    assert by_line[3].endswith("a byline line between the headline and the first paragraph")
    assert by_line[15].split()[1:3] == ["2", "kicker"]
    assert "dateline + paragraph" in by_line[5]
    assert "joined-to-previous" in by_line[25]
    assert by_line[13].split()[1:3] == ["1", "byline"]
    assert by_line[13].endswith("a byline line after the text belongs to the article above")


def test_explain_of_the_sample_names_a_rule_for_every_line() -> None:
    from publisher.ingest import roles

    rules = {value for name, value in vars(roles).items() if name.startswith("RULE_") and "{" not in value}
    result = run("parse", "--explain", str(SEED_PAGE))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()[1:]
    assert len(lines) == sum(1 for line in SEED_PAGE.read_text(encoding="utf-8").splitlines() if line.strip())
    for line in lines:
        assert _named_rules(line, rules), line


def _named_rules(line: str, rules: set[str]) -> int:
    """How many known rules, separated by "; ", end the line after the excerpt's spacing."""
    rest, found = line, 0
    while rule := next((r for r in sorted(rules, key=len, reverse=True) if rest.endswith(r)), None):
        rest, found = rest[: -len(rule)], found + 1
        if not rest.endswith("; "):
            break
        rest = rest[:-2]
    return found if rest.endswith("  ") else 0


def test_parse_json_has_captions_and_byline_places() -> None:
    out = io.StringIO()
    assert main(["parse", str(CORPUS / "quancheng-a6.txt")], stdout=out) == 0
    articles = json.loads(out.getvalue())["articles"]
    assert [b["kind"] for b in articles[1]["blocks"]] == ["paragraph", "paragraph", "caption", "caption"]
    assert articles[1]["bylines"] == ["■泉城晚报记者 韩雪", "记者 韩雪", "通讯员 孔令辉"]
    assert articles[1]["byline_after"] == [0, 4, 4]


def test_an_unknown_marker_is_an_input_error_with_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "a1.txt"
    page.write_text("# 标题\n\n正文。\n\n{bylne} 记者 王某\n\n{kicker} 引题\n\n# 下一篇\n\n{capton} 图说\n", encoding="utf-8")
    result = run("parse", str(page))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{page}:5: unknown role marker {{bylne}}; the markers are {{kicker}}, {{headline}}")
    assert lines[1].startswith(f"{page}:11: unknown role marker {{capton}}")


def test_a_bad_marker_stops_the_build_before_anything_is_written(make_issue: Make, tmp_path: Path) -> None:
    path = make_issue(
        "paper: 晚报\ndate: 2022-11-28\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n",
        {"a1.txt": "# 标题\n\n正文。\n\n{note} 备注\n"},
    )
    out_dir = tmp_path / "out"
    result = run("build", str(path), "--out", str(out_dir))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("a1.txt:5: unknown role marker {note}; the markers are {kicker}, {headline}, "
                                          "{subheadline}, {dateline}, {byline}, {paragraph}, {subhead}, {caption}, {join}")
    assert not out_dir.exists() or not any(out_dir.iterdir())


def test_a_marker_overrules_the_parser(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("# 第一篇\n\n正文。\n\n{kicker} 记者 王某某\n\n# 第二篇\n\n正文。\n", encoding="utf-8")
    out = io.StringIO()
    assert main(["parse", str(page)], stdout=out) == 0
    first, second = json.loads(out.getvalue())["articles"]
    assert first["bylines"] == []
    assert second["kicker"] == "记者 王某某"


# --- pictures ------------------------------------------------------------------------------------------------


def test_parse_reads_the_pictures_from_the_page_files_folder_or_the_one_given(tmp_path: Path) -> None:
    from tests import images

    (tmp_path / "issue" / "photos").mkdir(parents=True)
    (tmp_path / "issue" / "photos" / "cat.jpg").write_bytes(images.jpeg((120, 80), orientation=6))
    page = "# 标题\n\n正文。\n\n![一只猫](photos/cat.jpg){span=2 focus=0.5,0.3}\n图为一只猫。 记者 王某 摄\n"
    (tmp_path / "issue" / "a2.txt").write_text(page, encoding="utf-8")
    (tmp_path / "issue" / "pages").mkdir()
    (tmp_path / "issue" / "pages" / "a2.txt").write_text(page, encoding="utf-8")
    out = io.StringIO()
    assert main(["parse", str(tmp_path / "issue" / "a2.txt")], stdout=out) == 0
    [article] = json.loads(out.getvalue())["articles"]
    picture = article["blocks"][1]
    assert {k: picture[k] for k in ("kind", "file", "alt", "caption", "credit", "width", "height", "span", "focus",
                                    "line")} == {
        "kind": "picture", "file": "photos/cat.jpg", "alt": "一只猫", "caption": "图为一只猫。", "credit": "记者 王某 摄",
        "width": 80, "height": 120, "span": 2, "focus": [0.5, 0.3], "line": 5}
    # A page file in a subfolder: its pictures are named relative to the issue's folder.
    out, err = io.StringIO(), io.StringIO()
    assert main(["parse", str(tmp_path / "issue" / "pages" / "a2.txt")], stdout=out, stderr=err) == 2
    assert out.getvalue() == "" and err.getvalue().endswith("a2.txt:5: photos/cat.jpg: picture file not found\n")
    out = io.StringIO()
    assert main(["parse", str(tmp_path / "issue" / "pages" / "a2.txt"), "--folder", str(tmp_path / "issue"),
                 "--explain"], stdout=out) == 0
    rows = out.getvalue().splitlines()
    assert rows[3].split()[:3] == ["5", "1", "picture"] and rows[4].split()[:5] == ["6", "1", "caption", "+", "credit"]


def test_parse_of_the_sample_page_of_photographs() -> None:
    result = run("parse", "--explain", str(ROOT / "seeds" / "a2.txt"))
    assert result.returncode == 0, result.stderr
    roles = [line.split()[2] for line in result.stdout.splitlines()[1:]]
    assert roles.count("picture") == 4 and roles.count("caption") == 4
