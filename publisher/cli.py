"""The command line: parse, build. Input problems become `file:line: message` lines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import InputError, ToolError, display_path


def _parse(args: argparse.Namespace, out: TextIO) -> int:
    from .parse import article_json, parse_page
    from .sources import read_page

    articles = parse_page(read_page(Path(args.page), args.encoding))
    json.dump({"articles": [article_json(a) for a in articles]}, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


def _build(args: argparse.Namespace, out: TextIO) -> int:
    from .build import BuildOptions, build

    only_pdf, only_epub = args.pdf, args.epub
    options = BuildOptions(
        pdf=only_pdf or not only_epub,
        epub=only_epub or not only_pdf,
        layout=Path(args.layout) if args.layout else None,
    )
    for path in build(Path(args.issue), Path(args.out), options):
        out.write(f"wrote {display_path(path)}\n")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="publisher",
        description="Turn an issue of a Chinese evening paper into a print PDF and an EPUB 3 edition.",
    )
    top.add_argument("--version", action="version", version=f"publisher {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser(
        "parse", help="parse one raw page file and print its articles as JSON",
        description="Parse one raw page file and print its articles (kicker, headline, dateline, "
        "paragraphs, bylines) as JSON on standard output.",
    )
    parse.add_argument("page", metavar="PAGE.txt", help="raw page file")
    parse.add_argument("--encoding", help="encoding of the page file (default: UTF-8, with or without BOM)")
    parse.set_defaults(run=_parse)

    build = commands.add_parser(
        "build", help="build the editions of an issue",
        description="Validate ISSUE.yaml and its page files, then write the editions of the issue into DIR.",
    )
    build.add_argument("issue", metavar="ISSUE.yaml", help="the issue metadata file")
    build.add_argument("--out", required=True, metavar="DIR", help="folder for the editions")
    build.add_argument("--pdf", action="store_true", help="build the print edition only")
    build.add_argument("--epub", action="store_true", help="build the EPUB edition only")
    build.add_argument("--layout", metavar="DIR", help="layout folder whose templates and CSS override the defaults")
    build.set_defaults(run=_build)
    return top


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    try:
        return run(args, out)
    except InputError as error:
        for problem in error.problems:
            err.write(f"{problem}\n")
        return error.exit_code
    except ToolError as error:
        err.write(f"publisher: {error}\n")
        return error.exit_code
    except KeyboardInterrupt:
        err.write("publisher: interrupted\n")
        return 130


def entry() -> None:
    sys.exit(main())
