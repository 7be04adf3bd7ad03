"""Work done beside the build, in a process forked from it: it starts with everything the build holds.

A forked worker ignores Ctrl-C: the build that started it stops it, and
reports the interruption once. It ends with its build however the build ends
(SIGTERM, SIGKILL): Linux's parent-death signal. Its result, or the exception
it raised, comes back pickled.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.pool import AsyncResult, Pool
    from multiprocessing.process import BaseProcess

A = TypeVar("A")
T = TypeVar("T")

_CALL: Callable[[], Any] | None = None  # what the forked worker runs, inherited at fork
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def worker_init(build_pid: int) -> None:
    """A forked worker's start: Ctrl-C is its build's, and it ends with its build."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with(build_pid)


def end_with(build_pid: int) -> None:
    """Have the kernel kill this worker when the build that forked it ends, however it ends.

    SIGTERM or SIGKILL of ``publisher build`` ends the build at once, with no
    chance to stop its workers: they went on for another 12 s. Linux's
    parent-death signal reaches them instead; a build that died while this
    worker started is seen by its parent id.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the pool's own clean-up is all there is
        return
    if os.getppid() != build_pid:
        os._exit(1)


def fork_pool(processes: int) -> Pool:
    """``processes`` workers forked from this process, Ctrl-C held back while they start.

    Arriving half-way, Ctrl-C would leave the workers started so far running,
    with no pool to stop them; it is delivered once the pool is known, and stops it.
    """
    context = multiprocessing.get_context("fork")
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return context.Pool(processes, initializer=worker_init, initargs=(os.getpid(),))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _run() -> Any:
    assert _CALL is not None
    return _CALL()


class Forked(Generic[T]):
    """``call`` run in a forked process from the moment this is made; ``result()`` waits for it.

    One at a time: the call reaches the worker through the fork, not pickled.
    """

    def __init__(self, call: Callable[[], T]) -> None:
        global _CALL
        _CALL = call
        self._pool: Pool | None = None
        try:
            self._pool = fork_pool(1)
            self._pending: AsyncResult[T] = self._pool.apply_async(_run)
        except BaseException:
            self.close()
            raise

    def result(self) -> T:
        try:
            return self._pending.get()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker (after its result, or on an error or interruption in the build)."""
        global _CALL
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        _CALL = None


class Served(Generic[A, T]):
    """``serve(argument)`` run in a process forked now, once this process gives it the argument (``give``).

    What ``ready`` does (imports, compiling) runs in that process at once,
    beside whatever this one does until it has the argument to give. The
    argument crosses pickled; the result, or the exception raised, comes back
    pickled (``result``). Unlike a pool's worker, the process may fork workers
    of its own.
    """

    def __init__(self, ready: Callable[[], None], serve: Callable[[A], T]) -> None:
        context = multiprocessing.get_context("fork")
        requests, self._requests = context.Pipe(duplex=False)
        self._replies, replies = context.Pipe(duplex=False)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self._process: BaseProcess | None = context.Process(
                target=_serve, args=(os.getpid(), ready, serve, requests, replies), daemon=False)
            self._process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            # This process keeps only its own ends: the other's end closing is how each sees the other gone.
            requests.close()
            replies.close()

    def give(self, argument: A) -> None:
        with contextlib.suppress(BrokenPipeError):  # the process is gone: ``result`` says why
            self._requests.send(argument)

    def result(self) -> T:
        try:
            ok, value = self._replies.recv()
        except EOFError:  # it ended without a word: how, once it is reaped
            code = None
            if self._process is not None:
                self._process.join(5)
                code = self._process.exitcode
            raise RuntimeError(f"a forked process of the build ended without its result (exit code {code})") from None
        finally:
            self.close()
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the process (after its result, or on an error or interruption in the build); again, nothing."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
        self._requests.close()
        self._replies.close()


def _serve(build_pid: int, ready: Callable[[], None], serve: Callable[[Any], Any],
           requests: Connection, replies: Connection) -> None:
    worker_init(build_pid)
    failure: BaseException | None = None
    try:
        ready()
    except BaseException as exc:
        failure = exc
    try:
        argument = requests.recv()  # taken even after a failure: the build's ``give`` must not block on a full pipe
        reply: tuple[bool, Any] = (False, failure) if failure is not None else (True, serve(argument))
    except EOFError:
        return  # the build gave nothing and closed: it ended or failed before the print edition
    except BaseException as exc:
        reply = (False, exc)
    if not reply[0]:
        _bare(reply[1])
    try:
        replies.send(reply)
    except Exception as exc:  # an exception that does not pickle: its text at least
        replies.send((False, RuntimeError(f"{type(reply[1]).__name__}: {reply[1]} ({exc})")))


def _bare(exc: BaseException) -> None:
    """The exception without the frames that raised it nor the one it replaced, before it is pickled.

    Pickled as Python pickles an exception, they never went; but a library that pickles exceptions with
    their tracebacks (tblib, as dask's distributed installs it for an exception it has seen) would send a
    RecursionError's thousand frames with the problem that reports it, and fail to.
    """
    exc.__traceback__ = None
    exc.__context__ = None
    exc.__cause__ = None
