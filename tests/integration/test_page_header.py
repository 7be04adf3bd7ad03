"""The page header (版头, page_header.html) as the archive reads it from the real layout: the running head of
every sheet but the front, its folio on the page's outer side, the date line on the inner side."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from publisher.ingest.issue_yaml import load_issue
from publisher.print.pdf import lay_out_text
from publisher.print.print_options import PrintOptions
from publisher.typeset.geometry import load_geometry
from publisher.typeset.whitespace import squeeze

Make = Callable[..., Path]
STORY = "# 短讯一则\n\n晚报讯 市民在濠河边散步，看见新修的步道已经开放。\n"
# A2 is a left-hand page whose section mixes Latin and Chinese (its folio keeps the CJK–Latin space), A3 a
# right-hand one.
ISSUE = ("paper: 濠河晚报\ndate: 2024-03-15\npages:\n  - {number: A1, section: 要闻, file: a1.txt}\n"
         "  - {number: A2, section: NBA快讯, file: a2.txt}\n  - {number: A3, section: 本地, file: a3.txt}\n")


def test_the_archive_reads_each_page_header_as_the_running_head(make_issue: Make) -> None:
    path = make_issue(ISSUE, {f"a{n}.txt": STORY for n in (1, 2, 3)})
    issue = load_issue(path)
    laid_out = lay_out_text(issue, PrintOptions())
    assert len(laid_out.sheets) == len(issue.pages)
    front, *inside = laid_out.sheets
    assert not [block for block in front.blocks if block.role == "running-head"]  # the masthead carries it
    g = load_geometry(issue.page_size, issue.layout)
    paper, date = issue.paper, squeeze(issue.date_text + issue.weekday)
    for sheet, page in zip(inside, issue.pages[1:], strict=True):
        heads = [block for block in sheet.blocks if block.role == "running-head"]
        texts = [squeeze("".join(line.text for line in block.lines)) for block in heads]
        folio = squeeze(page.label + page.section)
        recto = sheet.number % 2 == 0  # the first sheet is a right-hand page
        # In reading order, left to right, the folio on the outer side.
        assert texts == ([date, paper, folio] if recto else [folio, paper, date])
        assert [block.box.x for block in heads] == sorted(block.box.x for block in heads)
        space = sheet.print_space
        outer = heads[-1].box.right - space.right if recto else heads[0].box.x - space.x
        inner = heads[0].box.x - space.x if recto else heads[-1].box.right - space.right
        assert abs(outer) < 1 and abs(inner) < 1  # flush with the type area's sides
        middle = heads[1].box.x + heads[1].box.width / 2 - (space.x + space.width / 2)
        assert abs(middle) < g.type["page_header"]  # the paper's name centred (its letter-spacing aside)
        assert all(block.box.bottom <= space.y for block in heads)  # over the type area
