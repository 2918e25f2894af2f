"""The actor graph: actors joined by the events they share, as a networkx graph.

Built from `kg.queries.participation` (the SPARQL side); the measures read this graph only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx

from kg.queries import ACTOR_KINDS, Participation, participation
from kg.store import GraphStore

ACTOR_TYPES: tuple[str, ...] = ACTOR_KINDS


def actor_graph(
    store: GraphStore,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_all_modalities: bool = False,
) -> nx.Graph:
    """Actors joined by the events they share (asserted events only unless asked for all).

    `since`/`until` keep events whose `dip:latest` >= since and `dip:earliest` <= until; undated
    events drop out as soon as either bound is given. Nodes are the actors of the kept events;
    each edge has `weight` (shared events), `counts` (per most specific class) and `events` (ids).
    """
    found = participation(
        store, since=since, until=until, include_all_modalities=include_all_modalities
    )
    return build_graph(found)


def build_graph(found: Participation) -> nx.Graph:
    """Assemble the graph in sorted order, so that every measure on it is reproducible."""
    members = found.members
    graph = nx.Graph()
    for actor in sorted(set().union(*members.values()) if members else ()):
        known = [k for k in ACTOR_TYPES if k in found.kinds.get(actor, ())]
        labels = found.labels.get(actor)
        graph.add_node(
            actor, label=min(labels) if labels else actor, type=known[0] if known else "Actor"
        )
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for event in sorted(members):
        for a, b in combinations(sorted(members[event]), 2):
            pairs[(a, b)].append(event)
    for (a, b), events in sorted(pairs.items()):
        counts = Counter(found.classes[e] for e in events)
        graph.add_edge(a, b, weight=len(events), counts=dict(sorted(counts.items())), events=events)
    return graph
