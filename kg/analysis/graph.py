"""The co-occurrence actor graph: actors joined by the events they share, undirected, as a
networkx graph, and the first measures read on it (degree and betweenness, greedy-modularity
communities). The signed, directed graph of `projection` is what the newer measures read.

Built from `kg.queries.participation` (the SPARQL side).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from kg.queries import ACTOR_KINDS, ActorInfo, EventFacts, Participation, Readable, participation

ACTOR_TYPES: tuple[str, ...] = ACTOR_KINDS


def actor_graph(
    store: Readable,
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


def cooccurrence(events: Iterable[EventFacts], actors: Mapping[str, ActorInfo]) -> nx.Graph:
    """The graph of `actor_graph` built from event facts already read (`kg.queries.event_facts`,
    asserted events only): what the REST routes read, once per store version."""
    chosen = list(events)
    members = {e.id: frozenset(e.participants) for e in chosen if e.participants}
    everyone = set().union(*members.values()) if members else set()
    known = {a: actors[a] for a in everyone if a in actors}
    return build_graph(
        Participation(
            members=members,
            classes={e.id: e.cls for e in chosen if e.id in members},
            labels={a: frozenset({info.label}) for a, info in known.items()},
            kinds={a: frozenset({info.type}) for a, info in known.items()},
        )
    )


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


@dataclass(frozen=True)
class ActorScore:
    """An actor's place in the actor graph: degree centrality, summed edge weight, betweenness."""

    id: str
    label: str
    type: str
    degree: float
    weighted_degree: int
    betweenness: float


def centrality(graph: nx.Graph, top: int = 10) -> list[ActorScore]:
    """The `top` actors by degree centrality, then betweenness (both descending), then label.

    Betweenness ignores weights: `weight` counts shared events (a tie's strength, not a distance).
    """
    degree = nx.degree_centrality(graph)
    betweenness = nx.betweenness_centrality(graph)
    scores = [
        ActorScore(
            id=node,
            label=data.get("label", node),
            type=data.get("type", "Actor"),
            degree=degree[node],
            weighted_degree=int(graph.degree(node, weight="weight")),
            betweenness=betweenness[node],
        )
        for node, data in graph.nodes(data=True)
    ]
    scores.sort(key=lambda s: (-s.degree, -s.betweenness, s.label, s.id))
    return scores[:top]


def communities(graph: nx.Graph) -> list[list[str]]:
    """Greedy-modularity communities (weighted) as sorted lists of actor ids, largest first."""
    if graph.number_of_edges() == 0:
        groups: list[Iterable[str]] = [[node] for node in graph.nodes]
    else:
        groups = list(nx.community.greedy_modularity_communities(graph, weight="weight"))
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g))
