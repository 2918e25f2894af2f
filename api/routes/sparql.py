"""`/sparql`: the SPARQL 1.1 Protocol endpoint over the union of all document graphs.

Queries come by GET (`?query=`), by POST as a form (`query=`) or by POST as an
`application/sparql-query` body, with optional `default-graph-uri` / `named-graph-uri`. They run in
a worker process (`api.executor`) under the app's time limit, and their results are
serialised by pyoxigraph in the format the Accept header picks (`api.sparql.negotiation`).

Updates come by POST as a form (`update=`) or an `application/sparql-update` body, with optional
`using-graph-uri` / `using-named-graph-uri`, and need the server's write token (`api.auth`); an
update sent as a query is a syntax error for the query parser (400) and is never executed.
`GET /sparql` without parameters answers the service description.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pyoxigraph import serialize

from api.auth import check_write_access
from api.deps import get_query_pool, get_settings, get_store
from api.executor import Busy, QueryPool, SparqlTask
from api.models import Error, errors
from api.rest import busy, client_gone, failure
from api.settings import Settings
from api.sparql.description import DESCRIPTION_PREFIXES, service_description
from api.sparql.negotiation import GRAPH_FORMATS, SOLUTION_FORMATS, choose
from api.sparql.protocol import (
    FORM,
    QUERY,
    QUERY_PARAMS,
    UPDATE,
    UPDATE_PARAMS,
    SparqlQuery,
    base_iri,
    decode,
    media_type,
    names,
    query_operation,
    read_body,
    read_form,
    update_operation,
)
from api.sparql.results import Failure, prefixes
from api.sparql.update import execute_update

router = APIRouter(tags=["SPARQL"], responses=errors(422))

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT and ASK results (SPARQL JSON, XML, CSV, TSV); CONSTRUCT and "
        "DESCRIBE results (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD), as the Accept "
        "header asks; without a query (GET), the service description",
        "content": {
            **{media: {"schema": {"type": "string"}} for media in reversed(list(SOLUTION_FORMATS))},
            **{media: {"schema": {"type": "string"}} for media in reversed(list(GRAPH_FORMATS))},
        },
    },
    **errors(400, 406, 503),
    502: {"model": Error, "description": "a SERVICE the query calls failed (--allow-service)"},
}
_POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **_RESPONSES,
    204: {"description": "the update was applied"},
    **errors(401, 403, 413, 415),
    502: {"model": Error, "description": "a URL the request fetches (LOAD, SERVICE) failed"},
}
_GRAPH_PARAMS = {
    "default_graph_uri": "graphs whose merge is the default graph (instead of the union of all)",
    "named_graph_uri": "the named graphs GRAPH may see (instead of all)",
}
_QUERY_DOC = "a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE); no PREFIX is predefined"
_UPDATE_DOC = "a SPARQL 1.1 update (needs the write token); no PREFIX is predefined"
_IRIS = {"type": "array", "items": {"type": "string", "format": "iri"}}


def _param(name: str, description: str, *, many: bool = False) -> dict[str, Any]:
    """An optional query parameter of the operation, as FastAPI would describe it declared."""
    kind: dict[str, Any] = (
        {"type": "array", "items": {"type": "string"}} if many else {"type": "string"}
    )
    title = "-".join(part.capitalize() for part in name.split("-"))
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"anyOf": [kind, {"type": "null"}], "description": description, "title": title},
        "description": description,
    }


@router.get(
    "/sparql",
    response_class=Response,
    responses=_RESPONSES,
    summary="Run a SPARQL query (GET), or describe the service",
    openapi_extra={
        "parameters": [
            _param("query", _QUERY_DOC + "; without it, the service description"),
            _param("default-graph-uri", _GRAPH_PARAMS["default_graph_uri"], many=True),
            _param("named-graph-uri", _GRAPH_PARAMS["named_graph_uri"], many=True),
        ]
    },
)
async def sparql_get(request: Request) -> Response:
    settings, pool = await get_settings(request), await get_query_pool(request)
    # the parameters are documented (openapi_extra), not declared: the raw query string is read
    # because it keeps repeated `query` parameters, which the protocol forbids, and FastAPI's
    # checks of declared parameters were half of the app's own time for a query
    params = request.query_params.multi_items()
    if not params:
        return describe(request, settings)
    if names(params) & UPDATE_PARAMS:
        raise HTTPException(400, detail="SPARQL Update cannot be sent by GET: POST it")
    return await answer(request, query_operation(params, base_iri(request)), settings, pool)


@router.post(
    "/sparql",
    response_class=Response,
    responses=_POST_RESPONSES,
    summary="Run a SPARQL query or update (POST)",
    description="Queries need no token; updates need `Authorization: Bearer <token>` and answer "
    "204. Bodies are limited in size (413).",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                QUERY: {"schema": {"type": "string", "description": _QUERY_DOC}},
                UPDATE: {"schema": {"type": "string", "description": _UPDATE_DOC}},
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string", "description": _QUERY_DOC},
                            "update": {"type": "string", "description": _UPDATE_DOC},
                            "default-graph-uri": _IRIS,
                            "named-graph-uri": _IRIS,
                            "using-graph-uri": _IRIS,
                            "using-named-graph-uri": _IRIS,
                        },
                    }
                },
            },
        },
        "security": [{}, {"writeToken": []}],
        "parameters": [
            _param("default-graph-uri", _GRAPH_PARAMS["default_graph_uri"], many=True),
            _param("named-graph-uri", _GRAPH_PARAMS["named_graph_uri"], many=True),
            _param("using-graph-uri", "graphs whose merge an update's WHERE reads", many=True),
            _param("using-named-graph-uri", "the named graphs an update's WHERE sees", many=True),
        ],
    },
)
async def sparql_post(request: Request) -> Response:
    settings, pool = await get_settings(request), await get_query_pool(request)
    media = media_type(request.headers.get("content-type"), {FORM, QUERY, UPDATE})
    authorization = request.headers.get("authorization")
    if media == UPDATE:  # known to be a write before the body is read
        check_write_access(settings, authorization)
    body = await read_body(request, settings.max_body_bytes)
    params = request.query_params.multi_items()
    base = base_iri(request)
    if media == FORM:
        params += read_form(body)
        if "update" in names(params):
            if "query" in names(params):
                raise HTTPException(400, detail="send a query or an update, not both")
            check_write_access(settings, authorization)
            return await execute_update(
                get_store(request), update_operation(params, base), settings
            )
        query = query_operation(params, base)
    elif media == QUERY:
        if names(params) & ({"query"} | UPDATE_PARAMS):
            raise HTTPException(
                400, detail="the query is in the body: no query or update parameter"
            )
        query = query_operation([*params, ("query", decode(body, "query"))], base)
    else:  # UPDATE
        if names(params) & ({"update"} | QUERY_PARAMS):
            raise HTTPException(
                400, detail="the update is in the body: no query or update parameter"
            )
        update = update_operation([*params, ("update", decode(body, "update"))], base)
        return await execute_update(get_store(request), update, settings)
    return await answer(request, query, settings, pool)


# the protocol's paths end in a slash: answer there too rather than redirect
router.add_api_route(
    "/sparql/", sparql_get, methods=["GET"], response_class=Response, include_in_schema=False
)
router.add_api_route(
    "/sparql/", sparql_post, methods=["POST"], response_class=Response, include_in_schema=False
)


def describe(request: Request, settings: Settings) -> Response:
    """The service description, in the RDF format the Accept header picks."""
    media, fmt = choose(request.headers.get("accept"), GRAPH_FORMATS, "The service description")
    triples = service_description(base_iri(request), settings)
    names_ = DESCRIPTION_PREFIXES if prefixes(fmt) is not None else None
    body = serialize(triples, format=fmt, prefixes=names_) or b""
    return Response(body, media_type=media, headers={"Vary": "Accept"})


# -- evaluation (in a worker process) --------------------------------------------------------


async def answer(
    request: Request,
    query: SparqlQuery,
    settings: Settings,
    pool: QueryPool,
) -> Response:
    """Run a query in a worker process under the time limit and send its results; a client
    that hangs up stops its query."""
    task = SparqlTask(
        query,
        request.headers.get("accept"),
        max_results=settings.max_results,
        allow_service=settings.allow_service,
    )
    try:
        outcome = await pool.run(
            task, timeout=settings.query_timeout, disconnected=lambda: client_gone(request)
        )
    except Busy as err:
        raise busy(err) from None
    if isinstance(outcome, Failure):
        raise failure(outcome)
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers["X-SPARQL-MaxRows"] = str(settings.max_results)
    return Response(outcome.body, media_type=outcome.media_type, headers=headers)
