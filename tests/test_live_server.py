"""The whole path as a user runs it: build the sample article, serve the store with
`diplokg serve` (a live uvicorn on loopback) and find the Panmunjom meeting over HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent
MEETING = """PREFIX dip: <https://w3id.org/diplokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?event ?date ?place WHERE {
  ?event a dip:Meeting ; dip:date ?date ; dip:place/rdfs:label ?place ;
         dip:participant ?a, ?b .
  ?a dip:iso3 "PRK" . ?b dip:iso3 "KOR" .
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sample_document) -> Iterator[tuple[str, Path]]:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("live")
    article = root / "korea-olympics-2018.txt"
    article.write_text(sample_document.text, encoding="utf-8")
    store = root / "store"
    build = subprocess.run(
        [str(BIN / "diplokg"), "build", str(article), "--store", str(store), "--date", "2018-01-12"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "diplokg"), "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/docs", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not start")
        yield base, store
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_sparql_over_http_finds_the_panmunjom_meeting(server: tuple[str, Path]) -> None:
    base, _ = server
    response = httpx.get(base + "/sparql", params={"query": MEETING}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    rows = response.json()["results"]["bindings"]
    assert [(r["date"]["value"], r["place"]["value"]) for r in rows] == [
        ("2018-01-09", "Panmunjom")
    ]
    assert rows[0]["event"]["value"].endswith("/event/meeting-KOR-PRK-2018-01-09")


def test_rest_actor_over_http(server: tuple[str, Path]) -> None:
    base, _ = server
    moon = httpx.get(base + "/actors/moon-jae-in", timeout=30).json()
    assert moon["type"] == "Person"
    assert any(p["title"] == "President" and p["in"]["id"] == "KOR" for p in moon["posts"])


def test_cli_on_a_served_store_says_so_in_one_line(server: tuple[str, Path]) -> None:
    _, store = server
    proc = subprocess.run(
        [str(BIN / "diplokg"), "query", "ASK { ?s ?p ?o }", "--store", str(store)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "in use by pid" in lines[0] and "diplokg serve" in lines[0] and "HTTP API" in lines[0]
