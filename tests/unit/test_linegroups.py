"""Plain lines with the same spacing share one element of the print layout; nothing else does."""

from __future__ import annotations

from publisher.cjk import Line, Span, set_paragraph
from publisher.cjk.breaking import Run
from publisher.linegroups import group_lines

SIZE = 9.0
TEXT = "要坚持最严标准推动关口前移加强信息共享和区域协查严防死守各类交通卡口和出入通道细而又细实而又实执行各项闭环措施" * 3


def test_plain_lines_of_one_spacing_share_a_group_and_every_line_is_kept() -> None:
    lines = set_paragraph([Span(TEXT)], 13.3 * SIZE, SIZE)
    groups = group_lines(lines)
    assert [line for group in groups for line in group.lines] == lines
    assert len(groups) < len(lines)
    for group in groups:
        assert len({f"{line.letter_spacing_pt:.4f}" for line in group.lines}) == 1
        assert all(not line.indent_pt for line in group.lines[1:])


def test_an_indented_first_line_stands_alone() -> None:
    lines = set_paragraph([Span(TEXT)], 13.3 * SIZE, SIZE, indent_em=2.0)
    assert lines[0].indent_pt
    assert group_lines(lines)[0].lines == (lines[0],)


def test_a_line_with_a_class_or_a_fallback_character_is_not_grouped() -> None:
    # "𠀁" (Extension B) is drawn by a fallback face; the bold dateline is a classed run.
    text = TEXT[:40] + "𠀁" + TEXT[40:]
    lines = set_paragraph([Span("晚报讯", weight=700), Span(text)], 13.3 * SIZE, SIZE, indent_em=0.0)
    for group in group_lines(lines):
        if len(group.lines) > 1:
            assert all(len(line.runs) == 1 and not line.runs[0].classes for line in group.lines)
            assert "𠀁" not in "".join(line.text for line in group.lines)
    assert any("𠀁" in g.lines[0].text and len(g.lines) == 1 for g in group_lines(lines))


def _line(*runs: Run) -> Line:
    return Line(runs, letter_spacing_pt=0.2, indent_pt=0.0, natural_width_pt=100.0, measure_pt=101.0, last=False)


def test_a_line_whose_every_mark_is_compressed_takes_halt_as_a_whole() -> None:
    line = _line(Run("要坚持最严标准"), Run("。”", ("halt",)), Run("推动关口前移"))
    [group] = group_lines([line])
    assert group.halt
    assert [(run.text, run.classes) for line in group.lines for run in line.runs] == [("要坚持最严标准。”推动关口前移", ())]


def test_a_line_with_a_mark_left_full_width_keeps_its_halt_span() -> None:
    line = _line(Run("要坚持"), Run("，", ("halt",)), Run("最严标准，推动"))
    [group] = group_lines([line])
    assert not group.halt
    assert group.lines == (line,)


def test_margins_and_other_classes_survive_the_halt_merge() -> None:
    line = _line(Run("据统计"), Run("，", ("halt",)), Run("COVID", ("latin",), 2.25, 2.25), Run("疫苗"))
    [group] = group_lines([line])
    assert group.halt
    assert [(r.text, r.classes, r.margin_left_pt, r.margin_right_pt) for r in group.lines[0].runs] == [
        ("据统计，", (), 0.0, 0.0), ("COVID", ("latin",), 2.25, 2.25), ("疫苗", (), 0.0, 0.0)]
