"""Actor networks over the actor graph: an actor's ego network, and the paths linking two actors,
with the events behind each link (read back through kg.queries).

The graph is the cached one (`kg.analysis.cache.actor_graph_of`, once per store version and
window); only the events an answer shows are read from the store."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import weakref
from typing import TypedDict

import networkx as nx

from kg.analysis.cache import (
    actor_graph_of,
    directory_of,
    index_of,
    known_actor,
    require_known_actor,
)
from kg.analysis.index import latest_of, most_recent_first
from kg.analysis.reads import event_details
from kg.analysis.scale import Quad, tally
from kg.queries import (
    ACTOR_KINDS,
    ActorRef,
    ActorView,
    EventView,
)
from kg.rdf import actor_iri
from kg.store import GraphStore

#: Events shown per link of an ego network when the caller does not say: none (the explorer
#: draws links from their counts and pages a link's events with `/events?actor=A&actor=B`).
EVENTS_PER_LINK = 0


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
    store: GraphStore,
    actor_id: str,
    *,
    depth: int = 1,
    since: dt.date | None = None,
    until: dt.date | None = None,
    events_limit: int = EVENTS_PER_LINK,
) -> NetworkView | None:
    """The actors within `depth` links of this one in the actor graph (actors joined by shared
    asserted events), every link among them, how many events are behind each link and how many
    of them cooperate or conflict (PLOVER's quad classes), with the `events_limit` most recent
    of them in full. None when there is no such actor; an actor sharing no event is a network
    of one node.

    `since` / `until` keep the events whose dates overlap the window (as `actor_graph`).
    """
    if known_actor(store, actor_id) is None:
        return None
    graph = actor_graph_of(store, since=since, until=until)
    index = index_of(store)
    if actor_id in graph:
        # a view, not nx.ego_graph's copy of the subgraph (a tenth of the time at 2,000 reports)
        near = nx.single_source_shortest_path_length(graph, actor_id, cutoff=depth)
        ego = graph.subgraph(near)
    else:
        ego = nx.Graph()
        ego.add_node(actor_id)
    directory = directory_of(store).by_iri
    nodes: dict[str, ActorView] = {}
    for node in ego.nodes:
        known = directory.get(actor_iri(node).value)
        if known is not None:  # an actor without a class cannot be shown: leave it out
            nodes[node] = {**known, "event_counts": dict(index.class_counts.get(node, {}))}
    links: list[tuple[str, str, list[str], dict[str, int], int]] = []
    for u, v, data in ego.edges(data=True):
        if u in nodes and v in nodes:
            source, target = sorted((u, v))
            shown = most_recent_first(index, data["events"])[:events_limit]
            links.append((source, target, shown, data["counts"], data["weight"]))
    events = event_details(store, (e for link in links for e in link[2]))
    edges = [
        _edge(source, target, counts, weight, [events[e] for e in shown if e in events])
        for source, target, shown, counts, weight in links
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
    store: GraphStore,
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
    found = path_heads(store, a, b, max_length=max_length, limit=limit, since=since, until=until)
    shown = (step["via"] for chain in found["paths"] for step in chain)
    events = event_details(store, (i for i in shown if i is not None), index_of(store))

    def step(head: StepHead) -> StepView:
        via = head["via"]
        return {"actor": head["actor"], "via": None if via is None else events.get(via)}

    chains = [[step(head) for head in chain] for chain in found["paths"]]
    return {"paths": chains, "a": found["a"], "b": found["b"]}


class StepHead(TypedDict):
    """A step of a path (`StepView`) with its event as an id."""

    actor: ActorRef
    via: str | None


class PathHeads(TypedDict):
    paths: list[list[StepHead]]
    a: ActorRef
    b: ActorRef


#: The most recent event of each link of an actor graph (one graph per store version and
#: window, `actor_graph_of`), found the first time a path goes through the link.
_LATEST: weakref.WeakKeyDictionary[nx.Graph, dict[tuple[str, str], str]] = (
    weakref.WeakKeyDictionary()
)
_LATEST_GUARD = threading.Lock()


def path_heads(
    store: GraphStore,
    a: str,
    b: str,
    *,
    max_length: int = 4,
    limit: int = 10,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> PathHeads:
    """`paths` with each `via` as an event id, none read from the store: for a caller that keeps
    the events' answers itself (the REST route keeps their JSON)."""
    first, second = require_known_actor(store, a), require_known_actor(store, b)
    if a == b:
        raise ValueError("a and b are the same actor: a path links two different actors")
    graph = actor_graph_of(store, since=since, until=until)
    chains: list[list[str]] = []
    if a in graph and b in graph:
        try:
            for chain in nx.shortest_simple_paths(graph, a, b):
                if len(chain) - 1 > max_length or len(chains) >= limit:
                    break
                chains.append(chain)
        except nx.NetworkXNoPath:
            pass
    index = index_of(store)
    with _LATEST_GUARD:
        latest = _LATEST.setdefault(graph, {})
    for pair in {(u, v) for chain in chains for u, v in itertools.pairwise(chain)}:
        if pair not in latest:
            latest[pair] = latest_of(index, graph.edges[pair]["events"])

    def ref(node: str) -> ActorRef:
        data = graph.nodes[node]
        kind = data.get("type")
        return {
            "id": node,
            "label": data.get("label") or node,
            "type": kind if kind in ACTOR_KINDS else None,
        }

    found: list[list[StepHead]] = []
    for chain in chains:
        steps: list[StepHead] = [{"actor": ref(chain[0]), "via": None}]
        steps.extend({"actor": ref(v), "via": latest[(u, v)]} for u, v in itertools.pairwise(chain))
        found.append(steps)
    return {"paths": found, "a": first, "b": second}
