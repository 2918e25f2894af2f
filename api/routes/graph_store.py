"""`/store`: the SPARQL 1.1 Graph Store HTTP Protocol, with indirect graph identification.

`?graph=IRI` names a named graph, `?default` the default graph, which is the merge of the named
graphs (what queries see): it can be read, not written (405). GET and HEAD answer the graph in the
RDF format the Accept header picks; PUT replaces it, POST adds to it, DELETE drops it, each through
the store's one write path, which keeps the merge in step. Writes need the server's write token (`api.auth`); an upload is parsed by pyoxigraph in the
format its Content-Type names, its blank nodes made fresh, and written in one transaction.
GET and DELETE of a graph that does not exist answer 404; PUT and POST answer 201 when they
create the graph, 204 otherwise.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, parse, serialize

from api.auth import WRITE_ERRORS, WriteAccess
from api.deps import SettingsDep, StoreDep
from api.models import errors
from api.sparql.negotiation import GRAPH_FORMATS, choose
from api.sparql.protocol import base_iri, check_charset, parse_content_type, read_body
from api.sparql.results import prefixes
from kg.store import GraphStore

router = APIRouter(prefix="/store", tags=["Graph Store"], responses=errors(422))

Target = NamedNode | DefaultGraph

GraphParam = Annotated[
    str | None, Query(description="the IRI of the named graph (or give `default`)")
]
DefaultParam = Annotated[
    str | None,
    Query(description="present, without a value, to name the store's default graph"),
]

_UPLOAD_TYPES = sorted({fmt.media_type for fmt in (*GRAPH_FORMATS.values(), RdfFormat.N3)})
_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {"description": "the graph did not exist: it was created"},
    204: {"description": "the graph was changed"},
    **errors(400, 405, 413, 415),
    **WRITE_ERRORS,
}
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {media: {"schema": {"type": "string"}} for media in _UPLOAD_TYPES},
    }
}


def _target(request: Request) -> Target:
    """The graph a request names: `?graph=IRI` or `?default` (400 for none, both or a bad IRI)."""
    params = request.query_params.multi_items()
    graphs = [value for name, value in params if name == "graph"]
    default = any(name == "default" for name, _ in params)
    if len(graphs) > 1:
        raise HTTPException(400, detail="name one graph: more than one graph parameter was sent")
    if graphs and default:
        raise HTTPException(400, detail="name one graph: ?graph=IRI or ?default, not both")
    if default:
        return DefaultGraph()
    if not graphs:
        raise HTTPException(400, detail="name a graph: ?graph=IRI or ?default")
    try:
        return NamedNode(graphs[0])
    except ValueError as err:
        raise HTTPException(400, detail=f"invalid graph IRI: {err}") from None


def _exists(store: GraphStore, target: Target) -> bool:
    return store.has_graph(target)


def _missing(target: Target) -> HTTPException:
    return HTTPException(404, detail=f"there is no graph {target}")


# -- reading -------------------------------------------------------------------------------------


_READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the graph, in the RDF format the Accept header picks",
        "content": {
            media: {"schema": {"type": "string"}} for media in reversed(list(GRAPH_FORMATS))
        },
    },
    **errors(400, 404, 406),
}


@router.get("", response_class=Response, responses=_READ_RESPONSES, summary="Read a graph")
async def get_graph(
    request: Request, store: StoreDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    target = _target(request)
    media, fmt = choose(request.headers.get("accept"), GRAPH_FORMATS, "Graphs")
    body = await anyio.to_thread.run_sync(partial(_read, store, target, fmt))
    if body is None:
        raise _missing(target)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


@router.head(
    "",
    response_class=Response,
    responses=_READ_RESPONSES,
    summary="Read a graph's headers (GET without the body)",
)
async def head_graph(
    request: Request, store: StoreDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    return await get_graph(request, store, graph, default)


def _read(store: GraphStore, target: Target, fmt: RdfFormat) -> bytes | None:
    if not _exists(store, target):
        return None
    return serialize(store.graph_triples(target), format=fmt, prefixes=prefixes(fmt)) or b""


# -- writing -------------------------------------------------------------------------------------


@router.put(
    "",
    status_code=204,
    response_class=Response,
    responses=_WRITE_RESPONSES,
    summary="Replace a graph",
    openapi_extra=_UPLOAD_BODY,
)
async def put_graph(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    target = _named(_target(request))
    quads = await _upload(request, target, settings.max_upload_bytes)
    created = await anyio.to_thread.run_sync(partial(_replace, store, target, quads))
    return Response(status_code=201 if created else 204)


@router.post(
    "",
    status_code=204,
    response_class=Response,
    responses=_WRITE_RESPONSES,
    summary="Add to a graph",
    openapi_extra=_UPLOAD_BODY,
)
async def post_graph(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    settings: SettingsDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    target = _named(_target(request))
    quads = await _upload(request, target, settings.max_upload_bytes)
    created = await anyio.to_thread.run_sync(partial(_merge, store, target, quads))
    return Response(status_code=201 if created else 204)


@router.delete(
    "",
    status_code=204,
    response_class=Response,
    responses={
        204: {"description": "the graph was dropped"},
        **errors(400, 404, 405),
        **WRITE_ERRORS,
    },
    summary="Drop a graph",
)
async def delete_graph(
    request: Request,
    _: WriteAccess,
    store: StoreDep,
    graph: GraphParam = None,
    default: DefaultParam = None,
) -> Response:
    target = _named(_target(request))
    if not await anyio.to_thread.run_sync(partial(_drop, store, target)):
        raise _missing(target)
    return Response(status_code=204)


async def _upload(request: Request, target: Target, limit: int) -> list[Quad]:
    """The triples of the request body, as quads of `target` (415, 413, 400 when they cannot be
    read)."""
    main, sub, params = parse_content_type(request.headers.get("content-type"), _UPLOAD_TYPES)
    fmt = RdfFormat.from_media_type(f"{main}/{sub}")
    if fmt is None:
        raise HTTPException(
            415, detail=f"unsupported Content-Type {main}/{sub}: use {', '.join(_UPLOAD_TYPES)}"
        )
    check_charset(params)
    body = await read_body(request, limit)
    base = target.value if isinstance(target, NamedNode) else base_iri(request)
    return await anyio.to_thread.run_sync(partial(_parse, body, fmt, base, target))


def _parse(body: bytes, fmt: RdfFormat, base: str, target: Target) -> list[Quad]:
    """The triples of an upload as quads of `target`, blank nodes made fresh (400 when the body
    is not `fmt`, or holds named graphs)."""
    try:
        parsed = parse(
            body, format=fmt, base_iri=base, without_named_graphs=True, rename_blank_nodes=True
        )
        return [Quad(q.subject, q.predicate, q.object, target) for q in parsed]
    except (SyntaxError, ValueError) as err:
        raise HTTPException(400, detail=f"cannot read the {fmt.name} body: {err}") from None


def _replace(store: GraphStore, target: NamedNode, quads: list[Quad]) -> bool:
    """Replace the graph's triples in one transaction; True when the graph was created."""
    return store.put_graph(target, (q.triple for q in quads))


def _merge(store: GraphStore, target: NamedNode, quads: list[Quad]) -> bool:
    """Add triples to the graph in one transaction; True when the graph was created."""
    return store.post_graph(target, (q.triple for q in quads))


def _drop(store: GraphStore, target: NamedNode) -> bool:
    """Drop a named graph; False when the graph does not exist."""
    return store.drop_graph(target)


def _named(target: Target) -> NamedNode:
    """The named graph a write names (405 for the default graph: it is the merge)."""
    if isinstance(target, DefaultGraph):
        raise HTTPException(
            405,
            detail="the default graph is the merge of the named graphs and cannot be written: "
            "name a graph (?graph=IRI)",
            headers={"Allow": "GET, HEAD"},
        )
    return target
