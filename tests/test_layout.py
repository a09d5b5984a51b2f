"""The package layout: one folder per stage, imports only downwards, no cycle.

Read from the source with ``ast`` (nothing is imported), so a new import that closes a cycle or
reaches into another stage's module fails here, before it confuses a reader or an import.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "summarizer"
STAGES = {"data", "stories", "summarize", "fuse", "compare", "output"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(imported module, names) for every import of the package's own modules in ``path``."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            if target.split(".")[0] != "summarizer":
                continue
            # `from . import ct2` imports a module, `from .x import name` a name of x
            modules = [f"{target}.{n}" for n in names if (PACKAGE.parent / f"{target}.{n}".replace(".", "/")).with_suffix(".py").exists()]
            found += [(m, []) for m in modules] or [(target, names)]
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names if alias.name.split(".")[0] == "summarizer"]
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): {target for target, _ in _imports(p)} - {_module_name(p)} for p in PACKAGE.rglob("*.py")}


def _stage(module: str) -> str:
    """The stage folder of a module, or the spine module's own name."""
    return module.split(".")[1] if module.count(".") >= 1 else module


def test_no_import_cycle_between_modules():
    try:
        list(TopologicalSorter(_graph()).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_no_import_cycle_between_stages():
    stages: dict[str, set[str]] = {}
    for module, targets in _graph().items():
        stages.setdefault(_stage(module), set()).update(_stage(t) for t in targets if _stage(t) != _stage(module))
    try:
        list(TopologicalSorter(stages).static_order())
    except CycleError as exc:
        pytest.fail(f"stages import each other: {' -> '.join(exc.args[1])}")
    assert "compare" not in stages["pipeline"], "the pipeline must not depend on the comparison"


def test_a_stage_is_used_through_its_package_and_public_names():
    """Another stage's modules are its own business: import what its __init__ offers."""
    misses = []
    for path in PACKAGE.rglob("*.py"):
        own = _stage(_module_name(path))
        for target, names in _imports(path):
            stage = _stage(target)
            if stage in STAGES and stage != own and (target != f"summarizer.{stage}" or any(n.startswith("_") for n in names)):
                misses.append(f"{path.relative_to(PACKAGE.parent)} imports {target} {names}")
    assert not misses, "\n".join(misses)


def test_every_public_name_of_a_stage_resolves():
    import importlib

    for stage in sorted(STAGES):
        package = importlib.import_module(f"summarizer.{stage}")
        modules = {p.stem for p in (PACKAGE / stage).glob("*.py")}
        for name in package.__all__:
            # a name equal to a module's would turn into the module once that module is imported
            assert name not in modules, f"summarizer.{stage}.{name} is both a public name and a module"
            assert getattr(package, name) is not None, f"summarizer.{stage}.{name}"
