"""Execute a notebook in place with its outputs (used to refresh committed notebooks and by tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path, *, write: bool = True, timeout: int = 600) -> nbformat.NotebookNode:
    """Run every cell from the notebook's own folder; raise on the first error."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    if write:
        nbformat.write(nb, path)
    return nb


if __name__ == "__main__":
    for name in sys.argv[1:]:
        execute(Path(name))
        print(f"executed {name}")
