"""Bold text without a faked bold: characters the bold face lacks are set regular.

The fallback faces for rare characters (HanaMinA/B, CJK Extension B) have no
bold; asked for one, fontconfig and Pango would embolden the regular glyph
by smearing it. A Chinese compositor sets such a character in the weight that
exists, so bold texts are cut into runs the bold face draws and runs it does
not, and the templates set the latter at weight 400.
"""

from __future__ import annotations

from itertools import groupby

from .cjk.measure import measure
from .fonts import Role


def bold_runs(text: str, role: Role = "sans") -> list[tuple[str, bool]]:
    """``text`` cut into (piece, regular) pairs; ``regular`` where the bold face has no glyph."""
    face = measure(role, 700)
    return [
        ("".join(chars), regular)
        for regular, chars in groupby(text, key=lambda ch: not ch.isspace() and not face.in_primary(ch))
    ]
