"""How the print edition is made: the options, checked before any work starts.

Kept apart from ``publisher.print.pdf`` so that the CLI, ``build`` and ``batch``
can name them without loading the layout machinery (Jinja2, HarfBuzz,
WeasyPrint): an unchanged batch re-run then costs little more than hashing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..limits import BLEED_MM


@dataclass(frozen=True)
class Variant:
    """A PDF variant WeasyPrint writes and `publisher check` verifies."""

    name: str  # as given to --pdf-variant
    summary: str  # what it is for, in --help and the README
    attachments: bool  # whether it may carry the sources (--attach-sources)


# The one list of variants: --help, the messages and the README's table are made from it
# (tests/integration/test_readme.py holds the README to it).
VARIANTS = (
    Variant("pdf/a-3u", "archival, level U (searchable text), can carry its sources (the variant of `package`)",
            True),
    Variant("pdf/a-2u", "archival, level U (searchable text), no attachments", False),
    Variant("pdf/a-3b", "archival, level B (claims the appearance only), can carry its sources", True),
    Variant("pdf/a-2b", "archival, level B (claims the appearance only), no attachments", False),
    Variant("pdf/ua-1", "tagged for screen readers (PDF/UA), not archival", False),
)
PDF_VARIANTS = tuple(variant.name for variant in VARIANTS)
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


def variants_help() -> str:
    """The variants for --help: each name with what it is for."""
    return "; ".join(f"{variant.name}: {variant.summary}" for variant in VARIANTS)


def carriers() -> str:
    """The variants that can carry the sources, in words."""
    return " or ".join(variant.name for variant in VARIANTS if variant.attachments)


def variants_table() -> str:
    """The variants as the README's Markdown table."""
    rows = [f"| `{variant.name}` | {variant.summary} |" for variant in VARIANTS]
    return "\n".join(["| `--pdf-variant` | for |", "|---|---|", *rows])


def check_options(options: PrintOptions) -> list[str]:
    """Problems with the options themselves, reported before any work starts."""
    problems = []
    variant = next((v for v in VARIANTS if v.name == options.variant), None)
    if options.variant is not None and variant is None:
        problems.append(f"unknown PDF variant {options.variant!r} (known: {', '.join(PDF_VARIANTS)})")
    if options.bleed is not None:
        length = _LENGTH.fullmatch(options.bleed)
        if length is None:
            problems.append(f"--bleed {options.bleed!r} is not a length such as 3mm")
        elif float(length.group(1)) * _MM_PER_UNIT[length.group(2)] > BLEED_MM:
            problems.append(f"--bleed {options.bleed}: at most {BLEED_MM:g} mm")
    elif options.marks:
        # Without a bleed, CSS gives the marks 6 pt beyond the trim: too short to cut by, and not what was asked.
        problems.append("--crop-marks needs --bleed: the marks stand in the bleed (e.g. --bleed 3mm --crop-marks)")
    if options.attach_sources and variant is not None and not variant.attachments:
        problems.append(f"{variant.name} cannot carry attachments; use {carriers()} to attach the sources")
    return problems
