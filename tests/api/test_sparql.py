"""`/sparql`: the SPARQL 1.1 Protocol query operation, on a real store, through the real app."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient
from httpx import Response
from rdflib.namespace import RDFS

from api.main import create_app
from api.sparql.lexer import keywords as _keywords
from api.settings import Settings
from kg.namespaces import DIP, DIPR, PROV, sparql_prefixes
from kg.store import GraphStore, StoreError
from tests.api.graphs import D1_TEXT, MEETING_ID, build_store

JSON = "application/sparql-results+json"
MakeClient = Callable[..., TestClient]
PRK = f"{DIPR}actor/PRK"
MEETING = f"{DIPR}event/{MEETING_ID}"
D1, D2 = f"{DIPR}doc/d1", f"{DIPR}doc/d2"
PREFIXES = sparql_prefixes()

ACTORS_QUERY = PREFIXES + "SELECT ?a WHERE { ?a a dip:Actor } ORDER BY ?a"
ALL_ACTORS = {f"{DIPR}actor/{i}" for i in ("PRK", "KOR", "USA", "moon-jae-in")}


def send(client: TestClient, how: str, query: str, **kwargs: Any) -> Response:
    """Send one query the way the protocol allows: GET, form POST or direct POST."""
    params = kwargs.pop("params", {})
    if how == "get":
        return client.get("/sparql", params={"query": query, **params}, **kwargs)
    if how == "form":
        return client.post("/sparql", data={"query": query}, params=params, **kwargs)
    headers = {"content-type": "application/sparql-query", **kwargs.pop("headers", {})}
    return client.post("/sparql", content=query.encode(), params=params, headers=headers, **kwargs)


HOW = ["get", "form", "direct"]


def bindings(response: Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == JSON
    rows: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return rows


def values(response: Response, var: str) -> list[str]:
    return [row[var]["value"] for row in bindings(response) if var in row]


def turtle(response: Response) -> rdflib.Graph:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.text, format="turtle")


def assert_error(response: Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str) and body["detail"]
    for word in words:
        assert word in body["detail"]
    return str(body["detail"])


def count_quads(client: TestClient) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    return int(values(client.get("/sparql", params={"query": query}), "n")[0])


# -- query forms and methods -------------------------------------------------------------------


@pytest.mark.parametrize("how", HOW)
def test_select_over_the_union_of_all_documents(client: TestClient, how: str) -> None:
    response = send(client, how, ACTORS_QUERY)
    assert response.json()["head"]["vars"] == ["a"]
    # KOR and PRK are in both document graphs: the union holds them (pyoxigraph 0.5 repeats them)
    assert set(values(response, "a")) == ALL_ACTORS
    assert all(row["a"]["type"] == "uri" for row in bindings(response))


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"ASK {{ <{PRK}> <{DIP}iso3> 'PRK' }}", True),
        (f"ASK {{ <{PRK}> <{DIP}iso3> 'KOR' }}", False),
        ("ASK {}", True),
    ],
)
def test_ask(client: TestClient, how: str, query: str, expected: bool) -> None:
    response = send(client, how, query)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == JSON
    assert response.json() == {"head": {}, "boolean": expected}


@pytest.mark.parametrize("how", HOW)
def test_construct_answers_turtle(client: TestClient, how: str) -> None:
    query = PREFIXES + "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a dip:State ; rdfs:label ?l }"
    graph = turtle(send(client, how, query))
    assert set(graph) == {
        (rdflib.URIRef(f"{DIPR}actor/{code}"), RDFS.label, rdflib.Literal(label))
        for code, label in (
            ("PRK", "North Korea"),
            ("KOR", "South Korea"),
            ("USA", "United States"),
        )
    }


def test_describe_answers_turtle(client: TestClient) -> None:
    graph = turtle(send(client, "get", f"DESCRIBE <{PRK}>"))
    prk = rdflib.URIRef(PRK)
    assert (prk, rdflib.URIRef(DIP + "iso3"), rdflib.Literal("PRK")) in graph
    assert set(
        graph.objects(prk, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))
    ) == {
        rdflib.Literal("DPRK"),
        rdflib.Literal("Pyongyang"),
    }


def test_relative_iris_resolve_against_the_endpoint(client: TestClient) -> None:
    graph = turtle(send(client, "direct", "CONSTRUCT { <s> <p> 1 } WHERE {}"))
    assert set(graph) == {
        (
            rdflib.URIRef("http://testserver/s"),
            rdflib.URIRef("http://testserver/p"),
            rdflib.Literal(1),
        )
    }


def test_results_keep_every_term_exactly(client: TestClient) -> None:
    query = 'SELECT ?x ?y ?z ?unbound WHERE { BIND("a\\tb\\nc \\"q\\""@en AS ?x) BIND(1.50 AS ?y) BIND(BNODE() AS ?z) }'
    (row,) = bindings(send(client, "get", query))
    assert row["x"] == {"type": "literal", "value": 'a\tb\nc "q"', "xml:lang": "en"}
    assert row["y"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert float(row["y"]["value"]) == 1.5
    assert row["z"]["type"] == "bnode"
    assert "unbound" not in row


def test_the_same_event_from_two_documents_is_one_node(client: TestClient) -> None:
    query = (
        PREFIXES
        + f"SELECT DISTINCT ?doc WHERE {{ <{MEETING}> prov:wasDerivedFrom/dip:inDocument ?doc }}"
    )
    assert sorted(values(send(client, "get", query), "doc")) == [D1, D2]


def test_project_prefixes_are_not_predefined(client: TestClient) -> None:
    assert_error(send(client, "get", "SELECT ?a WHERE { ?a a dip:Actor }"), 400, "Prefix not found")


# -- datasets ----------------------------------------------------------------------------------

EVIDENCE = f"SELECT DISTINCT ?m WHERE {{ <{MEETING}> <{PROV}wasDerivedFrom> ?m }}"


def test_from_restricts_the_query_to_one_document(client: TestClient) -> None:
    union = values(send(client, "get", EVIDENCE), "m")
    only_d2 = values(send(client, "get", EVIDENCE.replace("WHERE", f"FROM <{D2}> WHERE")), "m")
    assert len(union) == 2
    assert only_d2 == [f"{DIPR}mention/d2-0-78"]


@pytest.mark.parametrize("how", HOW)
def test_protocol_dataset_overrides_the_union_and_the_query(client: TestClient, how: str) -> None:
    query = EVIDENCE.replace("WHERE", f"FROM <{D2}> WHERE")  # the protocol's graphs win
    response = send(client, how, query, params={"default-graph-uri": D1})
    start = D1_TEXT.index("North and South Korea")
    assert values(response, "m") == [f"{DIPR}mention/d1-{start}-{D1_TEXT.index('.') + 1}"]


def test_named_graph_uri_limits_graph(client: TestClient) -> None:
    query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{MEETING}> a ?type }} }}"
    assert sorted(values(send(client, "get", query), "g")) == [D1, D2]
    response = send(client, "get", query, params={"named-graph-uri": D2})
    assert values(response, "g") == [D2]


def test_an_invalid_graph_uri_is_a_bad_request(client: TestClient) -> None:
    response = send(client, "get", "ASK {}", params={"default-graph-uri": "not an iri"})
    assert_error(response, 400, "default-graph-uri")


# -- bad requests --------------------------------------------------------------------------------


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("query", ["ASK {", "SELECT ?x WHERE { ?x }", "SELEKT * {}"])
def test_malformed_query_is_400_with_the_parser_message(
    client: TestClient, how: str, query: str
) -> None:
    detail = assert_error(send(client, how, query), 400)
    assert detail.startswith("error at ")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "url": "/sparql", "params": {"default-graph-uri": D1}},
        {"method": "GET", "url": "/sparql", "params": {"query": "  "}},
        {"method": "POST", "url": "/sparql", "data": {"default-graph-uri": D1}},
        {
            "method": "POST",
            "url": "/sparql",
            "content": b"",
            "headers": {"content-type": "application/sparql-query"},
        },
    ],
    ids=["get-no-query", "get-blank", "form", "direct-empty"],
)
def test_missing_query_is_400(client: TestClient, request_kwargs: dict[str, Any]) -> None:
    assert_error(client.request(**request_kwargs), 400, "no query")


def test_two_queries_are_400(client: TestClient) -> None:
    response = client.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert_error(response, 400, "more than one")
    response = client.post(
        "/sparql",
        params={"query": "ASK {}"},
        content=b"ASK {}",
        headers={"content-type": "application/sparql-query"},
    )
    assert_error(response, 400)


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/json", "multipart/form-data; boundary=x", "nonsense"],
)
def test_unsupported_content_type_is_415(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/sparql", content=b"query=ASK%20%7B%7D", headers=headers)
    assert_error(response, 415)


def test_a_charset_other_than_utf8_is_415(client: TestClient) -> None:
    response = client.post(
        "/sparql",
        content="ASK {}".encode("utf-16"),
        headers={"content-type": "application/sparql-query; charset=UTF-16"},
    )
    assert_error(response, 415, "UTF-16")


def test_a_body_that_is_not_utf8_is_400(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=b"ASK { \xff }", headers={"content-type": "application/sparql-query"}
    )
    assert_error(response, 400, "UTF-8")


def test_other_methods_are_405(client: TestClient) -> None:
    response = client.put("/sparql", params={"query": "ASK {}"})
    assert_error(response, 405)


def test_the_protocol_path_with_a_slash_answers_without_redirect(client: TestClient) -> None:
    response = client.post("/sparql/", data={"query": "ASK {}"}, follow_redirects=False)
    assert response.status_code == 200 and response.json()["boolean"] is True


# -- no writes ---------------------------------------------------------------------------------

UPDATES = [
    f"INSERT DATA {{ GRAPH <{D1}> {{ <{PRK}> <{DIP}iso3> 'XXX' }} }}",
    "DROP ALL",
    "CLEAR DEFAULT",
    f"DELETE WHERE {{ GRAPH ?g {{ <{PRK}> ?p ?o }} }}",
    f"LOAD <file://{Path(__file__).resolve()}>",
]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("update", UPDATES)
def test_an_update_sent_as_a_query_is_refused_and_changes_nothing(
    writable_client: TestClient, how: str, update: str
) -> None:
    before = count_quads(writable_client)
    assert_error(send(writable_client, how, update), 400, "error at")
    assert count_quads(writable_client) == before
    assert (
        set(values(writable_client.get("/sparql", params={"query": ACTORS_QUERY}), "a"))
        == ALL_ACTORS
    )


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({"method": "GET", "url": "/sparql", "params": {"update": "DROP ALL"}}, 400),
        ({"method": "POST", "url": "/sparql", "data": {"update": "DROP ALL"}}, 403),
        (
            {
                "method": "POST",
                "url": "/sparql",
                "content": b"DROP ALL",
                "headers": {"content-type": "application/sparql-update"},
            },
            403,
        ),
    ],
    ids=["get", "form", "direct"],
)
def test_an_update_sent_as_an_update_is_refused(
    writable_client: TestClient, request_kwargs: dict[str, Any], status: int
) -> None:
    before = count_quads(writable_client)
    assert_error(writable_client.request(**request_kwargs), status, "Update" if status == 400 else "writes")
    assert count_quads(writable_client) == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_federated_queries_are_refused(client: TestClient, query: str) -> None:
    assert_error(send(client, "get", query), 400, "SERVICE")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * FROM <g> WHERE { ?s ?p ?o }", {"SELECT", "FROM", "WHERE"}),
        ("select * from named <g> {}", {"SELECT", "FROM", "NAMED"}),
        ("SELECT * WHERE { ?s <http://x/FROM> ?from }", {"SELECT", "WHERE"}),
        ("SELECT * WHERE { ?s ?p 'FROM SERVICE' } # FROM SERVICE", {"SELECT", "WHERE"}),
        ('SELECT * WHERE { ?s ?p """a "FROM" b""" }', {"SELECT", "WHERE"}),
        (
            "PREFIX from: <x#> SELECT * WHERE { ?s from:service _:from }",
            {"PREFIX", "SELECT", "WHERE"},
        ),
        ("ASK { \\u0046ROM }", {"ASK", "FROM"}),
    ],
)
def test_keywords_are_read_outside_strings_iris_and_names(query: str, expected: set[str]) -> None:
    assert _keywords(query) == expected


# -- content negotiation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON),
        ("*/*", JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
        ("application/sparql-results+json", JSON),
        ("application/json", "application/json"),
        ("application/*", JSON),
        ("not a media type", JSON),
    ],
)
def test_select_negotiates_json(client: TestClient, accept: str | None, expected: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == expected
    assert response.headers["vary"] == "Accept"
    assert json.loads(response.content)["boolean"] is True


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT * {}", "text/html"),
        ("SELECT * {}", "text/turtle"),
        ("ASK {}", "application/rdf+xml"),
        ("SELECT * {}", "application/sparql-results+json;q=0, application/json;q=0, text/*;q=0"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-results+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv"),
    ],
)
def test_an_unacceptable_format_is_406(client: TestClient, query: str, accept: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert_error(response, 406, accept)


def test_construct_negotiates_turtle(client: TestClient) -> None:
    for accept in (None, "*/*", "text/turtle", "text/*;q=0.5, application/x-unknown"):
        headers = {"accept": accept} if accept else {}
        response = client.get("/sparql", params={"query": f"DESCRIBE <{PRK}>"}, headers=headers)
        assert len(turtle(response)) > 0


# -- limits ------------------------------------------------------------------------------------


def test_results_beyond_max_results_are_cut_and_flagged(make_client: MakeClient) -> None:
    small = make_client(max_results=2)
    response = small.get("/sparql", params={"query": ACTORS_QUERY})
    assert len(bindings(response)) == 2
    assert response.headers["x-sparql-maxrows"] == "2"
    query = PREFIXES + "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a dip:Actor ; rdfs:label ?l }"
    response = small.get("/sparql", params={"query": query})
    assert len(turtle(response)) == 2
    assert response.headers["x-sparql-maxrows"] == "2"


def test_results_up_to_max_results_are_whole(make_client: MakeClient) -> None:
    exact = make_client(max_results=4)
    query = PREFIXES + "SELECT DISTINCT ?a WHERE { ?a a dip:Actor }"
    response = exact.get("/sparql", params={"query": query})
    assert set(values(response, "a")) == ALL_ACTORS
    assert "x-sparql-maxrows" not in response.headers


def test_a_query_over_time_is_503(make_client: MakeClient) -> None:
    slow = make_client(query_timeout=0.05, max_results=10**9)
    endless = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    assert_error(slow.get("/sparql", params={"query": endless}), 503, "0.05 s")
    # the app still answers
    assert slow.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


# -- the app -----------------------------------------------------------------------------------


def test_the_app_holds_the_store_while_it_runs(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    with TestClient(create_app(Settings(store=path))) as started:
        assert started.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        with pytest.raises(StoreError, match="in use"):
            GraphStore(path)
    GraphStore(path).close()  # shutdown closed the store


def test_an_app_whose_store_cannot_open_does_not_start(tmp_path: Path) -> None:
    app = create_app(Settings(store=tmp_path / "missing", read_only=True))
    with pytest.raises(StoreError, match="missing"), TestClient(app):
        pass


def test_settings_from_the_environment() -> None:
    env = {
        "DIPLOKG_STORE": "/data/kg",
        "DIPLOKG_READ_ONLY": "true",
        "DIPLOKG_QUERY_TIMEOUT": "2.5",
        "DIPLOKG_MAX_RESULTS": "10",
    }
    assert Settings.from_env(env) == Settings(
        store=Path("/data/kg"), read_only=True, query_timeout=2.5, max_results=10
    )
    assert Settings.from_env({}).max_results == 10_000
    with pytest.raises(ValueError, match="DIPLOKG_MAX_RESULTS"):
        Settings.from_env({"DIPLOKG_MAX_RESULTS": "many"})
    with pytest.raises(ValueError, match="max_results"):
        Settings(max_results=0)
