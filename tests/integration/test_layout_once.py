"""render_once(): each page laid out once, and the PDF byte for byte WeasyPrint's own."""

from __future__ import annotations

import gc
import logging

import pytest
from weasyprint import CSS, HTML

from publisher.layout_once import render_once

# Three sheets, each with its own running header, as the print layout has.
PAGES = "".join(
    f'<section style="break-before: page"><div class="head">{label} 要闻</div>'
    f"<p>{'晚报讯 市委书记主持召开会议。' * 40}</p></section>"
    for label in ("A1", "A2", "A3")
)
RUNNING = CSS(string="""
@page { size: 120mm 160mm; @top-center { content: element(head) } }
.head { position: running(head); font: 700 9pt "Noto Sans CJK SC" }
html { font: 9pt "Noto Serif CJK SC" }
""")
# A note leaves the flow once it is known: that case keeps WeasyPrint's second pass.
NOTES = CSS(string="""
@page { size: 120mm 160mm; @bottom-center { content: element(foot) } }
.head { position: note(foot); font: 9pt "Noto Sans CJK SC" }
html { font: 9pt "Noto Serif CJK SC" }
""")


def _pdf(document: object) -> bytes:
    data = document.write_pdf(pdf_identifier=b"0" * 32)  # type: ignore[attr-defined]
    assert isinstance(data, bytes)
    return data


def _page_layouts(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for r in caplog.records if r.getMessage().startswith("Step 5 - Creating layout - Page")
               and "up-to-date" not in r.getMessage())


@pytest.mark.slow
def test_running_headers_are_laid_out_once_with_the_same_pdf(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="weasyprint.progress")
    stock = HTML(string=PAGES).render(stylesheets=[RUNNING])
    stock_layouts = _page_layouts(caplog)
    caplog.clear()
    once = render_once(HTML(string=PAGES), [RUNNING])
    once_layouts = _page_layouts(caplog)

    assert len(once.pages) == len(stock.pages) == 3
    assert once_layouts == 3 < stock_layouts
    assert _pdf(once) == _pdf(stock)


@pytest.mark.slow
def test_notes_keep_the_stock_layout() -> None:
    stock = HTML(string=PAGES).render(stylesheets=[NOTES])
    once = render_once(HTML(string=PAGES), [NOTES])
    assert _pdf(once) == _pdf(stock)


def test_other_renders_in_the_process_are_untouched(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="weasyprint.progress")
    render_once(HTML(string=PAGES), [RUNNING])  # installs the wrapper
    caplog.clear()
    HTML(string=PAGES).render(stylesheets=[RUNNING])
    assert _page_layouts(caplog) > 3


def test_the_garbage_collector_is_left_as_it_was() -> None:
    render_once(HTML(string=PAGES), [RUNNING])
    assert gc.isenabled()
    gc.disable()
    try:
        render_once(HTML(string=PAGES), [RUNNING])
        assert not gc.isenabled()
    finally:
        gc.enable()
