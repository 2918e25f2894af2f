"""`/analysis`: measures of the signed actor graph (kg.analysis), computed once per store version.

- `/analysis/centrality`: every actor's degree, strength, PageRank, betweenness and community;
- `/analysis/communities`: Louvain communities;
- `/analysis/paths`: chains of actors linking two, with the event behind each hop;
- `/analysis/ego`: an actor's signed ego network;
- `/analysis/trend`: a pair's cooperation–conflict trend; `/analysis/timeline`: events per month;
- `/analysis/slices`: the measures per month or year;
- `POST /analysis/results`: write the measures back as RDF (needs the write token).

Each read route checks its parameters here and runs its read (the function after it) in the query
workers (`api.rest`), whose processes keep kg.analysis's cache per store version.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.auth import WRITE_ERRORS, WriteAccess
from api.deps import ReadsDep, StoreDep
from api.models import (
    AnalysisPaths,
    Centrality,
    Communities,
    Ego,
    ResultsWritten,
    Slices,
    Timeline,
    Trend,
    errors,
)
from api.routes.params import EventType, Limit, Offset, check_id, date_query, id_query, window
from kg import analysis, queries
from kg.store import GraphStore

router = APIRouter(prefix="/analysis", tags=["analysis"], responses=errors(406, 422, 503))

_OVERLAP = "YYYY, YYYY-MM or YYYY-MM-DD: only events whose dates overlap the window count"
Since = Annotated[str | None, date_query(_OVERLAP)]
Until = Annotated[str | None, date_query(_OVERLAP)]
Sort = Annotated[
    Literal["pagerank", "betweenness", "degree", "weighted_degree", "in_strength", "out_strength"],
    Query(description="the measure to sort actors by, highest first"),
]
By = Annotated[Literal["month", "year"], Query(description="the length of a period")]
ActorA = Annotated[str, id_query("an actor id", "PRK")]
ActorB = Annotated[str, id_query("another actor id", "KOR")]


@router.get(
    "/centrality",
    response_model=Centrality,
    responses=errors(400),
    summary="Every actor's measures",
    description="Degree, in/out strength, PageRank, betweenness (brokerage) and Louvain community "
    "of every actor of the signed actor graph, sorted by `sort`. Betweenness is exact up to "
    f"{analysis.EXACT_BETWEENNESS_UP_TO} actors, else estimated from a seeded sample of "
    f"{analysis.BETWEENNESS_SAMPLE} sources: `betweenness` says which.",
)
async def get_centrality(
    reads: ReadsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: Sort = "pagerank",
    since: Since = None,
    until: Until = None,
) -> Response:
    first, last = window(since, until)
    return await reads(centrality, limit=limit, offset=offset, sort=sort, since=first, until=last)


def centrality(
    store: GraphStore,
    *,
    limit: int,
    offset: int,
    sort: str,
    since: dt.date | None,
    until: dt.date | None,
) -> Centrality:
    measures = analysis.measures_of(store, since=since, until=until)
    rows = [analysis.measures_row(r) for r in analysis.sort_actors(measures.actors, sort)]
    answer = analysis.page(
        rows,
        limit,
        offset,
        sort=sort,
        nodes=measures.nodes,
        edges=measures.edges,
        betweenness=analysis.brokerage_note(measures),
    )
    return Centrality.model_validate(answer)


@router.get(
    "/communities",
    response_model=Communities,
    responses=errors(400),
    summary="Communities of actors",
    description="Louvain communities of the actor graph (links weighted by their events, seeded: "
    "the same store gives the same answer), largest first; an actor linked to no other is a "
    "community alone.",
)
async def get_communities(
    reads: ReadsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    since: Since = None,
    until: Until = None,
) -> Response:
    first, last = window(since, until)
    return await reads(communities, limit=limit, offset=offset, since=first, until=last)


def communities(
    store: GraphStore, *, limit: int, offset: int, since: dt.date | None, until: dt.date | None
) -> Communities:
    projection = analysis.projection_of(store, since=since, until=until)
    found = analysis.measures_of(store, since=since, until=until).communities
    answer = analysis.page(
        analysis.community_rows(projection, found),
        limit,
        offset,
        nodes=projection.graph.number_of_nodes(),
        edges=projection.graph.number_of_edges(),
        modularity=found.modularity,
        seed=found.seed,
        resolution=found.resolution,
    )
    return Communities.model_validate(answer)


@router.get(
    "/paths",
    response_model=AnalysisPaths,
    responses=errors(400, 404),
    summary="How two actors are connected",
    description="Chains of actors linking `a` to `b` through asserted events (in either "
    "direction): every shortest one (`mode=shortest`), or every one up to `max_length` links, "
    "shortest first (`mode=all`). Each hop names the event that justifies it, with its sentence.",
)
async def get_paths(
    reads: ReadsDep,
    a: ActorA,
    b: ActorB,
    mode: Annotated[Literal["shortest", "all"], Query(description="which paths")] = "shortest",
    max_length: Annotated[int, Query(ge=1, le=6, description="links at most (mode=all)")] = 4,
    limit: Annotated[int, Query(ge=1, le=100, description="page size")] = 10,
    offset: Annotated[int, Query(ge=0, le=1000, description="paths to skip")] = 0,
    since: Since = None,
    until: Until = None,
) -> Response:
    check_id("an actor", a)
    check_id("an actor", b)
    if a == b:
        raise HTTPException(400, detail="a and b are the same actor: a path links two actors")
    first, last = window(since, until)
    return await reads(
        paths,
        a=a,
        b=b,
        mode=mode,
        max_length=max_length,
        limit=limit,
        offset=offset,
        since=first,
        until=last,
    )


def paths(
    store: GraphStore,
    *,
    a: str,
    b: str,
    mode: str,
    max_length: int,
    limit: int,
    offset: int,
    since: dt.date | None,
    until: dt.date | None,
) -> AnalysisPaths:
    first_ref, second_ref = _actor(store, a), _actor(store, b)
    projection = analysis.projection_of(store, since=since, until=until)
    wanted = offset + limit
    if mode == "shortest":
        found = analysis.shortest_paths(projection, a, b, limit=wanted)
    else:
        found = analysis.simple_paths(projection, a, b, max_length=max_length, limit=wanted)
    rows = analysis.paths_with_evidence(store, projection, found[offset:])
    answer = {
        "data": rows,
        "total": len(found),
        "limit": limit,
        "offset": offset,
        "a": first_ref,
        "b": second_ref,
        "mode": mode,
        "max_length": max_length,
    }
    return AnalysisPaths.model_validate(answer)


@router.get(
    "/ego",
    response_model=Ego,
    responses=errors(400, 404),
    summary="An actor's signed ego network",
    description="The actors within `radius` links of `actor` and every directed link among them, "
    "with its events, quad classes and cooperation–conflict score; links heaviest first.",
)
async def get_ego(
    reads: ReadsDep,
    actor: Annotated[str, id_query("an actor id", "PRK")],
    radius: Annotated[int, Query(ge=1, le=3, description="links from the actor")] = 1,
    limit: Limit = 50,
    offset: Offset = 0,
    since: Since = None,
    until: Until = None,
) -> Response:
    check_id("an actor", actor)
    first, last = window(since, until)
    return await reads(
        ego, actor=actor, radius=radius, limit=limit, offset=offset, since=first, until=last
    )


def ego(
    store: GraphStore,
    *,
    actor: str,
    radius: int,
    limit: int,
    offset: int,
    since: dt.date | None,
    until: dt.date | None,
) -> Ego:
    center = _actor(store, actor)
    projection = analysis.projection_of(store, since=since, until=until)
    near = analysis.ego(projection, actor, radius=radius)
    answer = analysis.ego_view(projection, near, actor, radius, limit, offset)
    answer["center"] = center
    if not answer["nodes"]:  # an actor without asserted events: a network of one
        answer["nodes"] = [{**center, "in_strength": 0, "out_strength": 0}]
    return Ego.model_validate(answer)


@router.get(
    "/trend",
    response_model=Trend,
    responses=errors(400, 404),
    summary="Is a relationship warming or cooling?",
    description="The asserted events between `a` and `b` per month or year (empty periods "
    "included), which way they ran, their cooperation–conflict score, and the least-squares "
    "slope of the scores over time (points a year: > 0 warming, < 0 cooling).",
)
async def get_trend(
    reads: ReadsDep,
    a: ActorA,
    b: ActorB,
    by: By = "month",
    limit: Limit = 500,
    offset: Offset = 0,
    since: Since = None,
    until: Until = None,
) -> Response:
    check_id("an actor", a)
    check_id("an actor", b)
    if a == b:
        raise HTTPException(400, detail="a and b are the same actor: a trend needs two actors")
    first, last = window(since, until)
    return await reads(trend, a=a, b=b, by=by, limit=limit, offset=offset, since=first, until=last)


def trend(
    store: GraphStore,
    *,
    a: str,
    b: str,
    by: Literal["month", "year"],
    limit: int,
    offset: int,
    since: dt.date | None,
    until: dt.date | None,
) -> Trend:
    first_ref, second_ref = _actor(store, a), _actor(store, b)
    projection = analysis.projection_of(store, since=since, until=until)
    found = analysis.pair_trend(projection, a, b, by=by)
    answer = analysis.trend_view(projection, found, limit, offset)
    answer["a"], answer["b"] = first_ref, second_ref
    return Trend.model_validate(answer)


@router.get(
    "/slices",
    response_model=Slices,
    responses=errors(400),
    summary="The measures per month or year",
    description="The actor graph of each month or year that has events, oldest first, with its "
    "`top` actors by `sort`: who rose and who fell.",
)
async def get_slices(
    reads: ReadsDep,
    by: By = "year",
    sort: Sort = "pagerank",
    top: Annotated[int, Query(ge=1, le=100, description="actors per period")] = 10,
    limit: Limit = 50,
    offset: Offset = 0,
    since: Since = None,
    until: Until = None,
) -> Response:
    first, last = window(since, until)
    return await reads(
        slices, by=by, sort=sort, top=top, limit=limit, offset=offset, since=first, until=last
    )


def slices(
    store: GraphStore,
    *,
    by: Literal["month", "year"],
    sort: str,
    top: int,
    limit: int,
    offset: int,
    since: dt.date | None,
    until: dt.date | None,
) -> Slices:
    projection = analysis.projection_of(store, since=since, until=until)
    key = (by, since, until)
    periods = analysis.CACHE.get(
        store, "slices", key, lambda: analysis.measures_over_time(projection, by)
    )
    rows = [
        {
            "period": period,
            "nodes": m.nodes,
            "edges": m.edges,
            "actors": [
                analysis.measures_row(r) for r in analysis.sort_actors(m.actors, sort)[:top]
            ],
        }
        for period, m in periods
    ]
    return Slices.model_validate(analysis.page(rows, limit, offset, by=by, sort=sort, top=top))


@router.get(
    "/timeline",
    response_model=Timeline,
    responses=errors(400, 404),
    summary="Events per month of one actor, or of two together",
    description="The asserted events of `a` (shared with `b` when given) per month, a page of "
    "months from the first with an event to the last (empty ones included): each bucket counts "
    "them per most specific class and quad sign, lists their ids and sums their "
    "cooperation–conflict score. Events dated to a year only, or not at all, are in no bucket "
    "and counted in `undated`.",
)
async def get_timeline(
    reads: ReadsDep,
    a: ActorA,
    b: Annotated[
        str | None, id_query("another actor id: only the events both share", "KOR")
    ] = None,
    event_type: EventType = None,
    limit: Limit = 50,
    offset: Offset = 0,
    since: Annotated[
        str | None, date_query("YYYY, YYYY-MM or YYYY-MM-DD: events starting on or after")
    ] = None,
    until: Annotated[
        str | None, date_query("YYYY, YYYY-MM or YYYY-MM-DD: events ending on or before")
    ] = None,
) -> Response:
    check_id("an actor", a)
    if b is not None:
        check_id("an actor", b)
        if b == a:
            raise HTTPException(400, detail="a and b are the same actor: leave b out")
    first, last = window(since, until)
    return await reads(
        timeline,
        a=a,
        b=b,
        event_type=event_type,
        limit=limit,
        offset=offset,
        since=first,
        until=last,
    )


def timeline(
    store: GraphStore,
    *,
    a: str,
    b: str | None,
    event_type: str | None,
    limit: int,
    offset: int,
    since: dt.date | None,
    until: dt.date | None,
) -> Timeline:
    try:
        found: Any = queries.timeline(store, a, b, event_type=event_type, since=since, until=until)
    except queries.NotFound as err:
        raise HTTPException(404, detail=str(err)) from None
    except ValueError as err:  # an unknown event type
        raise HTTPException(400, detail=str(err)) from None
    answer = analysis.page(
        found["buckets"],
        limit,
        offset,
        a=found["a"],
        b=found["b"],
        events=found["events"],
        undated=found["undated"],
    )
    for bucket in answer["data"]:  # the page's months signed by kg.analysis' PLOVER scale
        signed = analysis.tally(bucket["counts"])
        bucket["cooperation"], bucket["conflict"] = signed.cooperation, signed.conflict
        bucket["score"] = signed.score
    return Timeline.model_validate(answer)


@router.post(
    "/results",
    response_model=ResultsWritten,
    responses=WRITE_ERRORS,
    summary="Write the measures back into the store as RDF",
    description="Replaces the named graph dipr:graph/analysis with every actor's dip:pageRank, "
    "dip:betweenness, dip:degree, dip:inStrength, dip:outStrength and dip:community, so that "
    "SPARQL can sort actors by them. Needs the write token.",
)
def post_results(store: StoreDep, _: WriteAccess) -> ResultsWritten:
    measures = analysis.measures_of(store)
    triples = analysis.write_results(store, measures)
    return ResultsWritten(
        graph=analysis.ANALYSIS_GRAPH,
        triples=triples,
        actors=len(measures.actors),
        communities=len(measures.communities.groups),
    )


def _actor(store: GraphStore, actor_id: str) -> dict[str, Any]:
    """The actor's reference, 400 for an impossible id, 404 for an unknown one."""
    check_id("an actor", actor_id)
    found = queries.actor_ref(store, actor_id)
    if found is None:
        raise HTTPException(404, detail=f"no actor with id {actor_id}")
    return dict(found)
