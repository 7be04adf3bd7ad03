"""Work beside the build in forked processes: a result or an exception comes back, and nothing hangs."""

from __future__ import annotations

import copyreg
import os
import types

import pytest

from publisher.errors import InputError, Problem
from publisher.forked import Served

_READY: list[str] = []


def _get_ready() -> None:
    _READY.append("ready")


def _fail_to_get_ready() -> None:
    raise OSError("no such library")


def _length_and_readiness(argument: bytes) -> tuple[int, list[str], int]:
    return len(argument), _READY, os.getpid()


def _refuse(argument: bytes) -> int:
    raise InputError([Problem("layout/print/issue.html", 3, "unexpected end of template")])


def _die(argument: bytes) -> int:
    os._exit(3)


def _refuse_after_running_out_of_depth(argument: bytes) -> int:
    # As a layout whose templates include themselves: a problem raised from a RecursionError's frames.
    def deeper(n: int) -> int:
        return deeper(n + 1) + 1

    try:
        deeper(0)
    except RecursionError:
        raise InputError([Problem("masthead.html", 1, "the templates call themselves without end")]) from None
    return 0


def test_a_problem_crosses_back_without_the_frames_that_raised_it() -> None:
    # tblib (installed by dask's distributed for the exceptions it sees) pickles an exception with its
    # traceback and the exception it replaced: a thousand frames deep, that did not pickle.
    tblib_pickling = pytest.importorskip("tblib.pickling_support")
    tblib_pickling.install(InputError, RecursionError)
    try:
        served: Served[bytes, int] = Served(_get_ready, _refuse_after_running_out_of_depth)
        served.give(b"")
        with pytest.raises(InputError) as raised:
            served.result()
    finally:
        for kind in (InputError, RecursionError, types.TracebackType):
            copyreg.dispatch_table.pop(kind, None)
    assert str(raised.value) == "masthead.html:1: the templates call themselves without end"


def test_the_result_comes_back_from_a_process_made_ready_before_it_was_given_anything() -> None:
    served: Served[bytes, tuple[int, list[str], int]] = Served(_get_ready, _length_and_readiness)
    served.give(b"x" * 5_000_000)  # far more than a pipe holds
    length, ready, pid = served.result()
    assert (length, ready) == (5_000_000, ["ready"]) and pid != os.getpid()
    assert _READY == []  # readied there, not here


def test_an_exception_crosses_back_whole() -> None:
    served: Served[bytes, int] = Served(_get_ready, _refuse)
    served.give(b"")
    with pytest.raises(InputError) as raised:
        served.result()
    assert str(raised.value) == "layout/print/issue.html:3: unexpected end of template"


def test_a_failure_to_get_ready_is_reported_once_given_and_the_giving_does_not_block() -> None:
    served: Served[bytes, tuple[int, list[str], int]] = Served(_fail_to_get_ready, _length_and_readiness)
    served.give(b"x" * 5_000_000)
    with pytest.raises(OSError, match="no such library"):
        served.result()


def test_a_process_that_dies_is_an_error_not_a_hang() -> None:
    served: Served[bytes, int] = Served(_get_ready, _die)
    served.give(b"")
    with pytest.raises(RuntimeError, match="exit code 3"):
        served.result()


def test_closed_before_it_was_given_anything_the_process_ends() -> None:
    served: Served[bytes, int] = Served(_get_ready, _refuse)
    process = served._process
    assert process is not None
    served.close()
    assert not process.is_alive()
    served.close()  # again: nothing
