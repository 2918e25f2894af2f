"""`/store`: the SPARQL 1.1 Graph Store HTTP Protocol on a real store, through the real app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient
from httpx import Response
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kg.namespaces import DIP, DIPR
from tests.api.graphs import build_store

MakeClient = Callable[..., TestClient]
TOKEN = "gsp-token"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
AUTH = {"authorization": f"Bearer {TOKEN}"}
D1, D2 = f"{DIPR}doc/d1", f"{DIPR}doc/d2"
NEW = "http://example.org/graphs/new"
EX = rdflib.Namespace("http://example.org/")
TTL = """@prefix ex: <http://example.org/> .
ex:a ex:p "one" ; ex:q [ ex:r 2 ] .
<relative> ex:p ex:b .
"""
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@pytest.fixture
def gsp(tmp_path: Path, make_client: MakeClient) -> TestClient:
    return make_client(store=build_store(tmp_path / "store"), read_only=False, token=TOKEN)


def put(
    client: TestClient, body: str | bytes, media: str = "text/turtle", **params: Any
) -> Response:
    params = params or {"graph": NEW}
    return client.put(
        "/store", params=params, content=body, headers={**AUTH, "content-type": media}
    )


def graph_of(response: Response) -> rdflib.Graph:
    assert response.status_code == 200, response.text
    media = response.headers["content-type"].split(";")[0]
    if media in ("application/n-quads", "application/trig"):
        dataset = rdflib.Dataset()
        dataset.parse(data=response.content, format=RDF_FORMATS[media])
        graph = rdflib.Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return rdflib.Graph().parse(data=response.content, format=RDF_FORMATS[media])


def get(client: TestClient, accept: str | None = None, **params: Any) -> Response:
    headers = {"accept": accept} if accept else {}
    return client.get("/store", params=params or {"graph": NEW}, headers=headers)


def assert_error(response: Response, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    for word in words:
        assert word in detail


def expected_new() -> rdflib.Graph:
    return rdflib.Graph().parse(data=TTL, format="turtle", publicID=NEW)


# -- reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("media", list(RDF_FORMATS))
def test_get_a_document_graph_in_every_format(client: TestClient, media: str) -> None:
    graph = graph_of(get(client, media, graph=D1))
    assert (rdflib.URIRef(D1), rdflib.URIRef(f"{DIP}textHash"), None) in graph
    assert (rdflib.URIRef(f"{DIPR}actor/USA"), RDFS.label, rdflib.Literal("United States")) in graph
    assert (rdflib.URIRef(f"{DIPR}actor/USA"), None, None) not in graph_of(
        get(client, media, graph=D2)
    )


def test_get_negotiates_turtle_by_default_and_406_otherwise(client: TestClient) -> None:
    response = get(client, None, graph=D1)
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.headers["vary"] == "Accept"
    assert_error(get(client, "application/sparql-results+json", graph=D1), 406, "text/turtle")


def test_head_answers_the_headers_of_get(client: TestClient) -> None:
    response = client.head(
        "/store", params={"graph": D1}, headers={"accept": "application/n-triples"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/n-triples"
    assert int(response.headers["content-length"]) > 0
    assert client.head("/store", params={"graph": NEW}).status_code == 404


@pytest.mark.parametrize(
    ("params", "status", "word"),
    [
        ({"graph": NEW}, 404, NEW),
        ({}, 400, "?default"),
        ({"graph": "not an iri"}, 400, "IRI"),
        ({"graph": [D1, D2]}, 400, "one graph"),
        ({"graph": D1, "default": ""}, 400, "not both"),
    ],
)
def test_get_refusals(client: TestClient, params: dict[str, Any], status: int, word: str) -> None:
    assert_error(client.get("/store", params=params), status, word)


def test_the_default_graph_is_the_merge(client: TestClient) -> None:
    """What queries see as their default graph: every triple of the named graphs, once."""
    merged = graph_of(client.get("/store?default", headers={"accept": "application/n-triples"}))
    d1, d2 = (graph_of(get(client, "application/n-triples", graph=g)) for g in (D1, D2))
    assert set(d1) | set(d2) <= set(merged)
    assert len(merged) < len(d1) + len(d2)  # what both documents say is there once


# -- writing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "media", ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]
)
def test_put_creates_then_replaces(gsp: TestClient, media: str) -> None:
    data = expected_new().serialize(format=RDF_FORMATS[media])
    assert put(gsp, data, media).status_code == 201
    assert isomorphic(graph_of(get(gsp)), expected_new())
    assert (
        put(gsp, '<http://example.org/x> <http://example.org/y> "z" .', "text/turtle").status_code
        == 204
    )
    assert set(graph_of(get(gsp))) == {(EX.x, EX.y, rdflib.Literal("z"))}


def test_relative_iris_resolve_against_the_graph(gsp: TestClient) -> None:
    assert put(gsp, TTL).status_code == 201
    assert (rdflib.URIRef("http://example.org/graphs/relative"), EX.p, EX.b) in graph_of(get(gsp))


def test_post_adds_and_blank_nodes_stay_apart(gsp: TestClient) -> None:
    headers = {**AUTH, "content-type": "text/turtle"}
    body = "_:b <http://example.org/p> 1 ."
    first = gsp.post("/store", params={"graph": NEW}, content=body, headers=headers)
    second = gsp.post("/store", params={"graph": NEW}, content=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 204)
    graph = graph_of(get(gsp))
    assert len(graph) == 2 and len(set(graph.subjects())) == 2  # two uploads, two blank nodes


def test_put_an_empty_graph_creates_it(gsp: TestClient) -> None:
    assert put(gsp, b"").status_code == 201
    response = get(gsp, "application/n-triples")
    assert response.status_code == 200 and response.content == b""
    assert gsp.delete("/store", params={"graph": NEW}, headers=AUTH).status_code == 204
    assert get(gsp).status_code == 404


def test_put_replaces_a_document_graph_and_queries_see_it(gsp: TestClient) -> None:
    assert (
        put(gsp, "<http://example.org/x> <http://example.org/y> 1 .", graph=D2).status_code == 204
    )
    query = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{D2}> {{ ?s ?p ?o }} }}"
    rows = gsp.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert rows[0]["n"]["value"] == "1"


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_the_default_graph_cannot_be_written(gsp: TestClient, method: str) -> None:
    before = gsp.get("/store?default", headers={"accept": "application/n-triples"}).content
    response = gsp.request(
        method, "/store?default", content=TTL, headers={**AUTH, "content-type": "text/turtle"}
    )
    assert_error(response, 405, "merge of the named graphs")
    assert response.headers["allow"] == "GET, HEAD"
    assert gsp.get("/store?default", headers={"accept": "application/n-triples"}).content == before


def count_labels(client: TestClient, label: str) -> int:
    query = f'SELECT (COUNT(*) AS ?n) {{ ?a <{RDFS}label> "{label}" }}'
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    return int(rows[0]["n"]["value"])


def test_graph_writes_keep_the_merge(gsp: TestClient) -> None:
    """A triple is in the merge once while any graph holds it, and leaves with the last one."""
    usa = f'<{DIPR}actor/USA> <{RDFS}label> "United States" .'
    assert count_labels(gsp, "United States") == 1
    assert put(gsp, usa, "application/n-triples").status_code == 201
    assert count_labels(gsp, "United States") == 1  # two graphs hold it: still one triple
    assert gsp.delete("/store", params={"graph": D1}, headers=AUTH).status_code == 204
    assert count_labels(gsp, "United States") == 1
    assert put(gsp, "<http://example.org/x> <http://example.org/y> 1 .").status_code == 204
    assert count_labels(gsp, "United States") == 0  # the last graph holding it let it go
    headers = {**AUTH, "content-type": "application/n-triples"}
    assert (
        gsp.post("/store", params={"graph": NEW}, content=usa, headers=headers).status_code == 204
    )
    assert count_labels(gsp, "United States") == 1


def test_delete_drops_a_graph_and_404s_after(gsp: TestClient) -> None:
    assert gsp.delete("/store", params={"graph": D1}, headers=AUTH).status_code == 204
    assert get(gsp, graph=D1).status_code == 404
    assert_error(gsp.delete("/store", params={"graph": D1}, headers=AUTH), 404)
    assert get(gsp, graph=D2).status_code == 200


@pytest.mark.parametrize(
    ("body", "media", "status", "word"),
    [
        ("<a> <b> ", "text/turtle", 400, "Turtle"),
        ("<http://a> <http://b> <http://c> <http://g> .", "application/n-quads", 400, "N-Quads"),
        ("x", "text/plain; charset=latin-1", 415, "latin-1"),
        ("x", "application/sparql-query", 415, "text/turtle"),
        ("x", "", 415, "Content-Type"),
    ],
)
def test_bad_uploads_change_nothing(
    gsp: TestClient, body: str, media: str, status: int, word: str
) -> None:
    before = get(gsp, "application/n-triples", graph=D1).content
    headers = {**AUTH, **({"content-type": media} if media else {})}
    for method in ("PUT", "POST"):
        response = gsp.request(
            method, "/store", params={"graph": D1}, content=body, headers=headers
        )
        assert_error(response, status, word)
    assert get(gsp, "application/n-triples", graph=D1).content == before


def test_an_upload_over_the_limit_is_413(tmp_path: Path, make_client: MakeClient) -> None:
    client = make_client(
        store=build_store(tmp_path / "s"), read_only=False, token=TOKEN, max_upload_bytes=100
    )
    assert_error(put(client, TTL * 3), 413, "100 bytes")
    assert put(client, "<http://a> <http://b> 1 .").status_code == 201


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_writes_need_the_token(gsp: TestClient, client: TestClient, method: str) -> None:
    kwargs: dict[str, Any] = {"params": {"graph": D1}, "content": "<http://a> <http://b> 1 ."}
    kwargs["headers"] = {"content-type": "text/turtle"}
    assert_error(gsp.request(method, "/store", **kwargs), 401)
    kwargs["headers"] = {**kwargs["headers"], "authorization": "Bearer nope"}
    response = gsp.request(method, "/store", **kwargs)
    assert_error(response, 401, "wrong")
    assert "Bearer" in response.headers["www-authenticate"]
    kwargs["headers"] = {**kwargs["headers"], **AUTH}
    assert_error(client.request(method, "/store", **kwargs), 403)  # no token on that server
    assert get(gsp, graph=D1).status_code == 200


def test_other_methods_are_405(client: TestClient) -> None:
    assert_error(client.patch("/store", params={"graph": D1}), 405)
