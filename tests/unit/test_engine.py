"""WeasyPrint imported by publisher.print.engine: its libraries opened by their sonames, no process started."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

# Every process the import starts is counted (ctypes' library search runs ldconfig, gcc and ld).
_COUNT_PROCESSES = """
import subprocess, sys
started = []
original = subprocess.Popen.__init__
def counted(self, args, *rest, **options):
    started.append(args)
    original(self, args, *rest, **options)
subprocess.Popen.__init__ = counted
{imports}
from weasyprint.text.ffi import pango
print(len(started), pango.pango_version())
"""


def _started(imports: str) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", _COUNT_PROCESSES.format(imports=imports)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])


def test_weasyprint_is_imported_without_searching_for_its_libraries() -> None:
    started, version = _started("import publisher.print.engine")
    assert started == 0 and version > 0  # Pango opened and answering
    searched, same_version = _started("import weasyprint")
    assert searched > 0 and same_version == version  # as WeasyPrint imports itself: processes, the same Pango
