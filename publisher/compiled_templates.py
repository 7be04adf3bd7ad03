"""The shipped layouts' templates kept compiled between runs, as Python keeps its modules' bytecode.

Compiling a template costs about a third of a millisecond per line: 0.06 s
for the print edition's and 0.04 s for the EPUB's, in every build, against
a few milliseconds to load them compiled. Only the toolkit's own templates
(``layouts/`` as shipped) are kept: a user's layout folder is compiled each
time, so that a folder tried once leaves nothing behind. Jinja2 keys each
entry by the template's name and file, checks the source's checksum and
its own format and Python's version, so a changed template or an upgraded
Jinja2 compiles again.

The cache holds code this process runs, so it is used only in a folder of
the user's own that no one else may write to (``$XDG_CACHE_HOME/publisher``,
by default ``~/.cache/publisher``); where there is none, or it cannot be
written (a read-only home, a sandbox), the templates are compiled as
before and nothing is reported: the cache only saves time.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .resources import LAYOUTS_DIR

if TYPE_CHECKING:
    from jinja2.bccache import Bucket


class _ShippedTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache in files, for the shipped layouts' templates alone; quiet when the disk refuses."""

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        bucket = super().get_bucket(environment, name, filename, source) if _shipped(filename) else None
        if bucket is None:  # a user's template: an empty bucket, never stored
            from jinja2.bccache import Bucket

            bucket = Bucket(environment, "", "")
            bucket.kept = False  # type: ignore[attr-defined]
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        if getattr(bucket, "kept", True):
            super().set_bucket(bucket)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or damaged (pickle's, marshal's errors): compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full or read-only disk: compiled again next time
            super().dump_bytecode(bucket)


def _shipped(filename: str | None) -> bool:
    return filename is not None and Path(filename).is_relative_to(LAYOUTS_DIR)


def compiled_templates() -> jinja2.BytecodeCache | None:
    """The cache of compiled templates, or None where there is no private folder for it."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "publisher", f"templates-jinja{jinja2.__version__}")
    try:
        os.makedirs(folder, mode=stat.S_IRWXU, exist_ok=True)
        found = os.lstat(folder)
    except OSError:
        return None
    if (not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid()
            or stat.S_IMODE(found.st_mode) & (stat.S_IWGRP | stat.S_IWOTH)):
        return None  # a link, someone else's, or writable by others: what it holds would run here
    return _ShippedTemplates(folder)
