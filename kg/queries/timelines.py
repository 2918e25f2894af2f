"""Timelines: an actor's asserted events (or those shared with another) counted per month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TypedDict

from pyoxigraph import NamedNode

from kg.namespaces import DIP
from kg.queries.common import ASSERTED_EVENTS_OF_ACTOR
from kg.queries.params import check_event_type, require_actor, within
from kg.queries.sparql import Readable, class_counts, event_classes_of, select_where
from kg.queries.views import ActorRef
from kg.rdf import actor_iri, local_id
from kg.store import Term


class BucketView(TypedDict):
    month: str
    counts: dict[str, int]
    events: int
    event_ids: list[str]


class TimelineView(TypedDict):
    a: ActorRef
    b: ActorRef | None
    buckets: list[BucketView]
    undated: int
    events: int


def timeline(
    store: Readable,
    a: str,
    b: str | None = None,
    *,
    event_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> TimelineView:
    """The asserted events of actor `a` (shared with `b` when given), counted per month.

    An event goes in the month its date falls in when it is dated to a day or a month; events
    dated to a year only, or not at all, are counted in `undated`; `events` counts them all. The
    buckets run from the first month with an event to the last, empty months included.

    Raises NotFound for an unknown actor, ValueError for an unknown event type.
    """
    first = require_actor(store, a)
    second = require_actor(store, b) if b is not None else None
    bindings: dict[str, Term] = {"actor": actor_iri(a)}
    selection = ASSERTED_EVENTS_OF_ACTOR
    if b is not None:
        selection += "FILTER EXISTS { ?e dip:participant ?other }\n"
        bindings["other"] = actor_iri(b)
    if event_type is not None:
        check_event_type(event_type)
        selection += "FILTER EXISTS { ?e a ?eventType }\n"
        bindings["eventType"] = NamedNode(DIP + event_type)
    selection = within(selection, bindings, since, until)

    classes = event_classes_of(store, selection, bindings)
    spans: dict[str, tuple[str, str]] = {}
    dates = "?e dip:earliest ?first ; dip:latest ?last ."
    for row in select_where(store, "?e ?first ?last", selection + dates, bindings):
        old = spans.get(row["e"])
        # several values (reports at different precisions): the narrowest span, as events_where
        spans[row["e"]] = (
            max(row["first"], old[0]) if old else row["first"],
            min(row["last"], old[1]) if old else row["last"],
        )
    months: dict[str, list[str]] = defaultdict(list)
    undated = 0
    for event in classes:
        span = spans.get(event)
        if span is None or span[0][:7] != span[1][:7]:
            undated += 1
        else:
            months[span[0][:7]].append(event)
    buckets: list[BucketView] = []
    for month in _months(min(months), max(months)) if months else []:
        events = sorted(months.get(month, []), key=local_id)
        buckets.append(
            {
                "month": month,
                "counts": class_counts(classes[e] for e in events),
                "events": len(events),
                "event_ids": [local_id(e) for e in events],
            }
        )
    return {"a": first, "b": second, "buckets": buckets, "undated": undated, "events": len(classes)}


def _months(first: str, last: str) -> list[str]:
    """Every `YYYY-MM` from `first` to `last`, both included."""
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
