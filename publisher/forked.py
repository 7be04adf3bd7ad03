"""Work done beside the build, in a process forked from it: it starts with everything the build holds.

A forked worker ignores Ctrl-C: the build that started it stops it, and
reports the interruption once. It ends with its build however the build ends
(SIGTERM, SIGKILL): Linux's parent-death signal. Its result, or the exception
it raised, comes back pickled.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

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
