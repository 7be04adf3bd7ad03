"""Read raw page files: encoding, BOM, newlines and control characters.

A page file is UTF-8 unless ``issue.yaml`` declares another encoding. Whatever
the newline convention (LF, CRLF, CR), the text comes back with ``\\n`` only,
so the parser and its line numbers see the same text for all three.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..limits import PAGE_FILE_BYTES
from ..untrusted import Refused, read_regular

# C0 and C1 controls (Unicode category Cc) other than tab and newline; and
# what no edition can hold (XML excludes them): lone surrogates, which a
# UTF-7 or UTF-16 file can decode to, and the noncharacters U+FFFE, U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Problems shown for one file; a binary file would otherwise print a million.
SHOWN_PROBLEMS = 20

# Codecs Python calls text encodings whose decoding is not a character set:
# escape sequences, domain-name labels, or an error on every byte.
_NOT_A_CHARSET = {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}


def encoding_problem(encoding: str) -> str | None:
    """Why ``encoding`` cannot decode a page file, or None if it can."""
    shown = repr(encoding) if len(encoding) <= 40 else repr(encoding[:40] + "…")
    try:
        codec = codecs.lookup(encoding)
    except (LookupError, ValueError):
        return f"unknown encoding {shown}"
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_A_CHARSET:
        return f"{shown} is not a character encoding of text (e.g. utf-8, gb18030, big5)"
    return None


# Where a page's encoding is declared: issue.yaml for a build, the command line for `publisher parse`.
IN_ISSUE_YAML = "; it decodes as GB18030: declare `encoding: gb18030` for this page in issue.yaml"
ON_COMMAND_LINE = "; it decodes as GB18030: run again with `--encoding gb18030`"


def read_page(path: Path, encoding: str | None = None, *, if_gb18030: str = IN_ISSUE_YAML) -> str:
    """Return the decoded text of a page file, or raise InputError naming the file.

    ``if_gb18030`` ends the message for a page that is not UTF-8 but reads as GB18030: how to declare it."""
    return decode_page(read_page_bytes(path), display_path(path), encoding, if_gb18030=if_gb18030)


def read_page_bytes(path: Path) -> bytes:
    """The bytes of a page file: a regular file within the size limit, read without blocking."""
    try:
        return read_regular(path, PAGE_FILE_BYTES, "page file")
    except Refused as refused:
        raise InputError([Problem(display_path(path), None, str(refused))]) from None


def decode_page(data: bytes, name: str, encoding: str | None = None, *, if_gb18030: str = IN_ISSUE_YAML) -> str:
    """Decode page bytes; ``name`` is how problems refer to the file."""
    if encoding is not None and (problem := encoding_problem(encoding)):
        raise InputError([Problem(name, None, problem)])
    if encoding is None or codecs.lookup(encoding).name == "utf-8":
        text = decode_utf8(data, name, if_gb18030=if_gb18030)
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                [Problem(name, line, f"not valid {encoding}: byte 0x{data[exc.start]:02x} cannot be decoded")]
            ) from None
        except (UnicodeError, ValueError) as exc:
            raise InputError([Problem(name, None, f"not valid {encoding}: {exc}")]) from None
        text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_controls(text, name)
    return text


def decode_utf8(data: bytes, name: str, *, if_gb18030: str = IN_ISSUE_YAML, otherwise: str = "") -> str:
    """``data`` as UTF-8 (a BOM allowed); otherwise an error at the first bad byte's line, ending with
    ``if_gb18030`` when the bytes read as GB18030 (the usual other encoding of Chinese text), else ``otherwise``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = otherwise
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            hint = if_gb18030
        raise InputError([Problem(name, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}){hint}")]) from None


def _check_controls(text: str, name: str) -> None:
    problems: list[Problem] = []
    for count, match in enumerate(_CONTROL.finditer(text)):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        if count == SHOWN_PROBLEMS:
            more = sum(1 for _ in _CONTROL.finditer(text, start))
            problems.append(Problem(name, line, f"{more} more characters that are not allowed from here on"))
            break
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        code = ord(match.group())
        what = "control character" if code < 0xD800 else "lone surrogate" if code < 0xE000 else "noncharacter"
        problems.append(Problem(name, line, f"{what} U+{code:04X} is not allowed in a page file", column))
    if problems:
        raise InputError(problems)
