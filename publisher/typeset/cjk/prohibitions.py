"""What may not start or end a line, at clreq's levels: the tables of ``prohibitions.toml``.

One reading of one file serves the line breaker (``paragraph``), the headline
breaker (``heads``, through ``classes``) and the typography lint of ``check``,
so the build and the check cannot disagree. Every entry names the references
that forbid it (W3C clreq and jlreq, the web-platform tests, UAX #14).

A rule is found by the text at a line's head (or end), not by a single
character: two em dashes are a dash (破折号, clreq's strict level) where one
is a connector mark (连接号, its basic level), and the longest entry that
matches decides.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Level = Literal["basic", "gb", "strict"]
LEVELS: tuple[Level, ...] = ("basic", "gb", "strict")  # loosest first, each adding rules to the one before
# The name layout.toml used for clreq's basic level before it had GB-style and strict
# beside it (and CSS's name for the level it corresponds to).
LEVEL_ALIASES: Mapping[str, Level] = {"normal": "basic"}
# CSS `line-break` has no GB-style level: its "normal" is clreq's basic (and lets a
# reader end a line on a solidus), its "strict" clreq's strict.
CSS_LINE_BREAK: Mapping[Level, str] = {"basic": "normal", "gb": "normal", "strict": "strict"}

Position = Literal["start", "end"]
_FILE = "prohibitions.toml"
# Characters of a line's head or end the rules need to see: the longest entry (——) and,
# at a line's end, the character before it (a solidus after a Latin letter is a URL's).
LONGEST = 3


@dataclass(frozen=True)
class Rule:
    """One entry of a class: ``text`` may not stand at a line's ``position`` from ``level`` upwards."""

    text: str
    position: Position
    level: Level
    kind: str  # the class's key in the tables, e.g. "pause_or_stop"
    title: str  # the class as a reader names it, e.g. "pause or stop marks (点号)"
    sources: tuple[str, ...]  # keys of the tables' [sources]
    latin_word_exempt: bool = False  # may end a line inside a Latin word (a solidus in a URL)

    def describe(self) -> str:
        """Why, for a finding: the class and the level that forbids it."""
        side = "head" if self.position == "start" else "end"
        return f"{self.title}, kept off a line's {side} from the {LEVEL_TITLES[self.level]} level"


LEVEL_TITLES: Mapping[Level, str] = {"basic": "basic", "gb": "GB-style", "strict": "strict"}


def level_named(value: object) -> Level | None:
    """The level a layout.toml value names (or its earlier name), None if none."""
    for level in LEVELS:
        if value == level:
            return level
    return LEVEL_ALIASES.get(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class Tables:
    """Every rule of the file, and its sources by key."""

    rules: tuple[Rule, ...]
    sources: Mapping[str, str]


@cache
def tables() -> Tables:
    """The rules of ``prohibitions.toml`` (read once)."""
    data: dict[str, Any] = tomllib.loads(resources.files(__package__).joinpath(_FILE).read_text("utf-8"))
    rules: list[Rule] = []
    for kind, table in data["classes"].items():
        for position in ("start", "end"):
            level = table.get(position)
            if level is None:
                continue
            for entry in table["chars"]:
                rules.append(Rule(entry["text"], position, level, kind, table["title"], tuple(entry["sources"]),
                                  bool(table.get("latin_word_exempt", False))))
    return Tables(tuple(rules), dict(data["sources"]))


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class Prohibitions:
    """The rules in force at one level, indexed for the breaker's inner loop."""

    level: Level
    _starts: Mapping[str, tuple[Rule, ...]]  # by first character: every start rule beginning with it, longest first
    _ends: Mapping[str, tuple[Rule, ...]]  # by last character: every end rule ending with it, longest first
    _ranks: Mapping[Level, int]
    starters: frozenset[str]  # the first characters of the entries that may start no line at this level
    enders: frozenset[str]  # the last characters of the entries that may end no line at this level
    # The breaker's fast path: characters forbidden whatever stands beside them (one entry of
    # one character, in force, without exemption); only the others need ``at_start``/``at_end``.
    always_starters: frozenset[str]
    always_enders: frozenset[str]

    def _in_force(self, rule: Rule) -> bool:
        return self._ranks[rule.level] <= self._ranks[self.level]

    def at_start(self, text: str) -> Rule | None:
        """The rule a line starting with ``text`` breaks at this level, if any.

        ``text`` is the line from its first visible character (two or three
        characters are enough). The longest entry it starts with decides,
        whatever its level: ``——`` is a dash (strict) even where ``—``
        alone, a connector, is forbidden at every level.
        """
        for rule in self._starts.get(text[:1], ()):
            if text.startswith(rule.text):
                return rule if self._in_force(rule) else None
        return None

    def at_end(self, text: str) -> Rule | None:
        """The rule a line ending with ``text`` (up to its last visible character) breaks at this level, if any."""
        for rule in self._ends.get(text[-1:], ()):
            if text.endswith(rule.text):
                before = text[-len(rule.text) - 1:-len(rule.text)]
                if rule.latin_word_exempt and _latin(before):
                    return None
                return rule if self._in_force(rule) else None
        return None


@cache
def prohibitions(level: Level) -> Prohibitions:
    """The rules at ``level``: its own and those of every looser level."""
    starts: dict[str, list[Rule]] = {}
    ends: dict[str, list[Rule]] = {}
    for rule in tables().rules:
        if rule.position == "start":
            starts.setdefault(rule.text[0], []).append(rule)
        else:
            ends.setdefault(rule.text[-1], []).append(rule)
    ranks = {name: rank for rank, name in enumerate(LEVELS)}
    in_force = {rule for rule in tables().rules if ranks[rule.level] <= ranks[level]}
    return Prohibitions(
        level,
        {ch: tuple(sorted(rules, key=lambda r: -len(r.text))) for ch, rules in starts.items()},
        {ch: tuple(sorted(rules, key=lambda r: -len(r.text))) for ch, rules in ends.items()},
        ranks,
        frozenset(ch for ch, rules in starts.items() if in_force.intersection(rules)),
        frozenset(ch for ch, rules in ends.items() if in_force.intersection(rules)),
        frozenset(ch for ch, rules in starts.items() if _unconditional(rules, in_force)),
        frozenset(ch for ch, rules in ends.items() if _unconditional(rules, in_force)),
    )


def _unconditional(rules: list[Rule], in_force: set[Rule]) -> bool:
    return len(rules) == 1 and len(rules[0].text) == 1 and rules[0] in in_force and not rules[0].latin_word_exempt
