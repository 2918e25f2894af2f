"""A real `oxigraph serve` (the `oxigraph` PyPI package's server) on a free loopback port, loaded
with a store's quads by `oxigraph load`: the remote backend `diplokg serve --backend URL` reads."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from kg.export import export_rdf
from kg.store import GraphStore

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def oxigraph_server(store: Path, workdir: Path, *, timeout: float = 60) -> Iterator[str]:
    """Serve the store at `store` with `oxigraph serve` (in a folder of `workdir`) until the block
    ends: its named graphs (`graph.nq`), and the merge of them, each triple once (`merge.nt`), as
    the server's default graph; yields its query endpoint URL."""
    workdir.mkdir(parents=True, exist_ok=True)
    dumps = [workdir / "graph.nq", workdir / "merge.nt"]  # as the README's recipe: diplokg export
    source = GraphStore(store, read_only=True)
    try:
        for dump in dumps:
            export_rdf(source, dump)
    finally:
        source.close()
    location = workdir / "oxigraph"
    subprocess.run(
        [str(OXIGRAPH), "load", "--location", str(location), "--file", *map(str, dumps)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("oxigraph serve did not start")
            time.sleep(0.1)
        yield f"{base}/query"
    finally:
        process.terminate()
        process.wait(timeout=30)
