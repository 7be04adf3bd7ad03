"""The command line's table: every command the parser knows is run by a module of ``cli.commands``."""

from __future__ import annotations

import argparse

import pytest

from publisher.cli.command_line import parser
from publisher.cli.commands import COMMANDS, load


def _parsed_commands() -> list[str]:
    [subparsers] = [action for action in parser()._actions if isinstance(action, argparse._SubParsersAction)]
    return list(subparsers.choices)


def test_the_table_lists_the_parsers_commands_in_their_order() -> None:
    assert _parsed_commands() == list(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_a_runner(command: str) -> None:
    assert callable(load(command))


def test_a_command_outside_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match="no command 'serve'"):
        load("serve")
