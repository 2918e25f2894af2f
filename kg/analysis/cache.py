"""Analysis results computed once per state of the store, not once per request.

Each store gets its own small LRU of results, keyed by the store's version (it changes with
every write, so a write makes the next request recompute) and the parameters asked. Two
requests asking the same thing at once compute it once: the second waits for the first.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import networkx as nx

from kg.analysis.graph import cooccurrence
from kg.analysis.index import EventIndex, build_index
from kg.analysis.measures import SEED, Measures, actor_measures
from kg.analysis.projection import Projection, project
from kg.queries import (
    ActorDirectory,
    ActorInfo,
    ActorRef,
    EventFacts,
    EventView,
    NotFound,
    actor_directory,
    actor_infos,
    event_facts,
    overlapping,
    valid_id,
)
from kg.store import GraphStore

T = TypeVar("T")

#: Results kept per store; older ones are dropped first.
MAX_ENTRIES = 32


def store_version(store: GraphStore) -> Hashable:
    """What changes with every write to the store: its `version` where it has one, else its
    count of writes (GraphStore.writes)."""
    version = getattr(store, "version", None)
    return version if version is not None else store.writes


class ResultCache:
    """Results per (store version, name, parameters), for each open store."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._stores: weakref.WeakKeyDictionary[GraphStore, OrderedDict[Hashable, Any]] = (
            weakref.WeakKeyDictionary()
        )
        self._locks: weakref.WeakKeyDictionary[GraphStore, dict[Hashable, threading.Lock]] = (
            weakref.WeakKeyDictionary()
        )
        self._guard = threading.Lock()
        self.computed = 0  # how many results were computed rather than found

    def get(self, store: GraphStore, name: str, params: Hashable, compute: Callable[[], T]) -> T:
        """The result `compute()` gives for this store in its present state, computed once."""
        key = (store_version(store), name, params)
        with self._guard:
            entries = self._stores.setdefault(store, OrderedDict())
            if key in entries:
                entries.move_to_end(key)
                return entries[key]
            lock = self._locks.setdefault(store, {}).setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in entries:
                    return entries[key]
            value = compute()
            with self._guard:
                self.computed += 1
                entries[key] = value
                while len(entries) > self.max_entries:
                    entries.popitem(last=False)
                self._locks.get(store, {}).pop(key, None)
            return value

    def clear(self) -> None:
        with self._guard:
            self._stores.clear()
            self._locks.clear()


#: The process's cache (the HTTP app's stores, notebooks).
CACHE = ResultCache()

#: Whole Event objects kept per store (with their evidence, about a kilobyte each).
MAX_EVENTS = 20_000


class EventMemo(Generic[T]):
    """Whole events by id (Event objects, or what a caller makes of them) for each open store in
    its present state, the most recently used kept. An event's details take several joins that
    pyoxigraph answers in tens of microseconds per row; a route that shows the same events
    again (an actor's relations, its network) reads only the ones it has not shown since the
    last write."""

    def __init__(self, max_events: int = MAX_EVENTS) -> None:
        self.max_events = max_events
        self._stores: weakref.WeakKeyDictionary[
            GraphStore, tuple[Hashable, OrderedDict[str, T]]
        ] = weakref.WeakKeyDictionary()
        self._guard = threading.Lock()
        self.read = 0  # events read from the store rather than found

    def get(
        self,
        store: GraphStore,
        ids: Iterable[str],
        read: Callable[[list[str]], Mapping[str, T]],
    ) -> dict[str, T]:
        """Event id → its value for these ids, `read(missing ids)` for those not kept; an id the
        store does not have is left out, as `read` leaves it out."""
        wanted = list(dict.fromkeys(ids))
        version = store_version(store)
        with self._guard:
            kept_version, kept = self._stores.get(store, (None, OrderedDict()))
            if kept_version != version:
                kept = OrderedDict()
                self._stores[store] = (version, kept)
            found = {i: kept[i] for i in wanted if i in kept}
            for i in found:
                kept.move_to_end(i)
        missing = [i for i in wanted if i not in found]
        if missing:
            fresh = read(missing)
            found.update(fresh)
            with self._guard:
                self.read += len(fresh)
                if self._stores.get(store, (None, None))[0] == version:
                    kept.update(fresh)
                    while len(kept) > self.max_events:
                        kept.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._guard:
            self._stores.clear()


#: The process's Event objects (kg.analysis.reads.event_details).
EVENTS: EventMemo[EventView] = EventMemo()


def facts_of(store: GraphStore) -> tuple[list[EventFacts], dict[str, ActorInfo]]:
    """Every asserted event's facts and every actor's name and class, read once per store
    version: what the projection, the event index and the actor graph are built from."""
    return CACHE.get(store, "facts", None, lambda: (event_facts(store), actor_infos(store)))


def index_of(store: GraphStore) -> EventIndex:
    """The store's asserted events indexed by actor and date (kg.analysis.index), once per
    store version."""
    return CACHE.get(store, "index", None, lambda: build_index(*facts_of(store)))


def known_actor(store: GraphStore, actor_id: str) -> ActorRef | None:
    """`kg.queries.actor_ref` (the actor's id, label and class, None when there is no such
    actor) read from the event index of the store's present state rather than by a query per
    request: the index holds every actor's label and class (`actor_infos`), and an actor is one
    when it has one of the three classes."""
    if not valid_id(actor_id):
        return None
    index = index_of(store)
    info = index.actors.get(actor_id)
    kind = index.kind(actor_id)
    if info is None or kind is None:
        return None
    return {"id": actor_id, "label": info.label or actor_id, "type": kind}


def require_known_actor(store: GraphStore, actor_id: str) -> ActorRef:
    """`known_actor`; NotFound (as `kg.queries.require_actor`) when there is no such actor."""
    found = known_actor(store, actor_id)
    if found is None:
        raise NotFound(f"no actor with id {actor_id}")
    return found


def directory_of(store: GraphStore) -> ActorDirectory:
    """Every actor with its names, kinds and posts (kg.queries.actor_directory), once per store
    version: what `/actors` searches and pages."""
    return CACHE.get(store, "directory", None, lambda: actor_directory(store))


def actor_graph_of(
    store: GraphStore, *, since: dt.date | None = None, until: dt.date | None = None
) -> nx.Graph:
    """The undirected actor graph of shared asserted events overlapping [since, until]
    (`kg.analysis.graph.cooccurrence`), once per store version and window."""
    events, actors = facts_of(store)
    return CACHE.get(
        store,
        "actor graph",
        (since, until),
        lambda: cooccurrence(overlapping(events, since, until), actors),
    )


def warm(store: GraphStore) -> None:
    """Read what the REST routes answer from, ahead of the first request that needs it."""
    index_of(store)
    directory_of(store)


def projection_of(
    store: GraphStore, *, since: dt.date | None = None, until: dt.date | None = None
) -> Projection:
    """The signed actor graph of the store's asserted events overlapping [since, until], read
    once per store version."""
    facts = facts_of(store)
    if since is None and until is None:
        return CACHE.get(store, "projection", None, lambda: project(*facts))
    events = overlapping(facts[0], since, until)
    return CACHE.get(store, "projection", (since, until), lambda: project(events, facts[1]))


def measures_of(
    store: GraphStore,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    k: int | None = None,
    seed: int = SEED,
    resolution: float = 1.0,
) -> Measures:
    """Every actor's measures (kg.analysis.measures.actor_measures), once per store version."""
    projection = projection_of(store, since=since, until=until)
    return CACHE.get(
        store,
        "measures",
        (since, until, k, seed, resolution),
        lambda: actor_measures(projection, k=k, seed=seed, resolution=resolution),
    )
