"""What the routes depend on: the app's settings, its one open store and its query workers.

Routes take these as `StoreDep`, `SettingsDep`, `QueryPoolDep` and `ReadsDep` (REST reads in the
query workers) parameters, so tests can swap them with `app.dependency_overrides[get_store] = ...`
(REST routes' pool and settings: override `get_reads`).
Those that never block are `async`, so that FastAPI calls them on the event loop rather than
handing each to a thread.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.executor import QueryPool
from api.rest import Reads
from api.settings import Settings
from kg.store import GraphStore


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    """The store the app opened at startup (503 when the app was not started, or is stopping;
    also over a remote backend, which has no store here)."""
    store: GraphStore | None = getattr(request.app.state, "store", None)
    if store is None:
        if request.app.state.settings.backend is not None:
            raise HTTPException(
                503, detail="this server reads a remote SPARQL endpoint: it has no store of its own"
            )
        raise HTTPException(503, detail="the store is not open")
    return store


async def get_query_pool(request: Request) -> QueryPool:
    """The worker processes every query runs in (SPARQL and REST)."""
    pool: QueryPool | None = getattr(request.app.state, "query_pool", None)
    if pool is None:
        raise HTTPException(503, detail="the query workers are not running")
    return pool


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
QueryPoolDep = Annotated[QueryPool, Depends(get_query_pool)]


async def get_reads(request: Request) -> Reads:
    """Runs a route's reads in the query workers, under the app's limits.

    One dependency, not one on `get_query_pool` and `get_settings`: FastAPI solves each
    sub-dependency anew for every request, and REST reads are most of the requests."""
    return Reads(request, await get_query_pool(request), await get_settings(request))


ReadsDep = Annotated[Reads, Depends(get_reads)]
