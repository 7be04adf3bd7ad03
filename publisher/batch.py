"""`publisher batch`: build every issue under a folder, in parallel, incrementally.

- Each issue.yaml under ROOT is built into OUT/<its folder relative to ROOT>/,
  so two issues of the same paper and date in different folders never collide.
- Issues build in a process pool (or on a Dask cluster); each one runs alone
  in a worker, and whatever goes wrong with it (bad input, a missing tool, a
  crash) is its own failure: the others still build.
- OUT/batch-manifest.json (``manifest``) records, per issue, the fingerprint
  of what it was built from and the files written, or, for an issue that
  failed on its own inputs (bad input, editions that fail the check, a build
  past the time limit), the problems found; the editions of its last good
  build are kept and marked stale. Each outcome is journalled as the issue
  finishes, so an interrupted or killed run loses at most the issues in
  flight, and the next run skips every issue whose fingerprint and files are
  unchanged, and reports a failed one whose fingerprint is unchanged from the
  manifest without building it again. A failure of the machine (a missing
  tool, a worker that died) is not remembered: that issue is built again.
- An unchanged re-run is decided from stamps (``ingest.stamps``: what the
  file system says of the inputs) before the fingerprinting code, YAML or the
  typesetting stack is imported: it costs a walk of the folders.
- Before anything is built, every issue's output names are laid beside the
  others' folders (``outputs``): where they would meet, that issue fails.
- Each issue has a time limit (``--time-limit``), so that one cannot hold the
  archive.
- Editions are written atomically (``atomic.Staging``); a killed worker can
  leave only hidden ``.*.part`` temporary files, which the next build of that
  issue removes.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal, TextIO

from . import outputs
from .atomic import OutputError, locked_folder, make_folder, remove_stale_parts, write_atomic
from .build import BuildOptions, build_issue, load, option_problems, overwrites
from .errors import InputError, Problem, ToolError, display_path, folder_problem, printable, shown_problems
from .ingest import stamps
from .limits import TIME_LIMIT
from .manifest import MANIFEST, EnvironmentRecord, Manifest, ManifestEntry
from .print.print_options import ARCHIVAL_PRINT
from .progress import Done, Progress, Status, summary_table

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .model import Issue

__all__ = ["MANIFEST", "BatchOptions", "discover", "report", "run_batch"]
Executor = Literal["process", "dask"]


@dataclass(frozen=True)
class BatchOptions:
    build: BuildOptions = field(default_factory=BuildOptions)
    jobs: int | None = None  # default: os.cpu_count()
    executor: Executor = "process"
    scheduler: str | None = None  # the Dask scheduler's address
    check: bool = False  # check each issue's editions; an issue whose editions fail the check fails
    package: bool = False  # write a BagIt bag per issue beside its editions
    force: bool = False  # build every issue, whatever the manifest says
    time_limit: float = TIME_LIMIT  # s one issue may take in a local worker (not on a Dask cluster)


@dataclass(frozen=True)
class Task:
    """One issue to build; plain data, so that it travels to a worker process or a Dask worker."""

    issue: Path
    name: str  # issue.yaml's path relative to ROOT (posix): the manifest key
    out_dir: Path
    batch_dir: Path
    fingerprint: str | None
    pages: int
    options: BuildOptions
    check: bool
    package: bool
    time_limit: float | None = None


@dataclass(frozen=True)
class Outcome:
    name: str
    status: Status
    pages: int
    seconds: float
    fingerprint: str | None = None
    outputs: dict[str, int] = field(default_factory=dict)  # file relative to OUT -> size in bytes
    problems: tuple[str, ...] = ()
    lasting: bool = False  # failed on its own inputs: the same inputs fail again (the manifest keeps it)
    before: bool = False  # reported from the manifest: unchanged since it failed so
    stale: bool = False  # failed, and the editions of its last good build are kept
    timed_out: float | None = None  # the time limit it ran past

    @property
    def done(self) -> Done:
        return Done(self.name, self.status, self.pages, self.seconds, before=self.before, stale=self.stale)


@dataclass(frozen=True)
class BatchResult:
    outcomes: tuple[Outcome, ...]
    wall: float

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


# --- finding the issues ----------------------------------------------------


def discover(root: Path, out_dir: Path) -> list[Path]:
    """Every issue.yaml under ``root``, in path order; none from the output folder, a hidden folder or a bag.

    Symbolic links to folders are not followed: an archive from many hands may
    hold a link to ``/`` or a loop. An issue.yaml that is itself a link is
    listed, and refused when planned if it leads out of ``root`` or nowhere.
    """
    found = []
    top = root.resolve()
    out = out_dir.resolve()
    for current, folders, files in os.walk(top):
        here = Path(current)
        if here.is_relative_to(out) or (here / "bagit.txt").is_file():
            folders.clear()  # our own output, or the sources kept inside a preservation package
            continue
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        if "issue.yaml" in files:
            found.append(here / "issue.yaml")
    return sorted(found)


def _refusal(path: Path, root: Path) -> str | None:
    """Why a discovered issue.yaml is not built: a link out of ``root``, or a loop."""
    try:
        shown = str(path.relative_to(Path.cwd()))  # the link itself, not where it leads
    except ValueError:
        shown = str(path)
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return f"{shown}: a symbolic link to nothing"
    except (OSError, RuntimeError):
        return f"{shown}: a loop of symbolic links"
    if not target.is_relative_to(root.resolve()):
        return f"{shown}: a symbolic link out of the folder being built ({display_path(target)})"
    return None


# --- building one issue (in a worker) ----------------------------------------


class _Terminated(SystemExit):
    """A worker told to stop: unwinds the build (its temporary files go), then the process ends.

    A SystemExit, so that a worker stopped between two issues exits quietly.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


class _TimedOut(BaseException):
    """The issue ran past its time limit: unwinds its build (no ``except Exception`` on the way stops it)."""


def run_issue(task: Task) -> Outcome:
    """Build one issue; never raises, so that one issue's failure is only its own."""
    try:
        return _run_issue(task)
    except _TimedOut:  # the alarm rang as the build returned, before it was cancelled
        return Outcome(task.name, "failed", task.pages, task.time_limit or 0.0, task.fingerprint,
                       problems=(f"{display_path(task.issue)}: not built within the time limit of "
                                 f"{task.time_limit:g} s (--time-limit)",), lasting=True, timed_out=task.time_limit)
    except _Terminated as stop:
        # The pool's worker loop catches BaseException and would take the next
        # queued issue: a stopped worker must end here instead.
        os._exit(128 + stop.signum)


def _run_issue(task: Task) -> Outcome:
    started = time.perf_counter()

    def failed(problems: list[str], lasting: bool = False, timed_out: float | None = None) -> Outcome:
        return Outcome(task.name, "failed", task.pages, time.perf_counter() - started, task.fingerprint,
                       problems=tuple(problems), lasting=lasting, timed_out=timed_out)

    if task.time_limit is not None:
        signal.setitimer(signal.ITIMER_REAL, task.time_limit)  # SIGALRM: _exit raises _TimedOut
    try:
        written = _build(task)
    except _TimedOut:
        return failed([f"{display_path(task.issue)}: not built within the time limit of {task.time_limit:g} s "
                       "(--time-limit)"], lasting=True, timed_out=task.time_limit)
    except _CheckFailed as check:
        return failed(check.problems, lasting=True)
    except InputError as error:
        return failed([str(p) for p in error.problems], lasting=True)
    except (ToolError, OutputError) as error:
        return failed([f"{display_path(task.issue)}: {error}"])
    except RecursionError:
        return failed([f"{display_path(task.issue)}: nested too deeply to build"])
    except Exception as error:  # whatever breaks one issue must not stop the batch
        from .archive.package import CheckFailed

        if isinstance(error, CheckFailed):
            return failed(_error_findings(task, error.report), lasting=True)
        return failed([f"{display_path(task.issue)}: internal error: {type(error).__name__}: {error}"])
    finally:
        if task.time_limit is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
    outputs = {p.relative_to(task.batch_dir).as_posix(): p.stat().st_size for p in written}
    return Outcome(task.name, "built", task.pages, time.perf_counter() - started, task.fingerprint, outputs)


class _CheckFailed(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _build(task: Task) -> list[Path]:
    """Build, check and package one issue; the files written (relative to the batch's output folder).

    Checked or packaged editions are made in a locked temporary folder and put
    in place only once they pass: an issue whose new editions fail keeps the
    editions of its last good build (marked stale in the manifest).
    """
    remove_stale_parts(task.out_dir)
    issue = load(task.issue, task.options)  # once, for the build, the check and the package
    if not (task.package or task.check):
        return build_issue(issue, task.out_dir, task.options)
    make_folder(task.out_dir)
    with locked_folder(task.out_dir / issue.slug) as staging:
        made = build_issue(issue, staging, task.options)
        editions = [p for p in made if p.suffix in (".pdf", ".epub")]
        extra: list[Path] = []
        if task.package:
            from .archive.package import package

            bag = package(issue, task.out_dir, editions=editions)
            extra = sorted(p for p in bag.rglob("*") if p.is_file())
        else:
            problems = _check(task, editions, issue)
            extra = [task.out_dir / f"{issue.slug}.check.json"]
            if problems:
                raise _CheckFailed(problems)
        if replaced := overwrites(issue, [task.out_dir / path.name for path in made]):
            raise InputError(replaced)
        written = []
        for path in made:
            os.replace(path, task.out_dir / path.name)
            written.append(task.out_dir / path.name)
    return written + extra


def _check(task: Task, editions: list[Path], issue: Issue) -> list[str]:
    from .check.editions import check_editions, report_json

    # The report names the editions as they will be, beside it.
    report = check_editions(editions, issue, shown=lambda path: display_path(task.out_dir / path.name))
    write_atomic(task.out_dir / f"{issue.slug}.check.json", report_json(report))
    return _error_findings(task, report) if not report.passed else []


def _error_findings(task: Task, report: Any) -> list[str]:
    return [f"{display_path(task.issue)}: check failed: {finding}" for finding in report.findings
            if finding.severity == "error"]


def _worker_init(batch_pid: int) -> None:
    # Ctrl-C is the main process's to handle (it stops the pool); a terminated
    # worker unwinds, so its temporary files are removed by their finally blocks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGALRM, _exit)
    gc.callbacks.append(_note_collection)
    _watch_batch(batch_pid)


def _watch_batch(batch_pid: int) -> None:
    """Stop this worker when the batch process ends, even by kill -9 (it cannot tell us then).

    The worker's parent is the fork server, not the batch, so the kernel's
    parent-death signal does not apply: a thread waits on a pidfd of the batch
    process (readable once it has exited) and then terminates this worker.
    """
    import select
    import threading

    def wait() -> None:
        try:
            fd = os.pidfd_open(batch_pid)
        except (AttributeError, OSError):  # no pidfd (Linux < 5.3), or already gone
            while _alive(batch_pid):
                time.sleep(0.5)
        else:
            select.select([fd], [], [])
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=wait, name="batch-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_collecting = False  # a garbage collection is running destructors
_terminated = 0  # the signal that ends this worker


def _note_collection(phase: str, info: dict[str, int]) -> None:
    global _collecting
    _collecting = phase == "start"


def _exit(signum: int, frame: FrameType | None) -> None:
    global _terminated
    if signum == signal.SIGALRM and not _terminated:
        # The issue's time limit (a stop asked for meanwhile wins).
        if _collecting or _in_destructor(frame):
            signal.setitimer(signal.ITIMER_REAL, 0.01)
            return
        raise _TimedOut
    if signum != signal.SIGALRM:
        _terminated = signum
    if _collecting or _in_destructor(frame):
        # Raised inside a destructor (WeasyPrint's FontConfiguration.__del__,
        # run by a collection), the exit would be printed with a traceback and
        # swallowed, and the worker would go on building: ask again in 10 ms.
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        return
    raise _Terminated(_terminated)


def _in_destructor(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


# --- running the batch -------------------------------------------------------


@dataclass
class _Inputs:
    """What the manifest records of an issue's inputs: its fingerprint, and how to tell it unchanged."""

    fingerprint: str | None
    pages: int
    slug: str | None
    files: list[str]
    layout: str | None
    stamp: str | None
    environment: str

    def entry(self) -> ManifestEntry:
        """The manifest's entry for these inputs, before the build's outcome is added."""
        return ManifestEntry(self.fingerprint, self.pages, self.slug, tuple(self.files), self.layout, self.stamp,
                             self.environment)


@dataclass
class Plan:
    """The issues to build, the outcomes known without building, and every issue's inputs."""

    tasks: list[Task]
    outcomes: list[Outcome]
    inputs: dict[str, _Inputs]


def _environment(options: BatchOptions, manifest: Manifest) -> str:
    """The environment's digest: from the manifest if its stamp is unchanged, else fingerprinted again."""
    described = repr((options.build, options.check, options.package))
    recorded = manifest.environment
    stamp = stamps.environment(described, options.build.layout, list(recorded.faces) if recorded else [])
    if stamp is not None and recorded is not None and recorded.stamp == stamp and recorded.digest is not None:
        return recorded.digest
    from .ingest.fingerprint import environment

    started = stamps.begin()
    found = environment((options.build, options.check, options.package), options.build.layout)
    after = stamps.settled(stamps.environment(described, options.build.layout, found.faces), started)
    manifest.environment = EnvironmentRecord(after, found.digest, tuple(found.faces))
    return found.digest


def _issue_inputs(path: Path, environment: str, entry: ManifestEntry | None) -> _Inputs:
    """An issue's inputs: from its manifest entry if its stamp is unchanged, else fingerprinted again."""
    if entry is not None and entry.environment == environment and entry.stamp is not None \
            and entry.files is not None:
        files = list(entry.files)
        stamp = stamps.issue(path, files, entry.layout)
        if stamp == entry.stamp and entry.fingerprint is not None and entry.pages is not None:
            return _Inputs(entry.fingerprint, entry.pages, entry.slug, files, entry.layout, stamp, environment)
    from .ingest.fingerprint import issue

    started = stamps.begin()
    found = issue(path, environment)
    stamp = stamps.settled(stamps.issue(path, found.files, found.layout), started)
    return _Inputs(found.fingerprint, found.pages, found.slug, list(found.files), found.layout, stamp, environment)


def plan(root: Path, out_dir: Path, options: BatchOptions, manifest: Manifest | None = None) -> Plan:
    """The issues to build, and those known without building: up to date, failed before on the same inputs,
    refused (a link out of ROOT, output names that meet another issue's folder)."""
    if (problem := folder_problem(root)) is not None:
        raise InputError([Problem(display_path(root), None, problem)])
    issues = discover(root, out_dir)
    if not issues:
        raise InputError([Problem(display_path(root), None, "no issue.yaml found under this folder")])
    manifest = manifest if manifest is not None else Manifest(out_dir)
    environment = _environment(options, manifest)
    top = root.resolve()
    outcomes: list[Outcome] = []
    found: dict[str, tuple[Path, _Inputs]] = {}
    for path in issues:
        name = path.relative_to(top).as_posix()
        if (refusal := _refusal(path, root)) is not None:
            outcomes.append(Outcome(name, "failed", 0, 0.0, problems=(refusal,)))
            continue
        found[name] = (path, _issue_inputs(path, environment, manifest.entry(name)))
    build = options.build
    claims = [outputs.Claim(name, path.relative_to(top).parent.as_posix().removeprefix("."), inputs.slug)
              for name, (path, inputs) in found.items()]
    written = {claim.name: outputs.names(claim.slug, vertical=build.ebook.vertical, traditional=build.ebook.traditional,
                                         check=options.check, package=options.package)
               for claim in claims if claim.slug is not None}
    refused = outputs.collisions(claims, written)
    tasks = []
    for name, (path, inputs) in found.items():
        entry = manifest.entry(name)
        if name in refused:
            outcomes.append(Outcome(name, "failed", inputs.pages, 0.0, inputs.fingerprint,
                                    problems=(f"{display_path(path)}: {refused[name]}",)))
            continue
        if (link := _linked_out(out_dir, Path(name).parent)) is not None:
            outcomes.append(Outcome(name, "failed", inputs.pages, 0.0, inputs.fingerprint,
                                    problems=(f"{display_path(path)}: its output folder {display_path(link)} is a "
                                              "symbolic link; the batch writes only into folders of its own "
                                              "under the output folder: remove the link",)))
            continue
        task = Task(path, name, (out_dir / Path(name).parent).resolve(), out_dir.resolve(), inputs.fingerprint,
                    inputs.pages, build, options.check, options.package,
                    time_limit=options.time_limit if options.executor == "process" else None)
        if not options.force and _up_to_date(entry, task):
            outcomes.append(Outcome(name, "skipped", inputs.pages, 0.0, inputs.fingerprint))
        elif not options.force and (problems := _known_failure(entry, task)) is not None:
            outcomes.append(Outcome(name, "failed", inputs.pages, 0.0, inputs.fingerprint, problems=problems,
                                    lasting=True, before=True, stale=bool(_kept(entry, task.batch_dir))))
        else:
            tasks.append(task)
    return Plan(tasks, outcomes, {name: inputs for name, (_, inputs) in found.items()})


def _linked_out(out_dir: Path, relative: Path) -> Path | None:
    """A symbolic link on the way from the output folder to an issue's output folder (planted there, it would
    have the editions written anywhere), or None."""
    place = out_dir
    for part in relative.parts:
        place = place / part
        if place.is_symlink():
            return place
    return None


def _up_to_date(entry: ManifestEntry | None, task: Task) -> bool:
    # The manifest is a file in the output folder, perhaps edited by hand: its files are looked at again.
    if task.fingerprint is None or entry is None or entry.fingerprint != task.fingerprint or entry.failed:
        return False
    return bool(entry.outputs) and _kept(entry, task.batch_dir) == entry.outputs


def _kept(entry: ManifestEntry | None, batch_dir: Path) -> dict[str, int]:
    """The recorded outputs of an entry that are still there, as written (same size)."""
    recorded = entry.outputs if entry is not None else None
    return {name: size for name, size in (recorded or {}).items() if _size(batch_dir, name) == size}


def _size(batch_dir: Path, name: str) -> int | None:
    path = batch_dir / name
    try:
        if not path.resolve().is_relative_to(batch_dir):
            return None  # a tampered manifest naming a file elsewhere
        return path.stat().st_size
    except (OSError, ValueError, RuntimeError):  # ValueError: a NUL in a name from a tampered manifest
        return None


def _known_failure(entry: ManifestEntry | None, task: Task) -> tuple[str, ...] | None:
    """The problems the issue failed with last time, if its fingerprint is unchanged since.

    A build that ran past its time limit is tried again under a longer one.
    """
    if task.fingerprint is None or entry is None or entry.fingerprint != task.fingerprint or not entry.failed:
        return None
    if entry.timed_out is not None and task.time_limit is not None and task.time_limit > entry.timed_out:
        return None
    return entry.failed


def _record(manifest: Manifest, outcome: Outcome, inputs: _Inputs | None, batch_dir: Path) -> Outcome:
    """Note an outcome in the manifest; the outcome, marked stale where the last good editions are kept."""
    previous = manifest.entry(outcome.name)
    if outcome.status == "built" and inputs is not None:
        manifest.set(outcome.name, replace(inputs.entry(), outputs=outcome.outputs))
    elif outcome.status == "failed" and outcome.lasting and not outcome.before and inputs is not None \
            and outcome.fingerprint is not None:
        kept = _kept(previous, batch_dir)  # the last good build's editions stay, marked stale
        entry = replace(inputs.entry(), failed=outcome.problems, timed_out=outcome.timed_out, outputs=kept or None)
        if entry != previous:
            manifest.set(outcome.name, entry)
        return replace(outcome, stale=bool(kept))
    elif outcome.status in ("skipped", "failed") and previous is not None and inputs is not None \
            and previous.stamp != inputs.stamp and previous.fingerprint == inputs.fingerprint:
        # Touched, not changed: the new stamp, and the outcome recorded before.
        manifest.set(outcome.name, replace(inputs.entry(), failed=previous.failed, timed_out=previous.timed_out,
                                           outputs=previous.outputs))
    # A failure of the machine (a missing tool, a worker that died) leaves the entry as it was: the
    # issue is built again next time, and what it had is kept.
    return outcome


def run_batch(root: Path, out_dir: Path, options: BatchOptions, progress_stream: TextIO,
              tty: bool | None = None) -> BatchResult:
    started = time.perf_counter()
    if options.executor == "dask" and not options.scheduler:
        raise InputError([Problem("command line", None, "--executor dask needs --scheduler ADDRESS")])
    if options.jobs is not None and options.jobs < 1:
        raise InputError([Problem("command line", None, f"--jobs {options.jobs}: at least one job is needed")])
    if not options.time_limit > 0:
        raise InputError([Problem("command line", None, f"--time-limit {options.time_limit:g}: more than 0 s")])
    if problems := option_problems(options.build):
        raise InputError(problems)
    if options.package and options.build.print.variant not in (None, "pdf/a-3u"):
        raise InputError([Problem("command line", None, "--package makes PDF/A-3u print editions; "
                                  f"drop --pdf-variant {options.build.print.variant}")])
    if options.package:
        reproducible = replace(options.build.ebook, reproducible=True)
        options = replace(options, build=replace(options.build, print=ARCHIVAL_PRINT, ebook=reproducible))
    manifest = Manifest(out_dir)
    for name in manifest.dropped:
        progress_stream.write(f"{printable(display_path(manifest.path))}: the entry of {printable(name)} is not as "
                              "a batch writes it: ignored, that issue is built again\n")
    planned = plan(root, out_dir, options, manifest)
    tasks = _share_cores(planned.tasks, options)
    make_folder(out_dir)
    if os.path.lexists(manifest.path) and not manifest.path.is_file():
        raise OutputError(f"{display_path(manifest.path)}: cannot write the batch manifest: it is not a file")
    batch_dir = out_dir.resolve()
    outcomes = [_record(manifest, outcome, planned.inputs.get(outcome.name), batch_dir)
                for outcome in planned.outcomes]
    progress = Progress(progress_stream, len(tasks), sum(t.pages for t in tasks), tty=tty)
    try:
        for outcome in _outcomes(tasks, options):
            outcome = _record(manifest, outcome, planned.inputs.get(outcome.name), batch_dir)
            outcomes.append(outcome)
            progress.update(outcome.done)
    finally:
        progress.close()
        _save(manifest)
    order = {name: i for i, name in enumerate(sorted(o.name for o in outcomes))}
    return BatchResult(tuple(sorted(outcomes, key=lambda o: order[o.name])), time.perf_counter() - started)


def _save(manifest: Manifest) -> None:
    """The manifest written whole, if this run changed anything (an unchanged re-run writes nothing)."""
    if manifest.changed:
        manifest.save()
    else:
        manifest.close()


def _share_cores(tasks: list[Task], options: BatchOptions) -> list[Task]:
    """Each issue's print layout gets the cores the batch leaves it: with fewer issues than jobs,
    an issue's sheets are laid out side by side (the editions are the same for any share)."""
    if options.executor == "dask":
        per_issue = 1  # a Dask worker may run threads: its builds do not fork
    else:
        jobs = options.jobs or os.cpu_count() or 1
        per_issue = max(1, jobs // max(1, min(jobs, len(tasks))))
    return [replace(task, options=replace(task.options, jobs=per_issue)) for task in tasks]


def _outcomes(tasks: list[Task], options: BatchOptions) -> Iterator[Outcome]:
    if not tasks:
        return iter(())  # all up to date: no pool to start
    if options.executor == "dask" and options.scheduler:
        return _dask(tasks, options.scheduler)
    return _process_pool(tasks, options.jobs or os.cpu_count() or 1)


def _process_pool(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    # Imported here: a run with every issue up to date starts no pool and
    # should not pay for these imports either.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forkserver: workers start from a clean process that has imported the
    # toolkit once, not from a fork of a caller that may hold threads.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["publisher.batch", "publisher.print.pdf", "publisher.epub.book",
                                    "publisher.check.editions"])
    executor = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context, initializer=_worker_init,
                                   initargs=(os.getpid(),))
    futures: dict[Future[Outcome], Task] = {executor.submit(run_issue, task): task for task in tasks}
    try:
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield future.result()
            except Exception as error:  # a worker that died (killed, out of memory)
                yield Outcome(task.name, "failed", task.pages, 0.0,
                              problems=(f"{display_path(task.issue)}: the worker building it died: {error!r}",))
    except BaseException:
        # Interrupted: stop the workers now; what they were writing is removed by their finally blocks.
        for future in futures:
            future.cancel()
        for process in list(executor._processes.values()):
            process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _dask(tasks: list[Task], scheduler: str) -> Iterator[Outcome]:
    try:
        # An optional dependency without type hints: used through Any.
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise ToolError("--executor dask needs the optional dependencies: pip install 'publisher[dask]'") from None
    try:
        client = distributed.Client(scheduler, set_as_default=False, timeout=30)
    except (OSError, TimeoutError) as error:
        raise ToolError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    try:
        futures = client.map(run_issue, tasks, pure=False)
        by_key = {future.key: task for future, task in zip(futures, tasks, strict=True)}
        try:
            for future in distributed.as_completed(futures, loop=client.loop):
                try:
                    yield future.result()
                except Exception as error:  # the Dask worker died under the task
                    task = by_key[future.key]
                    yield Outcome(task.name, "failed", task.pages, 0.0,
                                  problems=(f"{display_path(task.issue)}: the Dask task failed: {error!r}",))
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()


def report(result: BatchResult, out: TextIO, err: TextIO) -> None:
    """The summary table on ``out``; every failed issue's problems on ``err``, as file:line: message."""
    out.write(summary_table([o.done for o in result.outcomes], result.wall))
    for outcome in result.failed:
        # Stored messages come from the manifest, a file anyone may have edited: escaped as shown.
        for line in shown_problems(list(outcome.problems)):
            err.write(f"{printable(line)}\n")
