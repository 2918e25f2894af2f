"""Every committed notebook runs from top to bottom without an error, and says what it should."""

from __future__ import annotations

import importlib.util
import re
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("nbrun", ROOT / "notebooks" / "run.py")
assert _spec and _spec.loader
nbrun = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nbrun)

#: Text each notebook's outputs must hold: answers the generated corpus makes certain.
EXPECTED = {
    "02-actor-network.ipynb": [
        "exact betweenness",  # 13 actors: no sampling
        "Japan → ",  # a chain of actors
        "“",  # ... with the sentence behind each hop
        "Sigma(nx.Graph",  # the interactive view
    ],
    "03-timeline.ipynb": ["asserted events between 13 actors"],
    "04-remote-endpoint.ipynb": ["(started here)", "diplokg serve stopped"],
}


def texts(nb: object) -> str:
    """Every stream and plain-text output of a notebook, joined."""
    found = []
    for cell in nb.cells:  # type: ignore[attr-defined]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                found.append(output.get("text", ""))
            found.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(found)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "notebooks" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    for helper in (ROOT / "notebooks").glob("*.py"):  # scenario.py, the generated corpus
        shutil.copy(helper, copy.parent)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    nb = nbrun.execute(copy, write=False)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {}) for o in outputs)
    said = texts(nb)
    for expected in EXPECTED.get(path.name, []):
        assert expected in said, f"{path.name} does not say {expected!r}"
    started = re.search(r"endpoint: http://127\.0\.0\.1:(\d+)/sparql \(started here\)", said)
    if started:  # the server the notebook started is gone
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", int(started.group(1)))) != 0


def test_notebooks_are_committed_with_outputs() -> None:
    assert NOTEBOOKS, "no notebooks"
    import nbformat

    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert any(c.get("outputs") for c in code), f"{path.name} has no outputs"
