"""`/events`: events, filtered by class, participant, place, date and modality; one event."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
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

router = APIRouter(prefix="/events", tags=["events"], responses=errors(422))

ModalityFilter = Literal["asserted", "all", "Negated", "Hypothetical", "Future", "Conditional"]


@router.get(
    "",
    response_model=EventList,
    responses=errors(400, 404),
    summary="List events",
    description="Events oldest first (undated ones last). Each carries its evidence: the "
    "document, the sentence and its offsets. An unknown `actor` or `place` is a 404.",
)
def list_events(
    store: StoreDep,
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
) -> EventList:
    if actor is not None:
        check_id("an actor", actor)
    if place is not None:
        check_id("a place", place)
    first, last = window(since, until)
    try:
        page, total = queries.list_events(
            store,
            event_type=event_type,
            actor=actor,
            place=place,
            since=first,
            until=last,
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
def get_event(
    store: StoreDep,
    event_id: Annotated[
        str, id_path("the last segment of the event's IRI", "meeting-KOR-PRK-2018-01-09")
    ],
) -> Event:
    check_id("an event", event_id)
    found = queries.get_event(store, event_id)
    if found is None:
        raise HTTPException(404, detail=f"no event with id {event_id}")
    return Event.model_validate(found)
