"""SELECT answers written straight in the asked format: counted right, cut right, whole when large."""

from __future__ import annotations

import asyncio
import csv
import io
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
)

from api import executor
from api.http import Coalescing
from api.sparql import results
from api.sparql.protocol import SparqlQuery
from api.sparql.results import Answer, count_solutions, evaluate
from kg.store import GraphStore

MakeClient = Callable[..., TestClient]

#: literals that look like the structure of the formats counted
AWKWARD = [
    'a,{"x":[{<result>}]',
    "\\",
    '\\\\"',
    '"',
    ",{",
    "[{",
    '},{"s":{',
    "{}",
    "line one\nline two\ttabbed",
    "ok",
]
FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/tab-separated-values": QueryResultsFormat.TSV,
    "text/csv": QueryResultsFormat.CSV,
}


def sparql_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t") + '"'


#: 13 solutions in a known order: awkward literals, unbound values, empty solutions
ROWS = [(sparql_string(text), str(n)) for n, text in enumerate(AWKWARD)] + [
    ("UNDEF", "UNDEF"),
    ("UNDEF", "7"),
    ("UNDEF", "UNDEF"),
]
_VALUES = " ".join(f"({a} {b})" for a, b in ROWS)
VALUES_QUERY = f"SELECT ?label ?n WHERE {{ VALUES (?label ?n) {{ {_VALUES} }} }}"


def solutions(body: bytes, fmt: QueryResultsFormat) -> list[tuple[str | None, ...]]:
    """The values of each solution (None when unbound), read back by pyoxigraph (CSV, which it
    does not read, by the csv module: plain values, unbound ones empty)."""
    if fmt == QueryResultsFormat.CSV:
        rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
        return [tuple(value or None for value in row) for row in rows[1:]]
    parsed = parse_query_results(body, format=fmt)
    assert isinstance(parsed, QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [tuple(None if s[n] is None else s[n].value for n in names) for s in parsed]


def awkward_store() -> Store:
    store = Store()
    for n, text in enumerate(AWKWARD):
        subject = NamedNode(f"http://example.org/thing/{n}")
        store.add(Quad(subject, NamedNode("http://example.org/p"), Literal(text)))
        store.add(Quad(subject, NamedNode("http://example.org/q"), Literal(text, language="en")))
    store.add(Quad(BlankNode(), NamedNode("http://example.org/p"), Literal("1")))
    return store


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?o WHERE { ?s ?p ?o }",
        "SELECT ?o ?s ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?none } }",
        "SELECT * WHERE {}",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(false) }",
        VALUES_QUERY,
    ],
)
def test_solutions_counted_in_the_bytes_are_those_pyoxigraph_reads(query: str) -> None:
    store = awkward_store()
    for fmt in (QueryResultsFormat.JSON, QueryResultsFormat.XML, QueryResultsFormat.TSV):
        body = store.query(query).serialize(format=fmt)
        assert body is not None
        assert count_solutions(body, fmt) == len(solutions(body, fmt)), (fmt, body)


def expected(limit: int) -> list[tuple[str | None, ...]]:
    store = Store()
    whole = store.query(VALUES_QUERY).serialize(format=QueryResultsFormat.TSV)
    assert whole is not None
    return solutions(whole, QueryResultsFormat.TSV)[:limit]


@pytest.mark.parametrize("media", list(FORMATS))
def test_answers_are_whole_up_to_max_results_and_cut_past_it(
    make_client: MakeClient, media: str
) -> None:
    fmt = FORMATS[media]
    exact, small = make_client(max_results=len(ROWS)), make_client(max_results=11)
    response = exact.get("/sparql", params={"query": VALUES_QUERY}, headers={"accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert "x-sparql-maxrows" not in response.headers
    assert solutions(response.content, fmt) == expected(len(ROWS))
    response = small.get("/sparql", params={"query": VALUES_QUERY}, headers={"accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["x-sparql-maxrows"] == "11"
    assert solutions(response.content, fmt) == expected(11)


def test_an_answer_over_its_byte_budget_is_still_cut_at_max_results(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "BYTES_PER_ROW", 8)  # every answer is over: evaluated again
    store = GraphStore(store_path, read_only=True)
    try:
        for media, fmt in FORMATS.items():
            whole = evaluate(store, SparqlQuery(VALUES_QUERY), media, len(ROWS))
            cut = evaluate(store, SparqlQuery(VALUES_QUERY), media, 4)
            assert (whole.truncated, cut.truncated) == (False, True)
            assert solutions(whole.body, fmt) == expected(len(ROWS))
            assert solutions(cut.body, fmt) == expected(4)
    finally:
        store.close()


def test_a_large_answer_arrives_whole(make_client: MakeClient) -> None:
    text = "".join(f"word{n} " for n in range(20_000))  # far more than one message holds
    query = (
        f"SELECT ?text ?n WHERE {{ VALUES ?n {{ 1 2 3 }} BIND({sparql_string(text)} AS ?text) }}"
    )
    response = make_client().post(
        "/sparql",
        content=query.encode(),
        headers={"content-type": "application/sparql-query", "accept": "text/tab-separated-values"},
    )
    assert response.status_code == 200, response.text
    assert len(response.content) > executor.SMALL_ANSWER
    assert solutions(response.content, QueryResultsFormat.TSV) == [
        (text, str(n)) for n in (1, 2, 3)
    ]


def test_an_answer_is_plain_bytes_between_processes() -> None:
    # what a worker sends: small answers whole, large ones as a head and then raw bytes
    parent, child = socket.socketpair()
    from multiprocessing.connection import Connection

    ours, theirs = Connection(parent.detach()), Connection(child.detach())
    try:
        small, large = (
            Answer(b"x" * 10, "text/csv"),
            Answer(b"y" * (executor.SMALL_ANSWER + 1), "a/b"),
        )
        executor._send(theirs, small)
        assert ours.recv() == small
        executor._send(theirs, large)
        head = ours.recv()
        assert isinstance(head, executor._Large) and head.media_type == "a/b"
        assert ours.recv_bytes() == large.body
    finally:
        ours.close()
        theirs.close()


def test_writes_in_one_turn_of_the_loop_leave_as_one() -> None:
    async def exchange() -> tuple[bytes, bytes]:
        ours, theirs = socket.socketpair()
        transport, _ = await asyncio.get_running_loop().create_connection(
            asyncio.Protocol, sock=theirs
        )
        held = Coalescing(transport)  # type: ignore[arg-type]
        held.write(b"HTTP/1.1 200 OK\r\n\r\n")
        held.write(b"body")
        with pytest.raises(BlockingIOError):  # nothing sent within the turn
            ours.recv(1000, socket.MSG_DONTWAIT)
        await asyncio.sleep(0.01)
        first = ours.recv(1000)  # then one send of both
        held.write(b"last words")
        held.close()  # what is held is sent before the transport closes
        await asyncio.sleep(0.01)
        rest = ours.recv(1000)
        ours.close()
        return first, rest

    assert asyncio.run(exchange()) == (b"HTTP/1.1 200 OK\r\n\r\nbody", b"last words")


#: one triple per awkward literal, and one made by every solution (sent once)
CONSTRUCT_QUERY = (
    "CONSTRUCT { ?thing <http://example.org/label> ?label . "
    "<http://example.org/all> <http://example.org/size> 10 } "
    f"WHERE {{ VALUES (?label ?n) {{ {' '.join(f'({a} {b})' for a, b in ROWS[:10])} }} "
    'BIND(IRI(CONCAT("http://example.org/thing/", STR(?n))) AS ?thing) }'
)


@pytest.mark.parametrize(
    ("media", "fmt"),
    [("application/n-triples", RdfFormat.N_TRIPLES), ("application/n-quads", RdfFormat.N_QUADS)],
)
def test_graphs_in_line_formats_are_whole_up_to_max_results_and_cut_past_it(
    make_client: MakeClient, media: str, fmt: RdfFormat
) -> None:
    everything = set(Store().query(CONSTRUCT_QUERY))  # type: ignore[arg-type]
    assert len(everything) == 11
    exact, small = make_client(max_results=11), make_client(max_results=4)
    response = exact.get("/sparql", params={"query": CONSTRUCT_QUERY}, headers={"accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert "x-sparql-maxrows" not in response.headers
    sent = [quad.triple for quad in parse(response.content, format=fmt)]
    assert len(sent) == 11 and set(sent) == everything  # each triple once
    response = small.get("/sparql", params={"query": CONSTRUCT_QUERY}, headers={"accept": media})
    assert response.headers["x-sparql-maxrows"] == "4"
    cut = [quad.triple for quad in parse(response.content, format=fmt)]
    assert len(set(cut)) == 4 and set(cut) <= everything
