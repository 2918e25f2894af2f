"""`/events`: events, filtered by class, participant, place, date and modality; one event.

Each route checks its parameters here and runs its read (the function after it) in the query
workers (`api.rest`). Asserted events (the default) are counted and paged on the event index the
workers keep per store version (`kg.analysis.index`), other modalities and places by SPARQL; in
both cases only the page's events are read in full.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.deps import ReadsDep
from api.event_models import with_models
from api.models import Event, EventList, errors
from api.routes.params import (
    ID_PATTERN,
    EventType,
    Limit,
    Offset,
    check_id,
    date_query,
    id_path,
    id_query,
    window,
)
from kg import analysis, queries
from kg.queries import EventView
from kg.store import GraphStore

router = APIRouter(prefix="/events", tags=["events"], responses=errors(406, 422, 503))

ModalityFilter = Literal["asserted", "all", "Negated", "Hypothetical", "Future", "Conditional"]
#: the most `actor` parameters one request may give (events all of them take part in)
MAX_ACTORS = 5
Actors = Annotated[
    list[str] | None,
    Query(
        max_length=MAX_ACTORS,
        description="the id of an actor taking part; repeat it (at most "
        f"{MAX_ACTORS}) for the events they all take part in: `actor=PRK&actor=KOR`",
        examples=[["PRK"]],
        json_schema_extra={"items": {"type": "string", "pattern": ID_PATTERN}},
    ),
]


@router.get(
    "",
    response_model=EventList,
    responses=errors(400, 404),
    summary="List events",
    description="Events oldest first (undated ones last). Each carries its evidence: the "
    "document, the sentence and its offsets. An unknown `actor` or `place` is a 404.",
)
async def list_events(
    reads: ReadsDep,
    event_type: EventType = None,
    actor: Actors = None,
    place: Annotated[str | None, id_query("the id of the place", "panmunjom")] = None,
    since: Annotated[
        str | None, date_query("YYYY, YYYY-MM or YYYY-MM-DD: events starting on or after")
    ] = None,
    until: Annotated[
        str | None, date_query("YYYY, YYYY-MM or YYYY-MM-DD: events ending on or before")
    ] = None,
    modality: Annotated[
        ModalityFilter,
        Query(
            description="asserted: events the text says happened (the default); all: every "
            "event; or only the events of one modality"
        ),
    ] = "asserted",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    actors = list(dict.fromkeys(actor or ()))  # the same actor twice asks nothing more
    for one in actors:
        check_id("an actor", one)
    if place is not None:
        check_id("a place", place)
    first, last = window(since, until)
    return await reads(
        event_page,
        event_type=event_type,
        actors=actors,
        place=place,
        since=first,
        until=last,
        modality=modality,
        limit=limit,
        offset=offset,
    )


def event_page(
    store: GraphStore,
    *,
    event_type: str | None,
    actors: list[str],
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    modality: str,
    limit: int,
    offset: int,
) -> EventList:
    try:
        if modality == "asserted" and place is None:
            views, total = analysis.event_page(
                store,
                event_type=event_type,
                actors=actors,
                since=since,
                until=until,
                limit=limit,
                offset=offset,
            )
            page: list[Event] | list[EventView] = with_models(store, views)  # validated once
        else:
            page, total = queries.list_events(
                store,
                event_type=event_type,
                actors=actors,
                place=place,
                since=since,
                until=until,
                modality=modality,
                limit=limit,
                offset=offset,
            )
    except queries.NotFound as err:
        raise HTTPException(404, detail=str(err)) from None
    except ValueError as err:  # an unknown event type
        raise HTTPException(400, detail=str(err)) from None
    return EventList.model_validate(
        {"data": page, "total": total, "limit": limit, "offset": offset}
    )


@router.get(
    "/{event_id}",
    response_model=Event,
    responses=errors(400, 404),
    summary="One event, whatever its modality",
)
async def get_event(
    reads: ReadsDep,
    event_id: Annotated[
        str, id_path("the last segment of the event's IRI", "meeting-KOR-PRK-2018-01-09")
    ],
) -> Response:
    check_id("an event", event_id)
    return await reads(one_event, event_id=event_id)


def one_event(store: GraphStore, *, event_id: str) -> Event:
    found = queries.get_event(store, event_id)
    if found is None:
        raise HTTPException(404, detail=f"no event with id {event_id}")
    return Event.model_validate(found)
