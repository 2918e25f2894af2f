"""`diplokg serve` says it is serving only once it can: a held store or a taken port is one
error line and exit 1, without a "serving ... on http://..." line before it."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.store import GraphStore
from tests.api.graphs import build_store

runner = CliRunner()
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_second_serve_on_a_held_store_fails_before_it_announces(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    held = GraphStore(path)  # what a first `diplokg serve` holds: the store's RocksDB lock
    try:
        result = runner.invoke(app, ["serve", "--store", str(path), "--port", str(free_port())])
    finally:
        held.close()
    assert result.exit_code == 1
    assert "in use" in result.output
    assert "serving" not in result.output and "http://" not in result.output


def test_a_port_in_use_fails_before_it_announces(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "--store", str(path), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "serving" not in result.output


def test_a_store_that_does_not_exist_is_one_line_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "NOPE"  # a typo in the path: before, an empty store served on
    command = [str(BIN / "diplokg"), "serve", "--store", str(missing), "--port", str(free_port())]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("error: there is no store at"), result.stderr
    assert "serving" not in result.stderr and not missing.exists()


def test_a_backend_that_does_not_answer_fails_before_it_announces() -> None:
    port = free_port()  # nothing listens there
    result = runner.invoke(
        app, ["serve", "--backend", f"http://127.0.0.1:{port}/query", "--port", str(free_port())]
    )
    assert result.exit_code == 1
    assert "cannot reach the SPARQL endpoint" in result.output
    assert "serving" not in result.output
