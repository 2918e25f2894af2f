"""The REST reads that page and count asserted events: an actor's relations and pages of events,
counted and paged on the event index (`kg.analysis.index`, once per store version), with the
details of the events shown (and only those) read from the store.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypedDict

from kg.analysis.cache import EVENTS, ResultCache, index_of, known_actor, require_known_actor
from kg.analysis.index import EventIndex, latest_first, of_class, select, shared
from kg.queries import (
    ActorRef,
    EventView,
    RelationView,
    check_event_type,
    events_by_iri,
)
from kg.rdf import event_iri
from kg.store import GraphStore

#: Events shown per counterpart of a relation when the caller does not say (the most recent).
EVENTS_PER_RELATION = 5

#: Each actor's counterparts as last asked (per store version, type and window): counting them
#: walks every event of the actor, thousands for the most reported ones.
COUNTERPARTS = ResultCache(max_entries=256)


@dataclass(frozen=True)
class Counterpart:
    """An actor's counterpart: the events they share (in the index's order, and the most recent
    first: what a relation shows the first of), and their counts."""

    id: str
    events: tuple[str, ...]
    recent: tuple[str, ...]
    counts: dict[str, int]
    first: str | None
    last: str | None


class RelationHead(TypedDict):
    """A relation (`RelationView`) with its events as ids: what `relations` reads in full."""

    actor: ActorRef
    events: list[str]
    events_total: int
    counts: dict[str, int]
    first: str | None
    last: str | None


def relations(
    store: GraphStore,
    actor_id: str,
    *,
    event_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
    events_limit: int = EVENTS_PER_RELATION,
) -> tuple[list[RelationView], int] | None:
    """The actors sharing an asserted event with this one, most shared events first (then by
    label and id), one page of them, and how many there are; None when there is no such actor.

    Each counterpart carries how many events the two share (`events_total`), their counts per
    most specific class, the first and last day they span, and the `events_limit` most recent of
    them in full (`/events?actor=A&actor=B` pages through all). `event_type` keeps a class and
    its subclasses; `since` / `until` keep the events dated within the window (first possible
    day on or after `since`, last on or before `until`; undated ones drop out).

    Raises ValueError for an event type the ontology does not have.
    """
    found = relation_heads(
        store,
        actor_id,
        event_type=event_type,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
        events_limit=events_limit,
    )
    if found is None:
        return None
    heads, total = found
    details = event_details(store, (i for h in heads for i in h["events"]), index_of(store))
    views: list[RelationView] = [
        {**head, "events": [details[i] for i in head["events"] if i in details]} for head in heads
    ]
    return views, total


def relation_heads(
    store: GraphStore,
    actor_id: str,
    *,
    event_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
    events_limit: int = EVENTS_PER_RELATION,
) -> tuple[list[RelationHead], int] | None:
    """`relations` with the events shown as ids (the most recent first), none read from the
    store: for a caller that keeps the events' answers itself (the REST route keeps their JSON)."""
    if known_actor(store, actor_id) is None:  # from the index: no query per request
        return None
    if event_type is not None:
        check_event_type(event_type)
    index = index_of(store)
    ordered = COUNTERPARTS.get(
        store,
        "counterparts",
        (actor_id, event_type, since, until),
        lambda: _counterparts(index, actor_id, event_type, since, until),
    )
    found: list[RelationHead] = [
        {
            "actor": {"id": c.id, "label": index.label(c.id), "type": index.kind(c.id)},
            "events": list(c.recent[:events_limit]),
            "events_total": len(c.events),
            "counts": dict(c.counts),
            "first": c.first,
            "last": c.last,
        }
        for c in ordered[offset : offset + limit]
    ]
    return found, len(ordered)


def _counterparts(
    index: EventIndex,
    actor_id: str,
    event_type: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> tuple[Counterpart, ...]:
    """The actor's counterparts with the events each shares with it (in the index's order),
    most shared events first, then by label and id."""
    mine = select(
        index,
        index.by_actor.get(actor_id, ()),
        classes=of_class(event_type),
        since=since,
        until=until,
    )
    linked: dict[str, list[str]] = defaultdict(list)
    for i in mine:
        for other in index.events[i].participants:
            if other != actor_id:
                linked[other].append(i)
    ordered = sorted(linked, key=lambda o: (-len(linked[o]), index.label(o).casefold(), o))
    found = []
    for other in ordered:
        facts = [index.events[i] for i in linked[other]]
        found.append(
            Counterpart(
                other,
                tuple(linked[other]),
                tuple(latest_first(index, linked[other])),
                _counts(e.cls for e in facts),
                min((e.earliest for e in facts if e.earliest), default=None),
                max((e.latest for e in facts if e.latest), default=None),
            )
        )
    return tuple(found)


def event_page(
    store: GraphStore,
    *,
    event_type: str | None = None,
    actors: Sequence[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[EventView], int]:
    """One page of asserted events, oldest first (undated ones last), and how many match: the
    events every one of `actors` takes part in, of `event_type` (subclasses included), dated
    within [since, until] (as `relations`).

    Raises NotFound for an unknown actor, ValueError for an unknown event type.
    """
    for actor in actors:
        require_known_actor(store, actor)
    if event_type is not None:
        check_event_type(event_type)
    index = index_of(store)
    ids = select(
        index, shared(index, actors), classes=of_class(event_type), since=since, until=until
    )
    page = ids[offset : offset + limit]
    details = event_details(store, page, index)
    return [details[i] for i in page if i in details], len(ids)


def event_details(
    store: GraphStore, ids: Iterable[str], index: EventIndex | None = None
) -> dict[str, EventView]:
    """Event id → the whole Event object, read from the store (a few batched queries; the
    participants' names from the index when given), or kept from an earlier read of the same
    state of the store (`kg.analysis.cache.EVENTS`)."""
    names = index.names if index is not None else None

    def read(missing: list[str]) -> dict[str, EventView]:
        found = events_by_iri(store, (event_iri(i).value for i in missing), names)
        return {event["id"]: event for event in found.values()}

    return EVENTS.get(store, ids, read)


def _counts(classes: Iterable[str]) -> dict[str, int]:
    counts = Counter(classes)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
