"""Evaluating a query operation and serialising its results, in a worker thread.

Results are serialised by pyoxigraph in the format the Accept header picks among
`SOLUTION_FORMATS` (SELECT, ASK) or `GRAPH_FORMATS` (CONSTRUCT, DESCRIBE), at most `max_results`
of them: a longer answer is cut and flagged.

SELECT results asked for as JSON, XML or TSV are written once, straight in that format, into a
buffer of at most `max_results * BYTES_PER_ROW` bytes, and their solutions counted in the bytes
(`count_solutions`). Only an answer over either limit is evaluated again and cut at exactly
`max_results` solutions (`_first_solutions`), which is also the path of CSV answers. CONSTRUCT and
DESCRIBE results asked for as N-Triples or N-Quads are written once the same way (a triple a
line); the other graph formats are written from the first `max_results` triples.
"""

from __future__ import annotations

import io
import logging
import threading
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    parse_query_results,
    serialize,
)

from api.sparql.lexer import keywords, structure_problem
from api.sparql.negotiation import GRAPH_FORMATS, SOLUTION_FORMATS, choose
from api.sparql.protocol import SparqlQuery
from kg.endpoint import Endpoint, EndpointError, RemoteResult
from kg.namespaces import PREFIXES
from kg.store import GraphStore, QueryResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """Serialised results, ready to send."""

    body: bytes
    media_type: str
    truncated: bool = False


@dataclass(frozen=True)
class Failure:
    """Why a query got no answer, as an error response says it."""

    status: int
    detail: str


class _Full(Exception):
    """More results than an answer may hold."""


class _Cancelled(Exception):
    """The query ran out of time; its answer is no longer awaited."""


def run_query(
    store: GraphStore | Endpoint,
    query: SparqlQuery,
    accept: str | None,
    max_results: int,
    cancelled: threading.Event,
    allow_service: bool = False,
) -> Answer | Failure:
    """`evaluate` in a worker thread: never raises, so that no pyoxigraph result object leaves
    the thread inside a traceback (they are bound to the thread that made them)."""
    try:
        return evaluate(store, query, accept, max_results, cancelled, allow_service=allow_service)
    except HTTPException as err:
        return Failure(err.status_code, str(err.detail))
    except _Cancelled:
        return Failure(503, "the query was cancelled")
    except Exception:
        log.error("SPARQL query failed:\n%s", traceback.format_exc())  # text: no frames kept
        return Failure(500, "the query failed")


def evaluate(
    store: GraphStore | Endpoint,
    query: SparqlQuery,
    accept: str | None,
    max_results: int,
    cancelled: threading.Event | None = None,
    *,
    allow_service: bool = False,
) -> Answer:
    """Run a query and serialise its results (at most `max_results` of them) as `accept` asks.

    Raises HTTPException: 400 for a malformed or refused query, 406 when no offered format fits.
    """
    cancelled = cancelled or threading.Event()
    words = keywords(query.text)
    result = _execute(store, query, words, allow_service)
    try:
        if isinstance(result, QueryBoolean):
            media, fmt = choose(accept, SOLUTION_FORMATS, "ASK results")
            return Answer(_bytes(result.serialize(format=fmt)), media)
        if isinstance(result, QuerySolutions):
            media, fmt = choose(accept, SOLUTION_FORMATS, "SELECT results")
            if fmt in _COUNTED:
                body = _whole(result, fmt, max_results * BYTES_PER_ROW, cancelled)
                if body is not None and within(body, fmt, max_results):
                    return Answer(body, media)
                result = _execute(store, query, words, allow_service)  # to be cut, exactly
                assert isinstance(result, QuerySolutions)
            head, truncated = _first_solutions(result, max_results, cancelled)
            return Answer(_bytes(head.serialize(format=fmt)), media, truncated)
        media, rdf_format = choose(accept, GRAPH_FORMATS, "CONSTRUCT and DESCRIBE results")
        if isinstance(result, QueryTriples) and rdf_format in _LINE_FORMATS:
            # written once as asked (pyoxigraph's CONSTRUCT emits each triple once), a line each
            body = _whole(result, rdf_format, max_results * BYTES_PER_ROW, cancelled)
            if body is not None and body.count(b"\n") <= max_results:
                return Answer(body, media)
            result = _execute(store, query, words, allow_service)  # to be cut, exactly
            assert isinstance(result, QueryTriples)
        # a CONSTRUCT template may make the same triple from several solutions
        triples = list(dict.fromkeys(_first_triples(result, max_results + 1, cancelled)))
        body = serialize(triples[:max_results], format=rdf_format, prefixes=prefixes(rdf_format))
        return Answer(_bytes(body), media, len(triples) > max_results)
    except (RuntimeError, ValueError) as err:  # evaluation errors (unsupported function, ...)
        raise HTTPException(400, detail=f"the query failed: {err}") from None
    except OSError as err:
        if "SERVICE" in words:  # a remote endpoint failed
            raise HTTPException(502, detail=f"the SERVICE endpoint failed: {err}") from None
        raise HTTPException(500, detail=f"the query failed: {err}") from None


def _execute(
    store: GraphStore | Endpoint, query: SparqlQuery, words: set[str], allow_service: bool
) -> QueryResult | RemoteResult:
    """Parse and start the query on the right dataset: the protocol's graphs when it names some,
    the query's FROM graphs when it has them, else the merge of all graphs."""
    problem = structure_problem(query.text)
    if problem:  # pyoxigraph would overflow its stack on it, and crash the server
        raise HTTPException(400, detail=f"the query is too complex: {problem}")
    if "SERVICE" in words and not allow_service:
        # federated queries would make the server fetch any URL a client names
        raise HTTPException(400, detail="SERVICE (federated query) is not allowed here")
    if isinstance(store, Endpoint):
        return _remote(store, query)
    try:
        return store.run_query(
            query.text,
            base_iri=query.base_iri,
            default_graphs=query.default_graphs,
            named_graphs=query.named_graphs,
        )
    except SyntaxError as err:
        raise HTTPException(400, detail=str(err)) from None
    except (RuntimeError, ValueError) as err:  # an unsupported function, ...
        raise HTTPException(400, detail=f"the query failed: {err}") from None
    except OSError as err:
        if "SERVICE" in words:
            raise HTTPException(502, detail=f"the SERVICE endpoint failed: {err}") from None
        raise


def _remote(endpoint: Endpoint, query: SparqlQuery) -> RemoteResult:
    """The query answered by the backend endpoint (its dataset parameters passed on)."""
    # relative IRIs resolve against this endpoint's address, as they would here
    text = (
        query.text if query.base_iri is None else f"BASE {NamedNode(query.base_iri)}\n{query.text}"
    )
    try:
        return endpoint.query(
            text,
            default_graphs=[g.value for g in query.default_graphs],
            named_graphs=[g.value for g in query.named_graphs],
        )
    except SyntaxError as err:
        raise HTTPException(400, detail=str(err)) from None
    except EndpointError as err:
        raise HTTPException(502, detail=str(err)) from None


#: Bytes an answer may take per solution allowed (`max_results`) before it is cut by evaluating
#: the query again: bounds the memory a query over the limit takes, not the answers under it.
BYTES_PER_ROW = 4096


def count_solutions(body: bytes, fmt: QueryResultsFormat) -> int:
    """The solutions in a whole SELECT answer pyoxigraph wrote as JSON, XML or TSV."""
    if fmt == QueryResultsFormat.TSV:  # a header line, then a line per solution (\n escaped)
        return body.count(b"\n") - 1
    if fmt == QueryResultsFormat.XML:  # "<" in text is written &lt;
        return body.count(b"<result>")
    return _json_solutions(body)


#: `[{"` or `,{"` opening a solution's first key; the same bytes closing a string that ends in
#: `[{` or `,{` are followed by what may follow a string in compact JSON instead of a name
_STARTS = (b'[{"', b',{"')
_NOT_STARTS = tuple(start + after for start in _STARTS for after in (b":", b",", b"}", b"]"))


def _json_solutions(body: bytes) -> int:
    """The solutions in pyoxigraph's compact JSON results, counted with `bytes.count`: a
    solution is an object opening the `bindings` array or following a comma in it."""
    if b"{}" in body:  # an empty solution, or braces in a string: the long way
        unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
        # with escaped backslashes and quotes gone, each '"' opens or closes a string
        structure = b"".join(unescaped.split(b'"')[::2])
        return structure.count(b"[{") + structure.count(b",{")
    # every '"' after '{' is unescaped: it opens a key, or closes a string ending in '{'
    return sum(body.count(start) for start in _STARTS) - sum(
        body.count(other) for other in _NOT_STARTS
    )


def within(body: bytes, fmt: QueryResultsFormat, limit: int) -> bool:
    """Whether a whole SELECT answer holds at most `limit` solutions (JSON: counted only when
    its braces, one at least per solution, could be more)."""
    if fmt == QueryResultsFormat.JSON and body.count(b"{") <= limit:
        return True
    return count_solutions(body, fmt) <= limit


_COUNTED = frozenset((QueryResultsFormat.JSON, QueryResultsFormat.XML, QueryResultsFormat.TSV))
#: graph formats that write one triple a line (newlines in literals are escaped)
_LINE_FORMATS = frozenset((RdfFormat.N_TRIPLES, RdfFormat.N_QUADS))


def _whole(
    results: QuerySolutions | QueryTriples,
    fmt: QueryResultsFormat | RdfFormat,
    limit: int,
    cancelled: threading.Event,
) -> bytes | None:
    """Every solution (or triple), written by pyoxigraph in `fmt`; None past `limit` bytes."""
    sink = _ByteSink(limit, cancelled)
    try:
        results.serialize(sink, format=fmt)  # type: ignore[arg-type]
    except _Full:
        return None
    return sink.getvalue()


def _first_solutions(
    solutions: QuerySolutions, limit: int, cancelled: threading.Event
) -> tuple[QuerySolutions, bool]:
    """The first `limit` solutions, and whether there were more.

    Solutions are written as TSV (one solution a line, every term kept exactly) into a sink that
    stops the evaluation after `limit` of them, then read back, so that the answer is still
    serialised by pyoxigraph in whatever format was asked for.
    """
    sink = _LineSink(limit + 1, cancelled)  # the header line, then one line per solution
    truncated = False
    try:
        solutions.serialize(sink, format=QueryResultsFormat.TSV)
    except _Full:
        truncated = True
    head = parse_query_results(sink.head(), format=QueryResultsFormat.TSV)
    assert isinstance(head, QuerySolutions)
    return head, truncated


def _first_triples(
    triples: Iterable[Triple], limit: int, cancelled: threading.Event
) -> Iterator[Triple]:
    for n, triple in enumerate(triples):
        if n >= limit:
            return
        if cancelled.is_set():
            raise _Cancelled
        yield triple


class _ByteSink(io.BytesIO):
    """A binary sink that stops its writer past `limit` bytes."""

    def __init__(self, limit: int, cancelled: threading.Event) -> None:
        super().__init__()
        self._limit = limit
        self._cancelled = cancelled

    def write(self, data: Any, /) -> int:
        if self._cancelled.is_set():
            raise _Cancelled
        written = super().write(data)
        if self.tell() > self._limit:
            raise _Full
        return written


class _LineSink(io.BytesIO):
    """A binary sink keeping the first `lines` lines, that stops its writer past them."""

    def __init__(self, lines: int, cancelled: threading.Event) -> None:
        super().__init__()
        self._lines = lines
        self._cancelled = cancelled
        self._seen = 0

    def write(self, data: Any, /) -> int:
        if self._cancelled.is_set():
            raise _Cancelled
        chunk = bytes(data)
        super().write(chunk)
        self._seen += chunk.count(b"\n")
        if self._seen > self._lines:
            raise _Full
        return len(chunk)

    def head(self) -> bytes:
        """The first `lines` whole lines written."""
        data = self.getvalue()
        end = 0
        for _ in range(self._lines):
            found = data.find(b"\n", end)
            if found < 0:
                break
            end = found + 1
        return data[:end]


def _bytes(data: bytes | None) -> bytes:
    return data or b""


def prefixes(fmt: RdfFormat) -> dict[str, str] | None:
    """The project's prefixes, for the formats that abbreviate IRIs with them."""
    return PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
