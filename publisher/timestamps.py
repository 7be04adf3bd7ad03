"""The one date an edition records as its build time.

Reproducible builds: with ``SOURCE_DATE_EPOCH`` set (the reproducible-builds
convention) that instant is used; without it, the issue's own publication date
at midnight UTC. Never the wall clock, so rebuilding an issue gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import os

from .model import Issue


def build_datetime(issue: Issue) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.combine(issue.date, dt.time(0, 0), tzinfo=dt.UTC)
