"""A live uvicorn serving an app on a free loopback port, in a thread of the test process.

Real clients (SPARQLWrapper, rdflib, the W3C runner) then talk real HTTP to it, and tests can still
reach the app's store directly (`app.state.store`) to set it up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from api.http import bind, uvicorn_config


@contextmanager
def live_server(app: FastAPI, *, timeout: float = 30.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a port the OS picks) until the block ends; yields the base URL.

    The app's lifespan runs as under `diplokg serve`: its store is opened on start, closed on exit;
    uvicorn is set up as `diplokg serve` sets it up (`api.http.uvicorn_config`).
    """
    sock = bind("127.0.0.1", 0)  # the socket `diplokg serve` makes
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(app, log_level="warning"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn:{port}", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server stopped while starting (see the log above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start within {timeout} s")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
