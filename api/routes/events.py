"""`/events`: events, filtered by class, participant, place, date and modality; one event.

Each route checks its parameters here and runs its read (the function after it) in the query
workers (`api.rest`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.deps import ReadsDep
from api.models import Event, EventList, errors
from api.routes.params import (
    EventType,
    Limit,
    Offset,
    check_id,
    date_query,
    id_path,
    id_query,
    window,
)
from kg import queries
from kg.queries import Readable

router = APIRouter(prefix="/events", tags=["events"], responses=errors(406, 422, 503))

ModalityFilter = Literal["asserted", "all", "Negated", "Hypothetical", "Future", "Conditional"]


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
    actor: Annotated[str | None, id_query("the id of an actor taking part", "PRK")] = None,
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
    if actor is not None:
        check_id("an actor", actor)
    if place is not None:
        check_id("a place", place)
    first, last = window(since, until)
    return await reads(
        event_page,
        event_type=event_type,
        actor=actor,
        place=place,
        since=first,
        until=last,
        modality=modality,
        limit=limit,
        offset=offset,
    )


def event_page(
    store: Readable,
    *,
    event_type: str | None,
    actor: str | None,
    place: str | None,
    since: dt.date | None,
    until: dt.date | None,
    modality: str,
    limit: int,
    offset: int,
) -> EventList:
    try:
        page, total = queries.list_events(
            store,
            event_type=event_type,
            actor=actor,
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


def one_event(store: Readable, *, event_id: str) -> Event:
    found = queries.get_event(store, event_id)
    if found is None:
        raise HTTPException(404, detail=f"no event with id {event_id}")
    return Event.model_validate(found)
