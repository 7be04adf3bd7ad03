"""Ctrl-C held back while a native module initialises.

pikepdf's bindings (nanobind) abort the whole process, with a core dump and
exit status 134, when an exception arrives while they build their types: a
Ctrl-C during ``import pikepdf`` is such an exception. Held back, it is
delivered as soon as the import is done, and the build stops as for any other
Ctrl-C (exit 130, nothing half-written).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held() -> Iterator[None]:
    """Ctrl-C (SIGINT) blocked for the ``with`` body; one that arrived meanwhile is raised at its end."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are the main thread's: a worker thread has nothing to hold
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
