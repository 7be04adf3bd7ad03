"""The dates an edition records about its own making.

Reproducible builds follow the reproducible-builds convention: with
``SOURCE_DATE_EPOCH`` set, that instant stands for the build's time.

- ``build_datetime``: the date the print edition and the archive package
  record; without ``SOURCE_DATE_EPOCH`` the issue's own publication date at
  midnight UTC, never the wall clock, so a rebuild gives the same bytes.
- ``modified_datetime``: the EPUB's ``dcterms:modified``, which EPUB defines as
  the time the book was last changed: the build's own time, to the second, in
  UTC; with ``SOURCE_DATE_EPOCH`` set, that instant, so a rebuild still gives
  the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the batch's re-run path imports this module and needs no model
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


def _epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch and epoch_problem() is None else None


def build_datetime(issue: Issue) -> dt.datetime:
    return _epoch() or dt.datetime.combine(issue.date, dt.time(0, 0), tzinfo=dt.UTC)


def modified_datetime() -> dt.datetime:
    return _epoch() or dt.datetime.now(dt.UTC).replace(microsecond=0)
