"""Work beside the build in forked processes: a result or an exception comes back, and nothing hangs."""

from __future__ import annotations

import inspect
import os
import sys
from typing import Any

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


def _nested_near_the_limit(argument: bytes) -> list[Any]:
    # The process left with little depth (as after a template that included itself without end): the reply
    # is too deep to pickle with what is left.
    sys.setrecursionlimit(len(inspect.stack()) + 20)
    nested: list[Any] = []
    for _ in range(25):
        nested = [nested]
    return nested


def test_a_reply_too_deep_for_what_is_left_of_the_thread_comes_back_all_the_same() -> None:
    served: Served[bytes, list[Any]] = Served(_get_ready, _nested_near_the_limit)
    served.give(b"")
    reply, depth = served.result(), 0
    while reply:
        [reply] = reply
        depth += 1
    assert depth == 25


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
