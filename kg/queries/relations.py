"""An actor's relations: the actors it shares asserted events with, and those events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pyoxigraph import NamedNode

from kg.namespaces import DIP, RDF
from kg.queries.common import (
    _ASSERTED_EVENTS_OF_ACTOR,
    _counts,
    _facts,
    _kind,
    _refs,
    event_classes,
)
from kg.queries.events import events_where
from kg.queries.params import valid_id
from kg.queries.views import EventView, RelationView
from kg.rdf import actor_iri
from kg.reading import dip_name, xsd_date
from kg.store import GraphStore, Term


def relations(
    store: GraphStore,
    actor_id: str,
    *,
    event_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[RelationView], int] | None:
    """The actors sharing an asserted event with this one, each with those events and their
    counts per most specific class; most events first. None when there is no such actor.

    `event_type` is an event class local name (subclasses included); `since` / `until` keep the
    events whose `dip:earliest` is on or after `since` and whose `dip:latest` is on or before
    `until` (undated events drop out when either is given).

    Raises ValueError for an event type the ontology does not have.
    """
    if not valid_id(actor_id):
        return None
    iri = actor_iri(actor_id)
    if (
        _kind(filter(None, map(dip_name, _facts(store, iri.value, "rdf:type")[RDF + "type"])))
        is None
    ):
        return None
    b: dict[str, Term] = {"actor": iri}
    selection = _ASSERTED_EVENTS_OF_ACTOR
    if event_type is not None:
        if event_type not in event_classes():
            known = ", ".join(event_classes())
            raise ValueError(f"unknown event type {event_type!r}: use one of {known}")
        selection += "?e a ?eventType .\n"
        b["eventType"] = NamedNode(DIP + event_type)
    if since is not None:
        selection += "?e dip:earliest ?earliest . FILTER(?earliest >= ?since)\n"
        b["since"] = xsd_date(since)
    if until is not None:
        selection += "?e dip:latest ?latest . FILTER(?latest <= ?until)\n"
        b["until"] = xsd_date(until)

    events = events_where(store, selection, b)
    linked: dict[str, list[EventView]] = defaultdict(list)
    for event in events.values():
        for participant in event["participants"]:
            if participant["id"] != actor_id:
                linked[participant["id"]].append(event)
    names = _refs(store, (actor_iri(other).value for other in linked))

    found: list[RelationView] = []
    for other, shared in linked.items():
        label, kind = names[actor_iri(other).value]
        shared.sort(key=lambda ev: (ev["earliest"] is None, ev["earliest"] or "", ev["id"]))
        found.append(
            {
                "actor": {"id": other, "label": label or other, "type": kind},
                "events": shared,
                "counts": _counts([ev["types"] for ev in shared]),
            }
        )
    found.sort(key=lambda r: (-len(r["events"]), r["actor"]["label"].casefold(), r["actor"]["id"]))
    page = found[offset : offset + limit] if limit > 0 else []
    return page, len(found)
