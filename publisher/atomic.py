"""Writing output files so that a file appears only when it is complete, and a failure leaves nothing.

Every file is first written under a hidden temporary name beside its target
(``.<name>.<random>.part``) and renamed onto it when complete. While it is
being written, the writing process holds an exclusive ``flock`` on it: a
``.part`` file nobody holds a lock on is a leftover of a killed run, and the
next run removes it (``remove_stale_parts``) without touching the files a
concurrent build is still writing.

``Staging`` groups the files of one build: none is renamed into place until
all are written, so a build that fails half-way leaves the output folder as
it was (no JSON without its editions, no ``.part``), and a folder it had to
create is removed again if it stays empty.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import display_path

PART_SUFFIX = ".part"
# Errors that say the output cannot be written, whatever the input.
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG, errno.EIO,
                  errno.ENOTDIR, errno.EISDIR, errno.EEXIST, errno.ENAMETOOLONG, errno.EMLINK}


class OutputError(Exception):
    """The output cannot be written (a read-only or full disk, a file where a folder should be)."""

    exit_code = 4


def output_error(exc: OSError, target: Path) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(f"{display_path(target)}: cannot write: {reason}")


def is_output_errno(exc: OSError) -> bool:
    return exc.errno in _OUTPUT_ERRNOS


def _lock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created (deepest first) so they can be undone."""
    created = []
    current = folder.absolute()
    while not current.exists() and not current.is_symlink():
        created.append(current)
        if current.parent == current:
            break
        current = current.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file, or a dangling link, where the folder should be
        raise OutputError(f"{display_path(folder)}: cannot write: it is not a folder") from exc
    except OSError as exc:
        raise output_error(exc, folder) from exc
    return created


def remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed onto it only if the block succeeds.

    The temporary file lives in the same folder so the final rename is atomic:
    an interrupted build leaves no half-written edition under the real name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here: an unchanged batch re-run imports this module and writes nothing

    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PART_SUFFIX, dir=target.parent)
    tmp = Path(tmp_name)
    try:
        _lock(fd)
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        os.close(fd)


def write_atomic(target: Path, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


@contextlib.contextmanager
def locked_folder(target: Path) -> Iterator[Path]:
    """A temporary folder beside ``target`` (``.<name>.<random>.part``), locked while the block runs."""
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=PART_SUFFIX, dir=target.parent))
    fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        _lock(fd)
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        os.close(fd)


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove the ``.part`` files and folders of killed runs in ``folder``; those being written are kept."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(PART_SUFFIX)):
            continue
        path = Path(entry.path)
        try:
            directory = entry.is_dir(follow_symlinks=False)
            flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_DIRECTORY if directory else 0)
            fd = os.open(path, flags)
        except OSError:
            continue  # a link or something we cannot open: not ours
        try:
            _lock(fd)
        except OSError:
            continue  # a live writer holds it
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            if directory:
                import shutil

                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


class Staging:
    """The files of one build, written in a locked temporary folder and put in place together.

    ``path(target)`` is where ``target`` is written meanwhile (under its own name,
    in ``.<folder>.<random>.part/`` beside the targets); ``commit()`` renames them
    all onto their targets. Leaving the ``with`` block without a commit removes
    them, and the output folders created for them if they stay empty.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._targets: list[Path] = []
        self._created: list[Path] = []
        self._stage: contextlib.ExitStack = contextlib.ExitStack()
        self._dir: Path | None = None
        self._committed = False

    def __enter__(self) -> Staging:
        self._created = make_folder(self.folder)
        remove_stale_parts(self.folder)
        try:
            self._dir = self._stage.enter_context(locked_folder(self.folder / "build"))
        except OSError as exc:
            remove_empty(self._created)
            raise output_error(exc, self.folder) from exc
        return self

    def path(self, target: Path) -> Path:
        assert self._dir is not None and target.parent == self.folder
        self._targets.append(target)
        return self._dir / target.name

    def commit(self) -> list[Path]:
        assert self._dir is not None
        for target in self._targets:
            try:
                os.replace(self._dir / target.name, target)
            except OSError as exc:
                raise output_error(exc, target) from exc
        self._committed = True
        return list(self._targets)

    def __exit__(self, *exc_info: object) -> None:
        self._stage.close()
        if not self._committed:
            remove_empty(self._created)
