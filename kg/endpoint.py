"""A remote SPARQL 1.1 endpoint read instead of the embedded store (`diplokg serve --backend URL`).

`Endpoint.select` has GraphStore's signature, so every read of kg.queries and kg.analysis runs on
either. Queries go out by the SPARQL 1.1 Protocol (POST `application/sparql-query`, httpx); the
values bound to variables are written into the query as terms serialised by pyoxigraph (its own
N-Triples escaping of IRIs and literals), never as raw text, and only in place of variables of the
query text, which is always the caller's own. Answers are read with a byte limit and parsed by
pyoxigraph.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)

from kg.namespaces import sparql_prefixes
from kg.store import StoreError, Term

#: A remote answer: solutions, a boolean, or the triples of a CONSTRUCT / DESCRIBE.
RemoteResult = QuerySolutions | QueryBoolean | list[Triple]

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"

#: What a query's answer may come back as: solutions and booleans, or triples.
_RESULT_FORMATS = {
    SPARQL_JSON: QueryResultsFormat.JSON,
    SPARQL_XML: QueryResultsFormat.XML,
    "application/json": QueryResultsFormat.JSON,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    N_TRIPLES: RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
}
_ACCEPT = f"{SPARQL_JSON}, {SPARQL_XML};q=0.9, {N_TRIPLES}, text/turtle;q=0.9"

#: Strings, IRIs and comments (left alone), and the variables that may be replaced by a term.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
    r"|(?P<variable>[?$](?P<name>\w+))"
    r"|(?P<select>\bSELECT\b)|(?P<body>\bWHERE\b|\{)",
    re.DOTALL | re.IGNORECASE,
)


class EndpointError(StoreError):
    """The endpoint could not be reached, refused the query or sent an unreadable answer."""


def bind(sparql: str, bindings: Mapping[str, Term] | None) -> str:
    """`sparql` with each bound variable replaced by its term, as pyoxigraph serialises it (the
    bound variables leave the projection of the first SELECT, where a term may not stand)."""
    if not bindings:
        return sparql
    terms = {name: str(term) for name, term in bindings.items()}
    out: list[str] = []
    position = 0
    in_projection = False
    for match in _TOKENS.finditer(sparql):
        if match["select"]:
            in_projection = True
        elif match["body"]:
            in_projection = False
        name = match["name"]
        if name is None or name not in terms:
            continue
        out.append(sparql[position : match.start()])
        out.append("" if in_projection else terms[name])
        position = match.end()
    out.append(sparql[position:])
    return "".join(out)


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 query endpoint, by URL; answers are cut at `max_bytes`, requests at `timeout`.

    Picklable (query workers receive it); the HTTP client is made on first use.
    """

    url: str
    timeout: float = 30.0
    max_bytes: int = 64 << 20
    _client: list[httpx.Client] = field(default_factory=list, compare=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {"url": self.url, "timeout": self.timeout, "max_bytes": self.max_bytes}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in {**state, "_client": []}.items():
            object.__setattr__(self, name, value)

    #: kg.analysis caches results per store version; a remote store's changes are not seen
    #: from here, so its version is the minute: a cached result is at most a minute old
    @property
    def version(self) -> tuple[str, int]:
        return ("endpoint-minute", int(time.time() // 60))

    # -- what kg.queries needs ---------------------------------------------------------------

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None
    ) -> list[dict[str, str]]:
        """A SELECT (the project's prefixes added) as {variable: value} rows, like GraphStore."""
        result = self.query(sparql_prefixes() + bind(sparql, bindings))
        if not isinstance(result, QuerySolutions):
            raise EndpointError(f"{self.url} did not answer a SELECT with solutions")
        names = [v.value for v in result.variables]
        fixed = {name: term.value for name, term in (bindings or {}).items()}
        return [
            {**fixed, **{n: row[n].value for n in names if row[n] is not None}} for row in result
        ]

    # -- any query ---------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
    ) -> RemoteResult:
        """Run a query there and parse its answer (solutions, a boolean or triples)."""
        params = [("default-graph-uri", g) for g in default_graphs]
        params += [("named-graph-uri", g) for g in named_graphs]
        media, body = self._post(sparql, params)
        if media in _RESULT_FORMATS:
            try:
                return parse_query_results(body, format=_RESULT_FORMATS[media])
            except SyntaxError as err:
                raise EndpointError(f"{self.url} sent unreadable results: {err}") from None
        if media in _GRAPH_FORMATS:
            try:
                return [q.triple for q in parse(body, format=_GRAPH_FORMATS[media])]
            except SyntaxError as err:
                raise EndpointError(f"{self.url} sent an unreadable graph: {err}") from None
        raise EndpointError(f"{self.url} answered {media or 'no content type'}, not SPARQL results")

    def _post(self, sparql: str, params: list[tuple[str, str]]) -> tuple[str, bytes]:
        headers = {"Content-Type": "application/sparql-query", "Accept": _ACCEPT}
        try:
            with self.client().stream(
                "POST",
                self.url,
                params=tuple(params),
                content=sparql.encode(),
                headers=headers,
            ) as response:
                if response.status_code == 400:
                    text = response.read().decode("utf-8", "replace")[:500]
                    raise SyntaxError(f"the endpoint refused the query: {text}")
                if response.status_code >= 400:
                    raise EndpointError(f"{self.url} answered {response.status_code}")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise EndpointError(
                            f"{self.url} sent more than {self.max_bytes} bytes for one answer"
                        )
                    chunks.append(chunk)
                media = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return media, b"".join(chunks)
        except httpx.HTTPError as err:
            raise EndpointError(f"cannot reach the SPARQL endpoint {self.url}: {err}") from None

    def client(self) -> httpx.Client:
        if not self._client:
            self._client.append(httpx.Client(timeout=self.timeout, follow_redirects=False))
        return self._client[0]

    def check(self) -> None:
        """EndpointError unless the endpoint answers a trivial query (before serving it)."""
        result = self.query("ASK {}")
        if not isinstance(result, QueryBoolean):
            raise EndpointError(f"{self.url} does not answer SPARQL queries")

    def close(self) -> None:
        while self._client:
            self._client.pop().close()
