"""The command line: parse, build, check, package, batch, catalog, preview.
Input problems become `file:line: message` lines.

``command_line`` holds every command's arguments; what a command does is in
``commands``, one module each, imported once the command is known.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
from collections.abc import Sequence
from typing import TextIO

from ..atomic import OutputError
from ..errors import InputError, ToolError, printable, shown_problems
from .command_line import parser
from .commands import load


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args = parser().parse_args(argv)
    args.stderr = err  # for commands that report progress or failures besides their output
    try:
        # Imported inside: a Ctrl-C during a slow import is reported as any other.
        return load(args.command)(args, out)
    except InputError as error:
        for line in shown_problems([str(problem) for problem in error.problems]):
            err.write(f"{line}\n")
        return error.exit_code
    except (ToolError, OutputError) as error:
        err.write(f"publisher: {printable(str(error))}\n")
        return error.exit_code
    except KeyboardInterrupt:
        err.write("publisher: interrupted\n")
        return 130
    except OSError as error:
        if error.errno == errno.EPIPE:
            raise
        # The system refused something no check foresaw: still a message, not a traceback.
        where = f"{error.filename}: " if error.filename else ""
        err.write(f"publisher: {where}{error.strerror or error}\n")
        return OutputError.exit_code


def entry() -> None:
    # Messages name files and quote the text in Chinese: never fail to print them,
    # whatever the locale (LANG=C, PYTHONIOENCODING=ascii).
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output went away (`publisher parse x | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 141
    except KeyboardInterrupt:
        code = 130
    if code == 130:
        # Interrupted and reported: a second Ctrl-C (or one held back until a native import was done)
        # must not break into the clean-up at exit with a traceback and another exit status.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
