"""Measures of the actor graph: who is central, and which actors form communities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx


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
