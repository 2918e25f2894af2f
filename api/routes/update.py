"""`/update`: the SPARQL 1.1 Protocol update operation on an endpoint of its own.

The same updates `POST /sparql` takes (an `update=` form or an `application/sparql-update` body,
with optional `using-graph-uri` / `using-named-graph-uri`), for clients that keep queries and
updates apart. Every request needs the server's write token, checked before the body is read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from api.auth import WRITE_ERRORS, WriteAccess
from api.deps import SettingsDep, StoreDep
from api.models import Error, errors
from api.sparql.protocol import (
    FORM,
    QUERY_PARAMS,
    UPDATE,
    base_iri,
    decode,
    media_type,
    names,
    read_body,
    read_form,
    update_operation,
)
from api.sparql.update import execute_update

router = APIRouter(tags=["SPARQL"], responses=errors(422))

_UPDATE_DOC = "a SPARQL 1.1 update; no PREFIX is predefined"
_IRIS = {"type": "array", "items": {"type": "string", "format": "iri"}}


@router.post(
    "/update",
    status_code=204,
    response_class=Response,
    responses={
        204: {"description": "the update was applied, all of it"},
        **errors(400, 413, 415),
        **WRITE_ERRORS,
        502: {"model": Error, "description": "a URL the update fetches (LOAD) failed"},
    },
    summary="Run a SPARQL update",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                UPDATE: {"schema": {"type": "string", "description": _UPDATE_DOC}},
                FORM: {
                    "schema": {
                        "type": "object",
                        "required": ["update"],
                        "properties": {
                            "update": {"type": "string", "description": _UPDATE_DOC},
                            "using-graph-uri": _IRIS,
                            "using-named-graph-uri": _IRIS,
                        },
                    }
                },
            },
        }
    },
)
async def update(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    using_graph_uri: Annotated[
        list[str] | None,
        Query(alias="using-graph-uri", description="graphs whose merge the WHERE clauses read"),
    ] = None,
    using_named_graph_uri: Annotated[
        list[str] | None,
        Query(alias="using-named-graph-uri", description="the named graphs WHERE clauses see"),
    ] = None,
) -> Response:
    media = media_type(request.headers.get("content-type"), {FORM, UPDATE})
    body = await read_body(request, settings.max_body_bytes)
    params = request.query_params.multi_items()
    if media == FORM:
        params += read_form(body)
    else:
        if names(params) & ({"update"} | QUERY_PARAMS):
            raise HTTPException(400, detail="the update is in the body: no update parameter")
        params.append(("update", decode(body, "update")))
    return await execute_update(store, update_operation(params, base_iri(request)), settings)
