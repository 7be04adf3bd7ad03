"""The command line's grammar: every command's arguments, and none of their code.

``parser`` is a recipe: one function per command adds its arguments, and the
commands are listed in ``_COMMANDS`` in the order `publisher --help` shows
them. What a command does is imported only when it is run (``commands``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from .. import __version__
from ..arguments import CommandParser
from ..limits import TIME_LIMIT
from ..print.print_options import carriers, variants_help


def _seconds(text: str) -> float:
    """A time limit: a positive number of seconds, at most a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"{text}: from more than 0 to 86400 seconds (a day)")
    return value


def _path(text: str) -> str:
    """A path argument: an empty one would silently mean the working folder (`--out ""`)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path")
    return text


def _page_arguments(command: argparse.ArgumentParser) -> None:
    """What shapes the print edition's pages: `build` and `preview` both take these."""
    command.add_argument("issue", metavar="ISSUE.yaml", type=_path, help="the issue metadata file")
    command.add_argument("--out", required=True, metavar="DIR", type=_path, help="folder for the output files")
    command.add_argument("--layout", metavar="DIR", type=_path,
                         help="layout folder whose templates, CSS and layout.toml override the defaults by name")
    command.add_argument("--bleed", metavar="LENGTH", help="bleed around each page for print production, e.g. 3mm")
    command.add_argument("--crop-marks", action="store_true", help="draw crop marks in the bleed (needs --bleed)")
    command.add_argument("--jobs", type=int, metavar="N",
                         help="processes laying out the print edition's sheets (default: the number of CPUs); "
                         "the PDF is the same for any N")


def _edition_arguments(command: argparse.ArgumentParser, as_for: str = "") -> None:
    """What changes an edition's file but not how its pages look: `build` and `batch` take these."""
    command.add_argument("--pdf-variant", metavar="VARIANT",
                         help=f"archival or accessible PDF{as_for}: {variants_help()}")
    command.add_argument("--attach-sources", action="store_true",
                         help=f"attach issue.yaml and the page files to the PDF{as_for} (a plain PDF, or "
                         f"--pdf-variant {carriers()})")
    command.add_argument("--vertical", action="store_true",
                         help=f"EPUB in vertical writing (竖排), right to left{as_for}")
    command.add_argument("--traditional", action="store_true",
                         help=f"EPUB converted to Traditional Chinese (zh-Hant){as_for}; the PDF keeps the source text")


def _parse_arguments(parse: argparse.ArgumentParser) -> None:
    parse.add_argument("page", metavar="PAGE.txt", type=_path, help="raw page file")
    parse.add_argument("--encoding", help="encoding of the page file (default: UTF-8, with or without BOM)")
    parse.add_argument("--folder", metavar="DIR", type=_path,
                       help="the issue's folder, which the pictures' paths are relative to (default: the page "
                       "file's folder)")
    parse.add_argument("--explain", action="store_true",
                       help="instead of JSON, print one line per source line: its line number, article, the role "
                       "it was given and the rule that decided it, for review")


def _build_arguments(build: argparse.ArgumentParser) -> None:
    _page_arguments(build)
    _edition_arguments(build)
    build.add_argument("--pdf", action="store_true", help="build the print edition only")
    build.add_argument("--epub", action="store_true", help="build the EPUB edition only")
    build.add_argument("--check", action="store_true",
                       help="check the editions after building (as `publisher check`); exit 1 on errors")


def _check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument("editions", nargs="+", metavar="EDITION", type=_path,
                       help="a .pdf or .epub edition, or a package's data/archive/mets.xml")
    check.add_argument("--issue", metavar="ISSUE.yaml", type=_path,
                       help="the issue the editions were built from: check their text against it")
    check.add_argument("--layout", metavar="DIR", type=_path,
                       help="the layout folder the editions were built with (with --issue)")
    check.add_argument("--json", action="store_true", help="print the report as JSON")


def _package_arguments(package: argparse.ArgumentParser) -> None:
    package.add_argument("issue", metavar="ISSUE.yaml", type=_path, help="the issue metadata file")
    package.add_argument("--out", required=True, metavar="DIR", type=_path, help="folder for the bag")
    package.add_argument("--layout", metavar="DIR", type=_path, help="layout folder (as for build)")


def _batch_arguments(batch: argparse.ArgumentParser) -> None:
    batch.add_argument("root", metavar="ROOT", type=_path, help="folder searched for issue.yaml files")
    batch.add_argument("--out", required=True, metavar="DIR", type=_path,
                       help="folder for the editions and the batch manifest")
    # Issues at once, not the processes of one issue's print layout (`build --jobs`): another name.
    batch.add_argument("--jobs", type=int, metavar="N", dest="issue_jobs",
                       help="issues built at once (default: the number of CPUs)")
    batch.add_argument("--executor", choices=("process", "dask"), default="process",
                       help="a local process pool (default), or a Dask distributed cluster")
    batch.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786")
    batch.add_argument("--check", action="store_true",
                       help="check each issue's editions (report in <slug>.check.json); errors fail the issue")
    batch.add_argument("--package", action="store_true",
                       help="also write a BagIt package per issue (PDF/A-3u editions, checked)")
    batch.add_argument("--force", action="store_true", help="build every issue, even those up to date")
    batch.add_argument("--time-limit", type=_seconds, default=TIME_LIMIT, metavar="SECONDS",
                       help=f"stop an issue's build after this long; it fails, the others go on "
                       f"(default {TIME_LIMIT:g}; not on a Dask cluster)")
    batch.add_argument("--layout", metavar="DIR", type=_path, help="layout folder for every issue (as for build)")
    _edition_arguments(batch, as_for=" of every issue")


def _catalog_arguments(catalog: argparse.ArgumentParser) -> None:
    catalog.add_argument("folder", metavar="DIR", help="folder holding built editions (e.g. a batch's --out)")


def _preview_arguments(preview: argparse.ArgumentParser) -> None:
    _page_arguments(preview)
    preview.add_argument("--dpi", type=int, default=100, help="resolution of the images (default 100)")
    preview.set_defaults(pdf=True, epub=False)


@dataclass(frozen=True)
class _Command:
    name: str
    help: str
    description: str
    arguments: Callable[[argparse.ArgumentParser], None]


_COMMANDS = (
    _Command(
        "parse", "parse one raw page file and print its articles as JSON",
        "Parse one raw page file and print its articles (kicker, headline, subheadline, dateline, paragraphs, "
        "subheads, captions, pictures, bylines) as JSON on standard output; with --explain, the role given to each "
        "source line and why. A line starting with a role marker such as {byline} is given that role. The "
        "pictures' image files are read and checked from the issue's folder.",
        _parse_arguments),
    _Command(
        "build", "build the editions of an issue",
        "Validate ISSUE.yaml and its page files, then write the editions of the issue into DIR.",
        _build_arguments),
    _Command(
        "check", "validate built editions and report findings",
        "Validate PDF and EPUB editions: epubcheck, accessibility metadata, page-list, fonts, active content; "
        "fonts with ToUnicode, PDF/A basics, typography; with --issue, the text against the source. Given a "
        "package's data/archive/mets.xml: the files it lists against their checksums, each sheet's ALTO against "
        "its PDF, the page images. Exit 1 when a finding of severity error is reported.",
        _check_arguments),
    _Command(
        "package", "write a BagIt preservation package of an issue",
        "Build the PDF/A-3u print edition (sources attached) and the EPUB, check them, and write one BagIt bag "
        "(SHA-256) into DIR/<paper>-<date>/ with the editions, the source files untouched, the check report and "
        "an issue manifest. Nothing is written if the editions fail the check (exit 1).",
        _package_arguments),
    _Command(
        "batch", "build every issue under a folder, in parallel and incrementally",
        "Find every issue.yaml under ROOT and build each into DIR/<its folder relative to ROOT>/. Issues "
        "unchanged since their last build (inputs, layouts, fonts, toolkit, options) are skipped; a bad issue is "
        "reported and the others still build. Exit 1 if any issue failed.",
        _batch_arguments),
    _Command(
        "catalog", "write an OPDS feed and a page of covers for the editions under a folder",
        "Catalogue the EPUB (and PDF) editions built under DIR for readers: DIR/opds.xml, an OPDS 1.2 acquisition "
        "feed (KOReader, Thorium, calibre) with one entry per issue, and DIR/index.html, a page of the covers "
        "grouped by month that works opened from the folder. Covers and thumbnails go to DIR/covers/. "
        "`publisher batch` does this at the end of every run.",
        _catalog_arguments),
    _Command(
        "preview", "write PNG images of the printed pages, for proofreading",
        "Build the print edition and write one PNG image per sheet into DIR (for proofreading): "
        "DIR/<paper>-<date>-01.png and on.",
        _preview_arguments),
)


def parser() -> argparse.ArgumentParser:
    """The whole command line; the command given is in ``command``."""
    top = CommandParser(
        prog="publisher",
        description="Turn an issue of a Chinese evening paper into a print PDF and an EPUB 3 edition.",
    )
    top.add_argument("--version", action="version", version=f"publisher {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        command.arguments(top.add_command(commands, command.name, help=command.help,
                                          description=command.description))
    return top
