"""The options of `build`, `preview` and `batch`, read from their arguments on one path.

A command that lacks an argument (`preview` has no --vertical, `batch` no
--bleed) keeps that option's default.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..build import BuildOptions, EpubOptions
from ..print.print_options import PrintOptions


def layout(args: argparse.Namespace) -> Path | None:
    """--layout as an absolute path: it becomes a base URL, and a worker may run elsewhere."""
    return Path(args.layout).absolute() if args.layout else None


def build_options(args: argparse.Namespace) -> BuildOptions:
    only_pdf, only_epub = getattr(args, "pdf", False), getattr(args, "epub", False)
    return BuildOptions(
        pdf=only_pdf or not only_epub,
        epub=only_epub or not only_pdf,
        layout=layout(args),
        print=PrintOptions(variant=getattr(args, "pdf_variant", None),
                           attach_sources=getattr(args, "attach_sources", False),
                           bleed=getattr(args, "bleed", None), marks=getattr(args, "crop_marks", False)),
        ebook=EpubOptions(vertical=getattr(args, "vertical", False),
                          traditional=getattr(args, "traditional", False)),
        jobs=getattr(args, "jobs", None),
    )
