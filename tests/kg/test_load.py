"""`diplokg load` into a real `oxigraph serve` (and into a diplokg server): the same triples and
answers as the embedded store, idempotent, and resumable after the server dies mid-load."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.main import create_app
from api.settings import Settings
from kg.cli import app
from kg.load import Journal, file_graphs, line_chunks
from kg.store import GraphStore
from tests.api.graphs import extraction_d1
from tests.api.live import live_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports.jsonl"
BIN = Path(sys.executable).parent
runner = CliRunner()

GRAPH_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
MEETINGS = """PREFIX dip: <https://w3id.org/diplokg/ontology#>
SELECT DISTINCT ?e ?date WHERE { GRAPH ?g { ?e a dip:Meeting ; dip:date ?date } } ORDER BY ?e"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Oxigraph:
    """An `oxigraph serve` on a free loopback port, its data in a temporary folder."""

    location: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(BIN / "oxigraph"), "serve", "--location", str(self.location),
             "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(self.base + "/query", params={"query": "ASK {}"}, timeout=2)
                return
            except httpx.TransportError:
                assert time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def count(self, query: str) -> int:
        response = httpx.post(
            self.base + "/query",
            content=query,
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"},
            timeout=60,
        )  # fmt: skip
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    def select(self, query: str) -> list[dict[str, str]]:
        response = httpx.post(
            self.base + "/query", data={"query": query},
            headers={"Accept": "application/sparql-results+json"}, timeout=60,
        )  # fmt: skip
        rows = response.json()["results"]["bindings"]
        return [{k: v["value"] for k, v in row.items()} for row in rows]


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    server = Oxigraph(tmp_path / "oxigraph", free_port())
    server.start()
    yield server
    server.kill()


def embedded(path: Path, query: str) -> list[dict[str, str]]:
    store = GraphStore(path, read_only=True)
    try:
        return store.select(query)
    finally:
        store.close()


def load(*args: str) -> object:
    return runner.invoke(app, ["load", *args])


def test_load_gives_the_embedded_triples_and_answers_and_twice_is_once(
    example_store: Path, oxigraph: Oxigraph
) -> None:
    endpoint = oxigraph.base + "/store"
    result = load("--store", str(example_store), "--endpoint", endpoint)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "N-Quads batches, 1 request(s)" in result.output  # type: ignore[attr-defined]
    expected = int(embedded(example_store, GRAPH_TRIPLES)[0]["n"])
    assert oxigraph.count(GRAPH_TRIPLES) == expected
    assert oxigraph.count(GRAPHS) == int(embedded(example_store, GRAPHS)[0]["n"])
    assert oxigraph.select(MEETINGS) == embedded(example_store, MEETINGS)
    again = load("--store", str(example_store), "--endpoint", endpoint)
    assert again.exit_code == 0, again.output  # type: ignore[attr-defined]
    assert oxigraph.count(GRAPH_TRIPLES) == expected  # PUT replaces: loading twice is once


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--batch", "40"], "N-Quads batches"),  # graphs cut across requests
        (["--batch-bytes", "4096"], "N-Quads batches"),
        (["--protocol", "gsp", "--batch", "40"], "Graph Store Protocol, graph by graph"),
    ],
)
def test_batch_boundaries_and_a_changed_graph_replaced(
    example_store: Path, oxigraph: Oxigraph, tmp_path: Path, options: list[str], says: str
) -> None:
    copy = tmp_path / "copy"
    source, original = GraphStore(copy), GraphStore(example_store, read_only=True)
    source.add_quads(list(original.quads()))  # a store this test may edit
    source.close()
    original.close()
    args = ["--store", str(copy), "--endpoint", oxigraph.base + "/store", *options]
    result = load(*args)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert says in " ".join(result.output.split())  # type: ignore[attr-defined]
    if "gsp" not in options:
        requests = int(re.search(r"(\d+) request", result.output)[1])  # type: ignore[index, attr-defined]
        assert requests > 2  # several batches
    expected = int(embedded(copy, GRAPH_TRIPLES)[0]["n"])
    assert oxigraph.count(GRAPH_TRIPLES) == expected
    assert oxigraph.count(GRAPHS) == int(embedded(copy, GRAPHS)[0]["n"])

    edited = GraphStore(copy)  # one document changes: a different text, other statements
    d1 = extraction_d1()
    graph = next(g for g in edited.named_graphs() if "/doc/" in g.value)
    doc_id = graph.value.rsplit("/", 1)[-1]
    edited.add(replace(d1, document=replace(d1.document, id=doc_id)))
    new = set(edited.graph_triples(graph))
    edited.close()
    again = load(*args)
    assert again.exit_code == 0, again.output  # type: ignore[attr-defined]
    held = {
        (r["s"], r["p"], r["o"])
        for r in oxigraph.select(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"
        )
    }
    assert held == {(t.subject.value, t.predicate.value, t.object.value) for t in new}
    assert oxigraph.count(GRAPH_TRIPLES) == int(embedded(copy, GRAPH_TRIPLES)[0]["n"])


def test_the_merge_into_one_graph(example_store: Path, oxigraph: Oxigraph) -> None:
    target = "http://example.org/diplokg"
    result = load("--store", str(example_store), "--endpoint", oxigraph.base + "/store",
                  "--graph", target, "--batch", "500")  # fmt: skip
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    merged = int(embedded(example_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    assert (
        oxigraph.count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}")
        == merged
    )
    assert oxigraph.count(GRAPHS) == 1


def test_sparql_update_is_the_fallback(example_store: Path, oxigraph: Oxigraph) -> None:
    result = load("--store", str(example_store), "--endpoint", oxigraph.base + "/update")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "SPARQL Update" in result.output  # type: ignore[attr-defined]
    assert oxigraph.count(GRAPH_TRIPLES) == int(embedded(example_store, GRAPH_TRIPLES)[0]["n"])


def test_part_files_are_loaded_as_they_are(
    example_store: Path, oxigraph: Oxigraph, tmp_path: Path
) -> None:
    dump = tmp_path / "all.nq"
    assert (
        runner.invoke(app, ["export", "--store", str(example_store), "--out", str(dump)]).exit_code
        == 0
    )
    result = load(str(dump), "--endpoint", oxigraph.base + "/store")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert oxigraph.count(GRAPH_TRIPLES) == int(embedded(example_store, GRAPH_TRIPLES)[0]["n"])


#: a part file as a Dask build writes it: the runs graph comes back between the documents
PART = """<http://x.org/a> <http://x.org/p> "1" <http://x.org/doc/a> .
<http://x.org/run/a> <http://x.org/used> <http://x.org/a> <http://x.org/runs> .
<http://x.org/b> <http://x.org/p> "2" <http://x.org/doc/b> .
<http://x.org/run/b> <http://x.org/used> <http://x.org/b> <http://x.org/runs> .
"""


def test_a_graph_in_several_segments_of_a_part_file_is_one_graph(
    oxigraph: Oxigraph, tmp_path: Path
) -> None:
    part = tmp_path / "part-00000.nq"
    part.write_text(PART)
    result = load(str(part), "--endpoint", oxigraph.base + "/store")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "loaded 3 graph(s), 4 triples" in result.output  # type: ignore[attr-defined]
    assert oxigraph.count(GRAPHS) == 3 and oxigraph.count(GRAPH_TRIPLES) == 4


def test_a_resumed_part_file_load_sends_the_segments_it_had_not_sent(tmp_path: Path) -> None:
    part = tmp_path / "part-00000.nq"
    part.write_text(PART)
    journal = Journal(tmp_path / "journal.jsonl")
    first_run = file_graphs([part])
    for graph in [next(first_run), next(first_run)]:  # doc/a and the runs graph's first part
        list(graph.triples)
        journal.record(graph)  # then the server went away
    resumed = Journal(tmp_path / "journal.jsonl")
    to_send = [
        (g.name.value if g.name else "", [t.subject.value for t in g.triples])  # type: ignore[union-attr]
        for g in file_graphs([part])
        if not resumed.seen(g)
    ]
    assert to_send == [
        ("http://x.org/doc/b", ["http://x.org/b"]),
        ("http://x.org/runs", ["http://x.org/run/b"]),  # before: taken as sent with the first
    ]


def test_load_into_a_diplokg_server_with_its_token(example_store: Path, tmp_path: Path) -> None:
    target = create_app(Settings(store=tmp_path / "target", token="load-token"))
    with live_server(target) as base:
        refused = load("--store", str(example_store), "--endpoint", base + "/store",
                       "--token", "wrong", "--retries", "0")  # fmt: skip
        assert refused.exit_code == 1  # type: ignore[attr-defined]
        assert "refused the write (401)" in refused.output  # type: ignore[attr-defined]
        result = load("--store", str(example_store), "--endpoint", base + "/store",
                      "--token", "load-token")  # fmt: skip
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        # its /store takes one graph per request: the load goes on graph by graph
        assert "graph by graph" in " ".join(result.output.split())  # type: ignore[attr-defined]
        store: GraphStore = target.state.store  # type: ignore[attr-defined]
        assert sorted(store.documents()) == sorted(
            r["id"]
            for r in embedded(
                example_store, "SELECT ?id WHERE { GRAPH ?g { ?g dcterms:identifier ?id } }"
            )
        )


@pytest.mark.parametrize("protocol", ["quads", "gsp"])
def test_a_server_killed_mid_load_is_one_error_and_the_next_run_completes(
    tmp_path: Path, oxigraph: Oxigraph, protocol: str
) -> None:
    path = tmp_path / "many"
    store = GraphStore(path)
    d1 = extraction_d1()
    for n in range(150):
        store.add(replace(d1, document=replace(d1.document, id=f"copy-{n}")))
    store.close()
    args = [str(BIN / "diplokg"), "load", "--store", str(path), "--endpoint",
            oxigraph.base + "/store", "--parallel", "1", "--retries", "1",
            "--protocol", protocol, "--batch", "300"]  # fmt: skip
    loading = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while oxigraph.count(GRAPHS) < 20:  # some graphs are in
        assert loading.poll() is None, "the load ended before the server could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    oxigraph.kill()
    _, stderr = loading.communicate(timeout=120)
    assert loading.returncode == 1
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len([line for line in lines if line.startswith("error:")]) == 1, stderr
    assert "cannot reach" in stderr and "run the same command again" in stderr
    assert "Traceback" not in stderr

    oxigraph.start()  # the same data folder
    sent = oxigraph.count(GRAPHS)
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "sent by an interrupted run" in " ".join(done.stderr.split())
    assert oxigraph.count(GRAPHS) == 151 and sent < 151  # 150 documents and the runs graph
    assert oxigraph.count(GRAPH_TRIPLES) == int(embedded(path, GRAPH_TRIPLES)[0]["n"])


@pytest.mark.parametrize(
    ("lines", "size", "chunks"),
    [
        (b"", 3, [b""]),
        (b"a .\n", 3, [b"a .\n"]),
        (b"a .\nb .\nc .\n", 3, [b"a .\nb .\nc .\n"]),
        (b"a .\nb .\nc .\nd .\n", 3, [b"a .\nb .\nc .\n", b"d .\n"]),
        (b"a .\nb .\nc .\nd .\n", 1, [b"a .\n", b"b .\n", b"c .\n", b"d .\n"]),
    ],
)
def test_lines_are_cut_in_chunks_of_whole_lines(
    lines: bytes, size: int, chunks: list[bytes]
) -> None:
    assert list(line_chunks(lines, size)) == chunks
