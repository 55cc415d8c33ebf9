"""The import graph: every import points down (`gateway` → `workers` → `casebridge`; the menu and
script engines stand alone), and no module imports itself back through others, function-local
imports included."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("gateway", "workers", "casebridge", "ussd_menus", "ivr_scripts")
MAY_IMPORT = {
    "casebridge": {"casebridge"},
    "ussd_menus": {"ussd_menus", "casebridge"},
    "ivr_scripts": {"ivr_scripts", "casebridge"},
    "workers": {"workers", "casebridge"},
    "gateway": set(PACKAGES),
}
FRAMEWORKS = ("flask", "rq", "africastalking", "twilio", "android_sms_gateway", "werkzeug")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in files.items():
        edges[name] = {m for m in imports_of(path, name) if m in files and m != name}
    return edges


def test_every_import_points_down():
    wrong = [
        f"{src} imports {dst}"
        for src, targets in graph().items()
        for dst in targets
        if dst.split(".")[0] not in MAY_IMPORT[src.split(".")[0]]
    ]
    assert wrong == []


def test_the_domain_imports_no_web_framework_queue_or_provider_sdk():
    wrong = []
    for path in (ROOT / "casebridge").rglob("*.py"):
        for imported in imports_of(path, module_name(path)):
            if imported.split(".")[0] in FRAMEWORKS:
                wrong.append(f"{module_name(path)} imports {imported}")
    assert wrong == []


def test_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            # a package's __init__ importing its own modules is how packages work
            if node == nxt.rpartition(".")[0] or nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []
