"""OUT/batch-manifest.json: what each issue of a batch was last built from, and what it wrote.

Per issue (keyed by its issue.yaml relative to ROOT):

- ``fingerprint``, ``pages``: what it was last built or failed from;
- ``outputs``: the files of its last good build (relative to OUT, with sizes);
- ``failed``: the problems of its last build, when that failed on the issue's
  own inputs. An issue with both ``failed`` and ``outputs`` is *stale*: its
  sources changed and no longer build, and the editions of its last good build
  are kept (an archive keeps what it had rather than nothing), marked so here
  and in the catalogue;
- ``timed_out``: the time limit (s) a failed build ran past;
- ``slug``: its editions' file stem; ``environment``, ``stamp``, ``files``,
  ``layout``: what an unchanged re-run checks instead of reading the inputs
  again (``ingest.stamps``).

The manifest lies in the output folder and may be edited, truncated or
replaced by anything: it is read within a size limit, a nesting that
overflows the parser is an unreadable manifest, and every entry that is not
as written here means "build again".

Writing it whole after every issue cost 51 s over an archive of 3,000
issues. Each outcome is appended instead to a journal beside it
(``.batch-manifest.journal``, hidden, so no issue folder can be named like
it), one JSON line, and the manifest is rewritten once at the end of a run;
the next run replays a journal a killed run left. A line cut short by the
kill is ignored: that issue is built again.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .untrusted import Refused, read_regular

MANIFEST = "batch-manifest.json"
JOURNAL = ".batch-manifest.journal"
FORMAT = "publisher-batch/1"
MANIFEST_BYTES = 256 * 1024 * 1024  # 3,000 issues take 3 MB


def _json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser's stack
        return None


class Manifest:
    """The manifest of one output folder, with its journal replayed."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self.journal = folder / JOURNAL
        self.issues: dict[str, dict[str, Any]] = {}
        self.environment: dict[str, Any] = {}
        self._journal: Any = None
        self._environment_read: dict[str, Any] = {}
        data = self._read(self.path)
        if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("issues"), dict):
            self.issues = {name: entry for name, entry in data["issues"].items() if isinstance(entry, dict)}
            if isinstance(data.get("environment"), dict):
                self.environment = data["environment"]
        self._environment_read = dict(self.environment)
        self.replayed = self._replay()
        self._set = False

    @staticmethod
    def _read(path: Path) -> Any:
        try:
            return _json(read_regular(path, MANIFEST_BYTES, "batch manifest"))
        except Refused:
            return None  # none yet, or not a file we read: everything is built again

    def _replay(self) -> bool:
        try:
            data = read_regular(self.journal, MANIFEST_BYTES, "batch journal")
        except Refused:
            return False
        for line in data.splitlines():
            record = _json(line)
            if isinstance(record, dict) and isinstance(record.get("issue"), str):
                entry = record.get("entry")
                if isinstance(entry, dict):
                    self.issues[record["issue"]] = entry
                elif entry is None:
                    self.issues.pop(record["issue"], None)
        return True

    def entry(self, name: str) -> dict[str, Any] | None:
        return self.issues.get(name)

    def set(self, name: str, entry: dict[str, Any] | None) -> None:
        """Record an issue's entry (None: forget it): appended to the journal at once."""
        if entry is None:
            self.issues.pop(name, None)
        else:
            self.issues[name] = entry
        self._set = True
        if self._journal is None:
            self._journal = open(self.journal, "a", encoding="utf-8")  # noqa: SIM115  # open for the whole run
        self._journal.write(json.dumps({"issue": name, "entry": entry}, ensure_ascii=False) + "\n")
        self._journal.flush()

    @property
    def changed(self) -> bool:
        """Whether the manifest on disk is behind: entries set, a journal replayed, a new environment."""
        return self._set or self.replayed or self.environment != self._environment_read

    def save(self) -> None:
        """Write the manifest whole and drop the journal."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        data = {"format": FORMAT, "environment": self.environment, "issues": dict(sorted(self.issues.items()))}
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.journal)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def stale(self) -> dict[str, list[str]]:
        """Issues whose sources no longer build, and the files of their last good build that are kept."""
        return {name: sorted(entry["outputs"]) for name, entry in self.issues.items()
                if entry.get("failed") and isinstance(entry.get("outputs"), dict) and entry["outputs"]}


def stale_outputs(folder: Path) -> set[str]:
    """The kept files of stale issues under a batch's output folder (relative, posix), for the catalogue."""
    manifest = Manifest(folder)
    return {name for outputs in manifest.stale().values() for name in outputs if isinstance(name, str)}
