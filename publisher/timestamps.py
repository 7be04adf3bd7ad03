"""The one date an edition records as its build time.

Reproducible builds: with ``SOURCE_DATE_EPOCH`` set (the reproducible-builds
convention) that instant is used; without it, the issue's own publication date
at midnight UTC. Never the wall clock, so rebuilding an issue gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from .model import Issue

# The last second a four-digit year can hold: a PDF date and an EPUB's dcterms:modified need no more.
LATEST_EPOCH = 253_402_300_799
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() also takes "²" and "١"


def epoch_problem() -> str | None:
    """What is wrong with ``SOURCE_DATE_EPOCH``, if set; None when it is unset or usable."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not _DIGITS.fullmatch(value):
        return f"SOURCE_DATE_EPOCH={value[:40]!r} is not a number of seconds since 1970-01-01 (e.g. 1669593600)"
    if int(value) > LATEST_EPOCH:
        return f"SOURCE_DATE_EPOCH={value[:40]} is after the year 9999"
    return None


def build_datetime(issue: Issue) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and epoch_problem() is None:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.combine(issue.date, dt.time(0, 0), tzinfo=dt.UTC)
