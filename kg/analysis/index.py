"""Who took part in which asserted events, indexed once per store version: what the REST read
routes page and count in memory before they read the details of the few events they show.

At a million triples one SPARQL join over an actor's thousands of events costs hundreds of ms in
pyoxigraph, for every request; the index costs one read of the event facts per store version
(the read `/analysis/...` shares, `kg.analysis.cache`) and then microseconds per event. Event
details (labels, places, evidence) still come from the store, `kg.queries.events_by_iri`, for
the events of the page only.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from kg.queries import ACTOR_KINDS, ActorInfo, EventFacts
from kg.rdf import actor_iri, superclasses
from kg.records import ActorKind


def oldest_first(event: EventFacts) -> tuple[bool, str, str]:
    """Dated events by their first possible day, then undated ones; ties by id."""
    return (not event.earliest, event.earliest, event.id)


@dataclass(frozen=True)
class EventIndex:
    """The store's asserted events by id, every one in date order, and each actor's events."""

    events: Mapping[str, EventFacts]
    actors: Mapping[str, ActorInfo]
    #: every asserted event id, oldest first (undated last, then by id)
    ordered: tuple[str, ...]
    #: actor id → the ids of its asserted events, oldest first
    by_actor: Mapping[str, tuple[str, ...]]

    @cached_property
    def names(self) -> Mapping[str, tuple[str | None, ActorKind | None]]:
        """Actor IRI → (label, class) of every actor, as `kg.queries.refs` reads them."""
        return {actor_iri(a).value: (i.label, self.kind(a)) for a, i in self.actors.items()}

    @cached_property
    def class_counts(self) -> Mapping[str, dict[str, int]]:
        """Actor id → its asserted events per most specific class, most first (Actor objects'
        `event_counts`)."""
        counts: dict[str, dict[str, int]] = {}
        for actor, ids in self.by_actor.items():
            tally: dict[str, int] = defaultdict(int)
            for i in ids:
                tally[self.events[i].cls] += 1
            counts[actor] = dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
        return counts

    def label(self, actor: str) -> str:
        info = self.actors.get(actor)
        return info.label if info else actor

    def kind(self, actor: str) -> ActorKind | None:
        """The actor's class; None when the store names none (ActorInfo says "Actor")."""
        info = self.actors.get(actor)
        return next((k for k in ACTOR_KINDS if info and info.type == k), None)


def build_index(events: Iterable[EventFacts], actors: Mapping[str, ActorInfo]) -> EventIndex:
    """The index of these events (as `kg.queries.event_facts` reads them)."""
    facts = {e.id: e for e in events}
    ordered = tuple(e.id for e in sorted(facts.values(), key=oldest_first))
    by_actor: dict[str, list[str]] = defaultdict(list)
    for i in ordered:
        for actor in facts[i].participants:
            by_actor[actor].append(i)
    return EventIndex(facts, dict(actors), ordered, {a: tuple(ids) for a, ids in by_actor.items()})


def of_class(event_type: str | None) -> frozenset[str] | None:
    """The most specific classes an event of `event_type` (subclasses included) may have; None
    for any class. The caller has checked the name (`kg.queries.check_event_type`)."""
    if event_type is None:
        return None
    return frozenset(c for c, sup in superclasses().items() if event_type in sup)


def within(event: EventFacts, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether the event is dated within [since, until]: its first possible day on or after
    `since`, its last on or before `until` (undated events drop out when either is given), as
    `kg.queries.within` asks the store."""
    if since is not None and not (event.earliest and event.earliest >= since.isoformat()):
        return False
    return until is None or bool(event.latest and event.latest <= until.isoformat())


def select(
    index: EventIndex,
    ids: Iterable[str],
    *,
    classes: frozenset[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[str]:
    """The ids kept by a class filter (`of_class`) and a date window (`within`), in order."""
    if classes is None and since is None and until is None:
        return list(ids)
    events = index.events
    return [
        i
        for i in ids
        if (classes is None or events[i].cls in classes) and within(events[i], since, until)
    ]


def shared(index: EventIndex, actors: Sequence[str]) -> list[str]:
    """The ids of the events every one of `actors` takes part in, oldest first."""
    if not actors:
        return list(index.ordered)
    lists = sorted((index.by_actor.get(a, ()) for a in actors), key=len)
    if len(lists) == 1:  # one actor: its events as they are (no test per event)
        return list(lists[0])
    others = [set(ids) for ids in lists[1:]]
    if len(others) == 1:
        other = others[0]
        return [i for i in lists[0] if i in other]
    return [i for i in lists[0] if all(i in other for other in others)]


def most_recent_first(index: EventIndex, ids: Iterable[str]) -> list[str]:
    """Dated events, the latest first, then undated ones by id."""
    events = index.events
    chosen = list(ids)
    dated = sorted((i for i in chosen if events[i].earliest), key=lambda i: (events[i].earliest, i))
    return dated[::-1] + sorted(i for i in chosen if not events[i].earliest)


def latest_of(index: EventIndex, ids: Iterable[str]) -> str:
    """The first of `most_recent_first`: the latest dated event (by first possible day, then
    id), else the first undated one by id; without sorting them all."""
    events = index.events
    chosen = list(ids)
    dated = [i for i in chosen if events[i].earliest]
    if dated:
        return max(dated, key=lambda i: (events[i].earliest, i))
    return min(chosen)


def latest_first(index: EventIndex, ids: Sequence[str], limit: int | None = None) -> list[str]:
    """`most_recent_first` of ids already in the index's order (oldest first, undated last), the
    first `limit` of them: found by bisection, so an actor's thousands of events are not walked."""
    events = index.events
    dated = bisect.bisect_left(ids, True, key=lambda i: not events[i].earliest)
    wanted = len(ids) if limit is None else limit
    newest = ids[max(0, dated - wanted) : dated][::-1]
    return [*newest, *ids[dated : dated + max(0, wanted - len(newest))]]
