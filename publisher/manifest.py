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
overflows the parser is an unreadable manifest, and every entry is parsed
once into a ``ManifestEntry``: one that is not as written here is dropped
(its issue is built again) and named in ``Manifest.dropped``.

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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ManifestEntry:
    """One issue's record (the module's docstring says what each field is); None: not recorded."""

    fingerprint: str | None = None
    pages: int | None = None
    slug: str | None = None
    files: tuple[str, ...] | None = None
    layout: str | None = None
    stamp: str | None = None
    environment: str | None = None
    failed: tuple[str, ...] = ()
    timed_out: float | None = None
    outputs: dict[str, int] | None = None  # file relative to OUT -> size in bytes

    @property
    def stale(self) -> bool:
        """Failed, with the files of its last good build kept."""
        return bool(self.failed and self.outputs)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"fingerprint": self.fingerprint, "pages": self.pages, "slug": self.slug,
                                "files": None if self.files is None else list(self.files), "layout": self.layout,
                                "stamp": self.stamp, "environment": self.environment}
        if self.failed:
            data["failed"] = list(self.failed)
        if self.timed_out is not None:
            data["timed_out"] = self.timed_out
        if self.outputs is not None:
            data["outputs"] = self.outputs
        return data


@dataclass(frozen=True)
class EnvironmentRecord:
    """What every issue of the batch shared when it last ran: the stamp an unchanged re-run compares, the
    digest it stands for, the font files it covers (``ingest.stamps``)."""

    stamp: str | None
    digest: str | None
    faces: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"stamp": self.stamp, "digest": self.digest, "faces": list(self.faces)}


def parse_environment(data: Any) -> EnvironmentRecord | None:
    """The manifest's environment; None if it is not a mapping. A field of another shape is not recorded."""
    if not isinstance(data, dict):
        return None
    stamp, digest, faces = data.get("stamp"), data.get("digest"), data.get("faces")
    return EnvironmentRecord(stamp if isinstance(stamp, str) else None, digest if isinstance(digest, str) else None,
                             tuple(f for f in faces if isinstance(f, str)) if isinstance(faces, list) else ())


_TEXT_FIELDS = ("fingerprint", "slug", "layout", "stamp", "environment")


def parse_entry(data: Any) -> ManifestEntry | None:
    """An entry read from the manifest or its journal; None if it is not as a batch writes it."""
    if not isinstance(data, dict):
        return None
    text = {key: data.get(key) for key in _TEXT_FIELDS}
    pages, files, failed = data.get("pages"), data.get("files"), data.get("failed", [])
    timed_out, outputs = data.get("timed_out"), data.get("outputs")
    if not (all(value is None or isinstance(value, str) for value in text.values())
            and (pages is None or _whole(pages))
            and (files is None or _strings(files))
            and _strings(failed)
            and (timed_out is None or _whole(timed_out) or isinstance(timed_out, float))
            and (outputs is None or (isinstance(outputs, dict)
                                     and all(_whole(size) for size in outputs.values())))):
        return None
    return ManifestEntry(**text, pages=pages, files=None if files is None else tuple(files), failed=tuple(failed),
                         timed_out=timed_out, outputs=outputs)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class Manifest:
    """The manifest of one output folder, with its journal replayed."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self.journal = folder / JOURNAL
        self.issues: dict[str, ManifestEntry] = {}
        self.dropped: list[str] = []  # issues whose entry was not as a batch writes it
        self.environment: EnvironmentRecord | None = None
        self._journal: Any = None
        data = self._read(self.path)
        if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("issues"), dict):
            for name, recorded in data["issues"].items():
                self._take(name, recorded)
            self.environment = parse_environment(data.get("environment"))
        self._environment_read = self.environment
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
                if record.get("entry") is None:
                    self.issues.pop(record["issue"], None)
                else:
                    self._take(record["issue"], record["entry"])
        return True

    def _take(self, name: str, recorded: Any) -> None:
        entry = parse_entry(recorded)
        if entry is not None:
            self.issues[name] = entry
            return
        self.issues.pop(name, None)  # an earlier entry, and this one of a shape unknown: built again
        if name not in self.dropped:
            self.dropped.append(name)

    def entry(self, name: str) -> ManifestEntry | None:
        return self.issues.get(name)

    def set(self, name: str, entry: ManifestEntry | None) -> None:
        """Record an issue's entry (None: forget it): appended to the journal at once."""
        if entry is None:
            self.issues.pop(name, None)
        else:
            self.issues[name] = entry
        self._set = True
        if self._journal is None:
            self._journal = open(self.journal, "a", encoding="utf-8")  # noqa: SIM115  # open for the whole run
        recorded = None if entry is None else entry.to_json()
        self._journal.write(json.dumps({"issue": name, "entry": recorded}, ensure_ascii=False) + "\n")
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
        issues = {name: entry.to_json() for name, entry in sorted(self.issues.items())}
        environment = self.environment.to_json() if self.environment is not None else {}
        data = {"format": FORMAT, "environment": environment, "issues": issues}
        write_atomic(self.path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.journal)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def stale(self) -> dict[str, list[str]]:
        """Issues whose sources no longer build, and the files of their last good build that are kept."""
        return {name: sorted(entry.outputs or {}) for name, entry in self.issues.items() if entry.stale}


def stale_outputs(folder: Path) -> set[str]:
    """The kept files of stale issues under a batch's output folder (relative, posix), for the catalogue."""
    manifest = Manifest(folder)
    return {name for outputs in manifest.stale().values() for name in outputs}
