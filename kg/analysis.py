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
from pyoxigraph import Literal, NamedNode

from kg.namespaces import DIP, XSD
from kg.rdf import local_id, superclasses
from kg.store import GraphStore

ACTOR_TYPES = ("Person", "State", "Organization")

# One row per (event, event class, participant). ?since / ?until are projected because pyoxigraph
# only substitutes variables that appear in the SELECT clause; their values are bound, never
# formatted into the text.
_ACTOR_EVENTS = """SELECT ?e ?cls ?a ?label ?kind {window_vars} WHERE {{
  ?e a dip:Event ; a ?cls ; dip:participant ?a .
  FILTER(STRSTARTS(STR(?cls), STR(dip:)))
  OPTIONAL {{ ?a rdfs:label ?label }}
  OPTIONAL {{ ?a a ?kind . FILTER(?kind IN (dip:Person, dip:State, dip:Organization)) }}
  {filters}
}}"""
_ASSERTED = "FILTER NOT EXISTS { ?e dip:modality ?modality }"
_SINCE = "?e dip:latest ?latest . FILTER(?latest >= ?since)"
_UNTIL = "?e dip:earliest ?earliest . FILTER(?earliest <= ?until)"


@dataclass(frozen=True)
class ActorScore:
    """An actor's place in the actor graph: degree centrality, summed edge weight, betweenness."""

    id: str
    label: str
    type: str
    degree: float
    weighted_degree: int
    betweenness: float


def _xsd_date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=NamedNode(XSD + "date"))


def most_specific(classes: Iterable[str]) -> str:
    """The most specific of an event's class local names ({Meeting, Consult, Event} → Meeting)."""
    closure = superclasses()
    names = set(classes)
    # the class with the most ancestors wins; a class the ontology lacks counts as under dip:Event
    return max(sorted(names), key=lambda c: len(closure.get(c, (c, "Event"))))


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
    """
    filters: list[str] = [] if include_all_modalities else [_ASSERTED]
    bindings: dict[str, Literal] = {}
    if since is not None:
        filters.append(_SINCE)
        bindings["since"] = _xsd_date(since)
    if until is not None:
        filters.append(_UNTIL)
        bindings["until"] = _xsd_date(until)
    query = _ACTOR_EVENTS.format(
        window_vars=" ".join(f"?{name}" for name in bindings), filters="\n  ".join(filters)
    )
    classes: dict[str, set[str]] = defaultdict(set)
    members: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in store.select(query, bindings):
        event, actor = local_id(row["e"]), local_id(row["a"])
        classes[event].add(row["cls"][len(DIP) :])
        members[event].add(actor)
        if "label" in row:
            labels[actor].add(row["label"])
        if "kind" in row:
            kinds[actor].add(row["kind"][len(DIP) :])
    return _build(members, {e: most_specific(c) for e, c in classes.items()}, labels, kinds)


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
