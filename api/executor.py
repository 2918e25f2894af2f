"""User SPARQL queries in worker processes that can be stopped.

pyoxigraph's `Store.query` has no timeout and cannot be cancelled, so a query that must stop is
run in a process that can be killed. Each worker reads its own read-only copy of the store: a
RocksDB checkpoint (`Store.backup`, hard links, cheap) taken at start and again after each write,
so no reader ever sits beside the writer (which pyoxigraph documents as undefined). At most
`size` queries run at once; the next ones wait a moment for a free worker and are then turned
away (503 with Retry-After).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing as mp
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import anyio

from api.settings import Settings
from api.sparql.protocol import SparqlQuery
from api.sparql.results import Answer, Failure, run_query
from kg.store import GraphStore

log = logging.getLogger(__name__)


def snapshot_dir(settings: Settings) -> Path:
    """A fresh folder for snapshots beside the store (same file system, so backups are links)."""
    store = Path(settings.store).resolve()
    store.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{store.name}-snapshots-", dir=store.parent))


class Busy(Exception):
    """Every worker is busy: the caller answers 503 with Retry-After."""


@dataclass(frozen=True)
class Job:
    """What a worker needs to answer one query."""

    snapshot: str
    query: SparqlQuery
    accept: str | None
    max_results: int
    allow_service: bool


def _serve(conn: Connection) -> None:
    """A worker's loop: open the snapshot a job names (read-only), answer, repeat."""
    store: GraphStore | None = None
    opened = ""
    conn.send("ready")  # imports done: the caller's clock may start
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        if job.snapshot != opened:
            if store is not None:
                store.close()
            store = GraphStore(job.snapshot, read_only=True)
            opened = job.snapshot
        assert store is not None
        conn.send(
            run_query(
                store, job.query, job.accept, job.max_results, threading.Event(), job.allow_service
            )
        )


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    busy: bool = False
    ready: bool = False

    def wait_ready(self, timeout: float = 120) -> None:
        """Block until the process has started (its imports can take a second)."""
        if not self.ready:
            if not self.conn.poll(timeout) or self.conn.recv() != "ready":
                raise OSError("the query worker did not start")
            self.ready = True


@dataclass
class QueryPool:
    """`size` worker processes answering queries on snapshots of `store`."""

    store: GraphStore
    size: int
    snapshots: Path
    wait: float = 15.0  # seconds a query may wait for a free worker before it is turned away
    max_waiting: int = 32  # queries that may wait, per worker; more are turned away at once
    _workers: list[_Worker] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _generation: itertools.count[int] = field(default_factory=itertools.count)
    _current: str = ""
    _seen_writes: int = -1
    _waiting: int = 0

    def start(self) -> None:
        """Take the first snapshot and start the workers (else done by the first query)."""
        self.refresh()
        with self._lock:
            while len(self._workers) < self.size:
                self._workers.append(self._spawn())

    def refresh(self) -> None:
        """Take a new snapshot of the store; workers switch to it with their next query."""
        if self.store.read_only:  # nobody writes it: workers may read it directly
            self._current, self._seen_writes = str(self.store.path), self.store.writes
            return
        with self._lock:
            writes = self.store.writes
            self.snapshots.mkdir(parents=True, exist_ok=True)
            target = self.snapshots / f"snapshot-{next(self._generation)}"
            self.store.flush()
            self.store.raw.backup(str(target))
            previous, self._current, self._seen_writes = self._current, str(target), writes
        if previous:
            self._forget(previous)

    def _ensure_current(self) -> None:
        """Start on first use, and renew the snapshot when the store was written since."""
        if not self._workers:
            self.start()
        elif self.store.writes != self._seen_writes:
            self.refresh()

    def _forget(self, old: str) -> None:
        """Old snapshots go once no worker reads them (workers reopen on their next job)."""
        for path in self.snapshots.glob("snapshot-*"):
            if str(path) not in (self._current, old):
                shutil.rmtree(path, ignore_errors=True)

    def _spawn(self) -> _Worker:
        context = mp.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child,), daemon=True, name="diplokg-query")
        process.start()
        child.close()
        return _Worker(process, parent)

    def _try_take(self) -> _Worker | None:
        with self._lock:
            for worker in self._workers:
                if not worker.busy:
                    worker.busy = True
                    return worker
        return None

    async def _take(self) -> _Worker:
        """A free worker, waiting up to `wait` seconds for one; Busy after that, or at once
        when too many queries are waiting already."""
        worker = self._try_take()
        if worker is not None:
            return worker
        if self._waiting >= self.max_waiting * self.size:
            raise Busy(f"all {self.size} query workers are busy and {self._waiting} queries wait")
        self._waiting += 1
        try:
            deadline = anyio.current_time() + self.wait
            while (worker := self._try_take()) is None:
                if anyio.current_time() >= deadline:
                    raise Busy(f"all {self.size} query workers are busy")
                await anyio.sleep(0.005)
            return worker
        finally:
            self._waiting -= 1

    async def run(
        self,
        query: SparqlQuery,
        accept: str | None,
        *,
        max_results: int,
        timeout: float,
        allow_service: bool = False,
    ) -> Answer | Failure:
        """Answer one query, or stop it after `timeout` seconds (its worker is killed)."""
        await anyio.to_thread.run_sync(self._ensure_current)
        worker = await self._take()
        job = Job(self._current, query, accept, max_results, allow_service)
        try:
            await anyio.to_thread.run_sync(worker.wait_ready)
            worker.conn.send(job)
            ready = await anyio.to_thread.run_sync(worker.conn.poll, timeout)
            if ready:
                answer: Answer | Failure = worker.conn.recv()
                return answer
            await anyio.to_thread.run_sync(self._replace, worker)
            return Failure(503, f"the query ran longer than {timeout:g} s and was stopped")
        except (EOFError, OSError, BrokenPipeError):
            await anyio.to_thread.run_sync(self._replace, worker)
            return Failure(503, "the query worker stopped; try again")
        finally:
            worker.busy = False

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (and the query it runs) and start a fresh one in its place."""
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        fresh = self._spawn()
        with self._lock:
            index = self._workers.index(worker)
            self._workers[index] = fresh

    def close(self) -> None:
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
        self._workers = []
        shutil.rmtree(self.snapshots, ignore_errors=True)
