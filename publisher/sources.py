"""Read raw page files: encoding, BOM, newlines and control characters.

A page file is UTF-8 unless ``issue.yaml`` declares another encoding. Whatever
the newline convention (LF, CRLF, CR), the text comes back with ``\\n`` only,
so the parser and its line numbers see the same text for all three.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import InputError, Problem, display_path

# C0 and C1 controls (Unicode category Cc) other than tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def read_page(path: Path, encoding: str | None = None) -> str:
    """Return the decoded text of a page file, or raise InputError naming the file."""
    name = display_path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, None, "page file not found")]) from None
    except OSError as exc:
        raise InputError([Problem(name, None, f"cannot read page file: {exc.strerror}")]) from None
    return decode_page(data, name, encoding)


def decode_page(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode page bytes; ``name`` is how problems refer to the file."""
    if encoding is None or codecs.lookup(encoding).name == "utf-8":
        text = _decode_utf8(data, name)
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                [Problem(name, line, f"not valid {encoding}: byte 0x{data[exc.start]:02x} cannot be decoded")]
            ) from None
        text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_controls(text, name)
    return text


def _decode_utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            hint = "; it decodes as GB18030: declare `encoding: gb18030` for this page in issue.yaml"
        raise InputError([Problem(name, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}){hint}")]) from None


def _check_controls(text: str, name: str) -> None:
    problems: list[Problem] = []
    for match in _CONTROL.finditer(text):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        problems.append(
            Problem(name, line, f"control character U+{ord(match.group()):04X} is not allowed in a page file", column)
        )
    if problems:
        raise InputError(problems)
