"""The query pool: answers from snapshots, stops what runs too long, turns away what is too much."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing as mp
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.executor import Busy, Job, QueryPool, SparqlTask, _serve
from api.sparql.protocol import SparqlQuery
from api.sparql.results import Answer, Failure
from kg.store import GraphStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def quads(n: int, start: int = 0) -> list[ox.Quad]:
    return [
        ox.Quad(
            ox.NamedNode(f"http://e/{i}"),
            ox.NamedNode("http://p"),
            ox.Literal(str(i)),
            ox.NamedNode("http://g"),
        )
        for i in range(start, start + n)
    ]


@pytest.fixture()
def pool(tmp_path: Path) -> Iterator[QueryPool]:
    store = GraphStore(tmp_path / "store")
    store.add_quads(quads(2000))
    pool = QueryPool(store, 1, tmp_path / "snapshots", wait=0.1)
    pool.start()
    yield pool
    pool.close()
    store.close()


def run(pool: QueryPool, text: str, timeout: float = 30) -> Answer | Failure:
    return asyncio.run(pool.run(task(text, 100), timeout=timeout))


def task(text: str, max_results: int = 10) -> SparqlTask:
    return SparqlTask(SparqlQuery(text), None, max_results)


def count(answer: Answer | Failure) -> str:
    assert isinstance(answer, Answer), answer
    return answer.body.decode().split('"value":"')[1].split('"')[0]


def test_answers_come_from_the_snapshot_and_follow_writes(pool: QueryPool) -> None:
    assert count(run(pool, COUNT)) == "2000"
    snapshot = pool._current
    pool.store.add_quads(quads(5, start=5000))  # every write is counted by the store itself
    assert count(run(pool, COUNT)) == "2005"
    assert pool._current != snapshot and not Path(snapshot).exists()  # the old one went


def test_a_query_past_its_time_is_stopped_with_its_worker(pool: QueryPool) -> None:
    worker = pool._workers[0].process
    answer = run(pool, CROSS_JOIN, timeout=1)
    assert isinstance(answer, Failure) and answer.status == 503
    assert "stopped" in answer.detail
    worker.join(timeout=5)
    assert not worker.is_alive()  # the work itself stopped, not just the wait
    with pytest.raises(ProcessLookupError):
        os.kill(worker.pid or -1, 0)
    assert count(run(pool, COUNT)) == "2000"  # a fresh worker took its place


def test_beyond_the_limit_a_query_is_turned_away(pool: QueryPool) -> None:
    async def both() -> None:
        slow = asyncio.create_task(pool.run(task(CROSS_JOIN), timeout=2))
        await asyncio.sleep(0.2)
        with pytest.raises(Busy):
            await pool.run(task(COUNT), timeout=2)
        assert isinstance(await slow, Failure)

    asyncio.run(both())


def test_malformed_queries_are_400(pool: QueryPool) -> None:
    answer = run(pool, "SELECT WHERE {")
    assert isinstance(answer, Failure) and answer.status == 400


def test_a_worker_exempts_what_its_reads_keep_from_later_collections(tmp_path: Path) -> None:
    """Once a job is answered, the worker collects and freezes its heap, so that the caches it
    keeps per store version are not walked again by every later full collection."""
    store = GraphStore(tmp_path / "store")
    store.add_quads(quads(10))
    store.close()
    here, there = mp.Pipe()
    worker = threading.Thread(target=_serve, args=(there,), daemon=True)
    worker.start()
    try:
        assert here.recv() == "ready"
        here.send(Job(str(tmp_path / "store"), task(COUNT)))
        assert here.recv()[0] == "opened"
        assert count(here.recv()) == "10"
        here.send(None)  # the worker settles its heap before it reads this
        worker.join(timeout=10)
        assert not worker.is_alive()
        assert gc.get_freeze_count() > 0
    finally:
        here.close()
        gc.unfreeze()
