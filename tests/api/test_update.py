"""SPARQL Update at `/update` and `/sparql`: the write token, the protocol's dataset, refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pyoxigraph import NamedNode

from api.sparql.update import with_dataset
from kg.namespaces import DIP, DIPR
from tests.api.graphs import build_store

MakeClient = Callable[..., TestClient]
TOKEN = "s3cret-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
UPDATE = "application/sparql-update"
D1, D2 = f"{DIPR}doc/d1", f"{DIPR}doc/d2"
SEEN = "http://example.org/seen"
STATE = f"{DIP}State"


@pytest.fixture
def writer(tmp_path: Path, make_client: MakeClient) -> TestClient:
    """An app with a write token over a store of its own."""
    return make_client(store=build_store(tmp_path / "store"), read_only=False, token=TOKEN)


def post_update(
    client: TestClient, update: str, how: str = "direct", path: str = "/update", **kwargs: Any
) -> Response:
    headers = {**AUTH, **kwargs.pop("headers", {})}
    if how == "form":
        return client.post(path, data={"update": update}, headers=headers, **kwargs)
    headers.setdefault("content-type", UPDATE)
    return client.post(path, content=update.encode(), headers=headers, **kwargs)


def select(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return [
        {k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]
    ]


def count_quads(client: TestClient) -> int:
    return int(select(client, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")[0]["n"])


def assert_error(response: Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str)
    for word in words:
        assert word in body["detail"]
    return str(body["detail"])


def seen(client: TestClient) -> set[str]:
    return {r["a"] for r in select(client, f"SELECT ?a {{ GRAPH <{SEEN}> {{ ?a a <{SEEN}> }} }}")}


# -- writes ----------------------------------------------------------------------------------------

WHERE_PATHS = [
    ("/update", "direct"),
    ("/update", "form"),
    ("/sparql", "direct"),
    ("/sparql", "form"),
]


@pytest.mark.parametrize(("path", "how"), WHERE_PATHS)
def test_an_update_with_the_token_is_applied(writer: TestClient, path: str, how: str) -> None:
    update = f"INSERT DATA {{ GRAPH <{SEEN}> {{ <{DIPR}actor/PRK> a <{SEEN}> }} }}"
    response = post_update(writer, update, how, path)
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert seen(writer) == {f"{DIPR}actor/PRK"}


def test_the_protocol_path_with_a_slash_takes_updates(writer: TestClient) -> None:
    response = post_update(writer, "CLEAR ALL", path="/sparql/", follow_redirects=False)
    assert response.status_code == 204
    assert count_quads(writer) == 0


def test_an_update_is_all_or_nothing(make_client: MakeClient, tmp_path: Path) -> None:
    client = make_client(
        store=build_store(tmp_path / "s"), read_only=False, token=TOKEN, allow_service=True
    )
    before = count_quads(client)
    update = f"INSERT DATA {{ GRAPH <{SEEN}> {{ <{SEEN}> a <{SEEN}> }} }} ; LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <{SEEN}>"
    assert_error(post_update(client, update), 502, "fetching")
    assert count_quads(client) == before and seen(client) == set()


def test_relative_iris_resolve_against_the_endpoint(writer: TestClient) -> None:
    assert post_update(writer, "INSERT DATA { GRAPH <g> { <s> <p> <o> } }").status_code == 204
    rows = select(writer, "SELECT ?g ?s { GRAPH ?g { ?s ?p ?o } FILTER(STRENDS(STR(?o), '/o')) }")
    assert rows == [{"g": "http://testserver/g", "s": "http://testserver/s"}]


def test_delete_where_on_document_graphs(writer: TestClient) -> None:
    prk = f"{DIPR}actor/PRK"
    query = f"SELECT ?g {{ GRAPH ?g {{ <{prk}> <{DIP}iso3> ?code }} }} ORDER BY ?g"
    assert [r["g"] for r in select(writer, query)] == [D1, D2]
    update = f"DELETE WHERE {{ GRAPH <{D1}> {{ <{prk}> <{DIP}iso3> ?code }} }}"
    assert post_update(writer, update).status_code == 204
    assert [r["g"] for r in select(writer, query)] == [D2]


def test_where_reads_the_merge_as_queries_do(writer: TestClient) -> None:
    """Without using-graph-uri, an update's default graph is the merge of the named graphs."""
    update = f"INSERT {{ GRAPH <{SEEN}> {{ ?a a <{SEEN}> }} }} WHERE {{ ?a a <{STATE}> }}"
    assert post_update(writer, update).status_code == 204
    assert seen(writer) == STATES_D1


@pytest.mark.parametrize(
    ("update", "why"),
    [
        ("INSERT DATA { <http://a> <http://b> 1 }", "INSERT DATA"),
        (
            "DELETE DATA { <http://a> <http://b> 1 . GRAPH <http://g> { <http://a> <http://b> 2 } }",
            "DELETE DATA",
        ),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("INSERT { ?s a <http://x> } WHERE { ?s a ?c }", "INSERT template"),
        ("CLEAR DEFAULT", "CLEAR DEFAULT"),
        ("ADD <http://g> TO DEFAULT", "ADD to DEFAULT"),
        ("MOVE DEFAULT TO <http://g>", "MOVE from DEFAULT"),
    ],
)
def test_writing_the_default_graph_is_400(writer: TestClient, update: str, why: str) -> None:
    before = count_quads(writer)
    assert_error(post_update(writer, update), 400, "merge of the named graphs", why)
    assert count_quads(writer) == before


def test_updates_keep_the_merge(writer: TestClient) -> None:
    """Whatever graph an update writes, each triple is in the merge once, while a graph holds it."""
    usa = f'<{DIPR}actor/USA> <http://www.w3.org/2000/01/rdf-schema#label> "United States"'
    count = f"SELECT (COUNT(*) AS ?n) {{ {usa.replace('<' + DIPR + 'actor/USA>', '?a')} }}"

    def labels() -> str:
        return select(writer, count)[0]["n"]

    assert labels() == "1"
    steps = [
        (f"INSERT DATA {{ GRAPH <{SEEN}> {{ {usa} }} }}", "1"),
        (f"DROP GRAPH <{D1}>", "1"),  # SEEN still holds it
        (f"PREFIX s: <{SEEN}> WITH s: DELETE {{ ?a ?p ?o }} WHERE {{ ?a ?p ?o }}", "0"),
        (f"INSERT {{ GRAPH ?g {{ {usa} }} }} WHERE {{ GRAPH ?g {{ ?d a <{DIP}Document> }} }}", "1"),
        (f"COPY <{D2}> TO <{SEEN}> ; DROP GRAPH <{D2}>", "1"),
        ("CLEAR NAMED", "0"),
    ]
    for update, expected in steps:
        assert post_update(writer, update).status_code == 204, update
        assert labels() == expected, update


# -- using-graph-uri and using-named-graph-uri -----------------------------------------------------

INSERT_STATES = f"INSERT {{ GRAPH <{SEEN}> {{ ?a a <{SEEN}> }} }} WHERE {{ ?a a <{STATE}> }}"
STATES_D1 = {f"{DIPR}actor/{c}" for c in ("PRK", "KOR", "USA")}
STATES_D2 = {f"{DIPR}actor/{c}" for c in ("PRK", "KOR")}


@pytest.mark.parametrize(("graphs", "expected"), [([D2], STATES_D2), ([D1, D2], STATES_D1)])
@pytest.mark.parametrize("path", ["/update", "/sparql"])
def test_using_graph_uri_is_the_default_graph_of_where(
    writer: TestClient, path: str, graphs: list[str], expected: set[str]
) -> None:
    response = post_update(writer, INSERT_STATES, path=path, params={"using-graph-uri": graphs})
    assert response.status_code == 204, response.text
    assert seen(writer) == expected


def test_using_graph_uri_in_a_form(writer: TestClient) -> None:
    response = writer.post(
        "/update", data={"update": INSERT_STATES, "using-graph-uri": D2}, headers=AUTH
    )
    assert response.status_code == 204, response.text
    assert seen(writer) == STATES_D2


def test_using_named_graph_uri_limits_graph(writer: TestClient) -> None:
    update = (
        f"INSERT {{ GRAPH <{SEEN}> {{ ?g a <{SEEN}> }} }} WHERE {{ GRAPH ?g {{ ?a a <{STATE}> }} }}"
    )
    response = post_update(writer, update, params={"using-named-graph-uri": D2})
    assert response.status_code == 204, response.text
    assert seen(writer) == {D2}


def test_using_graph_uri_applies_to_every_operation_and_to_delete_where(writer: TestClient) -> None:
    s, p, other = "http://example.org/s", "http://example.org/p", "http://example.org/other"
    setup = (
        f"INSERT DATA {{ GRAPH <{other}> {{ <{s}> <{p}> 1 }} GRAPH <{SEEN}> {{ <{s}> <{p}> 1 }} }} ; "
        f"INSERT DATA {{ GRAPH <{other}> {{ <{s}> <{p}> 2 }} }}"
    )
    assert post_update(writer, setup).status_code == 204
    # USING SEEN alone leaves no named graph to match: the DELETE WHERE deletes nothing; the
    # second WHERE matches in SEEN (the using graph) and deletes from OTHER (the template's)
    update = (
        f"DELETE WHERE {{ GRAPH <{other}> {{ <{s}> <{p}> ?o }} }} ; "
        f"DELETE {{ GRAPH <{other}> {{ <{s}> <{p}> 2 }} }} WHERE {{ <{s}> <{p}> 1 }}"
    )
    assert post_update(writer, update, params={"using-graph-uri": SEEN}).status_code == 204
    query = f"SELECT ?o {{ GRAPH <{other}> {{ <{s}> <{p}> ?o }} }}"
    assert select(writer, query) == [{"o": "1"}]


@pytest.mark.parametrize(
    "update",
    [
        f"WITH <{D1}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
        f"DELETE {{ ?s ?p ?o }} USING <{D1}> WHERE {{ ?s ?p ?o }}",
        f"INSERT {{ ?s ?p ?o }} USING NAMED <{D1}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
def test_a_dataset_in_the_update_and_in_the_request_is_400(writer: TestClient, update: str) -> None:
    before = count_quads(writer)
    response = post_update(writer, update, params={"using-named-graph-uri": D2})
    assert_error(response, 400, "USING")
    assert count_quads(writer) == before


def test_an_invalid_using_graph_uri_is_400(writer: TestClient) -> None:
    response = post_update(writer, INSERT_STATES, params={"using-graph-uri": "not an iri"})
    assert_error(response, 400, "using-graph-uri")


def test_using_clauses_go_where_the_parser_finds_operations() -> None:
    g, n = NamedNode("http://g"), NamedNode("http://n")
    update = (
        'PREFIX ex: <http://ex/> INSERT { ?s ex:where "WHERE {" } WHERE { '
        "{ SELECT ?s WHERE { ?s ?p ?o } } } ; # WHERE\n"
        "DELETE WHERE { GRAPH ?g { ?s ex:p ?o } }"
    )
    assert with_dataset(update, [g], [n]) == (
        'PREFIX ex: <http://ex/> INSERT { ?s ex:where "WHERE {" } USING <http://g> '
        "USING NAMED <http://n> WHERE { { SELECT ?s WHERE { ?s ?p ?o } } } ; # WHERE\n"
        "DELETE { GRAPH ?g { ?s ex:p ?o } } USING <http://g> USING NAMED <http://n> "
        "WHERE { GRAPH ?g { ?s ex:p ?o } }"
    )
    assert with_dataset("CLEAR ALL ; INSERT DATA { <http://a> <http://b> 1 }", [g], []) == (
        "CLEAR ALL ; INSERT DATA { <http://a> <http://b> 1 }"
    )


# -- who may write ---------------------------------------------------------------------------------

WRITES = [
    {
        "method": "POST",
        "url": "/update",
        "content": b"CLEAR ALL",
        "headers": {"content-type": UPDATE},
    },
    {"method": "POST", "url": "/update", "data": {"update": "CLEAR ALL"}},
    {
        "method": "POST",
        "url": "/sparql",
        "content": b"CLEAR ALL",
        "headers": {"content-type": UPDATE},
    },
    {"method": "POST", "url": "/sparql", "data": {"update": "CLEAR ALL"}},
]
WRITE_IDS = ["update-direct", "update-form", "sparql-direct", "sparql-form"]


def _with_headers(request: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    return {**request, "headers": {**request.get("headers", {}), **headers}}


@pytest.mark.parametrize("request_kwargs", WRITES, ids=WRITE_IDS)
def test_without_a_server_token_writes_are_403(
    make_client: MakeClient, tmp_path: Path, request_kwargs: dict[str, Any]
) -> None:
    client = make_client(store=build_store(tmp_path / "s"), read_only=False)
    before = count_quads(client)
    response = client.request(**_with_headers(request_kwargs, AUTH))
    assert_error(response, 403, "token")
    assert count_quads(client) == before


@pytest.mark.parametrize("request_kwargs", WRITES, ids=WRITE_IDS)
@pytest.mark.parametrize(
    "authorization",
    [None, f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN[:-1]}"],
)
def test_a_missing_or_wrong_token_is_401(
    writer: TestClient, request_kwargs: dict[str, Any], authorization: str | None
) -> None:
    before = count_quads(writer)
    headers = {"authorization": authorization} if authorization is not None else {}
    response = writer.request(**_with_headers(request_kwargs, headers))
    assert_error(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in response.text
    assert count_quads(writer) == before


def test_the_bearer_scheme_ignores_case(writer: TestClient) -> None:
    response = post_update(writer, "CLEAR ALL", headers={"authorization": f"bearer {TOKEN}"})
    assert response.status_code == 204


def test_a_read_only_store_takes_no_writes(make_client: MakeClient) -> None:
    client = make_client(token=TOKEN)  # the shared store, opened read-only
    assert_error(post_update(client, "CLEAR ALL"), 403, "read-only")


def test_the_token_is_checked_before_the_body_is_read(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client(store=build_store(tmp_path / "s"), read_only=False, max_body_bytes=10)
    assert_error(post_update(client, "CLEAR ALL ; " * 10), 403)


# -- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["direct", "form"])
@pytest.mark.parametrize("update", ["CLEAR XYZ", "INSERT DATA { <s> <p> }", "SELECT * {}"])
def test_a_malformed_update_is_400_with_the_parser_message(
    writer: TestClient, how: str, update: str
) -> None:
    before = count_quads(writer)
    detail = assert_error(post_update(writer, update, how), 400)
    assert detail.startswith("error at ")
    assert count_quads(writer) == before


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "load silent <file:///etc/passwd> INTO GRAPH <http://x>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ],
)
def test_updates_that_fetch_urls_are_refused(writer: TestClient, update: str) -> None:
    before = count_quads(writer)
    assert_error(post_update(writer, update), 400, "not allowed")
    assert count_quads(writer) == before


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        ({"content": b"CLEAR ALL", "headers": {"content-type": "application/sparql-query"}}, 415),
        ({"content": b"CLEAR ALL", "headers": {"content-type": "text/plain"}}, 415),
        ({"content": b"update=CLEAR%20ALL"}, 415),
        (
            {
                "content": "CLEAR ALL".encode("utf-16"),
                "headers": {"content-type": f"{UPDATE}; charset=UTF-16"},
            },
            415,
        ),
        ({"content": b"CLEAR \xff", "headers": {"content-type": UPDATE}}, 400),
        ({"data": {"update": "CLEAR ALL", "query": "ASK {}"}}, 400),
        (
            {
                "content": b"update=CLEAR+ALL&update=CLEAR+ALL",
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            },
            400,
        ),
        ({"data": {"update": "  "}}, 400),
        (
            {
                "content": b"CLEAR ALL",
                "params": {"update": "CLEAR ALL"},
                "headers": {"content-type": UPDATE},
            },
            400,
        ),
    ],
    ids=[
        "query-type",
        "text",
        "no-type",
        "utf16",
        "not-utf8",
        "query-too",
        "two",
        "blank",
        "param-too",
    ],
)
def test_bad_update_requests(
    writer: TestClient, request_kwargs: dict[str, Any], status: int
) -> None:
    before = count_quads(writer)
    kwargs = _with_headers(request_kwargs, AUTH)
    assert_error(writer.post("/update", **kwargs), status)
    assert count_quads(writer) == before


def test_update_by_get_is_405(writer: TestClient) -> None:
    assert_error(writer.get("/update", params={"update": "CLEAR ALL"}, headers=AUTH), 405)


# -- body limits -----------------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path, make_client: MakeClient) -> TestClient:
    return make_client(
        store=build_store(tmp_path / "s"), read_only=False, token=TOKEN, max_body_bytes=64
    )


def _chunks(data: bytes) -> Iterator[bytes]:
    for i in range(0, len(data), 16):
        yield data[i : i + 16]


@pytest.mark.parametrize("path", ["/update", "/sparql"])
def test_a_body_over_the_limit_is_413(small: TestClient, path: str) -> None:
    update = f"INSERT DATA {{ <{SEEN}> <{SEEN}> '{'x' * 100}' }}"
    assert_error(post_update(small, update, path=path), 413, "64 bytes")
    query = "ASK { " + "?s ?p ?o . " * 10 + "}"
    response = small.post(
        "/sparql", content=query, headers={"content-type": "application/sparql-query"}
    )
    assert_error(response, 413)
    assert seen(small) == set()


def test_a_streamed_body_is_cut_at_the_limit(small: TestClient) -> None:
    update = f"INSERT DATA {{ <{SEEN}> <{SEEN}> '{'x' * 100}' }}".encode()
    response = small.post(
        "/update", content=_chunks(update), headers={**AUTH, "content-type": UPDATE}
    )
    assert "content-length" not in response.request.headers
    assert_error(response, 413)
    assert post_update(small, "CLEAR ALL").status_code == 204  # a small one passes
