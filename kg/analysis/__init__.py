"""Network analysis of the stored graph with networkx, built on kg.queries (its only reader).

Modules: `graph` (the actor graph: actors joined by the events they share), `measures` (centrality,
communities), `network` (ego networks and paths, with the events behind each link). Import from
`kg.analysis` itself: the names below are its interface.
"""

from kg.analysis.graph import ACTOR_TYPES, actor_graph, build_graph
from kg.analysis.measures import ActorScore, centrality, communities
from kg.analysis.network import (
    EdgeView,
    NetworkView,
    PathsView,
    StepView,
    ego_network,
    paths,
)

__all__ = [
    "ACTOR_TYPES",
    "ActorScore",
    "EdgeView",
    "NetworkView",
    "PathsView",
    "StepView",
    "actor_graph",
    "build_graph",
    "centrality",
    "communities",
    "ego_network",
    "paths",
]
