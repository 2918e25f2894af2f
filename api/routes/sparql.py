"""`/sparql`: the SPARQL 1.1 Protocol query operation over the union of all document graphs.

Queries come by GET (`?query=`), by POST as a form (`query=`) or by POST as an
`application/sparql-query` body, with optional `default-graph-uri` / `named-graph-uri`. They run in
a worker thread (pyoxigraph releases the GIL) under the app's time limit, and their results are
serialised by pyoxigraph in the format the Accept header picks among `SOLUTION_FORMATS` or
`GRAPH_FORMATS`: add a format there and content negotiation offers it.

The endpoint answers queries only. A SPARQL Update sent as a query is a syntax error for the query
parser (400) and is never executed; an update sent as an update is refused (403) until writes exist.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qsl

import anyio
import anyio.to_thread
import mimeparse
from anyio import CapacityLimiter
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse_query_results,
    serialize,
)

from api.deps import QueryLimiterDep, SettingsDep, StoreDep
from api.models import errors
from api.settings import Settings
from kg.namespaces import PREFIXES
from kg.store import GraphStore, QueryResult

router = APIRouter(tags=["SPARQL"], responses=errors(422))
log = logging.getLogger(__name__)

SPARQL_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"

#: Media types offered for SELECT and ASK results, least preferred first (ties go to the last).
SOLUTION_FORMATS: Mapping[str, QueryResultsFormat] = MappingProxyType(
    {
        "application/json": QueryResultsFormat.JSON,
        SPARQL_JSON: QueryResultsFormat.JSON,
    }
)
#: Media types offered for CONSTRUCT and DESCRIBE results, least preferred first.
GRAPH_FORMATS: Mapping[str, RdfFormat] = MappingProxyType(
    {
        TURTLE: RdfFormat.TURTLE,
    }
)

F = TypeVar("F", QueryResultsFormat, RdfFormat)

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_UPDATE_PARAMS = frozenset({"update", "using-graph-uri", "using-named-graph-uri"})


@dataclass(frozen=True)
class SparqlQuery:
    """One query operation as the protocol describes it."""

    text: str
    default_graphs: tuple[NamedNode, ...] = ()
    named_graphs: tuple[NamedNode, ...] = ()
    base_iri: str | None = None


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


# -- routes ----------------------------------------------------------------------------------

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT and ASK results as SPARQL JSON; CONSTRUCT and DESCRIBE as Turtle",
        "content": {
            SPARQL_JSON: {"schema": {"type": "object"}},
            TURTLE: {"schema": {"type": "string"}},
        },
    },
    **errors(400, 406, 503),
}
_GRAPH_PARAMS = {
    "default_graph_uri": "graphs whose merge is the default graph (instead of the union of all)",
    "named_graph_uri": "the named graphs GRAPH may see (instead of all)",
}
_QUERY_DOC = "a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE); no PREFIX is predefined"


@router.get(
    "/sparql",
    response_class=Response,
    responses=_RESPONSES,
    summary="Run a SPARQL query (GET)",
)
async def sparql_get(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    limiter: QueryLimiterDep,
    query: Annotated[str | None, Query(description=_QUERY_DOC)] = None,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(alias="default-graph-uri", description=_GRAPH_PARAMS["default_graph_uri"]),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None,
        Query(alias="named-graph-uri", description=_GRAPH_PARAMS["named_graph_uri"]),
    ] = None,
) -> Response:
    # the parameters above document the operation; the raw query string is read again below
    # because it keeps repeated `query` parameters, which the protocol forbids
    params = request.query_params.multi_items()
    if any(name in _UPDATE_PARAMS for name, _ in params):
        raise HTTPException(400, detail="SPARQL Update cannot be sent by GET")
    return await _answer(request, _protocol_query(params, _base(request)), store, settings, limiter)


@router.post(
    "/sparql",
    response_class=Response,
    responses={**_RESPONSES, **errors(403, 415)},
    summary="Run a SPARQL query (POST)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                _QUERY: {"schema": {"type": "string", "description": _QUERY_DOC}},
                _FORM: {
                    "schema": {
                        "type": "object",
                        "required": ["query"],
                        "properties": {
                            "query": {"type": "string", "description": _QUERY_DOC},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
            },
        }
    },
)
async def sparql_post(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    limiter: QueryLimiterDep,
    default_graph_uri: Annotated[
        list[str] | None,
        Query(alias="default-graph-uri", description=_GRAPH_PARAMS["default_graph_uri"]),
    ] = None,
    named_graph_uri: Annotated[
        list[str] | None,
        Query(alias="named-graph-uri", description=_GRAPH_PARAMS["named_graph_uri"]),
    ] = None,
) -> Response:
    media = _content_type(request.headers.get("content-type"))
    body = await request.body()
    params = request.query_params.multi_items()
    if media == _FORM:
        try:
            form = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise HTTPException(400, detail="the form is not UTF-8 URL-encoded text") from None
        params = params + form
        if any(name in _UPDATE_PARAMS for name, _ in params):
            raise _updates_refused()
        query = _protocol_query(params, _base(request))
    elif media == _QUERY:
        if any(name in _UPDATE_PARAMS for name, _ in params):
            raise _updates_refused()
        if any(name == "query" for name, _ in params):
            raise HTTPException(400, detail="the query is in the body: no query parameter")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(400, detail="the query is not valid UTF-8") from None
        query = _protocol_query([*params, ("query", text)], _base(request))
    else:  # _UPDATE
        raise _updates_refused()
    return await _answer(request, query, store, settings, limiter)


# the protocol's paths end in a slash: answer there too rather than redirect
router.add_api_route(
    "/sparql/", sparql_get, methods=["GET"], response_class=Response, include_in_schema=False
)
router.add_api_route(
    "/sparql/", sparql_post, methods=["POST"], response_class=Response, include_in_schema=False
)


# -- the protocol ----------------------------------------------------------------------------


def _content_type(header: str | None) -> str:
    """The POST body's media type, one of the three the protocol knows (415 otherwise)."""
    accepted = f"use {_QUERY} or {_FORM}"
    if not header:
        raise HTTPException(415, detail=f"the request has no Content-Type: {accepted}")
    try:
        main, sub, params = mimeparse.parse_mime_type(header)
    except ValueError:
        raise HTTPException(
            415, detail=f"cannot read Content-Type {header!r}: {accepted}"
        ) from None
    media = f"{main}/{sub}".lower()
    if media not in {_FORM, _QUERY, _UPDATE}:
        raise HTTPException(415, detail=f"unsupported Content-Type {media}: {accepted}")
    charset = {k.lower(): v for k, v in params.items()}.get("charset", "utf-8")
    if charset.strip('"').lower() not in {"utf-8", "utf8"}:
        raise HTTPException(415, detail=f"unsupported charset {charset}: send UTF-8")
    return media


def _updates_refused() -> HTTPException:
    return HTTPException(403, detail="SPARQL Update is not enabled on this server")


def _base(request: Request) -> str:
    """The endpoint's own URL: the base IRI relative IRIs in a query resolve against."""
    return str(request.url.replace(query="", fragment=""))


def _protocol_query(params: Iterable[tuple[str, str]], base: str) -> SparqlQuery:
    """Read a query operation out of its (URL and form) parameters."""
    params = list(params)
    texts = [value for name, value in params if name == "query"]
    if len(texts) > 1:
        raise HTTPException(400, detail="more than one query was sent")
    if not texts or not texts[0].strip():
        raise HTTPException(
            400, detail=f"no query: send it as the query parameter, a form field or a {_QUERY} body"
        )

    def graphs(name: str) -> tuple[NamedNode, ...]:
        try:
            return tuple(NamedNode(value) for key, value in params if key == name)
        except ValueError as err:
            raise HTTPException(400, detail=f"invalid {name}: {err}") from None

    return SparqlQuery(texts[0], graphs("default-graph-uri"), graphs("named-graph-uri"), base)


def negotiate(accept: str | None, offered: Mapping[str, F]) -> str | None:
    """The offered media type the Accept header prefers: the last offered (the default) when the
    header is missing, unreadable or a wildcard, None when it accepts none of them."""
    default = list(offered)[-1]
    if not accept or not accept.strip():
        return default
    try:
        best: str = mimeparse.best_match(list(offered), accept)
    except ValueError:  # mimeparse.MimeTypeParseException
        return default
    return best or None


def _format(accept: str | None, offered: Mapping[str, F], form: str) -> tuple[str, F]:
    media = negotiate(accept, offered)
    if media is None:
        types = ", ".join(reversed(list(offered)))
        raise HTTPException(406, detail=f"{form} results can be sent as {types}, not {accept}")
    return media, offered[media]


# -- evaluation (in a worker thread) ---------------------------------------------------------


async def _answer(
    request: Request,
    query: SparqlQuery,
    store: GraphStore,
    settings: Settings,
    limiter: CapacityLimiter,
) -> Response:
    cancelled = threading.Event()
    work = partial(
        run_query, store, query, request.headers.get("accept"), settings.max_results, cancelled
    )
    try:
        with anyio.fail_after(settings.query_timeout):
            outcome = await anyio.to_thread.run_sync(work, abandon_on_cancel=True, limiter=limiter)
    except TimeoutError:
        cancelled.set()  # stops the abandoned thread at its next result, if it gets one
        raise HTTPException(
            503, detail=f"the query did not finish within {settings.query_timeout:g} s"
        ) from None
    if isinstance(outcome, Failure):
        raise HTTPException(outcome.status, detail=outcome.detail)
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers["X-SPARQL-MaxRows"] = str(settings.max_results)
    return Response(outcome.body, media_type=outcome.media_type, headers=headers)


def run_query(
    store: GraphStore,
    query: SparqlQuery,
    accept: str | None,
    max_results: int,
    cancelled: threading.Event,
) -> Answer | Failure:
    """`evaluate` in a worker thread: never raises, so that no pyoxigraph result object leaves
    the thread inside a traceback (they are bound to the thread that made them)."""
    try:
        return evaluate(store, query, accept, max_results, cancelled)
    except HTTPException as err:
        return Failure(err.status_code, str(err.detail))
    except _Cancelled:
        return Failure(503, "the query was cancelled")
    except Exception:
        log.error("SPARQL query failed:\n%s", traceback.format_exc())  # text: no frames kept
        return Failure(500, "the query failed")


def evaluate(
    store: GraphStore,
    query: SparqlQuery,
    accept: str | None,
    max_results: int,
    cancelled: threading.Event | None = None,
) -> Answer:
    """Run a query and serialise its results (at most `max_results` of them) as `accept` asks.

    Raises HTTPException: 400 for a malformed or refused query, 406 when no offered format fits.
    """
    cancelled = cancelled or threading.Event()
    result = _execute(store, query)
    try:
        if isinstance(result, QueryBoolean):
            media, fmt = _format(accept, SOLUTION_FORMATS, "ASK")
            return Answer(_bytes(result.serialize(format=fmt)), media)
        if isinstance(result, QuerySolutions):
            media, fmt = _format(accept, SOLUTION_FORMATS, "SELECT")
            head, truncated = _first_solutions(result, max_results, cancelled)
            return Answer(_bytes(head.serialize(format=fmt)), media, truncated)
        media, rdf_format = _format(accept, GRAPH_FORMATS, "CONSTRUCT and DESCRIBE")
        triples = list(_first_triples(result, max_results + 1, cancelled))
        body = serialize(triples[:max_results], format=rdf_format, prefixes=_prefixes(rdf_format))
        return Answer(_bytes(body), media, len(triples) > max_results)
    except (RuntimeError, ValueError) as err:  # evaluation errors (unsupported function, ...)
        raise HTTPException(400, detail=f"the query failed: {err}") from None
    except OSError as err:
        raise HTTPException(500, detail=f"the query failed: {err}") from None


def _execute(store: GraphStore, query: SparqlQuery) -> QueryResult:
    """Parse and start the query on the right dataset: the protocol's graphs when it names some,
    the query's FROM graphs when it has them, else the union of all graphs."""
    words = _keywords(query.text)
    if "SERVICE" in words:
        # federated queries would make the server fetch any URL a client names
        raise HTTPException(400, detail="SERVICE (federated query) is not allowed here")
    try:
        if query.default_graphs or query.named_graphs:
            return store.raw.query(
                query.text,
                base_iri=query.base_iri,
                default_graph=list(query.default_graphs),
                named_graphs=list(query.named_graphs),
            )
        # pyoxigraph's union default graph would replace a FROM / FROM NAMED dataset
        return store.raw.query(
            query.text, base_iri=query.base_iri, use_default_graph_as_union="FROM" not in words
        )
    except SyntaxError as err:
        raise HTTPException(400, detail=str(err)) from None


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


def _prefixes(fmt: RdfFormat) -> dict[str, str] | None:
    return PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None


# -- a lexical look at the query -------------------------------------------------------------

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'  # strings
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIs
    r"|#[^\n\r]*"  # comments
    r"|[?$]\w+"  # variables
    r"|[\w.\-]*:[\w.:%\\\-]*"  # prefixed names, blank nodes
    r"|(?P<word>[A-Za-z]+)",  # keywords
    re.DOTALL,
)


def _keywords(text: str) -> set[str]:
    """The bare words of a query, upper-cased: its keywords, outside strings, IRIs and comments.

    Code point escapes are undone first, as the SPARQL parser does before it reads a query.
    """
    text = _ESCAPE.sub(_unescape, text)
    return {m["word"].upper() for m in _TOKENS.finditer(text) if m["word"]}


def _unescape(match: re.Match[str]) -> str:
    code = int(match[1] or match[2], 16)
    return chr(code) if code <= 0x10FFFF else match[0]
