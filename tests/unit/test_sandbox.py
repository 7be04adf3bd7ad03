"""Layouts are untrusted code: templates run sandboxed and bounded; layout files stay in their folder."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2.exceptions import SecurityError

from publisher.epub.filters import EPUB_FILTERS
from publisher.errors import InputError
from publisher.layouts import layout_files, read_asset
from publisher.limits import LAYOUT_FILES
from publisher.print.filters import PRINT_FILTERS
from publisher.templates import environment
from publisher.typeset.layout_toml import load_layout_toml


@pytest.fixture
def env() -> jinja2.Environment:
    return environment("epub", None, EPUB_FILTERS)


@pytest.mark.parametrize("source", [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ 'x'|attr('__class__') }}",
])
def test_templates_cannot_reach_python(env: jinja2.Environment, source: str) -> None:
    with pytest.raises((SecurityError, jinja2.UndefinedError)):
        env.from_string(source).render()


def test_each_stage_registers_its_own_filters() -> None:
    epub, printed = environment("epub", None, EPUB_FILTERS), environment("print", None, PRINT_FILTERS)
    assert {"tcy", "upright_numbers", "phrasing", "page_label"} <= set(epub.filters)
    assert "needs_autospace" not in epub.filters
    assert "needs_autospace" in printed.filters
    assert not {"tcy", "upright_numbers", "phrasing", "page_label"} & set(printed.filters)
    assert {"bold_runs", "text_runs"} <= set(epub.filters) & set(printed.filters)


def test_only_our_filters_and_pure_ones(env: jinja2.Environment) -> None:
    assert {"bold_runs", "tcy", "text_runs", "format", "length", "join"} <= set(env.filters)
    assert not {"random", "pprint", "center", "indent", "wordwrap", "replace", "tojson", "slice"} & set(env.filters)
    assert set(env.globals) == {"range", "namespace"}
    assert env.from_string("{{ '%.2f' | format(x) }}|{{ [1, 2] | join(',') }}").render(x=1.234) == "1.23|1,2"


@pytest.mark.parametrize("source", [
    "{{ 'x' * 100000000 }}",
    "{{ ['x'] * 100000000 }}",
    "{{ 9 ** 99999999 }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%999999999d' | format(1) }}",
    "{{ 'x'.ljust(999999999) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}",
    "{{ (['x' * 1000000] * 100) | join }}",
    "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
])
def test_what_a_template_builds_is_bounded(env: jinja2.Environment, source: str) -> None:
    with pytest.raises(SecurityError):
        env.from_string(source).render()


def test_a_layout_file_linked_from_outside_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("secret", encoding="utf-8")
    layout = tmp_path / "layout"
    (layout / "epub").mkdir(parents=True)
    (layout / "epub" / "epub.css").symlink_to(secret)
    with pytest.raises(InputError, match="leads outside the layout folder"):
        read_asset("epub", "epub.css", layout)
    (layout / "epub" / "nav.xhtml").symlink_to(secret)
    with pytest.raises(InputError, match="leads outside the layout folder"):
        environment("epub", layout).get_template("nav.xhtml")
    # A link inside the layout folder is followed.
    (layout / "shared.css").write_text("p {}", encoding="utf-8")
    (layout / "epub" / "fonts.css").symlink_to(layout / "shared.css")
    assert read_asset("epub", "fonts.css", layout) == b"p {}"


def test_only_layout_files_are_loaded(tmp_path: Path) -> None:
    (tmp_path / "epub").mkdir()
    (tmp_path / "epub" / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "epub" / "a.xhtml").write_text('{% include "notes.txt" %}', encoding="utf-8")
    with pytest.raises(jinja2.TemplateNotFound):
        environment("epub", tmp_path).get_template("a.xhtml").render()


def test_a_folder_of_everything_is_not_a_layout(tmp_path: Path) -> None:
    for number in range(LAYOUT_FILES + 1):
        (tmp_path / f"{number}.css").write_text("", encoding="utf-8")
    (tmp_path / "ignored.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="not a layout folder"):
        layout_files(tmp_path)


def test_layout_files_are_what_a_layout_can_load(tmp_path: Path) -> None:
    (tmp_path / "print" / "a" / "b").mkdir(parents=True)
    (tmp_path / "print" / "a" / "b" / "c.html").write_text("", encoding="utf-8")  # print/ + 3 levels: loadable
    (tmp_path / "print" / "a" / "b" / "c").mkdir()
    (tmp_path / "print" / "a" / "b" / "c" / "d.html").write_text("", encoding="utf-8")  # too deep
    (tmp_path / "print" / "x.txt").write_text("", encoding="utf-8")
    (tmp_path / "big").mkdir()
    (tmp_path / "loop").symlink_to(tmp_path)  # a link to a folder is not followed
    assert [p.relative_to(tmp_path).as_posix() for p in layout_files(tmp_path)] == ["print/a/b/c.html"]


@pytest.mark.parametrize(("toml", "message"), [
    ("[sizes.tabloid]\ncolumns = 0\n", ":2: `sizes.tabloid.columns` = 0 is out of range (1 to 24)"),
    ("[sizes.tabloid\n", ":1: not valid TOML: Expected ']' at the end of a table declaration"),
    ("[sizes.tabloid]\ncolumns = 2.5\n", ":2: `sizes.tabloid.columns` must be a whole number, not 2.5"),
    ("[sizes.tabloid]\ncolumns = true\n", ":2: `sizes.tabloid.columns` must be a whole number, not True"),
    ("[type]\nbody = \"9pt\"\n", ":2: `type.body` must be a number, not '9pt'"),
    ("[margins_mm]\ninside = 262.0\n", "page size tabloid: the margins and 5 columns leave no room for text"),
    ("default_size = \"letter\"\n", "`default_size` 'letter' is not one of the sizes"),
    ("sizes = 3\n", ":1: `sizes` must be a table of page sizes"),
    ("[compose.tiers.second]\npt = []\n",
     ":2: `compose.tiers.second.pt` must be a list of at least one number from 0 to 1000"),
    ("[compose.tiers.brief]\nmin_pt = 1.0\n", ":2: `compose.tiers.brief.min_pt` = 1.0 is out of range (4 to 400)"),
    ("[compose]\nheadline_pt = [20.0]\n", ":2: `compose.headline_pt` is no longer a setting: headline sizes are set by "
     "tier: `compose.tiers.<tier>.pt`"),
    ("[compose]\ninside_lead_ratio = 0.0\n", ":2: `compose.inside_lead_ratio` = 0.0 is out of range (0.1 to 1)"),
    ("[furniture]\njump_to = \"（下转版）\"\n", ":2: `furniture.jump_to` must name {label}: '（下转版）'"),
    ("[furniture]\njump_from = \"（上接{page}版）\"\n", ":2: `furniture.jump_from` names {page}; it can name {label}"),
    ("[furniture]\ncontinued_label = \"{label\"\n", ":2: `furniture.continued_label` = '{label':"),
    ("[furniture]\near_entries = 50\n", ":2: `furniture.ear_entries` = 50 is out of range (0 to 20)"),
    ("[compose]\nmin_column_lines = \"six\"\n", ":2: `compose.min_column_lines` must be a number, not 'six'"),
    ("[compose]\nmin_column_lines = 2.5\n", ":2: `compose.min_column_lines` must be a whole number, not 2.5"),
    ("[compose]\nblock_gap_lines = -3\n", ":2: `compose.block_gap_lines` = -3 is out of range (0 to 1000)"),
    ("compose = 1\n", ":1: `compose` must be a table, not '1'"),
])
def test_layout_toml_problems_are_file_line_messages(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "print").mkdir()
    (tmp_path / "print" / "layout.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_layout_toml(tmp_path)
    assert any(message in str(problem) for problem in caught.value.problems), caught.value.problems
