"""How two actors are connected: chains of actors through the signed actor graph, each link with
the events behind it and the one event that justifies it (its sentence is the hop's evidence)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Literal

import networkx as nx

from kg.analysis.projection import Projection, pair_events

Direction = Literal["forward", "backward", "both"]


@dataclass(frozen=True)
class Hop:
    """One link of a chain: `source` and `target` in the chain's order, which way the events
    run (`forward`: source → target only, `backward`, or `both`), the events linking them
    (oldest first), their summed score, and `via`: the most recent of them, the evidence."""

    source: str
    target: str
    direction: Direction
    events: tuple[str, ...]
    score: float
    via: str


@dataclass(frozen=True)
class Path:
    """A chain of distinct actors from one to another, and its links."""

    actors: tuple[str, ...]
    hops: tuple[Hop, ...]

    @property
    def length(self) -> int:
        return len(self.hops)


def hop(projection: Projection, source: str, target: str) -> Hop:
    """The link from `source` to `target` (which must be linked, either way)."""
    forward = projection.links.get((source, target), ())
    backward = projection.links.get((target, source), ())
    ids = pair_events(projection, source, target)
    facts = projection.events
    direction: Direction = "both" if forward and backward else "forward" if forward else "backward"
    score = projection.undirected.edges[source, target]["score"]
    via = max(ids, key=lambda i: (facts[i].latest or facts[i].earliest, i))
    return Hop(source, target, direction, ids, float(score), via)


def _chain(projection: Projection, actors: list[str]) -> Path:
    return Path(tuple(actors), tuple(hop(projection, u, v) for u, v in pairwise(actors)))


def _check(projection: Projection, a: str, b: str) -> bool:
    """Whether both actors are in the graph; ValueError when they are the same actor."""
    if a == b:
        raise ValueError("a and b are the same actor: a path links two different actors")
    return a in projection.undirected and b in projection.undirected


def shortest_paths(projection: Projection, a: str, b: str, *, limit: int = 10) -> list[Path]:
    """Every shortest chain of actors linking `a` to `b` (ignoring direction), at most `limit`,
    in sorted order: the fewest introductions one needs to reach the other. Empty when no chain
    links them, or when one of them is not in the graph."""
    if not _check(projection, a, b):
        return []
    try:
        chains = sorted(nx.all_shortest_paths(projection.undirected, a, b))
    except nx.NetworkXNoPath:
        return []
    return [_chain(projection, c) for c in chains[:limit]]


def simple_paths(
    projection: Projection, a: str, b: str, *, max_length: int = 4, limit: int = 10
) -> list[Path]:
    """The chains of distinct actors linking `a` to `b`, at most `max_length` links long and at
    most `limit` of them, shortest first (networkx shortest_simple_paths): every channel through
    which the two are connected, not only the shortest."""
    if not _check(projection, a, b):
        return []
    found: list[Path] = []
    try:
        for chain in islice(nx.shortest_simple_paths(projection.undirected, a, b), limit):
            if len(chain) - 1 > max_length:
                break
            found.append(_chain(projection, chain))
    except nx.NetworkXNoPath:
        return []
    return found


def ego(projection: Projection, actor: str, *, radius: int = 1) -> Projection:
    """The actors within `radius` links of `actor` (either way) and every link among them, with
    their events: an actor's diplomatic neighbourhood. A projection of one node when the actor
    has no link; an empty one when it is not in the graph."""
    if actor not in projection.undirected:
        return Projection(nx.DiGraph(), {}, {}, {})
    near = set(nx.ego_graph(projection.undirected, actor, radius=radius).nodes)
    links = {(u, v): ids for (u, v), ids in projection.links.items() if u in near and v in near}
    used = {i for ids in links.values() for i in ids}
    graph = projection.graph.subgraph(sorted(near)).copy()
    events = {i: e for i, e in projection.events.items() if i in used}
    actors = {a: info for a, info in projection.actors.items() if a in near}
    return Projection(graph, events, links, actors)
