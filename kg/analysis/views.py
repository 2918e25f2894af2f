"""The analysis answers as plain JSON-ready dicts, the same for the HTTP API (`/analysis/...`)
and the CLI (`diplokg analyze ... --json`): pages are {"data", "total", "limit", "offset"}."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kg.analysis.chains import Path
from kg.analysis.measures import ActorMeasures, Communities, Measures
from kg.analysis.projection import Projection, counts_of
from kg.analysis.scale import QUADS
from kg.analysis.time import PairTrend
from kg.queries import events_by_iri
from kg.rdf import event_iri
from kg.store import GraphStore

Json = dict[str, Any]
KINDS = ("Person", "State", "Organization")


def page(items: Sequence[Any], limit: int, offset: int, **extra: Any) -> Json:
    """One page of a list answer, with any extra fields after the four of every list."""
    return {
        "data": list(items[offset : offset + limit]) if limit > 0 else [],
        "total": len(items),
        "limit": limit,
        "offset": offset,
        **extra,
    }


def actor_row(projection: Projection, actor: str) -> Json:
    """{"id", "label", "type"} of an actor of the graph (type null when the store names none)."""
    data = projection.graph.nodes[actor] if actor in projection.graph else {}
    info = projection.actors.get(actor)
    label = data.get("label") or (info.label if info else actor)
    kind = data.get("type") or (info.type if info else None)
    return {"id": actor, "label": label, "type": kind if kind in KINDS else None}


def measures_row(row: ActorMeasures) -> Json:
    return {
        "actor": {
            "id": row.id,
            "label": row.label,
            "type": row.type if row.type in KINDS else None,
        },
        "degree": row.degree,
        "degree_centrality": row.degree_centrality,
        "weighted_degree": row.weighted_degree,
        "in_strength": row.in_strength,
        "out_strength": row.out_strength,
        "pagerank": row.pagerank,
        "betweenness": row.betweenness,
        "community": row.community,
    }


def brokerage_note(measures: Measures) -> Json:
    """How betweenness was computed: exactly, or estimated from `k` sources sampled with `seed`."""
    b = measures.brokerage
    return {"approximate": b.approximate, "k": b.k, "seed": b.seed}


def community_rows(projection: Projection, found: Communities) -> list[Json]:
    return [
        {"id": i, "size": len(group), "actors": [actor_row(projection, a) for a in group]}
        for i, group in enumerate(found.groups)
    ]


def edge_row(projection: Projection, u: str, v: str) -> Json:
    """A directed link u → v: its attributes, its events per quad and class, and their ids."""
    data = projection.graph.edges[u, v]
    ids = projection.links[(u, v)]
    return {
        "source": u,
        "target": v,
        "weight": data["weight"],
        "score": data["score"],
        "mean_score": data["mean_score"],
        "cooperation": data["cooperation"],
        "conflict": data["conflict"],
        "mutual": data["mutual"],
        "quads": {q: data[q] for q in QUADS},
        "counts": counts_of(projection, ids),
        "first": data["first"] or None,
        "last": data["last"] or None,
        "events": list(ids),
    }


def ego_view(
    projection: Projection, ego: Projection, actor: str, radius: int, limit: int, offset: int
) -> Json:
    """An ego network: its actors (the centre first, then by label) and a page of its links,
    heaviest first."""
    others = sorted(
        (n for n in ego.graph if n != actor),
        key=lambda n: (str(ego.graph.nodes[n]["label"]).casefold(), n),
    )
    nodes = [
        {
            **actor_row(ego, n),
            "in_strength": int(ego.graph.in_degree(n, weight="weight")),
            "out_strength": int(ego.graph.out_degree(n, weight="weight")),
        }
        for n in ([actor] if actor in ego.graph else []) + others
    ]
    edges = sorted(ego.graph.edges, key=lambda e: (-ego.graph.edges[e]["weight"], e))
    rows = [edge_row(ego, u, v) for u, v in edges]
    return page(
        rows, limit, offset, center=actor_row(projection, actor), radius=radius, nodes=nodes
    )


def path_rows(
    projection: Projection, paths: Sequence[Path], events: Mapping[str, Any]
) -> list[Json]:
    """Paths with, for each hop, the event that justifies it (`via`: a REST Event object with
    its evidence: document, sentence, offsets), taken from `events` (event id → Event)."""
    return [
        {
            "length": path.length,
            "actors": [actor_row(projection, a) for a in path.actors],
            "hops": [
                {
                    "source": h.source,
                    "target": h.target,
                    "direction": h.direction,
                    "events": len(h.events),
                    "score": h.score,
                    "counts": counts_of(projection, h.events),
                    "event_ids": list(h.events),
                    "via": events.get(h.via),
                }
                for h in path.hops
            ],
        }
        for path in paths
    ]


def paths_with_evidence(
    store: GraphStore, projection: Projection, paths: Sequence[Path]
) -> list[Json]:
    """`path_rows`, the events behind the hops read from the store (one batch of queries)."""
    wanted = {h.via for p in paths for h in p.hops}
    found = events_by_iri(store, (event_iri(e).value for e in wanted))
    return path_rows(projection, paths, {event["id"]: event for event in found.values()})


def trend_view(projection: Projection, trend: PairTrend, limit: int, offset: int) -> Json:
    buckets = [
        {
            "period": b.period,
            "events": b.events,
            "a_to_b": b.a_to_b,
            "b_to_a": b.b_to_a,
            "mutual": b.mutual,
            "cooperation": b.cooperation,
            "conflict": b.conflict,
            "score": b.score,
            "mean_score": b.mean_score,
        }
        for b in trend.buckets
    ]
    return page(
        buckets,
        limit,
        offset,
        a=actor_row(projection, trend.a),
        b=actor_row(projection, trend.b),
        by=trend.by,
        events=trend.total,
        undated=trend.undated,
        slope=trend.slope,
        direction=trend.direction,
    )
