"""build(): one issue in, its editions out. Reads like the pipeline it runs.

First everything is read and checked (the issue, every page, the options,
font coverage), so that a bad input stops the build before any file is
written; then each edition is rendered and written atomically.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import OutputError, Staging, is_output_errno, output_error, write_atomic
from .errors import InputError, Problem, display_path
from .print.collector import kept_frozen
from .print.print_options import PrintOptions, check_options
from .timestamps import epoch_problem

if TYPE_CHECKING:
    from .forked import Served
    from .model import Issue
    from .print.pdf import LaidOut
    from .typeset.makeup import MadeUpSheet

# The model and the parser are imported where they are used: the batch
# imports this module for BuildOptions alone, and an unchanged re-run should
# not pay for them.


@dataclass(frozen=True)
class EpubOptions:
    """How the EPUB edition is made (``epub.book.write_epub``'s settings)."""

    vertical: bool = False  # vertical writing (竖排)
    traditional: bool = False  # converted to Traditional Chinese
    # dcterms:modified is the issue's build date (timestamps.build_datetime)
    # instead of the clock, so that the editions rebuild byte for byte: a
    # preservation package promises that.
    reproducible: bool = False


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how; the defaults build every edition."""

    json: bool = True
    pdf: bool = True
    epub: bool = True
    layout: Path | None = None
    print: PrintOptions = field(default_factory=PrintOptions)
    ebook: EpubOptions = field(default_factory=EpubOptions)
    jobs: int | None = None  # processes laying out the print edition's sheets; None: one per core


def edition_paths(issue: Issue, out_dir: Path, options: BuildOptions) -> dict[str, Path]:
    """The file each requested edition is written to."""
    suffix = ("-vertical" if options.ebook.vertical else "") + ("-zh-Hant" if options.ebook.traditional else "")
    paths = {}
    if options.json:
        paths["json"] = out_dir / f"{issue.slug}.json"
    if options.pdf:
        paths["pdf"] = out_dir / f"{issue.slug}.pdf"
    if options.epub:
        paths["epub"] = out_dir / f"{issue.slug}{suffix}.epub"
    return paths


def issue_json(issue: Issue) -> dict[str, object]:
    from .ingest.parse import ad_json, article_json

    return {
        **issue.metadata(),
        "pages": [
            {
                "number": page.label,
                "section": page.section,
                "file": page.source.name,
                "articles": [article_json(article) for article in page.articles],
            } | ({"ads": [ad_json(ad) for ad in page.ads]} if page.ads else {})
            for page in issue.pages
        ],
    }


def write_json(issue: Issue, out: Path) -> Path:
    text = json.dumps(issue_json(issue), ensure_ascii=False, indent=2) + "\n"
    return write_atomic(out, text.encode("utf-8"))


def option_problems(options: BuildOptions) -> list[Problem]:
    """Problems with the options and the environment, found before any input is read."""
    problems = [_given(message) for message in check_options(options.print)]
    if (epoch := epoch_problem()) is not None:
        problems.append(Problem("environment", None, epoch))
    if options.jobs is not None and options.jobs < 1:
        problems.append(_given(f"--jobs must be 1 or more, not {options.jobs}"))
    # An option for an edition that is not built would be silently ignored: say so instead.
    if not options.epub:
        ebook = options.ebook
        problems += [_given(f"{flag} changes only the EPUB, and --pdf builds the print edition alone")
                     for flag, given in (("--vertical", ebook.vertical), ("--traditional", ebook.traditional))
                     if given]
    if not options.pdf:
        printing = options.print
        problems += [_given(f"{flag} changes only the print edition, and --epub builds the EPUB alone")
                     for flag, given in (("--pdf-variant", printing.variant is not None),
                                         ("--attach-sources", printing.attach_sources),
                                         ("--bleed", printing.bleed is not None), ("--crop-marks", printing.marks))
                     if given]
    return problems


def _given(message: str) -> Problem:
    """A problem with an option given on the command line."""
    return Problem("command line", None, message)


def overwrites(issue: Issue, outputs: list[Path]) -> list[Problem]:
    """Outputs that would replace the issue's own sources (a page file named like an edition, built into its
    own folder), or hold them (a bag named like the folder that holds issue.yaml, packaged into its parent)."""
    sources = [issue.source, *(page.source for page in issue.pages)]
    if issue.layout is not None:
        sources.append(issue.layout)
    held = {source.resolve() for source in sources}
    problems = []
    for output in outputs:
        target = output.resolve()
        if any(source == target or source.is_relative_to(target) for source in held):
            what = next(source for source in sources if source.resolve() == target or
                        source.resolve().is_relative_to(target))
            problems.append(Problem(display_path(issue.source), None, f"the output {display_path(output)} would "
                                    f"replace {display_path(what)}, a source of the issue; write into another "
                                    "folder"))
    return problems


def load(issue_path: Path, options: BuildOptions | None = None) -> Issue:
    """The issue as a build reads it: the options checked first, then issue.yaml and every page.

    The commands load an issue once and hand it to ``build_issue``, the checks
    and the package.
    """
    from .ingest.issue_yaml import load_issue

    options = options or BuildOptions()
    if problems := option_problems(options):
        raise InputError(problems)
    return load_issue(issue_path, layout=options.layout)


def build(issue_path: Path, out_dir: Path, options: BuildOptions | None = None,
          laid_out: LaidOut | None = None, notes: list[str] | None = None) -> list[Path]:
    """Load one issue and build its editions into ``out_dir``; return the files written (``build_issue``)."""
    options = options or BuildOptions()
    with printing_beside(options) as printer:
        return build_issue(load(issue_path, options), out_dir, options, laid_out, notes, printer)


@dataclass(frozen=True)
class _PrintRequest:
    """What the print process is given once the issue is read and made up."""

    issue: Issue
    sheets: list[MadeUpSheet]
    out: Path
    options: PrintOptions
    jobs: int
    want_text: bool
    out_dir: Path


@contextmanager
def printing_beside(options: BuildOptions) -> Iterator[Served[_PrintRequest, LaidOut | None] | None]:
    """The print edition's process, forked before the issue is read, for ``build_issue``'s ``printer``.

    It imports WeasyPrint and compiles the layout's print templates (0.3 s of
    CPU) while this process reads, checks and makes up the issue, where the
    build otherwise did it between the make-up and the layout, with a core
    idle; given the made-up sheets, it forks the parts' workers and writes
    the PDF. None when the build has no PDF to make or one core to make it
    with (everything then runs in this process, one thing at a time).
    """
    jobs = options.jobs or _default_jobs()
    if not options.pdf or jobs < 2:
        yield None
        return
    # What both processes need (the model, the make-up, pikepdf, HarfBuzz …) imported once, before the fork.
    from . import ingest, model  # noqa: F401
    from .forked import Served
    from .ingest import issue_yaml  # noqa: F401
    from .print import pdf, pdf_lines  # noqa: F401
    from .print.sheet_jobs import ready_to_lay_out
    from .typeset import coverage  # noqa: F401

    printer: Served[_PrintRequest, LaidOut | None] = Served(partial(ready_to_lay_out, options.layout), _print)
    try:
        yield printer
    finally:
        printer.close()


def _print(request: _PrintRequest) -> LaidOut | None:
    """The print edition, written in the print process; its failure reported as the build's own (file:line)."""
    from .print.pdf import LaidOut, write_pdf

    with _layout_and_output_errors(request.out_dir), kept_frozen():
        laid_out = LaidOut() if request.want_text else None
        write_pdf(request.issue, request.out, request.options, request.sheets, jobs=request.jobs, laid_out=laid_out)
        return laid_out


def build_issue(issue: Issue, out_dir: Path, options: BuildOptions | None = None,
                laid_out: LaidOut | None = None, notes: list[str] | None = None,
                printer: Served[_PrintRequest, LaidOut | None] | None = None) -> list[Path]:
    """Build the editions of a loaded issue into ``out_dir``; return the files written.

    Either every requested file is written, or none is and ``out_dir`` is left
    as it was: the files are staged and put in place together at the end.
    ``laid_out``, if given, receives the print edition's sheets as laid out (their text and boxes);
    ``notes``, what the page make-up reports (a page whose copy runs over, a sheet it does not fill);
    ``printer``, the print process ``printing_beside`` started, if any.
    """
    options = options or BuildOptions()
    with kept_frozen():  # what the build starts with outlives it: no full collection walks it
        paths = _checked_paths(issue, out_dir, options)  # nothing is written for a bad issue
        with Staging(out_dir) as staging, _layout_and_output_errors(out_dir):
            staged = {kind: staging.path(path) for kind, path in paths.items()}
            jobs = options.jobs or _default_jobs()
            with _ebook_beside(issue, staged, options, out_dir, jobs), _stopped(printer):
                sheets = _make_up(issue, out_dir, notes) if "pdf" in paths else None
                if sheets is not None and printer is not None:
                    printer.give(_PrintRequest(issue, sheets, staged["pdf"], options.print, jobs,
                                               laid_out is not None, out_dir))
                    _write_print_and_json(issue, options, staged, None, laid_out, jobs)
                    _printed(printer, laid_out)
                else:
                    _write_print_and_json(issue, options, staged, sheets, laid_out, jobs)
            return staging.commit()


@contextmanager
def _stopped(printer: Served[_PrintRequest, LaidOut | None] | None) -> Iterator[None]:
    """The print process stopped however the block ends, before the staged files are cleared away:
    stopped after, it could still write its PDF among them."""
    try:
        yield
    finally:
        if printer is not None:
            printer.close()


def _printed(printer: Served[_PrintRequest, LaidOut | None], laid_out: LaidOut | None) -> None:
    """Wait for the print process's PDF; what it laid out handed on to ``laid_out``."""
    made = printer.result()
    if laid_out is not None and made is not None:
        laid_out.sheets[:] = made.sheets
        laid_out.plan = made.plan


def _checked_paths(issue: Issue, out_dir: Path, options: BuildOptions) -> dict[str, Path]:
    """The editions' files, once the options, the fonts' coverage and the layout's settings pass."""
    if problems := option_problems(options):
        raise InputError(problems)
    from .typeset.coverage import check_coverage  # HarfBuzz, loaded only when there is an issue to build

    check_coverage(issue)
    if options.pdf:
        from .typeset.geometry import load_geometry

        load_geometry(issue.page_size, issue.layout)  # the layout's settings, checked before anything is written
    paths = edition_paths(issue, out_dir, options)
    if problems := overwrites(issue, list(paths.values())):
        raise InputError(problems)
    return paths


def _make_up(issue: Issue, out_dir: Path, notes: list[str] | None) -> list[MadeUpSheet]:
    """The print edition's page make-up, whose hints can be wrong; its notes added to ``notes``."""
    from .print.pdf import made_up_sheets

    with _layout_and_output_errors(out_dir):
        sheets = made_up_sheets(issue)
    if notes is not None:
        from .typeset.makeup import notes as make_up_notes

        notes += make_up_notes(sheets)
    return sheets


@contextmanager
def _ebook_beside(issue: Issue, staged: dict[str, Path], options: BuildOptions, out_dir: Path,
                  jobs: int) -> Iterator[None]:
    """The EPUB written while the print edition is made up and laid out.

    Beside the print edition, in a process forked before the make-up: the EPUB
    needs nothing the make-up finds, so the two fill two cores where the EPUB
    otherwise ran after the make-up, beside the print layout's own workers.
    On one core (``jobs`` 1) that process is waited for before the make-up
    starts: one process at a time, and the EPUB's memory (jieba's dictionary,
    the cover, the documents' trees) is given back before the print layout
    takes its own (a build in one process peaked at 296 MB, the two apart at
    214 MB). An EPUB alone is written here.
    """
    if "epub" not in staged:
        yield
        return
    write = partial(_write_epub_edition, issue, staged["epub"], options.ebook, out_dir)
    if "pdf" not in staged:
        write()
        yield
        return
    from .forked import Forked

    beside = Forked(write)
    try:
        if jobs < 2:
            beside.result()
            yield
        else:
            yield
            beside.result()
    finally:
        beside.close()


def _write_epub_edition(issue: Issue, out: Path, ebook: EpubOptions, out_dir: Path) -> None:
    """The EPUB, its template's or the disk's failure reported as the build's own (file:line), even from a
    forked process: the exception crosses back pickled, without the traceback that places a template error."""
    with _layout_and_output_errors(out_dir):
        _write_epub(issue, out, ebook)


def _write_print_and_json(issue: Issue, options: BuildOptions, staged: dict[str, Path],
                          sheets: list[MadeUpSheet] | None, laid_out: LaidOut | None, jobs: int) -> None:
    """The print edition's sheets laid out in worker processes from the start, while the JSON is written."""
    print_job = None
    if sheets is not None:
        from .print.pdf import PrintJob

        print_job = PrintJob(issue, staged["pdf"], options.print, sheets, jobs=jobs, laid_out=laid_out)
    try:
        if "json" in staged:
            write_json(issue, staged["json"])
        if print_job is not None:
            print_job.finish()
    finally:
        if print_job is not None:
            print_job.close()


def _default_jobs() -> int:
    from .print.sheet_jobs import default_jobs

    return default_jobs()


def _write_epub(issue: Issue, out: Path, ebook: EpubOptions) -> None:
    from .epub.book import write_epub
    from .timestamps import build_datetime

    write_epub(issue, out, layout=issue.layout, vertical=ebook.vertical, traditional=ebook.traditional,
               covered=True, modified=build_datetime(issue) if ebook.reproducible else None)


@contextmanager
def _layout_and_output_errors(out_dir: Path) -> Iterator[None]:
    """A template's failure is the layout's problem (file:line); a full or read-only disk is the output's."""
    try:
        yield
    except (InputError, OutputError):
        raise
    except Exception as exc:
        from .templates import template_problem

        problem = template_problem(exc)
        if problem is not None:
            raise InputError([problem]) from None
        import jinja2

        if isinstance(exc, jinja2.TemplateNotFound):  # an OSError too, for Jinja: tested first
            raise InputError([Problem("layout", None, f"template {exc.name!r} not found")]) from None
        if isinstance(exc, OSError) and is_output_errno(exc):
            raise output_error(exc, out_dir) from None
        raise
