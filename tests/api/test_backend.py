"""`diplokg serve --backend URL`: the same /sparql and REST API over a real `oxigraph serve`,
with no store of diplokg's own, and the same time and size limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.api.backends import oxigraph_server
from tests.api.conftest import MakeClient
from tests.api.live import live_server

STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/diplokg/ontology#State> } ORDER BY ?s"
DIP = "https://w3id.org/diplokg/ontology#"


@pytest.fixture(scope="module")
def endpoint(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(store_path, tmp_path_factory.mktemp("backend")) as url:
        yield url


@pytest.fixture(scope="module")
def remote(endpoint: str) -> Iterator[TestClient]:
    app = create_app(Settings(backend=endpoint, max_results=2))
    with TestClient(app, raise_server_exceptions=False) as client:
        assert app.state.store is None  # nothing of diplokg's own is read
        yield client


def test_sparql_answers_come_from_the_backend(remote: TestClient, client: TestClient) -> None:
    ours = client.get("/sparql", params={"query": STATES})
    theirs = remote.get("/sparql", params={"query": STATES})
    assert theirs.status_code == 200
    # the same states; the backend's answer cut at its max_results of 2, and said so
    assert theirs.json()["results"]["bindings"] == ours.json()["results"]["bindings"][:2]
    assert theirs.headers["x-sparql-maxrows"] == "2"
    ask = remote.post(
        "/sparql",
        content=f"ASK {{ ?s a <{DIP}Meeting> }}",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert ask.status_code == 200 and ask.json()["boolean"] is True


def test_a_construct_over_the_backend_parses_back(remote: TestClient) -> None:
    query = f"CONSTRUCT {{ ?s a <{DIP}Meeting> }} WHERE {{ ?s a <{DIP}Meeting> }}"
    answer = remote.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=answer.text, format="turtle")
    meetings = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(DIP + "Meeting")))
    assert meetings == {
        rdflib.URIRef("https://w3id.org/diplokg/id/event/meeting-KOR-PRK-2018-01-09")
    }


def test_the_backend_is_asked_only_what_the_server_allows(remote: TestClient) -> None:
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    refused = remote.get("/sparql", params={"query": service})
    assert refused.status_code == 400 and "SERVICE" in refused.json()["detail"]
    malformed = remote.get("/sparql", params={"query": "SELECT WHERE {"})
    assert malformed.status_code == 400 and "detail" in malformed.json()
    # the server over a backend is read-only, and has no store to write or read graphs from
    for response in (
        remote.post("/documents", json={"text": "Some words."}),
        remote.get("/store", params={"default": ""}),
    ):
        assert response.status_code == 503
        assert "remote SPARQL endpoint" in response.json()["detail"]
    update = remote.post(
        "/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert update.status_code == 403


def test_a_backend_that_stops_is_a_502(store_path: Path, tmp_path: Path) -> None:
    with oxigraph_server(store_path, tmp_path / "gone") as url:
        app = create_app(Settings(backend=url))
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/actors/PRK").status_code == 200
            endpoint = url
    # the oxigraph server has stopped: answers say so, in JSON, without a traceback
    app = create_app(Settings(backend=endpoint))
    with TestClient(app, raise_server_exceptions=False) as client:
        for response in (
            client.get("/actors/PRK"),
            client.get("/sparql", params={"query": STATES}),
        ):
            assert response.status_code == 502
            assert "cannot reach the SPARQL endpoint" in response.json()["detail"]


def test_rest_over_the_backend_is_stopped_past_the_time_limit(endpoint: str) -> None:
    app = create_app(Settings(backend=endpoint, query_timeout=0.001, max_queries=1))
    with live_server(app) as url:
        response = httpx.get(f"{url}/events", timeout=60)
        assert response.status_code == 503 and response.headers["retry-after"] == "1"
        assert "stopped" in response.json()["detail"]


def test_settings_refuse_a_backend_that_is_no_url_or_a_write_token(make_client: MakeClient) -> None:
    with pytest.raises(ValueError, match="http"):
        Settings(backend="file:///etc/passwd")
    with pytest.raises(ValueError, match="read-only"):
        Settings(backend="http://127.0.0.1:9/query", token="t")
