"""Errors the HTTP server or the middleware answer before the app sees a request are JSON too,
and unreadable or refusing Accept headers get the same treatment on /sparql and on REST."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.api.conftest import MakeClient
from tests.api.live import live_server

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/diplokg/ontology#State> }"


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    from tests.api.graphs import build_store

    store = build_store(tmp_path_factory.mktemp("http") / "store")
    with live_server(create_app(Settings(store=store, read_only=True))) as url:
        yield int(url.rsplit(":", 1)[1])


def raw(port: int, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are and read the whole answer (the server closes the connection)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(data)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


def test_a_request_line_past_the_server_buffer_is_431_json(port: int) -> None:
    # 20 KB of URL, more than the 16 KiB a head may take while incomplete; the client then stops
    # sending
    status, headers, body = raw(port, b"GET /actors?q=" + b"a" * 20_000)
    assert status == 431
    assert headers["content-type"] == "application/json"
    assert b'"detail"' in body and b"16 KiB" in body


def test_the_head_limit_counts_one_request_at_a_time(port: int) -> None:
    # two heads of 10 KB each on one connection: 20 KB in all, but neither past 16 KiB
    pad = b"X-Pad: " + b"p" * 10_000 + b"\r\n"
    first = b"GET /actors?limit=1 HTTP/1.1\r\nHost: here\r\n" + pad + b"\r\n"
    second = b"GET /actors?limit=1 HTTP/1.1\r\nHost: here\r\n" + pad + b"Connection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(first)
        answer = conn.recv(65536)
        conn.sendall(second)
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.count(b"HTTP/1.1 200 OK\r\n") == 2, answer[:300]


def test_a_request_that_is_not_http_is_400_json(port: int) -> None:
    status, headers, body = raw(port, b"NOT HTTP AT ALL\r\n\r\n")
    assert status == 400
    assert headers["content-type"] == "application/json"
    assert b"not valid HTTP" in body


def test_a_refused_cors_preflight_is_json(make_client: MakeClient) -> None:
    client = make_client(cors_origins=("https://allowed.example",))
    preflight = {"Access-Control-Request-Method": "GET"}
    refused = client.options(
        "/sparql", headers={**preflight, "Origin": "https://elsewhere.example"}
    )
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/json"
    assert "origin" in refused.json()["detail"]
    allowed = client.options("/sparql", headers={**preflight, "Origin": "https://allowed.example"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"


@pytest.mark.parametrize("accept", ["garbage;;;=", "*/*", "", "application/*"])
def test_an_unreadable_or_open_accept_gets_the_default_everywhere(
    client: TestClient, accept: str
) -> None:
    sparql = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert sparql.status_code == 200
    assert sparql.headers["content-type"].startswith("application/sparql-results+json")
    for path in ("/actors", "/events"):
        rest = client.get(path, headers={"Accept": accept})
        assert rest.status_code == 200, (path, rest.text)
        assert rest.headers["content-type"] == "application/json"


@pytest.mark.parametrize("accept", ["text/csv", "text/csv;q=-1", "text/html, application/json;q=0"])
def test_an_accept_that_refuses_json_is_406_on_rest(client: TestClient, accept: str) -> None:
    # mimeparse (used on both sides) reads an out-of-range q as 1: text/csv;q=-1 asks for CSV
    for path in ("/actors", "/events", "/actors/PRK/relations", "/analysis/centrality"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 406, (path, response.text)
        assert "application/json" in response.json()["detail"]
    if "html" not in accept:  # /sparql has CSV to offer
        sparql = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
        assert sparql.status_code == 200 and sparql.headers["content-type"].startswith("text/csv")


def test_the_store_path_is_not_in_an_error(store_path: Path, client: TestClient) -> None:
    response = client.get("/actors/PRK/relations", params={"type": "Party"})
    assert response.status_code == 400 and str(store_path) not in response.text
