"""Packages import only downward: a lower package never imports a higher one.

Every ``import`` and ``from ... import`` in a package's modules counts, function-local ones
included.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first; a package may import its own layer's packages' lower layers only.
LAYERS: list[tuple[str, ...]] = [
    ("database", "identity", "fraud", "screening"),
    ("privacy", "bank"),
    ("recommender", "insights"),
    ("journeys",),
    ("simulation",),
    ("assistant",),
    ("service",),
    ("stack",),
    ("bench", "migrations"),
]
LEVEL = {package: level for level, packages in enumerate(LAYERS) for package in packages}


def imported_packages(path: Path) -> set[str]:
    """Our top-level packages that one module imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & LEVEL.keys()


def upward_imports(package: str) -> list[str]:
    """``module -> package`` for every import of a package at or above ``package``'s layer."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for target in imported_packages(path):
            if target != package and LEVEL[target] >= LEVEL[package]:
                found.append(f"{path.relative_to(ROOT)} -> {target}")
    return found


@pytest.mark.parametrize("package", sorted(LEVEL))
def test_package_imports_only_lower_layers(package: str):
    assert upward_imports(package) == []


def test_every_package_has_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages == set(LEVEL)


def test_the_check_sees_an_upward_import(tmp_path: Path):
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from service.errors import ServiceError\n")
    assert imported_packages(module) == {"service"}
