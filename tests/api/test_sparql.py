"""`/sparql`: the SPARQL 1.1 Protocol query operation, on a real store, through the real app."""

from __future__ import annotations

import io
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
from api.settings import Settings
from api.sparql.lexer import keywords as _keywords
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
    assert_error(
        writable_client.request(**request_kwargs), status, "Update" if status == 400 else "writes"
    )
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


@pytest.mark.parametrize("read_only", [False, True])
def test_the_app_compacts_a_writable_store_before_its_workers_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool
) -> None:
    path = build_store(tmp_path / "store")
    compacted: list[bool] = []
    optimize = GraphStore.optimize

    def counted(self: GraphStore) -> None:
        compacted.append(self.read_only)
        optimize(self)

    monkeypatch.setattr(GraphStore, "optimize", counted)
    with TestClient(create_app(Settings(store=path, read_only=read_only))) as started:
        assert started.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    assert compacted == ([] if read_only else [False])


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


def test_settings_for_writes_services_cors_and_bodies_from_the_environment() -> None:
    env = {
        "DIPLOKG_TOKEN": " t0ken ",
        "DIPLOKG_ALLOW_SERVICE": "yes",
        "DIPLOKG_CORS_ORIGINS": "https://a.example, https://b.example,",
        "DIPLOKG_MAX_BODY_BYTES": "1000",
        "DIPLOKG_MAX_UPLOAD_BYTES": "2000",
    }
    settings = Settings.from_env(env)
    assert settings.token == "t0ken" and "t0ken" not in repr(settings)
    assert settings.allow_service is True
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert (settings.max_body_bytes, settings.max_upload_bytes) == (1000, 2000)
    defaults = Settings.from_env({"DIPLOKG_TOKEN": ""})
    assert (defaults.token, defaults.allow_service, defaults.cors_origins) == (None, False, ())
    assert (defaults.max_body_bytes, defaults.max_upload_bytes) == (1 << 20, 16 << 20)
    with pytest.raises(ValueError, match="DIPLOKG_ALLOW_SERVICE"):
        Settings.from_env({"DIPLOKG_ALLOW_SERVICE": "maybe"})
    with pytest.raises(ValueError, match="token"):
        Settings(token="  ")


def test_serve_passes_its_options_into_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    import api.main
    from kg.cli import app as cli

    served: list[Settings] = []
    monkeypatch.setattr(api.main, "serve", lambda settings, **_: served.append(settings))
    monkeypatch.setenv("DIPLOKG_TOKEN", "from-env")
    args = ["serve", "--store", str(tmp_path), "--allow-service"]
    args += ["--cors-origin", "https://a.example", "--cors-origin", "https://b.example"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert served[-1].token == "from-env" and served[-1].allow_service
    assert served[-1].cors_origins == ("https://a.example", "https://b.example")
    assert (
        CliRunner().invoke(cli, ["serve", "--store", str(tmp_path), "--token", "T"]).exit_code == 0
    )
    assert served[-1].token == "T" and not served[-1].allow_service
    assert served[-1].cors_origins == ()


# -- every result format -----------------------------------------------------------------------

SOLUTION_TYPES = {
    JSON: "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
STATES_QUERY = PREFIXES + "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a dip:State ; rdfs:label ?l }"
STATES = {
    (rdflib.URIRef(f"{DIPR}actor/{code}"), RDFS.label, rdflib.Literal(label))
    for code, label in (("PRK", "North Korea"), ("KOR", "South Korea"), ("USA", "United States"))
}


def media(response: Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("accept", list(SOLUTION_TYPES))
def test_select_in_every_results_format(client: TestClient, how: str, accept: str) -> None:
    from rdflib.query import Result

    response = send(client, how, ACTORS_QUERY, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert media(response) == accept and response.headers["vary"] == "Accept"
    result = Result.parse(io.BytesIO(response.content), format=SOLUTION_TYPES[accept])
    assert {str(row[0]) for row in result} == ALL_ACTORS  # type: ignore[index]


@pytest.mark.parametrize("accept", [JSON, "application/sparql-results+xml"])
def test_ask_in_json_and_xml(client: TestClient, accept: str) -> None:
    from rdflib.query import Result

    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": accept})
    assert media(response) == accept
    assert Result.parse(io.BytesIO(response.content), format=SOLUTION_TYPES[accept]).askAnswer


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_ask_in_csv_and_tsv_is_a_bare_boolean(client: TestClient, accept: str) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": accept})
    assert (media(response), response.text) == (accept, "true")


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("accept", list(GRAPH_TYPES))
@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
def test_construct_in_every_rdf_format(client: TestClient, how: str, accept: str) -> None:
    response = send(client, how, STATES_QUERY, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert media(response) == accept
    if accept in ("application/n-quads", "application/trig"):
        dataset = rdflib.Dataset()
        dataset.parse(data=response.content, format=GRAPH_TYPES[accept])
        quads = set(dataset.quads((None, None, None, None)))
        assert {(s, p, o) for s, p, o, _ in quads} == STATES
        assert {g for *_, g in quads} <= {None, rdflib.graph.DATASET_DEFAULT_GRAPH_ID}
    else:
        assert (
            set(rdflib.Graph().parse(data=response.content, format=GRAPH_TYPES[accept])) == STATES
        )


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv;q=0.9, application/sparql-results+xml", "application/sparql-results+xml"),
        (
            "application/sparql-results+json;q=0.1, text/tab-separated-values",
            "text/tab-separated-values",
        ),
        ("*/*;q=0.1, text/csv;q=0.5", "text/csv"),
        ("text/*", "text/csv"),
        ("application/sparql-results+json;q=0, application/*", "application/json"),
        ("TEXT/CSV", "text/csv"),
        ("application/sparql-results+xml;charset=utf-8", "application/sparql-results+xml"),
    ],
)
def test_q_values_and_wildcards_are_honoured(
    client: TestClient, accept: str, expected: str
) -> None:
    response = client.get("/sparql", params={"query": "SELECT * {}"}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert media(response) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/rdf+xml;q=0.5, application/ld+json", "application/ld+json"),
        ("text/turtle;q=0, */*", "application/n-triples"),
        ("application/*", "application/n-triples"),
        ("text/n3, application/n-triples;q=0.8", "application/n-triples"),
    ],
)
def test_graph_results_honour_q_values(client: TestClient, accept: str, expected: str) -> None:
    response = client.get("/sparql", params={"query": STATES_QUERY}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert media(response) == expected


def test_a_406_lists_what_is_offered(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": STATES_QUERY}, headers={"accept": "text/html"}
    )
    detail = assert_error(response, 406, "text/html")
    for offered in GRAPH_TYPES:
        assert offered in detail


# -- the service description ---------------------------------------------------------------------

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")


def description(client: TestClient, accept: str = "text/turtle") -> rdflib.Graph:
    response = client.get("/sparql", headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert media(response) == accept
    return rdflib.Graph().parse(data=response.content, format=GRAPH_TYPES[accept])


def the_service(graph: rdflib.Graph) -> rdflib.term.Node:
    (service,) = graph.subjects(rdflib.RDF.type, SD.Service)
    return service


def test_get_without_a_query_describes_the_service(client: TestClient) -> None:
    graph = description(client)
    service = the_service(graph)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef("http://testserver/sparql")
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    assert set(graph.objects(service, SD.feature)) == {SD.UnionDefaultGraph}
    assert set(graph.objects(service, SD.resultFormat)) == {
        FORMATS[name]
        for name in (
            "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "N-Triples", "N-Quads", "TriG", "RDF_XML", "JSON-LD",
        )
    }  # fmt: skip
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, rdflib.RDF.type, SD.Dataset) in graph
    assert (graph.value(dataset, SD.defaultGraph), rdflib.RDF.type, SD.Graph) in graph


@pytest.mark.parametrize(
    "accept", ["application/rdf+xml", "application/ld+json", "application/n-triples"]
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
def test_the_service_description_is_negotiated(client: TestClient, accept: str) -> None:
    graph = description(client, accept)
    assert graph.value(the_service(graph), SD.endpoint) == rdflib.URIRef("http://testserver/sparql")


def test_the_service_description_says_what_the_server_allows(
    make_client: MakeClient, tmp_path: Path
) -> None:
    server = make_client(
        store=build_store(tmp_path / "s"), read_only=False, token="t", allow_service=True
    )
    graph = description(server)
    service = the_service(graph)
    assert set(graph.objects(service, SD.supportedLanguage)) == {
        SD.SPARQL11Query,
        SD.SPARQL11Update,
    }
    assert SD.BasicFederatedQuery in set(graph.objects(service, SD.feature))
    assert graph.value(service, SD.endpoint) == rdflib.URIRef("http://testserver/sparql")


def test_the_service_description_cannot_be_sparql_results(client: TestClient) -> None:
    assert_error(client.get("/sparql", headers={"accept": JSON}), 406, "text/turtle")


# -- federation, structure and errors ----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { BIND('SERVICE' AS ?x) }",
        'SELECT * WHERE { BIND("x"@service AS ?x) }',
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }",
        "SELECT ?service WHERE { ?service ?p ?o } # SERVICE <http://x>",
    ],
)
def test_the_word_service_elsewhere_is_no_federation(client: TestClient, query: str) -> None:
    assert send(client, "get", query).status_code == 200


def test_allow_service_lets_federated_queries_through(make_client: MakeClient) -> None:
    server = make_client(allow_service=True)
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert_error(send(server, "get", query), 502, "SERVICE")  # fetched, and port 9 refused
    assert (
        send(
            server,
            "get",
            "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("SELECT * { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }", "nests"),
        ("SELECT * " + "{" * 3_000 + "}" * 3_000, "nests"),
        ("SELECT * { ?s ?p " + "[ <http://p> " * 1_000 + "1" + " ]" * 1_000 + " }", "nests"),
        ("SELECT * { FILTER(" + "!" * 10_000 + "true) }", "tokens"),
        ("SELECT * { {} " + "MINUS {} " * 4_000 + "}", "tokens"),
        ("SELECT * { " + " UNION ".join(["{}"] * 10_000) + " }", "tokens"),
        ("SELECT * { " + "".join(f"?s{i} ?p ?o . " for i in range(10_000)) + "}", "tokens"),
    ],
    ids=["parens", "braces", "brackets", "nots", "minus", "union", "triples"],
)
def test_queries_that_would_overflow_the_parser_are_400(
    client: TestClient, query: str, word: str
) -> None:
    """pyoxigraph recurses on these and overflows its thread's stack, killing the process."""
    for how in ("form", "direct"):
        assert_error(send(client, how, query), 400, "too complex", word)


def test_long_data_blocks_are_not_too_complex(client: TestClient) -> None:
    values = " ".join(f"(<http://example.org/{i}> -{i})" for i in range(20_000))
    query = f"SELECT (COUNT(*) AS ?n) {{ VALUES (?x ?y) {{ {values} }} }}"
    assert values_of(send(client, "direct", query), "n") == ["20000"]


def values_of(response: Response, var: str) -> list[str]:
    return values(response, var)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { FILTER(<http://example.org/f>(1)) }",
        "SELECT (<http://example.org/f>(1) AS ?y) {}",
        "\x00",
        "SELECT * { ?s ?p ?o } LIMIT -1",
        "PREFIX : <not an iri> ASK {}",
    ],
)
def test_malformed_or_unsupported_queries_are_4xx_never_500(client: TestClient, query: str) -> None:
    for how in HOW:
        response = send(client, how, query)
        detail = assert_error(response, 400)
        assert "Traceback" not in detail and "File " not in detail


def test_every_sparql_route_declares_its_errors(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    declared = {
        (path, method): set(op["responses"])
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }
    assert {"400", "406", "503"} <= declared[("/sparql", "get")]
    assert {"400", "401", "403", "406", "413", "415", "503"} <= declared[("/sparql", "post")]
    assert {"400", "401", "403", "413", "415"} <= declared[("/update", "post")]
    assert {"400", "404", "406"} <= declared[("/store", "get")]
    for method in ("put", "post"):
        assert {"201", "204", "400", "401", "403", "413", "415"} <= declared[("/store", method)]
    assert {"204", "400", "401", "403", "404"} <= declared[("/store", "delete")]
    assert "writeToken" in schema["components"]["securitySchemes"]


# -- CORS --------------------------------------------------------------------------------------

ORIGIN = "https://console.example.org"


def test_cors_is_off_unless_configured(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


def test_cors_lets_configured_origins_query_and_write(make_client: MakeClient) -> None:
    server = make_client(cors_origins=(ORIGIN,))
    response = server.get("/sparql", params={"query": "ASK {}"}, headers={"origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN
    preflight = server.options(
        "/update",
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    other = server.get(
        "/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_the_protocol_parameters_are_documented(client: TestClient) -> None:
    # read from the raw query string, not declared: documented in the schema all the same
    operations = client.get("/openapi.json").json()["paths"]["/sparql"]
    documented = {m: [p["name"] for p in operations[m]["parameters"]] for m in ("get", "post")}
    assert documented == {
        "get": ["query", "default-graph-uri", "named-graph-uri"],
        "post": [
            "default-graph-uri",
            "named-graph-uri",
            "using-graph-uri",
            "using-named-graph-uri",
        ],
    }
    graphs = operations["get"]["parameters"][1]["schema"]["anyOf"][0]
    assert graphs == {"type": "array", "items": {"type": "string"}}
