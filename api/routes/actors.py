"""`/actors`: actors, one actor, and the actors it shares asserted events with."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from api.deps import StoreDep
from api.models import Actor, ActorKind, ActorList, Network, RelationList, errors
from api.routes.params import check_id, date_param, window
from kg import analysis, queries

router = APIRouter(prefix="/actors", tags=["actors"], responses=errors(422))

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


@router.get(
    "",
    response_model=ActorList,
    summary="List actors",
)
def list_actors(
    store: StoreDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="part of the label or of any alias, any case"),
    ] = None,
    kind: Annotated[ActorKind | None, Query(alias="type", description="one actor class")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> ActorList:
    found, total = queries.list_actors(store, q=q, kind=kind, limit=limit, offset=offset)
    return ActorList.model_validate(
        {"data": found, "total": total, "limit": limit, "offset": offset}
    )


@router.get(
    "/{actor_id}",
    response_model=Actor,
    responses=errors(400, 404),
    summary="One actor",
)
def get_actor(store: StoreDep, actor_id: ActorId) -> Actor:
    check_id("an actor", actor_id)
    found = queries.get_actor(store, actor_id)
    if found is None:
        raise HTTPException(404, detail=f"no actor with id {actor_id}")
    return Actor.model_validate(found)


@router.get(
    "/{actor_id}/relations",
    response_model=RelationList,
    responses=errors(400, 404),
    summary="The actors it shares asserted events with",
)
def get_relations(
    store: StoreDep,
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
) -> RelationList:
    check_id("an actor", actor_id)
    first = date_param("since", since, end=False)
    last = date_param("until", until, end=True)
    try:
        found = queries.relations(
            store,
            actor_id,
            event_type=event_type,
            since=first,
            until=last,
            limit=limit,
            offset=offset,
        )
    except ValueError as err:  # an unknown event type
        raise HTTPException(400, detail=str(err)) from None
    if found is None:
        raise HTTPException(404, detail=f"no actor with id {actor_id}")
    page, total = found
    return RelationList.model_validate(
        {"data": page, "total": total, "limit": limit, "offset": offset}
    )


@router.get(
    "/{actor_id}/network",
    response_model=Network,
    responses=errors(400, 404),
    summary="Its ego network: the actors within `depth` links of it",
    description="The actors within `depth` links of this one in the actor graph (actors joined "
    "by the asserted events they share) and every link among them, each with its counts per "
    "event class, its weight (the events shared) and those events with their evidence. "
    "`since` / `until` keep the events whose dates overlap the window.",
)
def get_network(
    store: StoreDep,
    actor_id: ActorId,
    depth: Annotated[int, Query(ge=1, le=3, description="how many links away to go")] = 1,
    since: DateParam = None,
    until: DateParam = None,
) -> Network:
    check_id("an actor", actor_id)
    first, last = window(since, until)
    found = analysis.ego_network(store, actor_id, depth=depth, since=first, until=last)
    if found is None:
        raise HTTPException(404, detail=f"no actor with id {actor_id}")
    return Network.model_validate(found)
