"""Reading files that an issue folder or a layout folder names.

The folders are not trusted (see docs/trust-model.md), so a name they
give is resolved with symbolic links followed and must stay inside its
folder, and only a regular file is read, up to a size limit. The file is
checked before it is opened and opened without blocking: a named pipe, a
device such as /dev/zero or a socket is refused, never read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .limits import KIB, MIB


class Refused(Exception):
    """A file that is not read: its message says why, for a ``file:line: message``."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def size_text(size: int) -> str:
    if size >= MIB:
        return f"{size / MIB:.1f} MiB".replace(".0 ", " ")
    if size >= KIB:
        return f"{size / KIB:.1f} KiB".replace(".0 ", " ")
    return f"{size} bytes"


def check_name(name: str) -> None:
    """Refuse a file name no file system can hold, before any system call sees it."""
    if not name.strip():
        raise Refused("the file name is empty")
    if "\0" in name:
        raise Refused("a file name cannot hold a NUL character")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise Refused("the file name holds a lone surrogate, which no file system can store")


def inside(folder: Path, name: str, what: str) -> Path:
    """The path ``name`` (relative to ``folder``) leads to, symbolic links followed; refused outside ``folder``."""
    check_name(name)
    if Path(name).is_absolute():
        raise Refused(f"{name} is an absolute path; a {what} must be named relative to the issue's folder")
    base = folder.resolve()
    try:
        resolved = (base / name).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop (Python 3.11)
        raise Refused(f"{name}: {_reason(exc)}") from None
    if not resolved.is_relative_to(base):
        raise Refused(f"{name} leads outside the issue's folder; a {what} must be inside it")
    return resolved


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; Refused (naming ``what``) otherwise."""
    try:
        _check_kind(os.stat(path), what, limit)
        # O_NONBLOCK: should the file have become a pipe since the stat, the
        # open still returns at once and the fstat below refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except FileNotFoundError:
        raise Refused(f"{what} not found") from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise Refused(f"cannot read {what}: {_reason(exc)}") from None
    try:
        _check_kind(os.fstat(fd), what, limit)
        chunks = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, MIB))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise Refused(f"cannot read {what}: {_reason(exc)}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # it grew while being read
        raise Refused(f"{what} is larger than the limit of {size_text(limit)}")
    return data


def _check_kind(status: os.stat_result, what: str, limit: int) -> None:
    for test, kind in _KINDS:
        if test(status.st_mode):
            raise Refused(f"{what} is {kind}, not a regular file")
    if status.st_size > limit:
        raise Refused(f"{what} is {size_text(status.st_size)}, more than the limit of {size_text(limit)}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) or (isinstance(exc, OSError) and exc.errno == errno.ELOOP):
        return "a loop of symbolic links"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
