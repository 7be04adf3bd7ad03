"""The SHA-256 of a file, read a block at a time.

An archive's METS records each file's checksum and ``publisher check`` reads
it back; both ends compute it here, so what is written is what is compared.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
