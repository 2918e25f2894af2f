"""Measures of the signed actor graph, each one function saying what it means for diplomacy.

Every function reads a `Projection` (kg.analysis.projection) and answers plain dicts keyed by
actor id; `actor_measures` gathers them into one row per actor. Results are reproducible: the
graph is built in sorted order, and every random choice takes a seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from kg.analysis.projection import Projection

#: Up to this many actors betweenness is exact; above, it is estimated from `k` sampled sources.
EXACT_BETWEENNESS_UP_TO = 1000
#: How many source actors the estimate samples, and the seed it samples them with.
BETWEENNESS_SAMPLE = 100
SEED = 42


def degree(projection: Projection) -> dict[str, int]:
    """How many distinct actors each actor has dealt with, in either direction: the breadth of
    its diplomatic relations."""
    return dict(projection.undirected.degree())


def weighted_degree(projection: Projection) -> dict[str, int]:
    """How many (event, counterpart) ties each actor has, either way: the volume of its
    dealings, an event with three others counting three."""
    return {n: int(d) for n, d in projection.undirected.degree(weight="weight")}


def out_strength(projection: Projection) -> dict[str, int]:
    """Events each actor directs at others (as initiator, or in a meeting or agreement), summed
    over its counterparts: how active it is."""
    return {n: int(d) for n, d in projection.graph.out_degree(weight="weight")}


def in_strength(projection: Projection) -> dict[str, int]:
    """Events others direct at each actor, summed over them: how much it is the object of
    others' diplomacy (courted, accused, sanctioned)."""
    return {n: int(d) for n, d in projection.graph.in_degree(weight="weight")}


def pagerank(projection: Projection, *, alpha: float = 0.85) -> dict[str, float]:
    """PageRank over initiator → recipient links weighted by their events (networkx's scipy
    implementation): an actor ranks high when much is done towards it by actors that are
    themselves much dealt with — the focal points of a region's diplomacy. Sums to 1."""
    if projection.graph.number_of_nodes() == 0:
        return {}
    return dict(nx.pagerank(projection.graph, alpha=alpha, weight="weight"))


@dataclass(frozen=True)
class Brokerage:
    """Betweenness of every actor, and how it was computed: exactly, or estimated from `k`
    sampled source actors drawn with `seed` (networkx's sampled approximation)."""

    scores: Mapping[str, float]
    approximate: bool
    k: int | None
    seed: int | None


def brokerage(
    projection: Projection,
    *,
    k: int | None = None,
    seed: int = SEED,
    exact_up_to: int = EXACT_BETWEENNESS_UP_TO,
) -> Brokerage:
    """Betweenness centrality of the undirected, unweighted actor graph, normalised to [0, 1]:
    the share of shortest chains between two other actors that pass through an actor. A broker
    stands between camps that deal with each other only through it.

    Exact up to `exact_up_to` actors; above, or when `k` is given, networkx estimates it from `k`
    (default BETWEENNESS_SAMPLE) source actors sampled with `seed`, and the answer says so.
    """
    graph = projection.undirected
    n = graph.number_of_nodes()
    if k is None and n <= exact_up_to:
        return Brokerage(nx.betweenness_centrality(graph, normalized=True), False, None, None)
    sample = min(k or BETWEENNESS_SAMPLE, n)
    if sample >= n:
        return Brokerage(nx.betweenness_centrality(graph, normalized=True), False, None, None)
    scores = nx.betweenness_centrality(graph, k=sample, normalized=True, seed=seed)
    return Brokerage(scores, True, sample, seed)


@dataclass(frozen=True)
class Communities:
    """Louvain communities, largest first (each sorted by id), their modularity, and the seed
    and resolution they were found with."""

    groups: tuple[tuple[str, ...], ...]
    modularity: float
    seed: int
    resolution: float

    def membership(self) -> dict[str, int]:
        """Actor id → the index of its community in `groups`."""
        return {actor: i for i, group in enumerate(self.groups) for actor in group}


def louvain_communities(
    projection: Projection, *, seed: int = SEED, resolution: float = 1.0
) -> Communities:
    """Louvain communities of the undirected actor graph, links weighted by their events
    (networkx, seeded: the same store gives the same communities): groups of actors that deal
    with each other more than with the rest — blocs, alliances, regional clusters. An actor
    linked to no other is a community alone."""
    graph = projection.undirected
    if graph.number_of_nodes() == 0:
        return Communities((), 0.0, seed, resolution)
    found = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    groups = tuple(sorted((tuple(sorted(g)) for g in found), key=lambda g: (-len(g), g)))
    quality = (
        nx.community.modularity(graph, [set(g) for g in groups], weight="weight")
        if graph.number_of_edges()
        else 0.0
    )
    return Communities(groups, float(quality), seed, resolution)


@dataclass(frozen=True)
class ActorMeasures:
    """One actor's place in the signed actor graph (see each measure's function)."""

    id: str
    label: str
    type: str
    degree: int
    degree_centrality: float  # degree / (actors - 1)
    weighted_degree: int
    in_strength: int
    out_strength: int
    pagerank: float
    betweenness: float
    community: int  # index into Communities.groups


@dataclass(frozen=True)
class Measures:
    """Every actor's measures, and how brokerage and communities were computed."""

    actors: tuple[ActorMeasures, ...]  # sorted by pagerank, then betweenness, then label
    brokerage: Brokerage
    communities: Communities
    nodes: int
    edges: int

    def by_id(self) -> dict[str, ActorMeasures]:
        return {a.id: a for a in self.actors}


#: What `actor_measures` can sort by (descending); ties by label, then id.
SORT_KEYS = (
    "pagerank",
    "betweenness",
    "degree",
    "weighted_degree",
    "in_strength",
    "out_strength",
)


def actor_measures(
    projection: Projection,
    *,
    k: int | None = None,
    seed: int = SEED,
    exact_up_to: int = EXACT_BETWEENNESS_UP_TO,
    resolution: float = 1.0,
) -> Measures:
    """All the measures above for every actor, computed once (what the routes and the CLI cache
    per store version)."""
    graph = projection.graph
    n = graph.number_of_nodes()
    deg, wdeg = degree(projection), weighted_degree(projection)
    ins, outs = in_strength(projection), out_strength(projection)
    ranks = pagerank(projection)
    broker = brokerage(projection, k=k, seed=seed, exact_up_to=exact_up_to)
    groups = louvain_communities(projection, seed=seed, resolution=resolution)
    member = groups.membership()
    rows = [
        ActorMeasures(
            id=actor,
            label=str(data["label"]),
            type=str(data["type"]),
            degree=deg[actor],
            degree_centrality=deg[actor] / (n - 1) if n > 1 else 0.0,
            weighted_degree=wdeg[actor],
            in_strength=ins[actor],
            out_strength=outs[actor],
            pagerank=float(ranks.get(actor, 0.0)),
            betweenness=float(broker.scores.get(actor, 0.0)),
            community=member[actor],
        )
        for actor, data in graph.nodes(data=True)
    ]
    ordered = tuple(sort_actors(rows, "pagerank"))
    return Measures(ordered, broker, groups, n, graph.number_of_edges())


def sort_actors(
    rows: list[ActorMeasures] | tuple[ActorMeasures, ...], key: str
) -> list[ActorMeasures]:
    """The rows sorted by one measure (descending), then betweenness, then label and id.

    Raises ValueError for a measure not in SORT_KEYS.
    """
    if key not in SORT_KEYS:
        raise ValueError(f"cannot sort by {key!r}: use one of {', '.join(SORT_KEYS)}")
    return sorted(rows, key=lambda r: (-getattr(r, key), -r.betweenness, r.label.casefold(), r.id))
