"""Reading a PDF's characters with pdfminer.six, within bounds.

A PDF from elsewhere can ask for far more work than its size suggests: a
2.5 KB file whose form XObjects each draw the one below ten times draws a
hundred million characters, and a content stream is interpreted again every
time its form is drawn. The streams' decoded size is bounded before anything
reads them (``pdf_audit.out_of_proportion``); here what the interpreter
does is bounded as it does it: the content bytes it interprets (forms
counted each time they are drawn) and the characters, paths, images and
forms it draws. Past a bound the reading stops with ``TooMuchContent``.

Our own editions stay far inside: a 16-page issue interprets about 0.4 MB
of content and draws about 45,000 characters.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import stream_value

from ..limits import PDF_READ_CONTENT_BYTES, PDF_READ_MARKS, PDF_READ_PAGE_MARKS
from ..untrusted import size_text


class TooMuchContent(ValueError):
    """The PDF asks for more drawing than any edition needs: not read further."""


class _Budget:
    def __init__(self) -> None:
        self.content = 0
        self.marks = 0
        self.page_marks = 0  # a page's marks are held in memory until the page is done

    def spend_content(self, size: int) -> None:
        self.content += size
        if self.content > PDF_READ_CONTENT_BYTES:
            raise TooMuchContent(f"its content streams, forms counted each time they are drawn, run past "
                                 f"{size_text(PDF_READ_CONTENT_BYTES)}")

    def spend_mark(self) -> None:
        self.marks += 1
        self.page_marks += 1
        if self.page_marks > PDF_READ_PAGE_MARKS:
            raise TooMuchContent(f"a page draws more than {PDF_READ_PAGE_MARKS:,} characters, paths, images and "
                                 "forms")
        if self.marks > PDF_READ_MARKS:
            raise TooMuchContent(f"it draws more than {PDF_READ_MARKS:,} characters, paths, images and forms")


class _Device(PDFPageAggregator):
    """pdfminer's page aggregator, counting what it is asked to draw."""

    def __init__(self, manager: PDFResourceManager, budget: _Budget) -> None:
        super().__init__(manager, laparams=None)
        self.budget = budget

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        self.budget.spend_mark()
        return float(super().render_char(*args, **kwargs))

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        self.budget.spend_mark()
        super().paint_path(*args, **kwargs)

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        self.budget.spend_mark()
        super().render_image(*args, **kwargs)

    def begin_figure(self, *args: Any, **kwargs: Any) -> None:
        self.budget.spend_mark()
        super().begin_figure(*args, **kwargs)


class _Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter, counting the content bytes it interprets (a form's each time it is drawn)."""

    device: _Device

    def render_contents(self, resources: dict[object, object], streams: Sequence[object],
                        ctm: Any = (1, 0, 0, 1, 0, 0)) -> None:
        for stream in streams if isinstance(streams, list | tuple) else [streams]:
            try:
                self.device.budget.spend_content(len(stream_value(stream).get_data() or b""))
            except TooMuchContent:
                raise
            except Exception:  # not a stream: pdfminer's own reading skips or reports it
                pass
        super().render_contents(resources, streams, ctm=ctm)


def pages(pdf: Path | bytes) -> Iterator[Any]:
    """Each page as pdfminer lays it out (no layout analysis: that is the slow part), within the bounds."""
    with io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf.open("rb") as stream:
        manager = PDFResourceManager()
        device = _Device(manager, _Budget())
        interpreter = _Interpreter(manager, device)
        for page in PDFPage.get_pages(stream):
            device.budget.page_marks = 0
            interpreter.process_page(page)
            yield device.get_result()
