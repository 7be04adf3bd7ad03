"""The typography lint on small PDFs made by the real WeasyPrint with known faults."""

from __future__ import annotations

from typing import get_args

import weasyprint

from publisher.check.findings import RULES
from publisher.check.lint import LOOSEST, NOT_FLUSH, PROHIBITED_END, PROHIBITED_START, LintCode, lint_pdf

PAGE = """<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><style>
@page {{ size: 120mm 80mm; margin: 10mm; }}
body {{ margin: 0; font: 9pt/1.5 "Noto Serif CJK SC"; }}
.cols {{ columns: 2; column-gap: 8mm; }}
p {{ margin: 0; text-indent: 2em; white-space: pre-line; }}
h2 {{ font: 700 14pt "Noto Sans CJK SC"; margin: 0; }}
</style></head><body><div class="cols">{body}</div></body></html>"""


def pdf(body: str) -> bytes:
    out: bytes = weasyprint.HTML(string=PAGE.format(body=body)).write_pdf()
    return out


def test_the_lint_records_lines_under_the_codes_check_reports() -> None:
    # One vocabulary: what the lint finds carries the registry's code from where it is found.
    titles = {code: RULES[code].title for code in get_args(LintCode)}
    assert titles == {PROHIBITED_START: "prohibited line start", PROHIBITED_END: "prohibited line end",
                      NOT_FLUSH: "justified lines not flush", LOOSEST: "justified lines loose"}


def test_finds_prohibited_starts_and_ends() -> None:
    report = lint_pdf(pdf("<p>一二三四五六“\n，七八九十甲乙\n丙丁戊己庚辛。</p>"))
    assert (report.prohibited_starts, report.prohibited_ends) == (1, 1)
    codes = sorted((f.code, f.text) for f in report.findings if f.code in ("PDF011", "PDF012"))
    assert codes == [("PDF011", "，七八九十甲乙"), ("PDF012", "一二三四五六“")]
    assert all(f.page == 1 for f in report.findings)


def test_short_lines_inside_a_paragraph_are_not_flush_and_paragraph_ends_are_not_counted() -> None:
    # Column width is 46 mm ≈ 14.5 em: full lines of 14 characters are not flush either.
    first, full = "甲" * 12, "中" * 14
    body = f"<p>{first}\n{full}\n中中中</p><p>{first}\n一二三四\n{full}\n中中</p><h2>标题</h2>"
    report = lint_pdf(pdf(body), column_width_pt=46 * 72 / 25.4)
    # Justified: two lines of the first paragraph, three of the second.
    assert report.justified == 5
    assert report.flush == 0
    assert {f.text for f in report.findings if f.code == "PDF013"} == {first, full, "一二三四"}


def test_at_the_strict_level_a_dash_or_an_ellipsis_starts_only_a_paragraph() -> None:
    body = "<p>……一二三四五六七八九\n一二三四五六七八九十甲乙\n……丙丁戊己庚辛壬癸子丑\n寅卯辰巳。</p>"
    strict = lint_pdf(pdf(body))
    [finding] = [f for f in strict.findings if f.code == "PDF011"]
    assert finding.text.startswith("……丙丁") and finding.mark == "…"
    assert finding.detail == "dashes and ellipses (破折号、省略号), kept off a line's head from the strict level"
    assert strict.prohibited_starts == 1
    assert lint_pdf(pdf(body), level="basic").prohibited_starts == 0
