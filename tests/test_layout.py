"""The layout stays readable: no import circles, no Flask below the web shell,
small modules, and an app/ root that holds only the web shell (README "Where things are")."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "sync", "schema")
MAX_LINES = 400
SHELL = {"__init__.py", "database.py", "errors.py", "extensions.py", "factory.py", "security.py", "serve.py"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Project modules NAME imports anywhere in its file (function-level included),
    plus the packages whose __init__ such an import runs."""
    is_package = path.name == "__init__.py"
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            wanted = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(here + ([node.module] if node.module else []))
            wanted = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for target in wanted:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if not target:
                continue
            parts = target.split(".")
            for i in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b first
                module = ".".join(parts[:i])
                if module in MODULES and module != name and not name.startswith(module + "."):
                    targets.add(module)
    return targets


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_no_import_circles():
    assert _circles(GRAPH) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _third_party(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("prefix", ["sync", "schema", "app.node", "app.privacy", "app.store", "app.demo"])
def test_no_flask_below_the_web_shell(prefix):
    web = {"flask", "flask_babel", "flask_wtf", "werkzeug", "jinja2", "wtforms"}
    offenders = {
        name: sorted(_third_party(path) & web)
        for name, path in MODULES.items()
        if (name == prefix or name.startswith(prefix + ".")) and _third_party(path) & web
    }
    assert offenders == {}


def test_schema_imports_nothing_else_of_the_project():
    outside = {
        name: sorted(t for t in targets if not t.startswith("schema"))
        for name, targets in GRAPH.items()
        if name.startswith("schema") and any(not t.startswith("schema") for t in targets)
    }
    assert outside == {}


def test_modules_stay_small():
    big = {
        str(path.relative_to(ROOT)): n
        for path in MODULES.values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert big == {}


def test_the_app_root_holds_only_the_web_shell():
    loose = {p.name for p in (ROOT / "app").glob("*.py")}
    assert loose <= SHELL, sorted(loose - SHELL)


def test_package_inits_register_nothing():
    """A package's __init__ holds a docstring (and at most re-exports): importing a
    feature package must not import its views or register anything."""
    for package_dir in (ROOT / "app").iterdir():
        init = package_dir / "__init__.py"
        if not init.exists() or package_dir.name in ("privacy", "demo", "i18n", "store", "cli", "node"):
            continue
        body = ast.parse(init.read_text(encoding="utf-8")).body
        assert all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body), init
