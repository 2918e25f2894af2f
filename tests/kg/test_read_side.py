"""The read side's shape: SPARQL reads in kg.queries, networkx measures in kg.analysis on top of
it, and everything else calling those two packages through their public names only."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg.analysis
import kg.queries

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> Iterator[tuple[str, str]]:
    """(module, name) for each `from module import name` and (module, "") for `import module`."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    else:
        source = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ""


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).glob("*.py"))


@pytest.mark.parametrize("path", modules("kg/queries") + modules("kg/analysis"), ids=str)
def test_no_module_imports_a_private_name_of_another(path: Path) -> None:
    private = [
        f"{module}.{name}"
        for module, name in imports(path)
        if module.startswith("kg.") and name.startswith("_")
    ]
    assert private == []


@pytest.mark.parametrize("path", modules("kg/queries"), ids=str)
def test_the_read_package_does_not_reach_up_to_analysis(path: Path) -> None:
    assert not [m for m, _ in imports(path) if m.startswith(("kg.analysis", "networkx"))]


@pytest.mark.parametrize("path", modules("kg/analysis"), ids=str)
def test_analysis_reads_through_the_read_package_interface(path: Path) -> None:
    # kg.queries itself, never one of its modules; no SPARQL of its own
    assert not [m for m, _ in imports(path) if m.startswith("kg.queries.")]
    assert "SELECT" not in path.read_text(encoding="utf-8")


def callers() -> list[Path]:
    return [
        *sorted((ROOT / "api").rglob("*.py")),
        ROOT / "kg" / "cli.py",
        *sorted((ROOT / "notebooks").glob("*.ipynb")),
    ]


@pytest.mark.parametrize("path", callers(), ids=lambda p: str(p.relative_to(ROOT)))
def test_routes_cli_and_notebooks_call_the_two_packages_only(path: Path) -> None:
    found = [
        m
        for m, _ in imports(path)
        if m.startswith(("kg.queries.", "kg.analysis.")) or m == "kg.reading"
    ]
    assert found == []


@pytest.mark.parametrize("package", [kg.queries, kg.analysis], ids=lambda p: p.__name__)
def test_the_interfaces_export_public_names_that_exist(package: object) -> None:
    names = package.__all__  # type: ignore[attr-defined]
    assert names and not [n for n in names if n.startswith("_")]
    assert all(hasattr(package, n) for n in names)
