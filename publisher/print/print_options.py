"""How the print edition is made: the options, checked before any work starts.

Kept apart from ``publisher.print.pdf`` so that the CLI, ``build`` and ``batch``
can name them without loading the layout machinery (Jinja2, HarfBuzz,
WeasyPrint): an unchanged batch re-run then costs little more than hashing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.limits import BLEED_MM

PDF_VARIANTS = ("pdf/a-2u", "pdf/a-3u", "pdf/a-2b", "pdf/a-3b", "pdf/ua-1")
_LENGTH = re.compile(r"(\d{1,6}(?:\.\d{1,6})?)(mm|pt|in|cm)")
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


@dataclass(frozen=True)
class PrintOptions:
    """How the print edition is made (from the issue's layout, ``Issue.layout``)."""

    variant: str | None = None  # one of PDF_VARIANTS; None for a plain PDF
    attach_sources: bool = False  # embed issue.yaml and the page files (PDF/A-3 or plain)
    bleed: str | None = None  # e.g. "3mm"
    marks: bool = False  # crop marks


# The print edition of a preservation package: PDF/A-3u carrying its sources (archive/package.py).
ARCHIVAL_PRINT = PrintOptions(variant="pdf/a-3u", attach_sources=True)


def check_options(options: PrintOptions) -> list[str]:
    """Problems with the options themselves, reported before any work starts."""
    problems = []
    if options.variant is not None and options.variant not in PDF_VARIANTS:
        problems.append(f"unknown PDF variant {options.variant!r} (known: {', '.join(PDF_VARIANTS)})")
    if options.bleed is not None:
        length = _LENGTH.fullmatch(options.bleed)
        if length is None:
            problems.append(f"--bleed {options.bleed!r} is not a length such as 3mm")
        elif float(length.group(1)) * _MM_PER_UNIT[length.group(2)] > BLEED_MM:
            problems.append(f"--bleed {options.bleed}: at most {BLEED_MM:g} mm")
    if options.attach_sources and options.variant in ("pdf/a-2u", "pdf/a-2b", "pdf/ua-1"):
        problems.append(f"{options.variant} cannot carry attachments; use pdf/a-3u to attach the sources")
    return problems
