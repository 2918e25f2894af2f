"""Reads during writes (issue 9, point 4): on a live server, SPARQL readers never fail while
documents are posted and deleted and graphs are written; each read sees a whole state."""

from __future__ import annotations

import faulthandler
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from spacy.language import Language

import kg.build
from api.main import create_app
from api.settings import Settings
from kg.records import Document, Extraction
from tests.api.graphs import build_store
from tests.api.live import live_server

TOKEN = "concurrency-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: a state is whole when every document in it has its identifier and its text hash
WHOLE = """PREFIX dip: <https://w3id.org/diplokg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
ASK { GRAPH ?g { ?g a dip:Document } FILTER NOT EXISTS { GRAPH ?g { ?g dcterms:identifier ?i ;
  dip:textHash ?h } } }"""
TEXTS = [
    "Chile and Peru signed a fisheries agreement in Lima on 3 May 2023.",
    "Kenya and Uganda held talks in Nairobi on 4 May 2023.",
    "Norway protested against the new whaling quotas set by Iceland.",
]


def test_reads_during_writes_never_fail(tmp_path: Path) -> None:
    settings = Settings(store=build_store(tmp_path / "store"), token=TOKEN, max_queries=2)
    app = create_app(settings)
    failures: list[str] = []
    reads = [0]

    def reader(base: str) -> None:
        with httpx.Client(base_url=base, timeout=300) as http:
            for n in range(30):
                query = WHOLE if n % 2 else COUNT
                response = http.get("/sparql", params={"query": query})
                if response.status_code != 200:
                    failures.append(f"read: {response.status_code} {response.text[:200]}")
                elif query is WHOLE and response.json()["boolean"]:
                    failures.append("read: a document without its identifier or hash")
                reads[0] += 1

    def writer(base: str, k: int) -> None:
        with httpx.Client(base_url=base, timeout=300, headers=AUTH) as http:
            for n in range(6):
                for response in writes(http, f"w{k}-{n}", f"http://example.org/g{k}", n):
                    if response.status_code >= 300:
                        failures.append(f"write: {response.status_code} {response.text[:200]}")

    faulthandler.dump_traceback_later(500)  # if anything hangs, every thread's stack is shown
    with live_server(app) as base:
        threads = [threading.Thread(target=reader, args=(base,)) for _ in range(4)]
        threads += [threading.Thread(target=writer, args=(base, k)) for k in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        assert not any(t.is_alive() for t in threads), "a client hung"
        final = httpx.get(base + "/sparql", params={"query": WHOLE}, timeout=300).json()
    faulthandler.cancel_dump_traceback_later()
    assert failures == []
    assert reads[0] == 4 * 30 and final["boolean"] is False


def writes(http: httpx.Client, doc: str, graph: str, n: int) -> Iterator[httpx.Response]:
    """A document posted, a graph updated and replaced, the document deleted."""
    yield http.post("/documents", json={"id": doc, "text": TEXTS[n % len(TEXTS)]})
    yield http.post(
        "/update",
        content=f"INSERT DATA {{ GRAPH <{graph}> {{ <{graph}> <http://p> {n} }} }}",
        headers={"content-type": "application/sparql-update"},
    )
    yield http.put(
        "/store",
        params={"graph": graph},
        content=f'<{graph}> <http://q> "{n}" .',
        headers={"content-type": "application/n-triples"},
    )
    yield http.delete(f"/documents/{doc}")


def test_a_long_post_holds_no_lock_that_other_writes_wait_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document still being read: a delete and a graph write sent meanwhile are done while it is
    (the store's lock is held for writes only, not for reading texts). The real pipeline reads the
    text; a gate after it holds the POST open until the other writes have returned, so the order
    does not depend on how fast the machine is."""
    settings = Settings(store=build_store(tmp_path / "store"), token=TOKEN, max_queries=1)
    app = create_app(settings)
    reading, release = threading.Event(), threading.Event()
    real_extract_all = kg.build.extract_all

    def gated(documents: Iterator[Document], nlp: Language) -> Iterator[Extraction]:
        for extraction in real_extract_all(documents, nlp):
            if extraction.document.id == "long":
                reading.set()
                release.wait(120)
            yield extraction

    monkeypatch.setattr(kg.build, "extract_all", gated)
    text = "Delegates from Chile and Peru met in Geneva on 3 May 2023."
    finished: list[str] = []
    with live_server(app) as base, httpx.Client(base_url=base, timeout=600, headers=AUTH) as http:
        ok = http.post("/documents", json={"id": "short", "text": TEXTS[0]})
        assert ok.status_code == 200, ok.text

        def post() -> None:
            response = http.post("/documents", json={"id": "long", "text": text})
            finished.append(f"post {response.status_code}")

        thread = threading.Thread(target=post)
        thread.start()
        try:
            assert reading.wait(120), "the long document was never read"
            deleted = http.delete("/documents/short")
            finished.append(f"delete {deleted.status_code}")
            written = http.put(
                "/store",
                params={"graph": "http://example.org/g"},
                content='<http://example.org/g> <http://q> "x" .',
                headers={"content-type": "application/n-triples"},
            )
            finished.append(f"put {written.status_code}")
            assert thread.is_alive()  # the POST was still in progress all along
        finally:
            release.set()
            thread.join(timeout=600)
        stored = http.get("/sparql", params={"query": COUNT}).json()
    assert finished == ["delete 204", "put 201", "post 200"]
    assert int(stored["results"]["bindings"][0]["n"]["value"]) > 0
