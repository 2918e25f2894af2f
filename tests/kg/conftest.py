"""Fixtures of the kg tests: the bundled examples built once into a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.corpus import read_inputs
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports.jsonl"


@pytest.fixture(scope="session")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/reports.jsonl built into a store (open it read-only: tests share it)."""
    path = tmp_path_factory.mktemp("examples") / "store"
    store = GraphStore(path)
    build(read_inputs([EXAMPLES]), store=store)
    store.close()
    return path
