"""A layout's Jinja2 environment: the filters every layout may use, in the sandbox.

The templates are found and read through ``layouts`` (the search path, a
user's folder first) and run in ``sandbox``'s confined environment.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, Problem, display_path
from .layouts import LAYOUT_SUFFIXES, layout_file, read_layout_file, search_roots
from .typeset.fonts import Role
from .untrusted import Refused

if TYPE_CHECKING:
    import jinja2


# A stage's own template filters, as (name, function) pairs: hashable, so
# that the environment built with them is cached like the others.
StageFilters = tuple[tuple[str, Callable[..., Any]], ...]


def environment(kind: str, layout: Path | None = None, stage_filters: StageFilters = ()) -> jinja2.Environment:
    """The Jinja2 environment for ``kind``: the filters every layout may use and the stage's own
    (``print.filters``, ``epub.filters``). One per (kind, folder) and process, since building it
    and compiling its templates costs more than rendering them."""
    return _environment(kind, layout.resolve() if layout is not None else None, stage_filters)


@cache
def _environment(kind: str, layout: Path | None, stage_filters: StageFilters) -> jinja2.Environment:
    from .compiled_templates import compiled_templates
    from .sandbox import layout_environment  # Jinja2, imported when a template is first needed

    env = layout_environment(_loader(search_roots(kind, layout)))
    env.bytecode_cache = compiled_templates()
    env.filters["bold_runs"] = _bold_runs
    env.filters["text_runs"] = _text_runs
    env.filters.update(stage_filters)
    return env


def _loader(roots: dict[Path, Path]) -> jinja2.BaseLoader:
    from .sandbox import confined_loader

    def source(name: str) -> tuple[str, str] | None:
        for folder, root in roots.items():
            try:
                path = layout_file(root, folder, name)
                data = read_layout_file(path, name) if path is not None else None
            except Refused as refused:
                raise InputError([Problem(display_path(folder), None, str(refused))]) from None
            if path is not None and data is not None:
                try:
                    return data.decode("utf-8-sig"), str(path)
                except UnicodeDecodeError as exc:
                    line = data[: exc.start].count(b"\n") + 1
                    raise InputError([Problem(display_path(path), line, "a template must be UTF-8")]) from None
        return None

    return confined_loader(source)


# The text filters every layout may use. Their modules are imported when a
# template first calls them, so that rendering the archive's METS and ALTO,
# which call none, does not pay for HarfBuzz.
def _bold_runs(text: str, role: Role = "sans") -> list[tuple[str, bool]]:
    from .typeset.boldface import bold_runs

    return bold_runs(text, role)


def _text_runs(text: str, bold_role: Role | None = None) -> list[tuple[str, str]]:
    from .typeset.textruns import text_runs

    return text_runs(text, bold_role)


def template_problem(exc: BaseException) -> Problem | None:
    """A failure inside a layout's template as ``file:line: message``; None if no template is to blame.

    Jinja rewrites tracebacks so that a template's frames carry the template's
    file name and line: the innermost such frame is where the layout went wrong.
    """
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Problem(display_path(Path(exc.filename)), exc.lineno, f"template error: {exc.message}")
    where: tuple[str, int] | None = None
    traceback = exc.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.lower().endswith(LAYOUT_SUFFIXES):
            where = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    if where is None:
        return None
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template {exc.name!r} not found in the layout"
    elif isinstance(exc, RecursionError):
        message = "the templates call themselves without end"
    elif isinstance(exc, jinja2.TemplateError):
        message = f"template error: {exc.message or type(exc).__name__}"
    else:
        message = f"template error: {type(exc).__name__}: {exc}"
    return Problem(display_path(Path(where[0])), where[1], message)
