"""REST queries obey the limits /sparql does, over real HTTP: they run in the query workers, are
stopped with their worker past the time limit (503 + Retry-After) and when their client hangs up,
and the server keeps answering."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from urllib.parse import quote

import httpx

from api.main import create_app
from api.settings import Settings
from tests.api.live import live_server
from tests.api.test_limits import ENDLESS, big_store


def wait_for_a_running_query(pool) -> None:  # type: ignore[no-untyped-def]
    for _ in range(1000):  # bounded: 20 s at most
        if pool.running():
            return
        threading.Event().wait(0.02)
    raise AssertionError("no query started")


def test_a_rest_query_past_the_time_limit_is_stopped_with_its_worker(store_path: Path) -> None:
    # no REST read answers within a millisecond: each one is past its time
    app = create_app(Settings(store=store_path, read_only=True, query_timeout=0.001, max_queries=1))
    with live_server(app) as url:
        pool = app.state.query_pool
        pool.start()
        [worker] = [w.process for w in pool._workers]
        window = {"since": "2018-01-01", "until": "2018-12-31"}
        for path, params in (("/events", window), ("/actors/PRK/relations", window)):
            response = httpx.get(f"{url}{path}", params=params, timeout=60)
            assert response.status_code == 503, response.text
            assert response.headers["retry-after"] == "1"
            assert "stopped" in response.json()["detail"]
        worker.join(timeout=10)
        assert not worker.is_alive()  # the REST work ran in the worker, and stopped with it
        assert [w.process for w in pool._workers] != [worker]  # a fresh one took its place
        # the server itself kept answering
        assert httpx.get(f"{url}/openapi.json", timeout=30).status_code == 200
        assert httpx.get(f"{url}/sparql", timeout=30).status_code == 200  # service description


def test_a_client_that_hangs_up_stops_its_query(tmp_path: Path) -> None:
    app = create_app(
        Settings(store=big_store(tmp_path / "store"), query_timeout=120, max_queries=1)
    )
    with live_server(app) as url:
        pool = app.state.query_pool
        port = int(url.rsplit(":", 1)[1])
        client = socket.create_connection(("127.0.0.1", port))
        request = f"GET /sparql?query={quote(ENDLESS)} HTTP/1.1\r\nHost: test\r\n\r\n"
        client.sendall(request.encode())
        wait_for_a_running_query(pool)
        [worker] = pool.running()
        client.close()  # hang up long before the 120 s limit
        worker.join(timeout=30)
        assert not worker.is_alive()  # its work stopped with the connection
        after = httpx.get(f"{url}/actors", timeout=30)  # and the pool answers again
        assert after.status_code == 200 and after.json()["total"] == 0
