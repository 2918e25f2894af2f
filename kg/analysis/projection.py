"""The signed, directed actor graph: who acts towards whom, how often, and how cooperatively.

Built from plain event facts (one `kg.queries.EventFacts` per asserted event, as the read
side's queries give them), so that it can be checked on graphs written by hand. An event links its initiators
to its recipients (initiator → recipient); a meeting, an agreement, talks, mutual cooperation
(the classes `scale.json` marks symmetric) and an event without both an initiator and a
recipient link every pair of their participants both ways.

The graph is a `networkx.DiGraph` with plain attributes only (str, int, float; never None), so
it can be written as GraphML or GEXF as it is:

- node: `label` (str), `type` ("Person", "State", "Organization" or "Actor");
- edge u → v: `weight` (events), `score` (their summed cooperation–conflict score),
  `mean_score` (score / weight, on PLOVER's -10..+10 scale), `cooperation` and `conflict`
  (events of each sign), one count per quad class (`verbal_cooperation`, ...), `mutual` (how
  many of the events are symmetric ones), `first` / `last` (ISO days, "" when no event is
  dated), `classes` ("Agreement:1,Meeting:2").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from kg.analysis.scale import QUADS, class_weights
from kg.queries import ActorInfo, EventFacts, actor_infos, event_facts, overlapping
from kg.store import GraphStore


@dataclass(frozen=True)
class Projection:
    """The signed actor graph, the events it was built from and the events behind each link."""

    graph: nx.DiGraph
    events: Mapping[str, EventFacts]
    links: Mapping[tuple[str, str], tuple[str, ...]]  # (u, v) → event ids, oldest first
    actors: Mapping[str, ActorInfo] = field(default_factory=dict)

    @cached_property
    def undirected(self) -> nx.Graph:
        """Each pair of linked actors once: `weight` counts the distinct events between them
        (either way), `score` sums their scores. What brokerage, communities and paths read."""
        return undirected(self)


def links_of(event: EventFacts) -> list[tuple[str, str]]:
    """The directed links one event makes, as (from, to) actor ids, sorted."""
    people = sorted(set(event.participants) | set(event.initiators) | set(event.recipients))
    weight = class_weights()[event.cls]
    if weight.symmetric or not event.initiators or not event.recipients:
        return [(a, b) for a in people for b in people if a != b]
    return sorted({(a, b) for a in event.initiators for b in event.recipients if a != b})


def project(
    events: Iterable[EventFacts], actors: Mapping[str, ActorInfo] | None = None
) -> Projection:
    """The signed actor graph of these events. Every actor taking part in one is a node (one
    that only acts alone is a node without links); `actors` gives labels and classes.

    Nodes and edges are added in sorted order, so every measure on the graph is reproducible.
    """
    facts = {e.id: e for e in sorted(events, key=lambda e: e.id)}
    known = actors or {}
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    members: set[str] = set()
    for event in facts.values():
        members.update(event.participants, event.initiators, event.recipients)
        for link in links_of(event):
            links[link].append(event.id)
    graph = nx.DiGraph()
    for actor in sorted(members):
        info = known.get(actor) or ActorInfo(actor, "Actor")
        graph.add_node(actor, label=info.label, type=info.type)
    ordered: dict[tuple[str, str], tuple[str, ...]] = {}
    for (u, v), ids in sorted(links.items()):
        ordered[(u, v)] = tuple(sorted(ids, key=lambda i: (facts[i].earliest or "~", i)))
        graph.add_edge(u, v, **link_attributes(facts[i] for i in ids))
    return Projection(graph, facts, ordered, {a: known[a] for a in members if a in known})


def link_attributes(events: Iterable[EventFacts]) -> dict[str, str | int | float]:
    """The plain attributes of a link standing for these events (see the module docstring)."""
    weights = class_weights()
    chosen = list(events)
    quads = Counter(weights[e.cls].quad for e in chosen)
    score = round(sum(weights[e.cls].score for e in chosen), 6)
    firsts = [e.earliest for e in chosen if e.earliest]
    lasts = [e.latest for e in chosen if e.latest]
    classes = Counter(e.cls for e in chosen)
    return {
        "weight": len(chosen),
        "score": score,
        "mean_score": round(score / len(chosen), 6) if chosen else 0.0,
        "cooperation": quads["verbal_cooperation"] + quads["material_cooperation"],
        "conflict": quads["verbal_conflict"] + quads["material_conflict"],
        **{quad: quads[quad] for quad in QUADS},
        "mutual": sum(1 for e in chosen if weights[e.cls].symmetric),
        "first": min(firsts, default=""),
        "last": max(lasts, default=""),
        "classes": ",".join(f"{c}:{n}" for c, n in sorted(classes.items())),
    }


def counts_of(projection: Projection, ids: Iterable[str]) -> dict[str, int]:
    """Events per most specific class, most first, for these event ids."""
    counts = Counter(projection.events[i].cls for i in ids)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def pair_events(projection: Projection, a: str, b: str) -> tuple[str, ...]:
    """The distinct events linking `a` and `b` either way, oldest first."""
    ids = set(projection.links.get((a, b), ())) | set(projection.links.get((b, a), ()))
    facts = projection.events
    return tuple(sorted(ids, key=lambda i: (facts[i].earliest or "~", i)))


def undirected(projection: Projection) -> nx.Graph:
    """The actor graph without direction (see `Projection.undirected`)."""
    graph = nx.Graph()
    graph.add_nodes_from(projection.graph.nodes(data=True))
    weights = class_weights()
    score = {i: weights[e.cls].score for i, e in projection.events.items()}
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (u, v), linked in projection.links.items():
        pairs[(u, v) if u < v else (v, u)].update(linked)
    for (a, b), ids in sorted(pairs.items()):
        graph.add_edge(a, b, weight=len(ids), score=round(sum(score[i] for i in ids), 6))
    return graph


def read_projection(
    store: GraphStore, *, since: dt.date | None = None, until: dt.date | None = None
) -> Projection:
    """The signed actor graph of the store's asserted events whose dates overlap [since, until]
    (read anew: `kg.analysis.projection_of` reads it once per store version)."""
    return project(overlapping(event_facts(store), since, until), actor_infos(store))


def subprojection(projection: Projection, keep: Iterable[str]) -> Projection:
    """The projection of a subset of its events (by id), with the same actor names."""
    wanted = set(keep)
    return project((e for i, e in projection.events.items() if i in wanted), projection.actors)


def bipartite(projection: Projection) -> nx.Graph:
    """The actor–event graph: actor nodes `actor/ID` (bipartite=0, label, type) and event nodes
    `event/ID` (bipartite=1, class, quad, score, earliest, latest), joined by each participation
    (`role`: initiator, recipient or participant). Plain attributes only, as the actor graph."""
    graph = nx.Graph()
    weights = class_weights()
    for actor, data in projection.graph.nodes(data=True):
        graph.add_node(f"actor/{actor}", bipartite=0, kind="actor", **data)
    for event in projection.events.values():
        w = weights[event.cls]
        node = f"event/{event.id}"
        graph.add_node(
            node,
            bipartite=1,
            kind="event",
            label=event.id,
            type=event.cls,
            quad=w.quad,
            score=w.score,
            earliest=event.earliest,
            latest=event.latest,
        )
        for actor in sorted(
            set(event.participants) | set(event.initiators) | set(event.recipients)
        ):
            role = (
                "initiator"
                if actor in event.initiators
                else "recipient"
                if actor in event.recipients
                else "participant"
            )
            graph.add_edge(f"actor/{actor}", node, role=role)
    return graph
