"""REST reads run where SPARQL queries run: in the query workers, under the same limits.

A route checks its parameters, then hands a read function (module level, so that it pickles by
reference) and its arguments to `Reads`; a worker calls `function(store, **arguments)`, which
answers a pydantic model, and sends it back already serialised as JSON (`api.answers.dump`: the
same bytes as pydantic's, each kept Event written once), or answers those bytes itself (the
largest answers, an actor's relations and `/paths`, are written by orjson around each Event's
kept JSON: `api.event_models.event_json`). The server process only
moves bytes, the work stops past `--query-timeout` or when the client hangs up, and a full pool
answers 503 with Retry-After, as for `/sparql`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import anyio
from fastapi import HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.answers import dump
from api.executor import Busy, QueryPool
from api.settings import Settings
from api.sparql.negotiation import accepts
from api.sparql.results import Answer, Failure
from kg.endpoint import Endpoint, EndpointError
from kg.queries import Readable
from kg.store import GraphStore

log = logging.getLogger(__name__)

JSON = "application/json"
#: how long a client turned away should wait before asking again
RETRY = {"Retry-After": "1"}

#: A read a worker runs: the store (or endpoint) it reads, then the route's arguments; it answers
#: a model, or the JSON bytes pydantic would write for the route's response model.
ReadFunction = Callable[..., BaseModel | bytes]


@dataclass(frozen=True)
class Read:
    """One REST read for a worker: `function(store, **arguments)`, answered as JSON bytes."""

    function: ReadFunction
    arguments: Mapping[str, Any]

    def __call__(self, store: GraphStore | Endpoint) -> Answer | Failure:
        source: Readable = store
        try:
            model = self.function(source, **self.arguments)
        except HTTPException as err:
            return Failure(err.status_code, str(err.detail))
        except EndpointError as err:
            return Failure(502, str(err))
        except Exception:
            log.error("REST read %s failed:\n%s", self.function.__name__, traceback.format_exc())
            return Failure(500, "the query failed")
        return Answer(model if isinstance(model, bytes) else dump(model), JSON)


async def client_gone(request: Request) -> None:
    """Return once the client has closed its connection (what the server tells the app).

    Once the body is read, an ASGI server's `receive` waits until the client disconnects; a
    transport that answers at once with more (empty) body messages is asked again shortly
    rather than in a loop that would hold the event loop."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return
        await anyio.sleep(0.05)


def failure(outcome: Failure) -> HTTPException:
    """The error response for a query that got no answer (503s say when to come back)."""
    headers = RETRY if outcome.status == 503 else None
    return HTTPException(outcome.status, detail=outcome.detail, headers=headers)


def busy(err: Busy) -> HTTPException:
    return HTTPException(503, detail=f"{err}; try again shortly", headers=RETRY)


@dataclass(frozen=True)
class Reads:
    """Runs the REST reads of one request in the query pool, under the app's limits."""

    request: Request
    pool: QueryPool
    settings: Settings

    async def __call__(self, function: ReadFunction, **arguments: Any) -> Response:
        """The answer of `function(store, **arguments)` as a JSON response.

        406 when the Accept header refuses JSON (an unreadable one is ignored, as `/sparql`
        does); 503 with Retry-After when the pool is full or the read ran out of time.
        """
        accept = self.request.headers.get("accept")
        if not accepts(accept, JSON):
            raise HTTPException(406, detail=f"this answer is sent as {JSON} only; not as {accept}")
        try:
            outcome = await self.pool.run(
                Read(function, arguments),
                timeout=self.settings.query_timeout,
                disconnected=lambda: client_gone(self.request),
            )
        except Busy as err:
            raise busy(err) from None
        if isinstance(outcome, Failure):
            raise failure(outcome)
        return Response(outcome.body, media_type=outcome.media_type)
