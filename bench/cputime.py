"""Run a command and report its wall time and the CPU time of every process it started.

    python -m bench.cputime make test

``time`` (and ``/usr/bin/time``) count only the children that were waited
for: a batch's workers are children of multiprocessing's fork server, which
nobody waits for, so their CPU time was missing from the figure docs/install.md gave
for ``make test`` (282 s, for 660 tests; 776 s measured here, for 853). Here this
process becomes the "child subreaper" of everything below it (Linux
``prctl(PR_SET_CHILD_SUBREAPER)``): an orphan is re-parented to it instead of
to init, and it waits for every one, so the kernel's count of its children's
CPU time holds them all.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    started = time.monotonic()
    code = subprocess.call(argv)
    # The orphans the command left (a fork server, its workers) are ours now: wait for each.
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"cputime: exit {code}, wall {wall:.1f} s, CPU {usage.ru_utime + usage.ru_stime:.1f} s "
          f"(user {usage.ru_utime:.1f} s + system {usage.ru_stime:.1f} s, every process the command started), "
          f"load average at the end {os.getloadavg()[0]:.2f}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
