"""The W3C SPARQL 1.1 Protocol test suite (34 tests), against a live server, counted strictly.

The manifest and data come from `../shared/benchmarks/w3c-sparql-protocol/` (`DIPLOKG_SHARED`
elsewhere); its README says how to count: every request carries the write token, no redirect is
followed, `mf:expectedFormat` and `mf:expectedBoolean` are checked, and a test that expects a 4xx
passes only on 400, 405 or 415. Before each test the store holds data1.nt-data3.nt, each in its
named graph `http://kasei.us/2009/09/sparql/data/dataN.rdf`.

Score another endpoint the same way (updates may go to an endpoint of their own):
    python -m tests.api.test_w3c_protocol http://127.0.0.1:7878/query TOKEN http://127.0.0.1:7878/update
(load the three graphs first: the query tests read them, the update tests rewrite them).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import httpx
import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, parse
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.query import Result

from api.main import create_app
from api.settings import Settings
from kg.store import GraphStore
from tests.api.live import live_server

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("DIPLOKG_SHARED", ROOT.parent / "shared"))
SUITE = SHARED / "benchmarks" / "w3c-sparql-protocol"
TOKEN = "w3c-protocol-token"
DATA = {f"data{n}.nt": f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)}
#: the refusals a strict run counts for a test expecting 4xx (not 401, 403, 404, 406, ...)
REFUSALS = frozenset({400, 405, 415})

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str  # begins /sparql/
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[int]  # the status classes allowed: {2, 3} or {4}
    expected_format: str | None  # "boolean", "tabular" or "RDF"
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    requests: tuple[ProtocolRequest, ...]


def load_manifest(folder: Path = SUITE) -> list[ProtocolTest]:
    """The manifest's tests, in its order."""
    graph = rdflib.Graph().parse(folder / "manifest.ttl", format="turtle")
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = tuple(
            _request(graph, node) for node in Collection(graph, graph.value(action, HT.requests))
        )
        name = str(entry).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(name, str(graph.value(entry, MF.name)), requests))
    return tests


def _request(graph: rdflib.Graph, node: rdflib.term.Node) -> ProtocolRequest:
    headers_list = graph.value(node, HT.headers)
    headers = tuple(
        (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
        for h in (Collection(graph, headers_list) if headers_list is not None else [])
    )
    body_node = graph.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = frozenset(
        int(str(code).removeprefix(str(HTS.StatusCode))[0])
        for code in graph.objects(response, MF.expectedStatus)
    )
    expected_format = graph.value(response, MF.expectedFormat)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    return ProtocolRequest(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        statuses=statuses,
        expected_format=str(expected_format) if expected_format is not None else None,
        expected_boolean=bool(expected_boolean.toPython())
        if expected_boolean is not None
        else None,
    )


def run_test(
    http: httpx.Client,
    endpoint: str,
    test: ProtocolTest,
    token: str,
    update_endpoint: str | None = None,
) -> list[str]:
    """Send a test's requests in order; what went wrong (nothing when the test passes).

    `/sparql/` in the manifest's paths becomes `endpoint`, or `update_endpoint` for update
    requests when the server takes them elsewhere.
    """
    for n, request in enumerate(test.requests, 1):
        target = update_endpoint if update_endpoint and _is_update(request) else endpoint
        url = target + request.path.removeprefix("/sparql/")
        headers = [*request.headers, ("authorization", f"Bearer {token}")]
        response = http.request(request.method, url, headers=headers, content=request.body)
        where = f"request {n} ({request.method} {request.path[:60]})"
        problem = _check(request, response)
        if problem:
            return [f"{where}: {problem}"]
    return []


def _is_update(request: ProtocolRequest) -> bool:
    """Whether a request is a POSTed update operation (for servers with two endpoints; a GET
    always goes to the query endpoint, which must refuse an update)."""
    types = [value for name, value in request.headers if name.lower() == "content-type"]
    return request.method == "POST" and (
        any(value.startswith("application/sparql-update") for value in types)
        or (request.body or b"").startswith(b"update=")
        or any(f"{name}=" in request.path for name in ("?update", "&update", "using-graph-uri"))
        or "using-named-graph-uri=" in request.path
    )


def _check(request: ProtocolRequest, response: httpx.Response) -> str | None:
    status = response.status_code
    said = f"{status} {response.headers.get('content-type', '')} {response.text[:200]!r}"
    if status // 100 not in request.statuses:
        return f"expected a {'/'.join(f'{c}xx' for c in sorted(request.statuses))}, got {said}"
    if 4 in request.statuses and status not in REFUSALS:
        return f"a refusal counts only as 400, 405 or 415, got {said}"
    if request.expected_format is None:
        return None
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if request.expected_format == "RDF":
            datasets = ("application/n-quads", "application/trig")
            graph = rdflib.Dataset() if media in datasets else rdflib.Graph()
            graph.parse(data=response.content, format=media)
            return None
        result = _results(response.content, media)
    except Exception as err:
        return f"the answer is not {request.expected_format} ({media}): {err}; got {said}"
    if request.expected_format == "tabular" and result.type != "SELECT":
        return f"expected tabular results, got {result.type}: {said}"
    if request.expected_format == "boolean":
        if result.type != "ASK":
            return f"expected a boolean, got {result.type}: {said}"
        if request.expected_boolean is not None and result.askAnswer != request.expected_boolean:
            return f"expected {request.expected_boolean}, got {said}"
    return None


def _results(body: bytes, media: str) -> Result:
    """SPARQL results, read by rdflib (booleans in CSV/TSV, which rdflib cannot read, by hand)."""
    if media in ("text/csv", "text/tab-separated-values") and body.strip() in (b"true", b"false"):
        answer = Result("ASK")
        answer.askAnswer = body.strip() == b"true"
        return answer
    formats = {
        "application/sparql-results+json": "json",
        "application/json": "json",
        "application/sparql-results+xml": "xml",
        "text/csv": "csv",
        "text/tab-separated-values": "tsv",
    }
    if media not in formats:
        raise ValueError(f"{media} is not a SPARQL results format")
    if formats[media] == "json":
        json.loads(body)  # a clear error for malformed JSON
    return Result.parse(BytesIO(body), format=formats[media])


# -- the run -------------------------------------------------------------------------------------

TESTS = load_manifest() if (SUITE / "manifest.ttl").is_file() else []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    assert SUITE.is_dir(), f"the W3C protocol suite is expected at {SUITE} (set DIPLOKG_SHARED)"
    app = create_app(Settings(store=tmp_path_factory.mktemp("w3c") / "store", token=TOKEN))
    with live_server(app) as base:
        yield base, app


@pytest.fixture
def endpoint(server: tuple[str, object]) -> str:
    """The endpoint, its store reset to the three data graphs."""
    base, app = server
    reset(app)
    return base + "/sparql/"


def reset(app: object) -> None:
    store: GraphStore = app.state.store  # type: ignore[attr-defined]
    store.clear()
    for name, graph in DATA.items():
        quads = parse(path=SUITE / name, format=RdfFormat.N_TRIPLES)
        store.put_graph(NamedNode(graph), (q.triple for q in quads))


def test_the_manifest_has_34_tests_14_of_them_refusals() -> None:
    assert len(TESTS) == 34
    assert sum(any(4 in r.statuses for r in t.requests) for t in TESTS) == 14


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(endpoint: str, test: ProtocolTest) -> None:
    with httpx.Client(follow_redirects=False, timeout=30) as http:
        assert run_test(http, endpoint, test, TOKEN) == [], test.title


def test_the_suite_passes_34_of_34_strictly(server: tuple[str, object]) -> None:
    base, app = server
    failures = {}
    with httpx.Client(follow_redirects=False, timeout=30) as http:
        for test in TESTS:
            reset(app)
            problems = run_test(http, base + "/sparql/", test, TOKEN)
            if problems:
                failures[test.name] = problems
    passed = len(TESTS) - len(failures)
    print(f"W3C SPARQL 1.1 Protocol, strict: {passed}/{len(TESTS)}")
    assert (passed, failures) == (34, {})


def main(argv: list[str]) -> int:
    """Score an endpoint: `python -m tests.api.test_w3c_protocol ENDPOINT [TOKEN [UPDATE_ENDPOINT]]`."""
    endpoint, token = argv[0], (argv[1] if len(argv) > 1 else "")
    update_endpoint = argv[2] if len(argv) > 2 else None
    passed = 0
    with httpx.Client(follow_redirects=False, timeout=30) as http:
        for test in TESTS:
            problems = run_test(http, endpoint, test, token, update_endpoint)
            passed += not problems
            print(f"{'PASS' if not problems else 'FAIL'} {test.name} {' '.join(problems)}")
    print(f"{passed}/{len(TESTS)} strict")
    return 0 if passed == len(TESTS) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
