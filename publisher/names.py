"""File names made from metadata (the paper's name), safe on every file system and still readable.

``paper:`` comes from an untrusted issue.yaml and may hold anything: ``../``,
an absolute path, a NUL, a right-to-left override that makes ``fdp.exe``
look like ``exe.pdf``, or 300 characters. The name keeps every character a
reader would see (Chinese stays Chinese) and drops or replaces the rest:

- path separators and the characters Windows forbids (``/ \\ : * ? " < > |``)
  and control characters become ``_``;
- invisible characters (format controls such as bidi overrides and zero-width
  joiners, line and paragraph separators, unassigned code points,
  noncharacters, surrogates) are dropped;
- runs of white space become one space; leading dots, dashes and spaces are
  dropped (no hidden file, nothing a shell reads as an option), and trailing
  dots and spaces (Windows drops them);
- a name longer than ``limits.NAME_BYTES`` in UTF-8 is cut at a character and
  marked with the first 8 hex digits of the whole name's SHA-256, so that
  two long names that start alike stay apart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .limits import NAME_BYTES

_FORBIDDEN = set('/\\:*?"<>|')
_DROPPED_CATEGORIES = {"Cf", "Cs", "Cn", "Co", "Zl", "Zp"}
_SPACES = re.compile(r"\s+")
_UNDERSCORES = re.compile(r"_{2,}")
FALLBACK = "issue"


def _is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def safe_stem(text: str, limit: int = NAME_BYTES) -> str:
    """``text`` as a file name stem (see the module's rules)."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in _FORBIDDEN or (category == "Cc" and not char.isspace()):
            kept.append("_")
        elif category in _DROPPED_CATEGORIES or _is_noncharacter(char):
            continue
        else:
            kept.append(char)
    name = _UNDERSCORES.sub("_", _SPACES.sub(" ", "".join(kept)))
    name = name.lstrip(".- _").rstrip(". ")
    if not name:
        return FALLBACK
    if len(name.encode("utf-8")) > limit:
        mark = "~" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cut = name.encode("utf-8")[: limit - len(mark)].decode("utf-8", "ignore").rstrip(". ")
        name = cut + mark
    return name
