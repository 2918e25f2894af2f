"""The query pool: answers from snapshots, stops what runs too long, turns away what is too much."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing as mp
import os
import socket
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.executor import (
    Busy,
    Job,
    QueryPool,
    SparqlTask,
    _answer_of,
    _recv_bytes,
    _serve,
    _Worker,
)
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


def test_a_large_answer_is_read_whole_on_the_event_loop() -> None:
    ours, theirs = mp.Pipe()
    body = os.urandom(3 << 20)  # far more than the pipe holds: it arrives in many reads

    async def read() -> bytes:
        writer = threading.Thread(target=theirs.send_bytes, args=(body,))
        writer.start()
        try:
            return await _recv_bytes(ours)
        finally:
            writer.join()

    try:
        assert asyncio.run(read()) == body
        assert os.get_blocking(ours.fileno())  # as multiprocessing expects it for the next job
        theirs.send_bytes(b"")
        assert asyncio.run(_recv_bytes(ours)) == b""
    finally:
        ours.close()
        theirs.close()


def test_a_pipe_closed_in_the_middle_of_an_answer_is_eof() -> None:
    ours, theirs = socket.socketpair()
    theirs.sendall(b"\x00\x00\x01\x00" + b"x" * 10)  # says 256 bytes, sends 10
    theirs.close()
    conn = Connection(ours.detach())
    try:
        with pytest.raises(EOFError):
            asyncio.run(_recv_bytes(conn))
    finally:
        conn.close()


def test_the_wait_for_an_answer_ends_with_the_answer_the_client_or_the_time() -> None:
    ours, theirs = mp.Pipe()
    worker = _Worker(mp.get_context("fork").Process(), ours)

    async def never() -> None:
        await asyncio.sleep(60)

    async def soon() -> None:
        await asyncio.sleep(0.05)

    try:
        assert asyncio.run(_answer_of(worker, 0.1, never)) == "timeout"
        assert asyncio.run(_answer_of(worker, 30, soon)) == "gone"
        theirs.send("answer")
        assert asyncio.run(_answer_of(worker, 30, never)) == "ready"
        assert asyncio.run(_answer_of(worker, 30, None)) == "ready"  # still there: not read
        assert ours.recv() == "answer"
    finally:
        ours.close()
        theirs.close()
