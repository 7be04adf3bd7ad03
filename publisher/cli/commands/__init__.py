"""What each command does, one module per command (as Standard Ebooks' ``se/commands``).

A command's module is imported when the command is run, and only then
(``load``): `publisher --help` imports none of them, and `publisher batch`
with every issue unchanged imports no typesetting.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import TextIO

Runner = Callable[[argparse.Namespace, TextIO], int]

# The commands, as the parser names them; each module has ``run(args, out) -> exit code``.
COMMANDS = ("parse", "build", "check", "package", "batch", "catalog", "preview")


def load(command: str) -> Runner:
    """The command's ``run``, its module imported now."""
    if command not in COMMANDS:
        raise ValueError(f"no command {command!r}")
    runner: Runner = importlib.import_module(f"{__name__}.{command}").run
    return runner
