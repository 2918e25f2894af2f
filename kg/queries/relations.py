"""An actor's relations: the actors it shares asserted events with, and those events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from pyoxigraph import NamedNode

from kg.namespaces import DIP
from kg.queries.common import ASSERTED_EVENTS_OF_ACTOR, refs
from kg.queries.events import events_where
from kg.queries.params import actor_ref, check_event_type, within
from kg.queries.sparql import Readable, class_counts
from kg.queries.views import EventView, RelationView
from kg.rdf import actor_iri
from kg.store import Term


def relations(
    store: Readable,
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
    if actor_ref(store, actor_id) is None:
        return None
    b: dict[str, Term] = {"actor": actor_iri(actor_id)}
    selection = ASSERTED_EVENTS_OF_ACTOR
    if event_type is not None:
        check_event_type(event_type)
        selection += "FILTER EXISTS { ?e a ?eventType }\n"
        b["eventType"] = NamedNode(DIP + event_type)
    selection = within(selection, b, since, until)

    events = events_where(store, selection, b)
    linked: dict[str, list[EventView]] = defaultdict(list)
    for event in events.values():
        for participant in event["participants"]:
            if participant["id"] != actor_id:
                linked[participant["id"]].append(event)
    names = refs(store, (actor_iri(other).value for other in linked))

    found: list[RelationView] = []
    for other, shared in linked.items():
        label, kind = names[actor_iri(other).value]
        shared.sort(key=lambda ev: (ev["earliest"] is None, ev["earliest"] or "", ev["id"]))
        found.append(
            {
                "actor": {"id": other, "label": label or other, "type": kind},
                "events": shared,
                "counts": class_counts([ev["types"] for ev in shared]),
            }
        )
    found.sort(key=lambda r: (-len(r["events"]), r["actor"]["label"].casefold(), r["actor"]["id"]))
    page = found[offset : offset + limit] if limit > 0 else []
    return page, len(found)
