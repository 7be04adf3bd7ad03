"""The Jinja sandbox every layout's templates run in.

A layout may come from an untrusted issue folder (``layout:`` in issue.yaml),
so its templates are code we do not trust. Jinja's ``SandboxedEnvironment``
stops them from reaching Python (``cycler.__init__.__globals__.os`` and the
like); on top of it:

- the filters are ours and a list of Jinja's pure ones (no ``random``, no
  ``pprint``, nothing that takes a width or a count to fill); the globals
  are ``range`` and ``namespace`` only;
- what a template builds is bounded: a string or list made with ``*``,
  ``+``, ``~``, ``%``, ``join`` or a method call may hold at most
  ``TEMPLATE_OUTPUT_CHARS``, a number at most 64 kbit, a ``%`` format no
  width over 1,000; all ``range()`` loops of one render together yield at
  most ``TEMPLATE_RANGE_ITEMS`` items, and a render's output is at most
  ``TEMPLATE_OUTPUT_CHARS``.

Jinja's own documentation warns that its sandbox does not bound resources;
these bounds cover the ways a short template can build something huge.
Loops over the issue's own data stay bounded by the issue's size.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from jinja2 import filters as jinja_filters
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import Concat
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, safe_range
from jinja2.utils import Namespace

from .limits import TEMPLATE_OUTPUT_CHARS, TEMPLATE_RANGE_ITEMS

_KEPT_FILTERS = (
    "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "filesizeformat", "first",
    "float", "forceescape", "groupby", "int", "items", "last", "length", "list", "lower", "map", "max", "min",
    "reject", "rejectattr", "reverse", "round", "safe", "select", "selectattr", "sort", "string", "striptags", "sum",
    "title", "trim", "truncate", "unique", "upper", "wordcount",
)
# String methods whose argument is a size to fill, or a format with widths of its own.
_FILLING_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map"}
_NUMBER_BITS = 65_536
_FORMAT_WIDTH = 1_000
_CONVERSION = re.compile(r"%[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")

_range_budget: contextvars.ContextVar[list[int]] = contextvars.ContextVar("range_budget")


def _weight(value: object) -> int:
    """About how many characters ``value`` holds: its length, and for a list its strings' lengths too."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple):
        return len(value) + sum(len(item) for item in value if isinstance(item, str | bytes))
    return 0


def _refuse_large(weight: int, what: str) -> None:
    if weight > TEMPLATE_OUTPUT_CHARS:
        raise SecurityError(f"{what} would hold {weight:,} characters; a template may build at most "
                            f"{TEMPLATE_OUTPUT_CHARS:,}")


def _check_format(spec: str) -> None:
    for match in _CONVERSION.finditer(spec):
        for size in match.groups():
            if size == "*" or (size is not None and int(size) > _FORMAT_WIDTH):
                raise SecurityError(f"a % format width or precision over {_FORMAT_WIDTH} ({match.group()!r})")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    numbers = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and numbers and right > 0 and max(left.bit_length(), 1) * right > _NUMBER_BITS:
        raise SecurityError(f"a power of more than {_NUMBER_BITS} bits")
    if operator == "*":
        if numbers and left.bit_length() + right.bit_length() > _NUMBER_BITS:
            raise SecurityError(f"a product of more than {_NUMBER_BITS} bits")
        if isinstance(right, int) and (weight := _weight(left)):
            _refuse_large(weight * max(right, 0), "a repeated string or list")
        if isinstance(left, int) and (weight := _weight(right)):
            _refuse_large(weight * max(left, 0), "a repeated string or list")
    if operator == "+":
        _refuse_large(_weight(left) + _weight(right), "a concatenation")
    if operator == "%" and isinstance(left, str):
        _check_format(left)


class _BudgetedRange:
    """``range()`` for templates: each loop over it spends its length from the render's budget."""

    def __init__(self, *args: int) -> None:
        self._range = safe_range(*args)

    def __iter__(self) -> Iterator[int]:
        budget = _range_budget.get(None)
        if budget is not None:
            budget[0] -= len(self._range)
            if budget[0] < 0:
                raise SecurityError(f"the range() loops of one render yield more than {TEMPLATE_RANGE_ITEMS:,} items")
        return iter(self._range)

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: int) -> int:
        return self._range[index]


class _BoundedCodeGenerator(CodeGenerator):
    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        # The `~` operator is no binary operator Jinja lets a sandbox intercept.
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class _BoundedTemplate(jinja2.Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _range_budget.set([TEMPLATE_RANGE_ITEMS])
        try:
            pieces: list[str] = []
            size = 0
            for piece in self.generate(*args, **kwargs):
                size += len(piece)
                if size > TEMPLATE_OUTPUT_CHARS:
                    raise SecurityError(f"template {self.name} renders more than {TEMPLATE_OUTPUT_CHARS:,} characters")
                pieces.append(piece)
            return "".join(pieces)
        finally:
            _range_budget.reset(token)


class LayoutSandbox(SandboxedEnvironment):
    code_generator_class = _BoundedCodeGenerator
    template_class = _BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def bounded(self, value: str) -> str:
        _refuse_large(len(value), "a joined string")
        return value

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # A field of one of our dataclasses (the model, what the renderers
        # hand the templates) is plain data: the common case, decided without
        # Jinja's walk over every internal attribute (half the render's time).
        fields = getattr(type(obj), "__dataclass_fields__", None)
        if fields is not None and attr in fields and not attr.startswith("_"):
            return True
        if isinstance(obj, str) and attr in _FILLING_METHODS:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        for argument in (*args, *kwargs.values()):
            if isinstance(argument, int) and not isinstance(argument, bool) and abs(argument) > TEMPLATE_OUTPUT_CHARS:
                raise SecurityError(f"a call with the number {argument} (at most {TEMPLATE_OUTPUT_CHARS:,})")
        result = super().call(__context, __obj, *args, **kwargs)
        _refuse_large(_weight(result), "a call's result")
        return result


def _format(value: str, *args: Any, **kwargs: Any) -> str:
    _check_format(str(value))
    return str(jinja_filters.do_format(value, *args, **kwargs))


def _join(context: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
    items = list(value)
    _refuse_large(sum(len(str(item)) for item in items) + len(d) * len(items), "a joined string")
    return jinja_filters.sync_do_join(context, items, d, attribute)


_join_filter = jinja2.pass_eval_context(_join)


def layout_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = LayoutSandbox(
        loader=loader,
        # Every template is markup (.html, .xhtml, .xml, .opf, .ncx): escape
        # everything, since select_autoescape() would miss .xhtml.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters = {name: jinja_filters.FILTERS[name] for name in _KEPT_FILTERS}
    env.filters["format"] = _format
    env.filters["join"] = _join_filter
    env.globals = {"range": _BudgetedRange, "namespace": Namespace}
    return env


class _ConfinedLoader(jinja2.BaseLoader):
    def __init__(self, source: Callable[[str], tuple[str, str] | None]) -> None:
        self._source = source

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        found = self._source(template)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        text, filename = found
        return text, filename, lambda: True


def confined_loader(source: Callable[[str], tuple[str, str] | None]) -> jinja2.BaseLoader:
    """A loader that asks ``source`` (name -> text and file name, or None) for each template."""
    return _ConfinedLoader(source)
