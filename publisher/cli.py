"""The command line: parse, build, check, package, batch, catalog, preview.
Input problems become `file:line: message` lines."""

from __future__ import annotations

import argparse
import errno
import io
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .arguments import CommandParser
from .atomic import OutputError
from .errors import InputError, Problem, ToolError, display_path, printable, shown_problems
from .limits import JOBS_PER_CPU, TIME_LIMIT
from .print.print_options import carriers, variants_help

if TYPE_CHECKING:
    from .build import BuildOptions
    from .model import Issue


def _parse(args: argparse.Namespace, out: TextIO) -> int:
    from .ingest.images import Shelf
    from .ingest.parse import article_json, read_page
    from .ingest.sources import ON_COMMAND_LINE
    from .ingest.sources import read_page as read_source

    path = Path(args.page)
    folder = Path(args.folder) if args.folder else path.absolute().parent
    parsed = read_page(read_source(path, args.encoding, if_gb18030=ON_COMMAND_LINE), display_path(path),
                       Shelf(folder))
    if args.explain:
        from .ingest.explain import explain

        out.write("".join(line + "\n" for line in explain(parsed)))
        return 0
    json.dump({"articles": [article_json(a) for a in parsed.articles]}, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


def _build(args: argparse.Namespace, out: TextIO) -> int:
    from .build import build_issue, load

    options = _build_options(args)
    issue = load(Path(args.issue), options)
    notes: list[str] = []
    written = build_issue(issue, Path(args.out), options, notes=notes)
    for path in written:
        out.write(f"wrote {display_path(path)}\n")
    for note in notes:  # the page make-up's: a page whose copy runs over, a sheet it does not fill
        args.stderr.write(f"{note}\n")
    if args.check:
        editions = [path for path in written if path.suffix in (".pdf", ".epub")]
        return _report_check(editions, issue, False, out)
    return 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from .ingest.issue_yaml import load_issue

    if args.layout and not args.issue:
        # The layout is read only to measure the editions against their issue: alone it would do nothing.
        raise InputError([Problem("command line", None, "--layout is the layout the editions were built with: "
                                  "give their issue too (--issue ISSUE.yaml)")])
    issue = load_issue(Path(args.issue), layout=_layout(args)) if args.issue else None
    return _report_check([Path(e) for e in args.editions], issue, args.json, out)


def _layout(args: argparse.Namespace) -> Path | None:
    """--layout as an absolute path: it becomes a base URL, and a worker may run elsewhere."""
    return Path(args.layout).absolute() if args.layout else None


def _report_check(editions: list[Path], issue: Issue | None, as_json: bool, out: TextIO) -> int:
    from .check.editions import check_editions, report_json

    report = check_editions(editions, issue)
    out.write(report_json(report).decode("utf-8") if as_json else report.to_text())
    return 0 if report.passed else 1


def _build_options(args: argparse.Namespace) -> BuildOptions:
    from .build import BuildOptions
    from .print.print_options import PrintOptions

    only_pdf, only_epub = args.pdf, args.epub
    layout = _layout(args)
    # `preview` offers only what changes the print edition's pages: the rest keep their defaults.
    return BuildOptions(
        pdf=only_pdf or not only_epub,
        epub=only_epub or not only_pdf,
        layout=layout,
        print=PrintOptions(variant=getattr(args, "pdf_variant", None),
                           attach_sources=getattr(args, "attach_sources", False),
                           bleed=args.bleed, marks=args.crop_marks),
        vertical=getattr(args, "vertical", False),
        traditional=getattr(args, "traditional", False),
        jobs=args.jobs,
    )


def _package(args: argparse.Namespace, out: TextIO) -> int:
    from .archive.package import CheckFailed, package
    from .ingest.issue_yaml import load_issue

    try:
        bag = package(load_issue(Path(args.issue), layout=_layout(args)), Path(args.out))
    except CheckFailed as failed:
        out.write(failed.report.to_text())
        args.stderr.write(f"{failed}\n")
        return failed.exit_code
    out.write(f"wrote {display_path(bag)}\n")
    return 0


def _batch(args: argparse.Namespace, out: TextIO) -> int:
    from .batch import BatchOptions, report, run_batch
    from .build import BuildOptions
    from .print.print_options import PrintOptions

    layout = _layout(args)
    cpus = os.cpu_count() or 1
    if args.jobs is not None and args.jobs > JOBS_PER_CPU * cpus:  # fewer than one: run_batch says so
        raise InputError([Problem("command line", None, f"--jobs {args.jobs}: at most {JOBS_PER_CPU * cpus} "
                                  f"({JOBS_PER_CPU} a CPU)")])
    options = BatchOptions(
        build=BuildOptions(layout=layout, print=PrintOptions(variant=args.pdf_variant,
                                                             attach_sources=args.attach_sources),
                           vertical=args.vertical, traditional=args.traditional),
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        check=args.check,
        package=args.package,
        force=args.force,
        time_limit=args.time_limit,
    )
    result = run_batch(Path(args.root), Path(args.out), options, args.stderr)
    report(result, out, args.stderr)
    if any(outcome.status != "failed" for outcome in result.outcomes):
        # The shelf of everything built so far, this run's issues too (left as it is when nothing changed).
        _write_catalogue(Path(args.out), out, unless_current=True)
    return 1 if result.failed else 0


def _catalog(args: argparse.Namespace, out: TextIO) -> int:
    _write_catalogue(Path(args.folder), out)
    return 0


def _write_catalogue(folder: Path, out: TextIO, unless_current: bool = False) -> None:
    from .epub.shelf_stamp import FEED, PAGE, current

    if unless_current and current(folder)[0]:
        return  # decided without importing what writes the catalogue (lxml, Jinja, Pillow)
    from .epub.shelf import write_catalogue

    for path in write_catalogue(folder):
        if path.name in (FEED, PAGE):
            out.write(f"wrote {printable(display_path(path))}\n")


def _preview(args: argparse.Namespace, out: TextIO) -> int:
    from .preview import preview

    for path in preview(Path(args.issue), Path(args.out), _build_options(args), dpi=args.dpi):
        out.write(f"wrote {display_path(path)}\n")
    return 0


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


def parser() -> argparse.ArgumentParser:
    top = CommandParser(
        prog="publisher",
        description="Turn an issue of a Chinese evening paper into a print PDF and an EPUB 3 edition.",
    )
    top.add_argument("--version", action="version", version=f"publisher {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = top.add_command(
        commands, "parse", help="parse one raw page file and print its articles as JSON",
        description="Parse one raw page file and print its articles (kicker, headline, subheadline, dateline, "
        "paragraphs, subheads, captions, pictures, bylines) as JSON on standard output; with --explain, the role "
        "given to each source line and why. A line starting with a role marker such as {byline} is given that "
        "role. The pictures' image files are read and checked from the issue's folder.",
    )
    parse.add_argument("page", metavar="PAGE.txt", type=_path, help="raw page file")
    parse.add_argument("--encoding", help="encoding of the page file (default: UTF-8, with or without BOM)")
    parse.add_argument("--folder", metavar="DIR", type=_path,
                       help="the issue's folder, which the pictures' paths are relative to (default: the page "
                       "file's folder)")
    parse.add_argument("--explain", action="store_true",
                       help="instead of JSON, print one line per source line: its line number, article, the role "
                       "it was given and the rule that decided it, for review")
    parse.set_defaults(run=_parse)

    build = top.add_command(
        commands, "build", help="build the editions of an issue",
        description="Validate ISSUE.yaml and its page files, then write the editions of the issue into DIR.",
    )
    _page_arguments(build)
    _edition_arguments(build)
    build.add_argument("--pdf", action="store_true", help="build the print edition only")
    build.add_argument("--epub", action="store_true", help="build the EPUB edition only")
    build.add_argument("--check", action="store_true",
                       help="check the editions after building (as `publisher check`); exit 1 on errors")
    build.set_defaults(run=_build)

    check = top.add_command(
        commands, "check", help="validate built editions and report findings",
        description="Validate PDF and EPUB editions: epubcheck, accessibility metadata, page-list, fonts, active "
        "content; fonts with ToUnicode, PDF/A basics, typography; with --issue, the text against the source. "
        "Given a package's data/archive/mets.xml: the files it lists against their checksums, each sheet's ALTO "
        "against its PDF, the page images. Exit 1 when a finding of severity error is reported.",
    )
    check.add_argument("editions", nargs="+", metavar="EDITION", type=_path,
                       help="a .pdf or .epub edition, or a package's data/archive/mets.xml")
    check.add_argument("--issue", metavar="ISSUE.yaml", type=_path,
                       help="the issue the editions were built from: check their text against it")
    check.add_argument("--layout", metavar="DIR", type=_path,
                       help="the layout folder the editions were built with (with --issue)")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(run=_check)

    package = top.add_command(
        commands, "package", help="write a BagIt preservation package of an issue",
        description="Build the PDF/A-3u print edition (sources attached) and the EPUB, check them, and write one "
        "BagIt bag (SHA-256) into DIR/<paper>-<date>/ with the editions, the source files untouched, the check "
        "report and an issue manifest. Nothing is written if the editions fail the check (exit 1).",
    )
    package.add_argument("issue", metavar="ISSUE.yaml", type=_path, help="the issue metadata file")
    package.add_argument("--out", required=True, metavar="DIR", type=_path, help="folder for the bag")
    package.add_argument("--layout", metavar="DIR", type=_path, help="layout folder (as for build)")
    package.set_defaults(run=_package)

    batch = top.add_command(
        commands, "batch", help="build every issue under a folder, in parallel and incrementally",
        description="Find every issue.yaml under ROOT and build each into DIR/<its folder relative to ROOT>/. "
        "Issues unchanged since their last build (inputs, layouts, fonts, toolkit, options) are skipped; a bad "
        "issue is reported and the others still build. Exit 1 if any issue failed.",
    )
    batch.add_argument("root", metavar="ROOT", type=_path, help="folder searched for issue.yaml files")
    batch.add_argument("--out", required=True, metavar="DIR", type=_path,
                       help="folder for the editions and the batch manifest")
    batch.add_argument("--jobs", type=int, metavar="N", help="issues built at once (default: the number of CPUs)")
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
    batch.set_defaults(run=_batch)

    catalog = top.add_command(
        commands, "catalog", help="write an OPDS feed and a page of covers for the editions under a folder",
        description="Catalogue the EPUB (and PDF) editions built under DIR for readers: DIR/opds.xml, an OPDS 1.2 "
        "acquisition feed (KOReader, Thorium, calibre) with one entry per issue, and DIR/index.html, a page of "
        "the covers grouped by month that works opened from the folder. Covers and thumbnails go to DIR/covers/. "
        "`publisher batch` does this at the end of every run.",
    )
    catalog.add_argument("folder", metavar="DIR", help="folder holding built editions (e.g. a batch's --out)")
    catalog.set_defaults(run=_catalog)

    preview = top.add_command(
        commands, "preview", help="write PNG images of the printed pages, for proofreading",
        description="Build the print edition and write one PNG image per sheet into DIR (for proofreading): "
        "DIR/<paper>-<date>-01.png and on.",
    )
    _page_arguments(preview)
    preview.add_argument("--dpi", type=int, default=100, help="resolution of the images (default 100)")
    preview.set_defaults(run=_preview, pdf=True, epub=False)
    return top


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace, TextIO], int] = args.run
    args.stderr = err  # for commands that report progress or failures besides their output
    try:
        return run(args, out)
    except InputError as error:
        for line in shown_problems([str(problem) for problem in error.problems]):
            err.write(f"{line}\n")
        return error.exit_code
    except (ToolError, OutputError) as error:
        err.write(f"publisher: {printable(str(error))}\n")
        return error.exit_code
    except KeyboardInterrupt:
        err.write("publisher: interrupted\n")
        return 130
    except OSError as error:
        if error.errno == errno.EPIPE:
            raise
        # The system refused something no check foresaw: still a message, not a traceback.
        where = f"{error.filename}: " if error.filename else ""
        err.write(f"publisher: {where}{error.strerror or error}\n")
        return OutputError.exit_code


def entry() -> None:
    # Messages name files and quote the text in Chinese: never fail to print them,
    # whatever the locale (LANG=C, PYTHONIOENCODING=ascii).
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output went away (`publisher parse x | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 141
    except KeyboardInterrupt:
        code = 130
    if code == 130:
        # Interrupted and reported: a second Ctrl-C (or one held back until a native import was done)
        # must not break into the clean-up at exit with a traceback and another exit status.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
