"""The package's shape: stages that import downward only, no import circles, short functions.

The stage order is data (``TIERS``): a module may import modules of its own
tier and of the tiers before it, never of a later tier. A stage is a
top-level module of ``publisher`` or a subpackage (``publisher.typeset.cjk``
is in ``typeset``). Every import counts, at the top of a module, inside a
function or under ``TYPE_CHECKING``: a lazy import is still a dependency.
Modules of one tier may import each other; a circle among them is caught by
the cycle test, which looks at the whole package.

The whole package holds these rules (issue 28): the lower half of the pipeline
(the utilities up to ``ingest``) since part A, the upper half since part B.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "publisher"
MAX_FUNCTION_LINES = 60

# Lowest first. "__init__" is the package itself (its version).
TIERS: tuple[tuple[str, ...], ...] = (
    ("__init__", "errors", "interrupts", "limits", "resources", "arguments", "imaging", "atomic", "pdflib",
     "names", "untrusted", "manifest", "outputs", "checksums", "zip_guard", "forked"),  # the utilities: no stage, no model
    ("model",),  # the issue as plain data
    ("timestamps", "layouts", "sandbox", "compiled_templates"),  # dates from the model; layout folders' files;
    # the Jinja sandbox; the shipped templates kept compiled
    ("typeset",),  # lines, heads, make-up: knows no file but layout.toml, read through layouts
    ("templates",),  # a layout's Jinja environment, with typeset's text filters
    ("ingest",),  # issue.yaml -> Issue, checked against the layout's geometry
    # The upper half (issue 28, part B): the order it is to reach.
    ("print", "epub"),
    ("check",),
    ("build",),
    ("archive",),
    ("batch", "progress", "preview"),
    ("cli",),
    ("__main__",),
)
LOWER_TIERS = 6
TIER = {stage: tier for tier, stages in enumerate(TIERS) for stage in stages}


@dataclass(frozen=True, slots=True)
class Module:
    name: str  # dotted, "publisher.typeset.cjk.totalfit"; the package is "publisher"
    path: Path

    @property
    def stage(self) -> str:
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else "__init__"

    @property
    def lower(self) -> bool:
        return TIER[self.stage] < LOWER_TIERS


@cache
def modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = Module(".".join(parts), path)
    return found


@cache
def tree(module: Module) -> ast.Module:
    return ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))


def _imported(module: Module, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The dotted names an import statement reaches (a module, or the module a name is taken from)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module.name.split(".")
        if module.path.name != "__init__.py":
            package.pop()
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    for alias in node.names:
        full = f"{base}.{alias.name}"
        yield full if full in modules() else base


def imports(module: Module) -> set[Module]:
    """The package's modules that ``module`` imports, anywhere in it."""
    found = set()
    for node in ast.walk(tree(module)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for name in _imported(module, node):
                while name and name not in modules():
                    name = name.rpartition(".")[0]
                if name and name != module.name:
                    found.add(modules()[name])
    return found


def _chosen(module: Module, lower: bool, stages: Collection[str] | None, besides: Collection[str]) -> bool:
    """In the lower or upper half, of ``stages`` if given, and not of ``besides``."""
    return module.lower == lower and (stages is None or module.stage in stages) and module.stage not in besides


def upward_imports(lower: bool, stages: Collection[str] | None = None, besides: Collection[str] = ()) -> list[str]:
    return sorted(f"{module.name} ({module.stage}) imports {target.name} ({target.stage})"
                  for module in modules().values() if _chosen(module, lower, stages, besides)
                  for target in imports(module) if TIER[target.stage] > TIER[module.stage])


def long_functions(lower: bool, stages: Collection[str] | None = None, besides: Collection[str] = ()) -> list[str]:
    found = []
    for module in modules().values():
        if not _chosen(module, lower, stages, besides):
            continue
        for node in ast.walk(tree(module)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{module.name}.{node.name}: {length} lines")
    return sorted(found)


def circles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in imports(modules()[name]):
            if target.name not in index:
                visit(target.name)
                low[name] = min(low[name], low[target.name])
            elif target.name in on_stack:
                low[name] = min(low[name], index[target.name])
        if low[name] == index[name]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == name:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in modules():
        if name not in index:
            visit(name)
    return sorted(found)


def test_every_stage_has_a_place_in_the_order() -> None:
    stages = {module.stage for module in modules().values()}
    assert {"model", "ingest", "typeset", "print", "epub"} <= stages  # the scan found the package
    assert sorted(stages - set(TIER)) == []


def test_the_scan_sees_imports_inside_functions() -> None:
    # templates imports the sandbox only when a template is first needed.
    templates, sandbox = modules()["publisher.templates"], modules()["publisher.sandbox"]
    assert sandbox in imports(templates)


def test_no_module_imports_in_a_circle() -> None:
    assert circles() == []


def test_lower_stages_import_downward_only() -> None:
    assert upward_imports(lower=True) == []


def test_lower_stages_have_no_function_over_60_lines() -> None:
    assert long_functions(lower=True) == []


def test_upper_stages_import_downward_only() -> None:
    assert upward_imports(lower=False) == []
    assert any(module.stage == "cli" for module in modules().values())  # the scan found the upper half


def test_upper_stages_have_no_function_over_60_lines() -> None:
    assert long_functions(lower=False) == []


def _edges(stages: set[str]) -> list[tuple[Module, Module]]:
    return [(module, target) for module in modules().values() if module.stage in stages
            for target in imports(module)]


def test_print_and_epub_import_neither_each_other_nor_a_later_stage() -> None:
    # The editions share what both need from below (typeset.subset, typeset.fonts): neither takes from the other.
    editions = {"print", "epub"}
    found = sorted(f"{module.name} imports {target.name}" for module, target in _edges(editions)
                   if (target.stage != module.stage and target.stage in editions) or TIER[target.stage] > TIER["print"])
    assert found == []
    assert any(target.stage == "typeset" for _, target in _edges(editions))  # the scan saw their imports


def test_check_reads_editions_without_the_builders() -> None:
    # An edition is judged as its readers get it, as a file: check imports none of the stages that make one.
    builders = {"print", "epub", "build", "archive"}
    assert sorted(f"{module.name} imports {target.name}" for module in modules().values() if module.stage == "check"
                  for target in imports(module) if target.stage in builders) == []
