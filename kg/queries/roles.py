"""Who does what to whom: every asserted event's class, dates and participants by role, and the
actors' names and classes — the plain data the signed actor graph of kg.analysis is built from.

One SELECT per need, each of one triple pattern (see kg.queries on why); the rows are joined
here by event, never walked triple by triple.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.namespaces import DIP, DIPR
from kg.queries.common import ACTOR_KINDS, event_classes
from kg.queries.sparql import Readable, most_specific, select_pairs
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


def _pairs(store: Readable, predicate: str, where: str = "") -> Iterator[tuple[str, str]]:
    """(subject, object) of every `?s predicate ?o` (and the FILTER `where`: this module's own
    text, never a user's). One pattern, no join: pyoxigraph 0.5 joins hundreds of thousands of
    events slowly, while dicts join them here at once. Rows may repeat (an old read-only store
    without the merge is read as the union of its graphs, one row per graph holding a triple)."""
    yield from select_pairs(store, f"SELECT ?s ?o WHERE {{ ?s {predicate} ?o . {where} }}")


def event_facts(store: Readable) -> list[EventFacts]:
    """Every asserted event (no dip:modality) with its most specific class, its narrowest dates
    and its participants by role; sorted by id. One-pattern queries, joined here by event."""
    classes = ", ".join(f"dip:{c}" for c in event_classes() if c != "Event")
    found: dict[str, set[str]] = defaultdict(set)
    for e, cls in _pairs(store, "rdf:type", f"FILTER(?o IN ({classes}))"):
        found[e].add(cls[len(DIP) :])
    for e, _ in _pairs(store, "dip:modality"):
        found.pop(e, None)
    # several reports at different precisions: the narrowest span, as the REST events do
    earliest: dict[str, str] = {}
    for e, day in _pairs(store, "dip:earliest"):
        earliest[e] = max(earliest.get(e, ""), day)
    latest: dict[str, str] = {}
    for e, day in _pairs(store, "dip:latest"):
        latest[e] = min(latest.get(e, "~"), day)
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for role in ("initiator", "recipient", "participant"):
        for e, actor in _pairs(store, f"dip:{role}"):
            if e in found:
                roles[e][role].add(local_id(actor))
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
    actors = f"{DIPR}actor/"
    labels: dict[str, str] = {}
    for a, label in _pairs(store, "rdfs:label"):
        if a.startswith(actors):
            actor = local_id(a)
            labels[actor] = min(labels.get(actor, label), label)
    kinds: dict[str, set[str]] = defaultdict(set)
    wanted = ", ".join(f"dip:{k}" for k in ACTOR_KINDS)
    for a, kind in _pairs(store, "rdf:type", f"FILTER(?o IN ({wanted}))"):
        if a.startswith(actors):
            kinds[local_id(a)].add(kind[len(DIP) :])
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
