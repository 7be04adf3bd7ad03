"""Font roles resolved through the real fontconfig."""

from __future__ import annotations

import pytest

from publisher.errors import ToolError
from publisher.typeset import fonts


def test_every_role_resolves_to_installed_faces_at_once() -> None:
    resolved = fonts.all_faces()
    assert {role for role, *_ in resolved} == set(fonts.roles())
    for _, spec, weight, chain in resolved:
        assert [face.family for face in chain] == list(spec.families)
        assert chain[0].weight == weight
        assert all(face.path.is_file() for face in chain)


def test_a_family_that_is_not_installed_is_a_tool_error_naming_it() -> None:
    with pytest.raises(ToolError, match="'No Such Family Xyz' is not installed; fontconfig does not find it"):
        fonts.find_face("No Such Family Xyz")
