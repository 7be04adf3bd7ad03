"""Where the issues of a batch write, and where two of them would meet.

Each issue is built into OUT/<its folder relative to ROOT>/ under names made
from its paper and date: ``<slug>.json``, ``.pdf``, ``.epub`` (``-vertical``,
``-zh-Hant``), ``.check.json`` with ``--check``, and the bag ``<slug>/`` with
``--package``. Folder names come from the archive, so a generated name can be
another issue's folder: an archive whose root holds the issue of ``Evening``
of 2022-11-28 and a sub-folder ``Evening-2022-11-28/`` holding another issue
had the first issue's bag replace the second issue's editions. The batch's own
files at the top of OUT (the manifest, the catalogue) are fixed names a
folder can take too.

Here every issue's claims are laid side by side before anything is built. A
generated name that is, or leads to, another issue's folder, and an issue
folder that is one of the batch's own names, is that issue's error, reported
as ``issue.yaml: message``; the other issue builds. Hidden names (the journal,
the catalogue's stamp, temporary files) need no claim: no issue folder is
hidden (``batch.discover``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from .manifest import MANIFEST

# The batch's own names at the top of OUT: its manifest, the catalogue and its covers (epub/shelf.py).
RESERVED = (MANIFEST, "opds.xml", "index.html", "covers")


@dataclass(frozen=True)
class Claim:
    """One issue: its manifest name, its output folder relative to OUT (posix, "" for OUT), its slug."""

    name: str
    folder: str
    slug: str | None


def names(slug: str, *, vertical: bool, traditional: bool, check: bool, package: bool) -> list[str]:
    """The files and the folder an issue's build writes into its output folder (``build.edition_paths``)."""
    suffix = ("-vertical" if vertical else "") + ("-zh-Hant" if traditional else "")
    found = [f"{slug}.json", f"{slug}.pdf", f"{slug}{suffix}.epub"]
    if check:
        found.append(f"{slug}.check.json")
    if package:
        found.append(slug)
    return found


def collisions(claims: list[Claim], written: dict[str, list[str]]) -> dict[str, str]:
    """Issues that may not be built, with why: their names meet another issue's folder or the batch's own.

    ``written`` gives each slug-bearing issue its generated names (``names``).
    """
    # Every issue folder and every folder on the way to it, with the first issue (by name) it leads to.
    leads: dict[str, str] = {}
    for claim in sorted(claims, key=lambda c: c.name):
        parts = PurePosixPath(claim.folder).parts
        for depth in range(1, len(parts) + 1):
            leads.setdefault("/".join(parts[:depth]), claim.name)
    folders = {claim.name: claim.folder for claim in claims}
    refused: dict[str, str] = {}
    for claim in claims:
        parts = PurePosixPath(claim.folder).parts
        if parts and parts[0] in RESERVED:
            what = "manifest" if parts[0] == MANIFEST else "catalogue"
            refused[claim.name] = (f"its editions would go to {claim.folder}/ of the output folder, but "
                                   f"{parts[0]} is the batch's own {what} there; rename the issue's folder")
            continue
        for generated in written.get(claim.name, []):
            path = f"{claim.folder}/{generated}" if claim.folder else generated
            other = leads.get(path)
            if other is not None and other != claim.name:
                kind = "bag" if generated == claim.slug else "file"
                refused[claim.name] = (f"its {kind} {path} would be where the issue {other} is built "
                                       f"({folders[other]}/); rename that issue's folder")
                break
    return refused
