"""Build the HTTP app: one store per app, the routers, and JSON errors everywhere.

uvicorn api.main:create_app --factory    # settings from DIPLOKG_* variables
api.main.serve(Settings(store=...))      # what `diplokg serve` calls (JSON errors from uvicorn too)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.utils import is_body_allowed_for_status_code
from starlette.exceptions import HTTPException

from api.executor import QueryPool, snapshot_dir
from api.http import Cors, bind, uvicorn_config
from api.routes import (
    actors,
    analysis,
    console,
    documents,
    events,
    explore,
    graph_store,
    paths,
    sparql,
    update,
)
from api.settings import Settings
from kg import __version__
from kg.endpoint import Endpoint
from kg.store import GraphStore, StoreError

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app serving the store `settings` names (Settings.from_env() when None).

    The store is opened when the app starts and closed when it stops, so one process holds it;
    over a remote backend (`settings.backend`) there is no store, and the query workers ask it.
    """
    settings = settings if settings is not None else Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = None
        if settings.backend is not None:
            pool = QueryPool(
                None,
                settings.max_queries,
                None,
                wait=settings.queue_wait,
                endpoint=backend(settings),
            )
        else:
            store = GraphStore(settings.store, read_only=settings.read_only)
            if not settings.read_only:
                # what a build left uncompacted (it compacts only a store it wrote most of) is
                # compacted before the workers' first snapshot: queries read it 1.4x faster;
                # on a compacted store this returns at once
                await anyio.to_thread.run_sync(store.optimize)
            pool = QueryPool(
                store, settings.max_queries, snapshot_dir(settings), wait=settings.queue_wait
            )
        app.state.store, app.state.query_pool = store, pool
        if settings.prestart_workers:
            await anyio.to_thread.run_sync(lambda: pool.start(wait=True))
        try:
            yield
        finally:
            app.state.query_pool = None
            await anyio.to_thread.run_sync(pool.close)
            app.state.store = None
            if store is not None:
                store.close()

    app = FastAPI(
        title="diplokg",
        version=__version__,
        summary="A knowledge graph of diplomatic events read from news text.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _internal_error)
    app.include_router(sparql.router)
    app.include_router(update.router)
    app.include_router(graph_store.router)
    app.include_router(actors.router)
    app.include_router(events.router)
    app.include_router(paths.router)
    app.include_router(analysis.router)
    app.include_router(documents.router)
    app.include_router(console.router)  # the query console at /
    app.include_router(explore.router)  # the graph explorer at /explore
    app.mount(console.STATIC_PATH, console.static_files(), name="static")
    if settings.cors_origins:
        app.add_middleware(
            Cors,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
            allow_headers=["Accept", "Authorization", "Content-Type"],
            expose_headers=["Location", "Vary", "X-SPARQL-MaxRows"],
            max_age=600,
        )
    return app


def backend(settings: Settings) -> Endpoint:
    """The remote endpoint the app reads, with the app's time and size limits."""
    assert settings.backend is not None
    return Endpoint(
        settings.backend, timeout=settings.query_timeout, max_bytes=settings.max_backend_bytes
    )


def serve(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    log_level: str = "info",
    announce: Callable[[], None] | None = None,
) -> None:
    """Serve the app with uvicorn until interrupted; `announce()` once it can.

    Raises, before anything is announced: StoreError when the store cannot be opened (locked,
    missing) or the backend does not answer, OSError when the address cannot be listened on.
    """
    import uvicorn

    if settings.backend is not None:
        endpoint = backend(settings)
        try:
            endpoint.check()
        finally:
            endpoint.close()
    else:
        # fail early and clearly; without a token nothing could fill a new store: none is made
        must_exist = settings.token is None
        GraphStore(settings.store, read_only=settings.read_only, must_exist=must_exist).close()
    sock = bind(host, port)
    try:
        settings = replace(settings, prestart_workers=True)
        server = uvicorn.Server(uvicorn_config(create_app(settings), log_level=log_level))
        if announce is not None:
            announce()
        server.run(sockets=[sock])
    finally:
        sock.close()


# -- every error is {"detail": "..."} ----------------------------------------------------------


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = getattr(exc, "headers", None)
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=headers)
    return JSONResponse({"detail": str(exc.detail)}, status_code=exc.status_code, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": validation_message(exc)}, status_code=422)


def validation_message(exc: RequestValidationError) -> str:
    """One sentence for a request's invalid parameters ("limit: ...; type: ...")."""
    parts = []
    for error in exc.errors():
        where = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        name = ".".join(where) or "request"
        parts.append(f"{name}: {error.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid request"


async def _store_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503)


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal server error"}, status_code=500)
