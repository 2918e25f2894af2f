"""`/paths`: the shortest chains of actors linking two actors, with the events behind each link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, TypeVar

import orjson
from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from api.deps import ReadsDep
from api.event_models import event_json
from api.models import Paths, errors
from api.routes.params import check_id, date_query, id_query, window
from kg import analysis, queries
from kg.store import GraphStore

router = APIRouter(prefix="/paths", tags=["networks"], responses=errors(406, 422, 503))

_WINDOW = "YYYY, YYYY-MM or YYYY-MM-DD: only events whose dates overlap the window link actors"


@router.get(
    "",
    response_model=Paths,
    responses=errors(400, 404),
    summary="How two actors are linked",
    description="Chains of actors from `a` to `b`, each two neighbours sharing an asserted event, "
    "shortest first. The first step's `via` is null; every other step's `via` is an event the "
    "actor shares with the one before it, with its evidence. No chain short enough: `paths` is "
    "empty.",
)
async def get_paths(
    reads: ReadsDep,
    a: Annotated[str, id_query("the id of the first actor", "moon-jae-in")],
    b: Annotated[str, id_query("the id of the last actor", "KOR")],
    max_length: Annotated[int, Query(ge=1, le=6, description="the most links a path may have")] = 4,
    limit: Annotated[int, Query(ge=1, le=100, description="the most paths answered")] = 10,
    since: Annotated[str | None, date_query(_WINDOW)] = None,
    until: Annotated[str | None, date_query(_WINDOW)] = None,
) -> Response:
    check_id("an actor", a)
    check_id("an actor", b)
    first, last = window(since, until)
    return await reads(
        chains_json, a=a, b=b, max_length=max_length, limit=limit, since=first, until=last
    )


def chains_json(
    store: GraphStore,
    *,
    a: str,
    b: str,
    max_length: int,
    limit: int,
    since: dt.date | None,
    until: dt.date | None,
) -> bytes:
    """The answer as JSON: the bytes pydantic writes for it as Paths (`chains`), written by
    orjson around each shown Event's JSON, validated and written once per store version
    (`event_json`); the actors come from the actor graph as they are."""
    found = _checked(
        lambda: analysis.path_heads(
            store, a, b, max_length=max_length, limit=limit, since=since, until=until
        )
    )
    vias = (step["via"] for chain in found["paths"] for step in chain)
    events = event_json(store, (via for via in vias if via is not None))
    paths = [
        [{"actor": s["actor"], "via": events.get(s["via"]) if s["via"] else None} for s in chain]
        for chain in found["paths"]
    ]
    return orjson.dumps({"paths": paths, "a": found["a"], "b": found["b"]})


def chains(
    store: GraphStore,
    *,
    a: str,
    b: str,
    max_length: int,
    limit: int,
    since: dt.date | None,
    until: dt.date | None,
) -> Paths:
    """The answer of `chains_json` as a model."""
    found = _checked(
        lambda: analysis.paths(
            store, a, b, max_length=max_length, limit=limit, since=since, until=until
        )
    )
    return Paths.model_validate(found)


R = TypeVar("R")


def _checked(read: Callable[[], R]) -> R:
    """The read's answer; 404 for an unknown actor, 400 when `a` and `b` are the same."""
    try:
        return read()
    except queries.NotFound as err:
        raise HTTPException(404, detail=str(err)) from None
    except ValueError as err:  # a == b
        raise HTTPException(400, detail=str(err)) from None
