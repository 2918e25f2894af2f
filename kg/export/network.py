"""The actor network as GraphML or GEXF (Gephi): `kg.analysis`' signed directed actor graph, with
plain attributes only.

networkx's writers take no None and want one type per attribute, so every node has every
attribute: `label`, `type`, `iso3` ("" when not a state), `events` and one `events_<Class>` count
per event class, `cooperation` and `conflict` (events of each sign), `score` (their summed
cooperation–conflict score), `first` / `last` (ISO days, "" when undated). Edges keep the
projection's attributes (`weight`, `score`, `mean_score`, `cooperation`, `conflict`, the four quad
counts, `mutual`, `first`, `last`, `classes`). In GEXF, a dated node or edge also gets `start` and
`end`, which Gephi reads as its time interval.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx

from kg.analysis import read_projection
from kg.analysis.scale import class_weights
from kg.rdf import local_id
from kg.store import GraphStore

_ISO = "SELECT ?a ?iso WHERE { ?a a dip:State ; dip:iso3 ?iso }"


def actor_network(store: GraphStore, *, dynamic: bool = False) -> nx.DiGraph:
    """The actor network with the attributes above (`dynamic`: with GEXF's start and end)."""
    projection = read_projection(store)
    graph: nx.DiGraph = projection.graph.copy()
    iso = {local_id(r["a"]): r["iso"] for r in store.select(_ISO)}
    weights = class_weights()
    classes = sorted({e.cls for e in projection.events.values()})
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    days: dict[str, list[str]] = defaultdict(list)
    for event in projection.events.values():
        for actor in set(event.participants) | set(event.initiators) | set(event.recipients):
            counts[actor][event.cls] += 1
            days[actor] += [d for d in (event.earliest, event.latest) if d]
    for actor, data in graph.nodes(data=True):
        seen = counts[actor]
        data["iso3"] = iso.get(actor, "")
        data["events"] = sum(seen.values())
        for cls in classes:
            data[f"events_{cls}"] = seen[cls]
        data["cooperation"] = sum(n for c, n in seen.items() if weights[c].cooperation)
        data["conflict"] = sum(n for c, n in seen.items() if not weights[c].cooperation)
        data["score"] = round(sum(weights[c].score * n for c, n in seen.items()), 6)
        data["first"] = min(days[actor], default="")
        data["last"] = max(days[actor], default="")
    if dynamic:
        for _, data in graph.nodes(data=True):
            _interval(data)
        for _, _, data in graph.edges(data=True):
            _interval(data)
    return graph


def _interval(data: dict[str, object]) -> None:
    if data.get("first"):
        data["start"] = data["first"]
        data["end"] = data["last"] or data["first"]


def write_network(store: GraphStore, out: Path) -> tuple[int, int]:
    """Write the network to `out` (.graphml or .gexf, through `out.tmp`): (nodes, edges)."""
    gexf = out.suffix.lower() == ".gexf"
    graph = actor_network(store, dynamic=gexf)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    try:
        if gexf:
            nx.write_gexf(graph, tmp)
        else:
            nx.write_graphml(graph, tmp)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return graph.number_of_nodes(), graph.number_of_edges()
