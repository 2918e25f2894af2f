"""Reading SPARQL 1.1 Protocol requests: media types, bounded bodies, forms and operations.

A query operation is `query` with optional `default-graph-uri` / `named-graph-uri`; an update
operation is `update` with optional `using-graph-uri` / `using-named-graph-uri`. They come as URL
parameters (GET, and beside POST bodies), as an URL-encoded form, or as the whole body
(`application/sparql-query`, `application/sparql-update`). Every refusal is an HTTPException whose
detail says what is wrong.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

import mimeparse
from fastapi import HTTPException, Request
from pyoxigraph import NamedNode

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

QUERY_PARAMS = frozenset({"query", "default-graph-uri", "named-graph-uri"})
UPDATE_PARAMS = frozenset({"update", "using-graph-uri", "using-named-graph-uri"})

Params = list[tuple[str, str]]


@dataclass(frozen=True)
class SparqlQuery:
    """One query operation as the protocol describes it."""

    text: str
    default_graphs: tuple[NamedNode, ...] = ()
    named_graphs: tuple[NamedNode, ...] = ()
    base_iri: str | None = None


@dataclass(frozen=True)
class SparqlUpdate:
    """One update operation as the protocol describes it."""

    text: str
    using_graphs: tuple[NamedNode, ...] = ()
    using_named_graphs: tuple[NamedNode, ...] = ()
    base_iri: str | None = None


# -- the request ---------------------------------------------------------------------------------


def media_type(header: str | None, accepted: Collection[str]) -> str:
    """The request body's media type (lower case) when it is one of `accepted`, else 415.

    A `charset` other than UTF-8 is 415 too: the protocol's bodies are UTF-8.
    """
    main, sub, params = parse_content_type(header, accepted)
    media = f"{main}/{sub}"
    if media not in accepted:
        raise HTTPException(
            415, detail=f"unsupported Content-Type {media}: use {_one_of(accepted)}"
        )
    check_charset(params)
    return media


def check_charset(params: dict[str, str]) -> None:
    """415 unless the Content-Type parameters say UTF-8 (or say nothing)."""
    charset = params.get("charset", "utf-8").strip().strip('"')
    if charset.lower() not in {"utf-8", "utf8"}:
        raise HTTPException(415, detail=f"unsupported charset {charset}: send UTF-8")


def parse_content_type(
    header: str | None, accepted: Collection[str]
) -> tuple[str, str, dict[str, str]]:
    """(type, subtype, parameters) of a Content-Type header, lower-cased; 415 when it is missing
    or unreadable."""
    if not header or not header.strip():
        raise HTTPException(415, detail=f"the request has no Content-Type: use {_one_of(accepted)}")
    try:
        main, sub, params = mimeparse.parse_mime_type(header)
    except ValueError:
        raise HTTPException(
            415, detail=f"cannot read Content-Type {header!r}: use {_one_of(accepted)}"
        ) from None
    if not main or not sub:
        raise HTTPException(
            415, detail=f"cannot read Content-Type {header!r}: use {_one_of(accepted)}"
        )
    return main.lower(), sub.lower(), {k.lower(): v for k, v in params.items()}


def _one_of(accepted: Collection[str]) -> str:
    types = sorted(accepted)
    return types[0] if len(types) == 1 else ", ".join(types[:-1]) + " or " + types[-1]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is known to be longer than `limit` bytes: from its
    Content-Length before anything is read, else while it streams in."""
    length = request.headers.get("content-length")
    if length is not None:
        try:
            declared = int(length)
        except ValueError:
            raise HTTPException(400, detail=f"invalid Content-Length {length!r}") from None
        if declared > limit:
            raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    return bytes(body)


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, detail=f"the request body is larger than {limit} bytes")


def read_form(body: bytes) -> Params:
    """The fields of an URL-encoded form (400 when it is not UTF-8)."""
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise HTTPException(400, detail="the form is not UTF-8 URL-encoded text") from None


def decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, detail=f"the {what} is not valid UTF-8") from None


def base_iri(request: Request) -> str:
    """The endpoint's own URL: the base IRI relative IRIs in a request resolve against."""
    return str(request.url.replace(query="", fragment=""))


def names(params: Iterable[tuple[str, str]]) -> set[str]:
    return {name for name, _ in params}


# -- operations ----------------------------------------------------------------------------------


def query_operation(params: Iterable[tuple[str, str]], base: str) -> SparqlQuery:
    """Read a query operation out of its (URL and form) parameters."""
    params = list(params)
    if names(params) & UPDATE_PARAMS:
        raise HTTPException(400, detail="update parameters cannot be sent with a query")
    text = _one(params, "query", f"send it as the query parameter, a form field or a {QUERY} body")
    return SparqlQuery(
        text, iris(params, "default-graph-uri"), iris(params, "named-graph-uri"), base
    )


def update_operation(params: Iterable[tuple[str, str]], base: str) -> SparqlUpdate:
    """Read an update operation out of its (URL and form) parameters."""
    params = list(params)
    if names(params) & QUERY_PARAMS:
        raise HTTPException(400, detail="query parameters cannot be sent with an update")
    text = _one(params, "update", f"send it as the update form field or a {UPDATE} body")
    return SparqlUpdate(
        text, iris(params, "using-graph-uri"), iris(params, "using-named-graph-uri"), base
    )


def _one(params: Params, name: str, how: str) -> str:
    texts = [value for key, value in params if key == name]
    if len(texts) > 1:
        raise HTTPException(400, detail=f"more than one {name} was sent")
    if not texts or not texts[0].strip():
        raise HTTPException(400, detail=f"no {name}: {how}")
    return texts[0]


def iris(params: Iterable[tuple[str, str]], name: str) -> tuple[NamedNode, ...]:
    """The IRIs a repeatable parameter names (400 for one that is not an absolute IRI)."""
    try:
        return tuple(NamedNode(value) for key, value in params if key == name)
    except ValueError as err:
        raise HTTPException(400, detail=f"invalid {name}: {err}") from None
