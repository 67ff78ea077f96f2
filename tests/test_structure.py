"""The plugin's apps import one another in one direction only (no circle), and blocks/
imports no domain app at module level. Read from the source, so a late import inside a
function counts too."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = {
    "culture_cms.organisation": "organisation",
    "culture_cms.programme": "programme",
    "culture_cms.focus_groups": "focus_groups",
    "blocks": "blocks",
}


def app_of(module):
    for prefix, app in APPS.items():
        if module == prefix or module.startswith(prefix + "."):
            return app
    return None


def imports(path, module):
    """(imported module, at module level?) for each import in a file."""
    tree = ast.parse(path.read_text())
    top_level = set(map(id, tree.body))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            yield name, id(node) in top_level


def app_modules():
    for prefix, app in APPS.items():
        folder = ROOT.joinpath(*prefix.split("."))
        for path in folder.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).with_suffix("")
            module = ".".join(relative.parts).removesuffix(".__init__")
            yield app, module, path


def arrows():
    found = {}
    for app, module, path in app_modules():
        for name, top in imports(path, module):
            target = app_of(name)
            if target and target != app:
                found.setdefault((app, target), set()).add((module, top))
    return found


def test_no_two_apps_import_each_other_directly_or_round_a_circle():
    graph = {}
    for source, target in arrows():
        graph.setdefault(source, set()).add(target)

    def reaches(start, goal, seen=()):
        return any(
            step == goal or (step not in seen and reaches(step, goal, (*seen, step)))
            for step in graph.get(start, ())
        )

    circles = sorted(app for app in graph if reaches(app, app))
    assert circles == [], f"apps in an import circle: {circles}; arrows: {sorted(graph.items())}"


def test_blocks_imports_no_domain_app_at_module_level():
    at_module_level = sorted(
        module
        for (source, target), modules in arrows().items()
        if source == "blocks"
        for module, top in modules
        if top
    )
    assert at_module_level == []


def test_the_apps_import_in_the_documented_direction():
    """README, Architecture: organisation ← programme ← focus_groups; blocks below both."""
    assert set(arrows()) == {
        ("programme", "organisation"),
        ("programme", "blocks"),
        ("focus_groups", "programme"),
        ("focus_groups", "organisation"),
        ("focus_groups", "blocks"),
    }
