"""Line-start and line-end prohibitions in the real editions: the print edition built from a page
seeded with every mark of the tables the fonts cover, the EPUB's declared level, and `check`
finding each kind of violation in a PDF made to have them."""

from __future__ import annotations

import random
import zipfile
from functools import cache
from pathlib import Path

import pytest
import weasyprint

from publisher.build import BuildOptions, build
from publisher.check.editions import check_editions
from publisher.check.lint import lint_pdf
from publisher.check.pdf_audit import audit_pdf
from publisher.ingest.issue_yaml import load_issue
from publisher.typeset.cjk.prohibitions import Level, prohibitions, tables
from publisher.typeset.coverage import uncovered
from publisher.typeset.fonts import chain

pytestmark = pytest.mark.slow

# Neutral ideographs: no byline, caption or dateline word among them.
IDEOGRAPHS = "中国人民政府市区今年工作会议表示发展经济社会文化城市建设项目服务群众生活水平提高明显"


SHARED_GLYPHS = ("⸺", "⋯", "〜")


@cache
def seeded_marks() -> tuple[str, ...]:
    """Every entry of the tables that the body's faces draw and a page file keeps as it is.

    Half-width ASCII marks are left out: the source's punctuation normalisation turns them into
    full-width ones inside Chinese text, whose entries are seeded instead. So are three marks whose
    glyph Noto Serif CJK SC shares with a commoner one (⸺ with the —— ligature, ⋯ with …, 〜 with ～):
    a PDF's ToUnicode map gives a glyph one text, so one of each pair would come back as the other
    and the text layer check fail for a reason that is not line breaking.
    """
    marks: list[str] = []
    for rule in tables().rules:
        if rule.text in marks or rule.text in SHARED_GLYPHS:
            continue
        if all(ord(c) >= 0x80 for c in rule.text) and _covered(rule.text):
            marks.append(rule.text)
    return tuple(marks)


def _covered(text: str) -> bool:
    return not uncovered(text, chain("serif", 400))


def seeded_page(seed: int = 7) -> str:
    """Articles whose paragraphs carry a mark every few characters, each mark many times over."""
    rng = random.Random(seed)
    marks = [*seeded_marks(), "——", "……"]
    articles = []
    for number in range(6):
        paragraphs = []
        for _ in range(5):
            pieces = []
            for _ in range(50):
                pieces.append("".join(rng.choice(IDEOGRAPHS) for _ in range(rng.randint(1, 4))))
                pieces.append(rng.choice(marks))
            paragraphs.append("".join(pieces) + "。")
        articles.append(f"# 标点测试第{number + 1}篇\n\n" + "\n\n".join(paragraphs))
    return "\n\n".join(articles) + "\n"


@cache
def built(level: Level) -> tuple[Path, Path]:
    """The seeded issue built at ``level`` (PDF and EPUB), in a folder of its own."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=f"linebreak-{level}-"))
    (folder / "a1.txt").write_text(seeded_page(), encoding="utf-8")
    (folder / "lay" / "print").mkdir(parents=True)
    (folder / "lay" / "print" / "layout.toml").write_text(f'[typography]\nline_break = "{level}"\n', encoding="utf-8")
    (folder / "issue.yaml").write_text("paper: 测试晚报\ndate: 2024-02-29\nlayout: lay\n"
                                       "pages:\n  - {number: A1, section: 要闻, file: a1.txt}\n", encoding="utf-8")
    paths = build(folder / "issue.yaml", folder / "out", BuildOptions(json=False, pdf=True, epub=True))
    [pdf] = [p for p in paths if p.suffix == ".pdf"]
    [epub] = [p for p in paths if p.suffix == ".epub"]
    return pdf, epub


def test_the_seeded_page_carries_every_kind_of_mark() -> None:
    kinds = {rule.kind for rule in tables().rules if rule.text in seeded_marks()}
    assert kinds == {rule.kind for rule in tables().rules}
    assert len(seeded_marks()) > 150


def test_no_printed_line_of_the_seeded_page_starts_or_ends_on_a_prohibited_mark_at_the_strict_level() -> None:
    pdf, _ = built("strict")
    issue = load_issue(pdf.parent.parent / "issue.yaml")
    [report] = check_editions([pdf], issue).editions
    codes = [f.code for f in report.findings]
    assert "PDF011" not in codes and "PDF012" not in codes, [f.message for f in report.findings][:5]
    assert "PDF014" not in codes  # every character of the source is in the text layer
    assert report.metrics["justified_lines"] > 200  # hundreds of lines, each mark several times


def test_the_same_page_set_at_the_basic_level_has_lines_the_strict_level_forbids() -> None:
    # The seeding does reach line heads: what basic allows and strict forbids happens there.
    pdf, _ = built("basic")
    strict = lint_pdf(pdf, level="strict")
    basic = lint_pdf(pdf, level="basic")
    assert basic.prohibited_starts == basic.prohibited_ends == 0
    assert strict.prohibited_starts > 0
    assert {f.mark for f in strict.findings if f.code == "PDF011"} <= {
        rule.text for rule in tables().rules if rule.level == "strict"}


@pytest.mark.parametrize(("level", "declared"), [("strict", "strict"), ("basic", "normal")])
def test_the_epub_declares_the_print_editions_level(level: Level, declared: str) -> None:
    _, epub = built(level)
    with zipfile.ZipFile(epub) as book:
        css = book.read("EPUB/css/epub.css").decode("utf-8")
    assert css.count(f"line-break: {declared};") == 3  # line-break, -webkit- and -epub- alike
    assert "{{" not in css


# --- a PDF made to have each kind of violation ------------------------------------

PAGE = """<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><style>
@page {{ size: 150mm 110mm; margin: 8mm; }}
body {{ margin: 0; font: 9pt/1.5 "Noto Serif CJK SC", "HanaMinA"; }}
.cols {{ columns: 2; column-gap: 8mm; }}
p {{ margin: 0; text-indent: 2em; white-space: pre-line; }}
</style></head><body><div class="cols">{body}</div></body></html>"""


def faulty_lines() -> list[tuple[str, str, str]]:
    """(line, kind, mark): one body line breaking each class of the tables, at its head or its end."""
    lines = []
    for kind in dict.fromkeys(rule.kind for rule in tables().rules):
        for position in ("start", "end"):
            rules = [r for r in tables().rules if r.kind == kind and r.position == position and _covered(r.text)]
            if not rules:
                continue
            mark = rules[0].text
            line = f"{mark}甲乙丙丁戊己庚" if position == "start" else f"甲乙丙丁戊己庚{mark}"
            lines.append((line, kind, mark))
    return lines


def test_check_finds_each_kind_of_violation(tmp_path: Path) -> None:
    lines = faulty_lines()
    assert len(lines) == len({(r.kind, r.position) for r in tables().rules})  # every class, each side it has
    pdf = tmp_path / "faults.pdf"
    body = "<p>这一段的第一行缩进两字\n" + "\n".join(line for line, _, _ in lines) + "\n最后一行。</p>"
    weasyprint.HTML(string=PAGE.format(body=body)).write_pdf(pdf)

    strict = lint_pdf(pdf, level="strict")
    found = {(f.code, f.mark) for f in strict.findings if f.code in ("PDF011", "PDF012")}
    expected = {("PDF011" if line.startswith(mark) else "PDF012", mark) for line, _, mark in lines}
    assert found == expected
    for finding in (f for f in strict.findings if f.code in ("PDF011", "PDF012")):
        rules = prohibitions("strict")
        rule = rules.at_start(finding.mark + "甲") if finding.code == "PDF011" else rules.at_end(
            "甲" + finding.mark)
        assert rule is not None and finding.detail == rule.describe()

    # At the basic level what only GB-style and strict forbid is no violation.
    basic = {(f.code, f.mark) for f in lint_pdf(pdf, level="basic").findings if f.code in ("PDF011", "PDF012")}
    in_force = prohibitions("basic")
    assert basic == {(code, mark) for code, mark in expected
                     if (in_force.at_start(mark + "甲") if code == "PDF011" else in_force.at_end("甲" + mark))}
    assert basic < expected

    # `check` reports them as PDF011 and PDF012, naming the mark and its class.
    report = audit_pdf(pdf, "faults.pdf", level="strict")
    messages = {f.code: [] for f in report.findings}
    for f in report.findings:
        messages[f.code].append(f.message)
    starts = [(line, kind, mark) for line, kind, mark in lines if line.startswith(mark)]
    assert len(messages["PDF011"]) == len(starts)
    assert len(messages["PDF012"]) == len(lines) - len(starts)
    titles = {rule.kind: rule.title for rule in tables().rules}
    for line, kind, mark in lines:
        code = "PDF011" if (line, kind, mark) in starts else "PDF012"
        assert any(f"“{mark}”" in m and titles[kind] in m for m in messages[code]), (kind, mark)
