"""Every committed notebook runs from top to bottom without an error."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("nbrun", ROOT / "notebooks" / "run.py")
assert _spec and _spec.loader
nbrun = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nbrun)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "notebooks" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    nb = nbrun.execute(copy, write=False)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {}) for o in outputs)


def test_notebooks_are_committed_with_outputs() -> None:
    assert NOTEBOOKS, "no notebooks"
    import nbformat

    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert any(c.get("outputs") for c in code), f"{path.name} has no outputs"
