"""Actor networks over the actor graph: an actor's ego network, and the paths linking two actors,
with the events behind each link (read back through kg.queries)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import TypedDict

import networkx as nx

from kg.analysis.graph import actor_graph
from kg.analysis.scale import Quad, tally
from kg.queries import (
    ACTOR_KINDS,
    ActorRef,
    ActorView,
    EventView,
    Readable,
    actor_ref,
    actor_view,
    events_by_iri,
    require_actor,
)
from kg.rdf import actor_iri, event_iri


class EdgeView(TypedDict):
    source: str
    target: str
    counts: dict[str, int]
    weight: int
    cooperation: int
    conflict: int
    score: float
    quads: dict[Quad, int]
    events: list[EventView]


class NetworkView(TypedDict):
    nodes: list[ActorView]
    edges: list[EdgeView]


class StepView(TypedDict):
    actor: ActorRef
    via: EventView | None


class PathsView(TypedDict):
    paths: list[list[StepView]]
    a: ActorRef
    b: ActorRef


def ego_network(
    store: Readable,
    actor_id: str,
    *,
    depth: int = 1,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> NetworkView | None:
    """The actors within `depth` links of this one in the actor graph (actors joined by shared
    asserted events), every link among them, the events behind each link and how many of them
    cooperate or conflict (PLOVER's quad classes). None when there is no such actor; an actor
    sharing no event is a network of one node.

    `since` / `until` keep the events whose dates overlap the window (as `actor_graph`).
    """
    if actor_ref(store, actor_id) is None:
        return None
    graph = actor_graph(store, since=since, until=until)
    if actor_id in graph:
        ego = nx.ego_graph(graph, actor_id, radius=depth)
    else:
        ego = nx.Graph()
        ego.add_node(actor_id)
    nodes: dict[str, ActorView] = {}
    for node in ego.nodes:
        actor = actor_view(store, actor_iri(node).value)
        if actor is not None:  # an actor without a class cannot be shown: leave it out
            nodes[node] = actor
    links: list[tuple[str, str, list[str], dict[str, int], int]] = []
    for u, v, data in ego.edges(data=True):
        if u in nodes and v in nodes:
            source, target = sorted((u, v))
            links.append((source, target, list(data["events"]), data["counts"], data["weight"]))
    events = _linked_events(store, (e for link in links for e in link[2]))
    edges = [
        _edge(
            source, target, counts, weight, _oldest_first(events[e] for e in shared if e in events)
        )
        for source, target, shared, counts, weight in links
    ]
    edges.sort(key=lambda e: (-e["weight"], e["source"], e["target"]))
    order = sorted(nodes, key=lambda n: (n != actor_id, nodes[n]["label"].casefold(), n))
    return {"nodes": [nodes[n] for n in order], "edges": edges}


def _edge(
    source: str, target: str, counts: dict[str, int], weight: int, events: list[EventView]
) -> EdgeView:
    """A link of the ego network, with how cooperative its events are on the scale of
    kg.analysis.scale (what the explorer colours it by)."""
    signed = tally(counts)
    return {
        "source": source,
        "target": target,
        "counts": dict(counts),
        "weight": int(weight),
        "cooperation": signed.cooperation,
        "conflict": signed.conflict,
        "score": signed.score,
        "quads": signed.quads,
        "events": events,
    }


def paths(
    store: Readable,
    a: str,
    b: str,
    *,
    max_length: int = 4,
    limit: int = 10,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> PathsView:
    """The shortest chains of actors linking `a` to `b` in the actor graph, at most `max_length`
    links long and at most `limit` of them, shortest first (networkx shortest_simple_paths).

    Each step names an actor and, after the first, `via`: an asserted event that the actor shares
    with the one before it (the most recent such event). No path is an empty list.

    Raises NotFound for an unknown actor, ValueError when `a` and `b` are the same actor.
    """
    first, second = require_actor(store, a), require_actor(store, b)
    if a == b:
        raise ValueError("a and b are the same actor: a path links two different actors")
    graph = actor_graph(store, since=since, until=until)
    chains: list[list[str]] = []
    if a in graph and b in graph:
        try:
            for chain in nx.shortest_simple_paths(graph, a, b):
                if len(chain) - 1 > max_length or len(chains) >= limit:
                    break
                chains.append(chain)
        except nx.NetworkXNoPath:
            pass
    pairs = {(u, v) for chain in chains for u, v in itertools.pairwise(chain)}
    events = _linked_events(store, (e for u, v in pairs for e in graph.edges[u, v]["events"]))

    def via(u: str, v: str) -> EventView | None:
        shared = [events[e] for e in graph.edges[u, v]["events"] if e in events]
        return max(shared, key=_recency, default=None)

    def ref(node: str) -> ActorRef:
        data = graph.nodes[node]
        kind = data.get("type")
        return {
            "id": node,
            "label": data.get("label") or node,
            "type": kind if kind in ACTOR_KINDS else None,
        }

    found: list[list[StepView]] = []
    for chain in chains:
        steps: list[StepView] = [{"actor": ref(chain[0]), "via": None}]
        steps.extend({"actor": ref(v), "via": via(u, v)} for u, v in itertools.pairwise(chain))
        found.append(steps)
    return {"paths": found, "a": first, "b": second}


def _linked_events(store: Readable, event_ids: Iterable[str]) -> dict[str, EventView]:
    """Event id → Event object, for ids taken from the actor graph."""
    events = events_by_iri(store, (event_iri(e).value for e in event_ids))
    return {event["id"]: event for event in events.values()}


def _recency(event: EventView) -> tuple[str, float, str]:
    return (event["earliest"] or "", event["confidence"], event["id"])


def _oldest_first(events: Iterable[EventView]) -> list[EventView]:
    return sorted(events, key=lambda ev: (ev["earliest"] is None, ev["earliest"] or "", ev["id"]))
