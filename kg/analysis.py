"""Networkx projections of the stored graph and the measures run on them.

The actor graph joins two actors that take part in the same event; measures read that graph only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from kg.namespaces import DIP, DIPR
from kg.rdf import local_id
from kg.reading import event_classes_of, most_specific, select_where, xsd_date
from kg.store import GraphStore, Term

ACTOR_TYPES = ("Person", "State", "Organization")

#: The actor classes, for a FILTER(?kind IN (...)): pyoxigraph 0.5 plans the same VALUES join badly
_ACTOR_CLASSES = ", ".join(f"dip:{k}" for k in ACTOR_TYPES)


@dataclass(frozen=True)
class ActorScore:
    """An actor's place in the actor graph: degree centrality, summed edge weight, betweenness."""

    id: str
    label: str
    type: str
    degree: float
    weighted_degree: int
    betweenness: float


def actor_graph(
    store: GraphStore,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_all_modalities: bool = False,
) -> nx.Graph:
    """Actors joined by the events they share (asserted events only unless asked for all).

    `since`/`until` keep events whose `dip:latest` >= since and `dip:earliest` <= until; undated
    events drop out as soon as either bound is given. Nodes are the actors of the kept events.

    The queries stay linear in the number of documents. pyoxigraph 0.5 repeats a triple of the
    union default graph once per document graph holding it, so joining each participant's label
    and class to its events would grow with the square of the documents naming the actor (minutes
    for a few thousand documents): events are joined over event-level triples only, and labels
    and classes read with one-pattern queries, joined here.
    """
    bindings: dict[str, Term] = {}
    selection = "?e a dip:Event .\n"
    if not include_all_modalities:
        selection += "FILTER NOT EXISTS { ?e dip:modality ?anyModality }\n"
    if since is not None:
        selection += "?e dip:latest ?latest . FILTER(?latest >= ?since)\n"
        bindings["since"] = xsd_date(since)
    if until is not None:
        selection += "?e dip:earliest ?earliest . FILTER(?earliest <= ?until)\n"
        bindings["until"] = xsd_date(until)
    members: dict[str, set[str]] = defaultdict(set)
    for row in select_where(store, "?e ?a", selection + "?e dip:participant ?a .", bindings):
        members[local_id(row["e"])].add(local_id(row["a"]))
    classes = event_classes_of(store, selection, bindings)
    kind_of = {local_id(e): most_specific(names) for e, names in classes.items()}
    members = {e: actors for e, actors in members.items() if e in kind_of}
    actors = set().union(*members.values()) if members else set()
    labels: dict[str, set[str]] = defaultdict(set)
    for row in select_where(store, "?a ?label", "?a rdfs:label ?label ."):
        if local_id(row["a"]) in actors and row["a"].startswith(DIPR + "actor/"):
            labels[local_id(row["a"])].add(row["label"])
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in select_where(store, "?a ?kind", f"?a a ?kind . FILTER(?kind IN ({_ACTOR_CLASSES}))"):
        if local_id(row["a"]) in actors and row["a"].startswith(DIPR + "actor/"):
            kinds[local_id(row["a"])].add(row["kind"][len(DIP) :])
    return _build(members, kind_of, labels, kinds)


def _build(
    members: Mapping[str, set[str]],
    kind_of: Mapping[str, str],
    labels: Mapping[str, set[str]],
    kinds: Mapping[str, set[str]],
) -> nx.Graph:
    """Assemble the graph in sorted order, so that every measure on it is reproducible."""
    graph = nx.Graph()
    for actor in sorted(set().union(*members.values()) if members else ()):
        known = [k for k in ACTOR_TYPES if k in kinds.get(actor, ())]
        label = min(labels[actor]) if labels.get(actor) else actor
        graph.add_node(actor, label=label, type=known[0] if known else "Actor")
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for event in sorted(members):
        for a, b in combinations(sorted(members[event]), 2):
            pairs[(a, b)].append(event)
    for (a, b), events in sorted(pairs.items()):
        counts = Counter(kind_of[e] for e in events)
        graph.add_edge(a, b, weight=len(events), counts=dict(sorted(counts.items())), events=events)
    return graph


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
