"""Who does what to whom: every asserted event's class, dates and participants by role, and the
actors' names and classes — the plain data the signed actor graph of kg.analysis is built from.

One SELECT per need, each over event-level triples or one triple pattern (see kg.queries on
why); the rows are gathered here, never walked triple by triple.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kg.namespaces import DIP, DIPR
from kg.queries.common import ACTOR_KINDS, event_classes
from kg.queries.sparql import Readable, most_specific, select_where
from kg.rdf import local_id


@dataclass(frozen=True)
class EventFacts:
    """What the signed actor graph needs of one asserted event (ids are last IRI segments)."""

    id: str
    cls: str  # the most specific event class: "Meeting", "Accuse", ...
    earliest: str = ""  # ISO day, "" when undated
    latest: str = ""
    initiators: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()  # every participant, whatever its role


@dataclass(frozen=True)
class ActorInfo:
    label: str
    type: str  # "Person", "State", "Organization", or "Actor" when the store says none


#: ?e: every asserted event (no dip:modality)
ASSERTED_EVENTS = """
?e a dip:Event .
FILTER NOT EXISTS { ?e dip:modality ?anyModality }
"""


def event_facts(store: Readable) -> list[EventFacts]:
    """Every asserted event with its most specific class, its narrowest dates and its
    participants by role, in two queries; sorted by id."""
    classes = ", ".join(f"dip:{c}" for c in event_classes() if c != "Event")
    found: dict[str, set[str]] = defaultdict(set)
    earliest: dict[str, str] = {}
    latest: dict[str, str] = {}
    where = (
        ASSERTED_EVENTS
        + f"?e a ?cls . FILTER(?cls IN ({classes}))\n"
        + "OPTIONAL { ?e dip:earliest ?first } OPTIONAL { ?e dip:latest ?last }"
    )
    for row in select_where(store, "?e ?cls ?first ?last", where):
        e = row["e"]
        found[e].add(row["cls"][len(DIP) :])
        # several reports at different precisions: the narrowest span, as the REST events do
        if "first" in row:
            earliest[e] = max(earliest.get(e, ""), row["first"])
        if "last" in row:
            latest[e] = min(latest.get(e, "~"), row["last"])
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    where = ASSERTED_EVENTS + (
        "?e ?role ?a . FILTER(?role IN (dip:initiator, dip:recipient, dip:participant))"
    )
    for row in select_where(store, "?e ?role ?a", where):
        roles[row["e"]][row["role"][len(DIP) :]].add(local_id(row["a"]))
    return [
        EventFacts(
            id=local_id(e),
            cls=most_specific(names),
            earliest=earliest.get(e, ""),
            latest=latest.get(e, ""),
            initiators=tuple(sorted(roles[e]["initiator"])),
            recipients=tuple(sorted(roles[e]["recipient"])),
            participants=tuple(sorted(set().union(*roles[e].values()))),
        )
        for e, names in sorted(found.items(), key=lambda kv: local_id(kv[0]))
    ]


def actor_infos(store: Readable) -> dict[str, ActorInfo]:
    """Actor id → its label and class, for every actor in the store (two one-pattern queries)."""
    prefix = f'FILTER(STRSTARTS(STR(?a), "{DIPR}actor/"))'
    labels: dict[str, str] = {}
    for row in select_where(store, "?a ?label", f"?a rdfs:label ?label . {prefix}"):
        actor = local_id(row["a"])
        labels[actor] = min(labels.get(actor, row["label"]), row["label"])
    kinds: dict[str, set[str]] = defaultdict(set)
    wanted = ", ".join(f"dip:{k}" for k in ACTOR_KINDS)
    where = f"?a a ?kind . FILTER(?kind IN ({wanted})) {prefix}"
    for row in select_where(store, "?a ?kind", where):
        kinds[local_id(row["a"])].add(row["kind"][len(DIP) :])
    return {
        actor: ActorInfo(
            labels.get(actor, actor), next((k for k in ACTOR_KINDS if k in kinds[actor]), "Actor")
        )
        for actor in sorted(set(labels) | set(kinds))
    }


def overlapping(
    events: Iterable[EventFacts], since: dt.date | None = None, until: dt.date | None = None
) -> list[EventFacts]:
    """The events whose dates overlap [since, until]: `latest` on or after `since`, `earliest` on
    or before `until` (undated events drop out as soon as either bound is given)."""
    low = since.isoformat() if since else None
    high = until.isoformat() if until else None
    return [
        e
        for e in events
        if (low is None or (e.latest and e.latest >= low))
        and (high is None or (e.earliest and e.earliest <= high))
    ]
