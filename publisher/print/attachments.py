"""The issue's sources attached to the print edition (``--attach-sources``, PDF/A-3).

The bytes the issue was read from, not the files again: they may have
changed or gone since. The pictures' image files too, under their names in
the issue's folder: the edition can be made again from what it carries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Issue
from ..timestamps import build_datetime

if TYPE_CHECKING:
    from weasyprint import Attachment


def source_attachments(issue: Issue) -> list[Attachment]:
    from .engine import weasyprint

    created = build_datetime(issue)
    texts = {issue.source: issue.data, **{page.source: page.data for page in issue.pages}}
    files = {**{path.name: data or path.read_bytes() for path, data in texts.items()},
             **{image.file: image.data for image in issue.images()}}
    return [
        weasyprint.Attachment(string=data, name=name, description=f"source of {issue.title}", created=created,
                   modified=created, relationship="Source")
        for name, data in files.items()
    ]
