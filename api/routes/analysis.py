"""`/analysis`: measures of the actor graph (actors joined by the asserted events they share).

- `/analysis/centrality`: the most central actors (degree, weighted degree, betweenness);
- `/analysis/communities`: greedy-modularity communities;
- `/analysis/timeline`: an actor's asserted events per month, or those it shares with another.
"""

from __future__ import annotations

from typing import Annotated

import networkx as nx
from fastapi import APIRouter, HTTPException, Query

from api.deps import StoreDep
from api.models import Centrality, Communities, Timeline, errors
from api.routes.params import EventType, check_id, date_query, id_query, window
from kg import analysis, queries
from kg.store import GraphStore

router = APIRouter(prefix="/analysis", tags=["analysis"], responses=errors(422))

_OVERLAP = "YYYY, YYYY-MM or YYYY-MM-DD: only events whose dates overlap the window count"
Since = Annotated[str | None, date_query(_OVERLAP)]
Until = Annotated[str | None, date_query(_OVERLAP)]


@router.get(
    "/centrality",
    response_model=Centrality,
    responses=errors(400),
    summary="The most central actors",
    description="The `top` actors of the actor graph by degree centrality, then betweenness, "
    "then label. `weighted_degree` sums the events an actor shares over its links.",
)
def get_centrality(
    store: StoreDep,
    top: Annotated[int, Query(ge=1, le=500, description="how many actors to answer")] = 10,
    since: Since = None,
    until: Until = None,
) -> Centrality:
    graph = _graph(store, since, until)
    scores = analysis.centrality(graph, top=top)
    return Centrality.model_validate(
        {
            "actors": [
                {
                    "actor": {"id": s.id, "label": s.label, "type": _kind(s.type)},
                    "degree": s.degree,
                    "weighted_degree": s.weighted_degree,
                    "betweenness": s.betweenness,
                }
                for s in scores
            ],
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
        }
    )


@router.get(
    "/communities",
    response_model=Communities,
    responses=errors(400),
    summary="Communities of actors",
    description="Greedy-modularity communities of the actor graph (links weighted by the "
    "events they stand for), largest first; an actor linked to no other is a community alone.",
)
def get_communities(store: StoreDep, since: Since = None, until: Until = None) -> Communities:
    graph = _graph(store, since, until)
    groups = analysis.communities(graph)
    return Communities.model_validate(
        {
            "communities": [
                {"size": len(group), "actors": [_ref(graph, node) for node in group]}
                for group in groups
            ],
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
        }
    )


@router.get(
    "/timeline",
    response_model=Timeline,
    responses=errors(400, 404),
    summary="Events per month of one actor, or of two together",
    description="The asserted events of `a` (shared with `b` when given) per month: each bucket "
    "counts them per most specific class and lists their ids. Events dated to a year only, or "
    "not at all, are in no bucket and counted in `undated`.",
)
def get_timeline(
    store: StoreDep,
    a: Annotated[str, id_query("an actor id", "PRK")],
    b: Annotated[
        str | None, id_query("another actor id: only the events both share", "KOR")
    ] = None,
    event_type: EventType = None,
    since: Annotated[
        str | None, date_query("YYYY, YYYY-MM or YYYY-MM-DD: events starting on or after")
    ] = None,
    until: Annotated[
        str | None, date_query("YYYY, YYYY-MM or YYYY-MM-DD: events ending on or before")
    ] = None,
) -> Timeline:
    check_id("an actor", a)
    if b is not None:
        check_id("an actor", b)
        if b == a:
            raise HTTPException(400, detail="a and b are the same actor: leave b out")
    first, last = window(since, until)
    try:
        found = queries.timeline(store, a, b, event_type=event_type, since=first, until=last)
    except queries.NotFound as err:
        raise HTTPException(404, detail=str(err)) from None
    except ValueError as err:  # an unknown event type
        raise HTTPException(400, detail=str(err)) from None
    return Timeline.model_validate(found)


def _graph(store: GraphStore, since: str | None, until: str | None) -> nx.Graph:
    first, last = window(since, until)
    return analysis.actor_graph(store, since=first, until=last)


def _kind(kind: str | None) -> str | None:
    return kind if kind in queries.ACTOR_KINDS else None


def _ref(graph: nx.Graph, node: str) -> dict[str, str | None]:
    data = graph.nodes[node]
    return {"id": node, "label": data.get("label") or node, "type": _kind(data.get("type"))}
