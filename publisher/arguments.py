"""The command line's parser: a mistake is told in the words of the command being run.

argparse alone reports a misspelt option of a command (``build --ouput x``)
as whatever it misses next (``--out`` is required), or hands it up to the
top-level parser, which prints the top-level usage (``build --jobz 2``). Here
every option is looked up before argparse reads the arguments: one that no
option of the command matches is reported by that command, with its usage,
the nearest option it has, or the commands that do have it.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Sequence
from typing import Any

# What argparse takes for a negative number rather than an option (when no option looks like one).
_NUMBER = re.compile(r"-\d+$|-\d*\.\d+$")


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser that names unknown options and commands, and the right ones, in the right usage."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._takes_value: dict[str, bool] = {}  # option string -> whether a value follows it
        self._help: dict[str, str] = {}  # option string -> its help, to say what an option of another command does
        self._commands: dict[str, CommandParser] = {}
        self._parent: CommandParser | None = None  # the top-level parser, for a command's
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        for option in action.option_strings:
            self._takes_value[option] = action.nargs != 0
            self._help[option] = action.help or ""
        return action

    def add_command(self, commands: Any, name: str, **kwargs: Any) -> CommandParser:
        """A subcommand's parser (``commands`` is what add_subparsers returned), remembered for messages."""
        command: CommandParser = commands.add_parser(name, **kwargs)
        command._parent = self
        self._commands[name] = command
        return command

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        arguments = list(args) if args is not None else sys.argv[1:]
        self._look_up(arguments)
        parsed, extras = super().parse_known_args(arguments, namespace)
        if extras:  # left over by this command: said with its usage, not the top level's
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras

    def _look_up(self, arguments: list[str]) -> None:
        """Stop at the first option this parser does not have, or (at the top) a command it does not know."""
        value_next = False
        for argument in arguments:
            if value_next:
                value_next = False
                continue
            if argument == "--":
                return
            if argument == "-" or not argument.startswith("-") or _NUMBER.match(argument):
                if self._commands:  # the command; its own parser looks at what follows
                    if argument not in self._commands:
                        self.error(self._unknown_command(argument))
                    return
                continue
            name = argument.split("=", 1)[0]
            option = self._option(name)
            if option is None:
                self.error(self._unknown_option(name))
            value_next = self._takes_value[option] and "=" not in argument

    def _option(self, name: str) -> str | None:
        """The option ``name`` stands for: itself, or the first of the long options it abbreviates."""
        if name in self._takes_value:
            return name
        if name.startswith("--") and self.allow_abbrev:
            # An ambiguous abbreviation is argparse's to report: any match will do here.
            return next((option for option in self._takes_value if option.startswith(name)), None)
        return None

    def _unknown_option(self, name: str) -> str:
        close = difflib.get_close_matches(name, [o for o in self._takes_value if o.startswith("--")], n=1)
        if close:
            return f"unknown option {name}; did you mean {close[0]}?"
        top = self._parent or self
        owners = {command: parser for command, parser in top._commands.items() if name in parser._takes_value}
        if not owners:
            return f"unknown option {name}"
        if self._commands:
            return f"{name} goes after the command: it is an option of {_listed(list(owners))}"
        does = next(iter(owners.values()))._help[name]
        return f"{name} is for {_listed(list(owners))}, not `{self.prog.split()[-1]}`: {does}"

    def _unknown_command(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self._commands), n=1)
        hint = f"; did you mean {close[0]}?" if close else f" (the commands: {', '.join(self._commands)})"
        return f"unknown command {name!r}{hint}"


def _listed(names: list[str]) -> str:
    shown = [f"`{name}`" for name in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"

