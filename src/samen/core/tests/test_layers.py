"""The layers of Samen, checked on the source: the core names no building block, and the modules of
samen import each other without cycles.

The rules (docs/architecture.md, "Extension points"):

* ``samen.core`` (outside its tests) imports no building block, at any level, and its templates name
  no building block's URL: a block comes in through ``samen.core.registry``.
* No import cycles between modules at module level (the imports a module runs when it is first
  loaded). An import inside a function is allowed where it breaks a start-up order (models that
  are not loaded yet, a heavy library only one page needs); it is never a way around the rules below.
* At any level: no service imports a view; no API module imports an HTML views module; informeren
  imports nothing from vinden's views.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]  # src/
SAMEN = SRC / "samen"
CORE = SAMEN / "core"
BLOCKS = ("weten", "vinden", "ondersteunen", "kwaliteit", "samenwerken", "informeren")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path = SAMEN, *, tests: bool = False) -> list[Path]:
    return sorted(p for p in root.rglob("*.py")
                  if (tests or "tests" not in p.relative_to(SAMEN).parts) and "migrations" not in p.parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(path: Path, *, module_level_only: bool) -> set[str]:
    """The samen modules ``path`` imports (``from a import b`` counts as ``a.b`` when that is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()

    skipped = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda) if module_level_only else ()

    def visit(nodes):
        for node in nodes:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[:len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If) and _is_type_checking(node):
                continue  # read by type checkers only
            elif not isinstance(node, skipped):  # a function's body runs when it is called, not at import
                visit(ast.iter_child_nodes(node))

    visit(tree.body)
    return {name for name in found if name == "samen" or name.startswith("samen.")}


def _existing(names: set[str], modules: set[str]) -> set[str]:
    return {name for name in names if name in modules}


def import_graph(*, module_level_only: bool = True) -> dict[str, set[str]]:
    files = {module_name(p): p for p in source_files()}
    modules = set(files)
    # Importing a package's __init__ (empty in samen) is not an edge: only real modules count.
    packages = {name for name, p in files.items() if p.name == "__init__.py"}
    return {name: _existing(imports(path, module_level_only=module_level_only), modules) - packages - {name}
            for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_cycle_finder_finds_a_cycle_and_no_false_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_the_import_reader_sees_module_level_and_function_level_imports():
    path = SAMEN / "core" / "policy.py"
    assert "samen.core.registry" in imports(path, module_level_only=True)
    assert "samen.core.models" not in imports(path, module_level_only=True)  # imported inside holders()
    assert "samen.core.models" in imports(path, module_level_only=False)


def test_core_imports_no_building_block():
    pattern = re.compile(r"samen\.(" + "|".join(BLOCKS) + r")\b")
    offenders = []
    for path in source_files(CORE):
        named = {name for name in imports(path, module_level_only=False) if pattern.match(name)}
        text_hits = [line for line in path.read_text(encoding="utf-8").splitlines() if pattern.search(line)]
        if named or text_hits:
            offenders.append(f"{path.relative_to(SRC)}: {sorted(named) or text_hits}")
    assert not offenders, "the core names building blocks:\n" + "\n".join(offenders)


def test_core_templates_name_no_building_blocks_url():
    pattern = re.compile(r"""\{%\s*url\s+['"](""" + "|".join(BLOCKS) + r"""|visits):""")
    offenders = [str(p.relative_to(SRC)) for p in (CORE / "templates").rglob("*.html")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"core templates link to building blocks by name: {offenders}"


def test_no_import_cycles_between_modules_at_module_level():
    found = cycles(import_graph(module_level_only=True))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def _is_view_module(name: str) -> bool:
    return ".views" in f".{name.split('.', 2)[-1]}" or name.endswith("_views")


def test_no_service_imports_a_view_and_no_api_imports_an_html_view():
    graph = import_graph(module_level_only=False)
    offenders = []
    for name, targets in graph.items():
        local = name.split(".")[2:] if name.count(".") >= 2 else []
        is_service = "services" in local
        is_api = bool(local) and (local[0] in ("api",) or local[-1].startswith("api"))
        for target in targets:
            if target.startswith("samen.core.views") and name.startswith("samen.core.views"):
                continue
            if (is_service or is_api) and _is_view_module(target):
                offenders.append(f"{name} imports {target}")
    assert not offenders, "\n".join(offenders)


def test_informeren_takes_nothing_from_vindens_views():
    graph = import_graph(module_level_only=False)
    offenders = [f"{name} imports {target}" for name, targets in graph.items() if name.startswith("samen.informeren")
                 for target in targets if target.startswith(("samen.vinden.views", "samen.vinden.visits.views"))]
    assert not offenders, "\n".join(offenders)
