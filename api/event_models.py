"""Validated Event models, and their JSON, kept per store version in each query worker.

Validating the events of an answer was most of the work of the routes that page them (4.7 of
about 6 ms for an actor's relations): a page that shows an event again since the last write
takes the model made the first time, which pydantic then accepts as it is, and the JSON written
the first time (`api.answers`). The routes that answer bytes (an actor's relations, `/paths`)
keep only the JSON (`event_json`): an event is validated and written once per store version,
and an answer takes its bytes as they are (`orjson.Fragment`).
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson

from api.answers import EVENT_JSON
from api.models import Event
from kg import analysis
from kg.analysis import EventMemo
from kg.queries import EventView
from kg.store import GraphStore

#: The worker's Event models, the most recently shown kept (as kg.analysis.EVENTS keeps views).
MODELS: EventMemo[Event] = EventMemo()

#: The worker's Events as JSON (pydantic's bytes of the validated model), the most recently
#: shown kept.
JSON: EventMemo[orjson.Fragment] = EventMemo()


def event_models(store: GraphStore, views: Iterable[EventView]) -> dict[str, Event]:
    """Event id → its validated model, made once per store version."""
    by_id = {view["id"]: view for view in views}
    models = MODELS.get(store, by_id, lambda ids: {i: Event.model_validate(by_id[i]) for i in ids})
    EVENT_JSON.keep(models.values())  # and each written once (api.answers)
    return models


def with_models(store: GraphStore, views: Iterable[EventView]) -> list[Event]:
    """The views as their models, in order."""
    listed = list(views)
    models = event_models(store, listed)
    return [models[view["id"]] for view in listed]


def event_json(store: GraphStore, ids: Iterable[str]) -> dict[str, orjson.Fragment]:
    """Event id → the JSON of its validated model (`Event.model_dump_json(by_alias=True)`), as a
    fragment orjson writes as it is: read, validated and written once per store version. An id
    the store does not have (as an asserted event) is left out."""

    def write(missing: list[str]) -> dict[str, orjson.Fragment]:
        views = analysis.event_details(store, missing, analysis.index_of(store))
        serializer = Event.__pydantic_serializer__
        return {
            i: orjson.Fragment(serializer.to_json(Event.model_validate(view), by_alias=True))
            for i, view in views.items()
        }

    return JSON.get(store, ids, write)
