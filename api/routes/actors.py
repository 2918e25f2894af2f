"""`/actors`: actors, one actor, and the actors it shares asserted events with.

Each route checks its parameters here and runs its read (the module-level function after it) in
the query workers (`api.rest`). Counts, orders and pages come from the event index the workers
keep per store version (`kg.analysis.index`); only the events shown are read in full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, TypeVar

import orjson
from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from api.deps import ReadsDep
from api.event_models import event_json, event_models
from api.models import Actor, ActorKind, ActorList, Network, RelationList, errors
from api.routes.params import check_id, window
from kg import analysis, queries
from kg.store import GraphStore

T = TypeVar("T")

router = APIRouter(prefix="/actors", tags=["actors"], responses=errors(406, 422, 503))

ActorId = Annotated[
    str,
    Path(
        description="the last segment of the actor's IRI",
        examples=["moon-jae-in", "PRK"],
    ),
]
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
DateParam = Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")]
#: the most events one relation or one link shows in full (the rest: `/events?actor=A&actor=B`)
MAX_EVENTS_SHOWN = 100


@router.get(
    "",
    response_model=ActorList,
    summary="List actors",
    description="Actors sorted by label. The answer is JSON only: an Accept header that refuses "
    "`application/json` (such as `text/csv` alone) is a 406.",
)
async def list_actors(
    reads: ReadsDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="part of the label or of any alias, any case"),
    ] = None,
    kind: Annotated[ActorKind | None, Query(alias="type", description="one actor class")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    return await reads(actor_page, q=q, kind=kind, limit=limit, offset=offset)


def actor_page(
    store: GraphStore, *, q: str | None, kind: ActorKind | None, limit: int, offset: int
) -> ActorList:
    counts = analysis.index_of(store).class_counts
    directory = analysis.directory_of(store)
    found, total = queries.list_actors(
        store, q=q, kind=kind, limit=limit, offset=offset, counts=counts, directory=directory
    )
    return ActorList.model_validate(
        {"data": found, "total": total, "limit": limit, "offset": offset}
    )


@router.get(
    "/{actor_id}",
    response_model=Actor,
    responses=errors(400, 404),
    summary="One actor",
)
async def get_actor(reads: ReadsDep, actor_id: ActorId) -> Response:
    check_id("an actor", actor_id)
    return await reads(one_actor, actor_id=actor_id)


def one_actor(store: GraphStore, *, actor_id: str) -> Actor:
    found = queries.get_actor(store, actor_id, counts=analysis.index_of(store).class_counts)
    if found is None:
        raise HTTPException(404, detail=f"no actor with id {actor_id}")
    return Actor.model_validate(found)


@router.get(
    "/{actor_id}/relations",
    response_model=RelationList,
    responses=errors(400, 404),
    summary="The actors it shares asserted events with",
    description="Its counterparts, most shared asserted events first (then by label and id), "
    "each with `events_total` (the events the two share), their `counts` per most specific "
    "class, the `first` and `last` day they span, and the `events_limit` most recent of them "
    "in full with their evidence; `/events?actor=A&actor=B` pages through all of them.",
)
async def get_relations(
    reads: ReadsDep,
    actor_id: ActorId,
    event_type: Annotated[
        str | None,
        Query(
            alias="type",
            description="an event class (Meeting, Agree, ...); its subclasses are included",
        ),
    ] = None,
    since: DateParam = None,
    until: DateParam = None,
    limit: Limit = 50,
    offset: Offset = 0,
    events_limit: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_EVENTS_SHOWN,
            description="the most recent shared events shown per counterpart (0: counts only)",
        ),
    ] = analysis.EVENTS_PER_RELATION,
) -> Response:
    check_id("an actor", actor_id)
    first, last = window(since, until)
    return await reads(
        relation_json,
        actor_id=actor_id,
        event_type=event_type,
        since=first,
        until=last,
        limit=limit,
        offset=offset,
        events_limit=events_limit,
    )


def relation_json(
    store: GraphStore,
    *,
    actor_id: str,
    event_type: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    offset: int,
    events_limit: int,
) -> bytes:
    """The page as JSON: the bytes pydantic writes for it as a RelationList (`relation_page`),
    written by orjson around each shown Event's JSON, which is validated and written once per
    store version (`event_json`); the rest comes from the event index as it is (ids, labels,
    classes, counts, ISO days) and is not validated again per request."""
    found = _page_of(
        lambda: analysis.relation_heads(
            store,
            actor_id,
            event_type=event_type,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
            events_limit=events_limit,
        ),
        actor_id,
    )
    heads, total = found
    events = event_json(store, (i for head in heads for i in head["events"]))
    data = [{**h, "events": [events[i] for i in h["events"] if i in events]} for h in heads]
    return orjson.dumps({"data": data, "total": total, "limit": limit, "offset": offset})


def relation_page(
    store: GraphStore,
    *,
    actor_id: str,
    event_type: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    offset: int,
    events_limit: int,
) -> RelationList:
    """The answer of `relation_json` as a model (its events validated once per store version)."""
    found = _page_of(
        lambda: analysis.relations(
            store,
            actor_id,
            event_type=event_type,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
            events_limit=events_limit,
        ),
        actor_id,
    )
    page, total = found
    models = event_models(store, (e for relation in page for e in relation["events"]))
    data = [{**r, "events": [models[e["id"]] for e in r["events"]]} for r in page]
    return RelationList.model_validate(
        {"data": data, "total": total, "limit": limit, "offset": offset}
    )


def _page_of(read: Callable[[], tuple[list[T], int] | None], actor_id: str) -> tuple[list[T], int]:
    """A page of relations and their number; 400 for an unknown event type, 404 for an actor
    that does not exist."""
    try:
        found = read()
    except ValueError as err:  # an unknown event type
        raise HTTPException(400, detail=str(err)) from None
    if found is None:
        raise HTTPException(404, detail=f"no actor with id {actor_id}")
    return found


@router.get(
    "/{actor_id}/network",
    response_model=Network,
    responses=errors(400, 404),
    summary="Its ego network: the actors within `depth` links of it",
    description="The actors within `depth` links of this one in the actor graph (actors joined "
    "by the asserted events they share) and every link among them, each with its counts per "
    "event class, its weight (the events shared), how many of them cooperate or conflict and "
    "their summed score (PLOVER's quad classes and scale), and the `events_limit` most recent "
    "of those events with their evidence (none by default: `/events?actor=A&actor=B` pages "
    "through them). `since` / `until` keep the events whose dates overlap the window.",
)
async def get_network(
    reads: ReadsDep,
    actor_id: ActorId,
    depth: Annotated[int, Query(ge=1, le=3, description="how many links away to go")] = 1,
    since: DateParam = None,
    until: DateParam = None,
    events_limit: Annotated[
        int,
        Query(ge=0, le=MAX_EVENTS_SHOWN, description="the most recent events shown per link"),
    ] = analysis.EVENTS_PER_LINK,
) -> Response:
    check_id("an actor", actor_id)
    first, last = window(since, until)
    return await reads(
        network,
        actor_id=actor_id,
        depth=depth,
        since=first,
        until=last,
        events_limit=events_limit,
    )


def network(
    store: GraphStore,
    *,
    actor_id: str,
    depth: int,
    since: dt.date | None,
    until: dt.date | None,
    events_limit: int,
) -> Network:
    found = analysis.ego_network(
        store, actor_id, depth=depth, since=since, until=until, events_limit=events_limit
    )
    if found is None:
        raise HTTPException(404, detail=f"no actor with id {actor_id}")
    return Network.model_validate(found)
