"""`publisher batch`: build every issue under a folder, in parallel, incrementally.

- Each issue.yaml under ROOT is built into OUT/<its folder relative to ROOT>/,
  so two issues of the same paper and date in different folders never collide.
- Issues build in a process pool (or on a Dask cluster); each one runs alone
  in a worker, and whatever goes wrong with it (bad input, a missing tool, a
  crash) is its own failure: the others still build.
- OUT/batch-manifest.json records, per issue, the fingerprint of what it was
  built from (``fingerprint``) and the files written, or, for an issue that
  failed on its own inputs (bad input, editions that fail the check), the
  problems found. It is rewritten atomically as each issue finishes, so an
  interrupted or killed run loses at most the issues in flight, and the next
  run skips every issue whose fingerprint and files are unchanged, and
  reports a failed one whose fingerprint is unchanged from the manifest
  without building it again. A failure of the machine (a missing tool, a
  worker that died) is not remembered: that issue is built again.
- Editions are written atomically (``output.atomic_path``); a killed worker can
  leave only hidden ``.*.part`` temporary files, which the next build of that
  issue removes.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal, TextIO

from .atomic import OutputError, make_folder, remove_stale_parts, write_atomic
from .build import BuildOptions, option_problems
from .errors import InputError, Problem, ToolError, display_path, folder_problem, shown_problems
from .ingest.fingerprint import environment_digest, issue_digest
from .progress import Done, Progress, Status, summary_table

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .model import Issue

MANIFEST = "batch-manifest.json"
_FORMAT = "publisher-batch/1"
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

    @property
    def done(self) -> Done:
        return Done(self.name, self.status, self.pages, self.seconds)


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


# --- the manifest ----------------------------------------------------------


class Manifest:
    """OUT/batch-manifest.json: what each issue was last built from, and the files it wrote."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.issues: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # no manifest, or an unreadable one: everything is built again
        if isinstance(data, dict) and data.get("format") == _FORMAT and isinstance(data.get("issues"), dict):
            self.issues = data["issues"]

    def up_to_date(self, task: Task) -> bool:
        entry = self.issues.get(task.name)
        # The manifest is a file in the output folder, perhaps edited by hand: any entry that is not
        # as we write it means "build again".
        if task.fingerprint is None or not isinstance(entry, dict) or entry.get("fingerprint") != task.fingerprint:
            return False
        outputs = entry.get("outputs")
        if not isinstance(outputs, dict) or not outputs:
            return False
        return all(isinstance(name, str) and isinstance(size, int) and _size(task.batch_dir / name) == size
                   for name, size in outputs.items())

    def known_failure(self, task: Task) -> tuple[str, ...] | None:
        """The problems the issue failed with last time, if its fingerprint is unchanged since."""
        entry = self.issues.get(task.name)
        if task.fingerprint is None or not isinstance(entry, dict) or entry.get("fingerprint") != task.fingerprint:
            return None
        problems = entry.get("failed")
        return tuple(str(p) for p in problems) if isinstance(problems, list) and problems else None

    def record(self, outcome: Outcome) -> None:
        if outcome.status == "built":
            self.issues[outcome.name] = {"fingerprint": outcome.fingerprint, "pages": outcome.pages,
                                         "outputs": outcome.outputs}
        elif outcome.status == "failed" and outcome.lasting and outcome.fingerprint is not None:
            self.issues[outcome.name] = {"fingerprint": outcome.fingerprint, "pages": outcome.pages,
                                         "failed": list(outcome.problems)}
        elif outcome.status == "failed":
            self.issues.pop(outcome.name, None)
        else:
            return
        data = {"format": _FORMAT, "issues": dict(sorted(self.issues.items()))}
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except (OSError, ValueError):  # ValueError: a NUL in a name from a tampered manifest
        return None


# --- building one issue (in a worker) ----------------------------------------


class _Terminated(SystemExit):
    """A worker told to stop: unwinds the build (its temporary files go), then the process ends.

    A SystemExit, so that a worker stopped between two issues exits quietly.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


def run_issue(task: Task) -> Outcome:
    """Build one issue; never raises, so that one issue's failure is only its own."""
    try:
        return _run_issue(task)
    except _Terminated as stop:
        # The pool's worker loop catches BaseException and would take the next
        # queued issue: a stopped worker must end here instead.
        os._exit(128 + stop.signum)


def _run_issue(task: Task) -> Outcome:
    started = time.perf_counter()

    def failed(problems: list[str], lasting: bool = False) -> Outcome:
        return Outcome(task.name, "failed", task.pages, time.perf_counter() - started, task.fingerprint,
                       problems=tuple(problems), lasting=lasting)

    try:
        remove_stale_parts(task.out_dir)
        from .build import build_issue, load

        issue = load(task.issue, task.options)  # once, for the build, the check and the package
        written = build_issue(issue, task.out_dir, task.options)
        editions = [p for p in written if p.suffix in (".pdf", ".epub")]
        if task.package:
            from .archive.package import package

            bag = package(issue, task.out_dir, editions=editions)
            written += sorted(p for p in bag.rglob("*") if p.is_file())
        elif task.check:
            problems = _check(task, editions, issue)
            written.append(task.out_dir / f"{editions[0].stem}.check.json")
            if problems:
                return failed(problems, lasting=True)
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
    outputs = {p.relative_to(task.batch_dir).as_posix(): p.stat().st_size for p in written}
    return Outcome(task.name, "built", task.pages, time.perf_counter() - started, task.fingerprint, outputs)


def _check(task: Task, editions: list[Path], issue: Issue) -> list[str]:
    from .check.editions import check_editions, report_json

    report = check_editions(editions, issue)
    write_atomic(task.out_dir / f"{editions[0].stem}.check.json", report_json(report))
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


def plan(root: Path, out_dir: Path, options: BatchOptions) -> tuple[list[Task], list[Outcome]]:
    """The issues to build, and those skipped: up to date, or failed before on the same inputs."""
    if (problem := folder_problem(root)) is not None:
        raise InputError([Problem(display_path(root), None, problem)])
    issues = discover(root, out_dir)
    if not issues:
        raise InputError([Problem(display_path(root), None, "no issue.yaml found under this folder")])
    build_options = options.build
    environment = environment_digest((build_options, options.check, options.package), build_options.layout)
    manifest = Manifest(out_dir / MANIFEST)
    tasks, skipped = [], []
    for path in issues:
        relative = path.relative_to(root.resolve())
        if (refusal := _refusal(path, root)) is not None:
            skipped.append(Outcome(relative.as_posix(), "failed", 0, 0.0, problems=(refusal,)))
            continue
        fingerprint, pages = issue_digest(path, environment)
        task = Task(path, relative.as_posix(), (out_dir / relative.parent).resolve(), out_dir.resolve(), fingerprint,
                    pages, build_options, options.check, options.package)
        if not options.force and manifest.up_to_date(task):
            skipped.append(Outcome(task.name, "skipped", pages, 0.0, fingerprint))
        elif not options.force and (problems := manifest.known_failure(task)) is not None:
            skipped.append(Outcome(task.name, "failed", pages, 0.0, fingerprint, problems=problems, lasting=True))
        else:
            tasks.append(task)
    return tasks, skipped


def run_batch(root: Path, out_dir: Path, options: BatchOptions, progress_stream: TextIO,
              tty: bool | None = None) -> BatchResult:
    started = time.perf_counter()
    if options.executor == "dask" and not options.scheduler:
        raise InputError([Problem("command line", None, "--executor dask needs --scheduler ADDRESS")])
    if options.jobs is not None and options.jobs < 1:
        raise InputError([Problem("command line", None, f"--jobs {options.jobs}: at least one job is needed")])
    if problems := option_problems(options.build):
        raise InputError(problems)
    if options.package and options.build.print.variant not in (None, "pdf/a-3u"):
        raise InputError([Problem("command line", None, "--package makes PDF/A-3u print editions; "
                                  f"drop --pdf-variant {options.build.print.variant}")])
    if options.package:
        from .archive.package import ARCHIVAL_PRINT

        options = replace(options, build=replace(options.build, print=ARCHIVAL_PRINT, reproducible=True))
    tasks, outcomes = plan(root, out_dir, options)
    tasks = _share_cores(tasks, options)
    make_folder(out_dir)
    manifest = Manifest(out_dir / MANIFEST)
    if os.path.lexists(manifest.path) and not manifest.path.is_file():
        raise OutputError(f"{display_path(manifest.path)}: cannot write the batch manifest: it is not a file")
    progress = Progress(progress_stream, len(tasks), sum(t.pages for t in tasks), tty=tty)
    try:
        for outcome in _outcomes(tasks, options):
            manifest.record(outcome)
            outcomes.append(outcome)
            progress.update(outcome.done)
    finally:
        progress.close()
    order = {name: i for i, name in enumerate(sorted(o.name for o in outcomes))}
    return BatchResult(tuple(sorted(outcomes, key=lambda o: order[o.name])), time.perf_counter() - started)


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
        for line in shown_problems(list(outcome.problems)):
            err.write(f"{line}\n")
