"""The package layout: one folder per stage, imports only downwards, no cycle.

Read from the source with ``ast`` (nothing is imported), so a new import that closes a cycle or
reaches into another stage's module fails here, before it confuses a reader or an import.
"""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "summarizer"
STAGES = {"text", "data", "stories", "summarize", "fuse", "compare", "output", "engine"}
#: Each folder or spine module with its layer: a module may import only its own layer's folder and
#: those of lower layers. ``text`` (how text is read) is below every stage and the records they
#: exchange; only errors, config and storage are below it; ``output`` renders what fusion made.
LAYERS = {
    "errors": 0, "config": 1, "storage": 1, "threads": 1, "text": 2, "records": 3,
    "data": 4, "stories": 5, "summarize": 5, "fuse": 6, "output": 6,
    "pipeline": 7, "compare": 8, "engine": 9, "cli": 10, "__main__": 11, "summarizer": 11,
}


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


def test_layers_import_only_downwards():
    """text below data, data below summarize, summarize below fuse, fuse below compare and engine."""
    upward = []
    for module, targets in _graph().items():
        own = _stage(module)
        assert own in LAYERS, f"{module}: give its folder a layer in LAYERS"
        upward += [f"{module} imports {t}" for t in targets if _stage(t) != own and LAYERS[_stage(t)] >= LAYERS[own]]
    assert not upward, "imports that run up the layers:\n" + "\n".join(upward)


def test_the_text_layer_imports_no_stage():
    text = {m: targets for m, targets in _graph().items() if _stage(m) == "text"}
    assert text, "summarizer.text is missing"
    assert not {_stage(t) for targets in text.values() for t in targets} & (STAGES - {"text"})


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


def test_each_public_name_means_one_thing():
    """Two public functions or classes of one name in two modules would be two meanings under
    one name (``truncate_words`` once cut articles and ROUGE input differently). The CLI's
    commands are exempt: they are named after the library functions they call."""
    where: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name.startswith("_"):
                continue
            if any(isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command" for d in node.decorator_list):
                continue
            where.setdefault(node.name, []).append(_module_name(path))
    shared = {name: modules for name, modules in where.items() if len(modules) > 1}
    assert not shared, shared


ROOT = PACKAGE.parent
#: A repository path named in prose: a top-level folder of the clone, then a path inside it.
_PATH = re.compile(r"(?<![\w./-])((?:summarizer|tests|benchmarks|configs|examples|scripts|notebooks|docs|\.ci)/[\w./-]*\w)")
#: A Sphinx cross-reference to the package (``:func:`summarizer.fuse.merge.fuse```).
_ROLE = re.compile(r":(?:mod|func|class|data|meth|attr):`~?(summarizer(?:\.\w+)+)`")
INSTALLED_ONLY = {"summarizer/configs"}  # where the wheel puts configs/ (setup.py)


def _prose_files() -> list[Path]:
    suffixes = {".py", ".md", ".toml", ".yaml", ".sh", ".ipynb"}
    return [p for p in ROOT.rglob("*") if p.is_file() and (p.suffix in suffixes or p.name in {"Makefile", "run"})
            and not {".venv", ".git", "build", "out", "__pycache__", ".pytest_cache", ".hypothesis", ".ipynb_checkpoints"} & set(p.relative_to(ROOT).parts)]


def _resolves(dotted: str) -> bool:
    import importlib

    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        return all((target := getattr(target, name, None)) is not None for name in parts[split:])
    return False


def test_every_path_and_reference_the_prose_names_exists():
    """Docstrings, comments and the README name files, modules and functions; each must still
    be there, or the reader is sent to something that moved or was renamed."""
    missing = []
    for path in _prose_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _PATH.finditer(text):
            named = match.group(1).rstrip(".")
            if named not in INSTALLED_ONLY and not (ROOT / named).exists():
                missing.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {named}")
        for match in _ROLE.finditer(text):
            if not _resolves(match.group(1)):
                missing.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(1)}")
    assert not missing, "\n".join(missing)
