"""Holding up under load, over real HTTP: expensive queries stop, extra ones are turned away,
and everything else keeps being answered meanwhile."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from api.main import create_app
from api.settings import Settings
from kg.store import GraphStore
from tests.api.live import live_server

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def big_store(path: Path) -> Path:
    store = GraphStore(path)
    store.add_quads(
        ox.Quad(
            ox.NamedNode(f"http://e/{i}"),
            ox.NamedNode("http://p"),
            ox.Literal(str(i)),
            ox.NamedNode("http://g"),
        )
        for i in range(2000)
    )
    store.close()
    return path


@pytest.fixture()
def base(tmp_path: Path):  # type: ignore[no-untyped-def]
    app = create_app(
        Settings(
            store=big_store(tmp_path / "store"), query_timeout=1.5, max_queries=1, queue_wait=0.2
        )
    )
    with live_server(app) as url:
        yield url, app


def test_an_expensive_query_is_stopped_while_the_rest_is_answered(base) -> None:  # type: ignore[no-untyped-def]
    url, app = base
    pool = app.state.query_pool
    results: dict[str, httpx.Response] = {}

    def expensive() -> None:
        results["slow"] = httpx.get(f"{url}/sparql", params={"query": ENDLESS}, timeout=60)

    thread = threading.Thread(target=expensive)
    thread.start()
    # while it runs, a second query, SPARQL or REST, is turned away (one query at a time here)
    for _ in range(500):
        if pool.running():
            break
        threading.Event().wait(0.02)
    [worker] = pool.running()
    for path, params in (("/sparql", {"query": "ASK {}"}), ("/actors", {"q": "korea"})):
        busy = httpx.get(f"{url}{path}", params=params, timeout=30)
        assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
        assert "busy" in busy.json()["detail"]
    thread.join()
    slow = results["slow"]
    assert slow.status_code == 503
    assert "stopped" in slow.json()["detail"] and slow.headers["retry-after"] == "1"
    worker.join(timeout=5)
    assert not worker.is_alive()  # the work stopped with the answer, so the CPU is free again
    after = httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert after.status_code == 200 and after.json()["boolean"] is True
    actors = httpx.get(f"{url}/actors", timeout=30)
    assert actors.status_code == 200 and actors.json()["total"] == 0


def test_bodies_past_the_limit_are_413(base) -> None:  # type: ignore[no-untyped-def]
    url, _ = base
    response = httpx.post(
        f"{url}/sparql",
        content=b"ASK {}" + b" " * (2 << 20),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 413 and "detail" in response.json()


def test_service_is_refused(base) -> None:  # type: ignore[no-untyped-def]
    url, _ = base
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 400 and "SERVICE" in response.json()["detail"]
