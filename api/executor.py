"""Every query the app runs (SPARQL and REST), in worker processes that can be stopped.

pyoxigraph's `Store.query` has no timeout and cannot be cancelled, so a query that must stop is
run in a process that can be killed. Each worker reads its own read-only copy of the store: a
RocksDB checkpoint (`Store.backup`, hard links, cheap) taken at start and again after each write,
so no reader ever sits beside the writer (which pyoxigraph documents as undefined); over a remote
backend (`diplokg serve --backend URL`) workers ask that endpoint instead. At most `size` queries
run at once; the next ones wait, first come first served, a moment for a free worker and are then
turned away (503 with Retry-After). A query is stopped (its worker killed) past its time or as soon
as the client that asked for it hangs up.

A job is a `Task`: a picklable callable run on the worker's store that answers an `Answer`
(serialised bytes) or a `Failure`, so the server process only moves bytes.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import importlib
import itertools
import logging
import multiprocessing as mp
import os
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Protocol

import anyio

from api.settings import Settings
from api.sparql.protocol import SparqlQuery
from api.sparql.results import Answer, Failure, run_query
from kg.endpoint import Endpoint
from kg.store import GraphStore

log = logging.getLogger(__name__)


#: Workers are forked from a fork server that imported the app once (the routes, kg.analysis,
#: scipy: seconds of imports), so that a worker, or one replacing a killed worker, starts in
#: milliseconds; the fork server itself holds no store and no thread but its own.
_CONTEXT = mp.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["api.main"])


def snapshot_dir(settings: Settings) -> Path:
    """A fresh folder for snapshots beside the store (same file system, so backups are links)."""
    store = Path(settings.store).resolve()
    store.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{store.name}-snapshots-", dir=store.parent))


class Busy(Exception):
    """Every worker is busy: the caller answers 503 with Retry-After."""


class Task(Protocol):
    """Work for a worker: run on the store it reads, answer bytes or a failure, never raise."""

    def __call__(self, store: GraphStore | Endpoint) -> Answer | Failure: ...


@dataclass(frozen=True)
class SparqlTask:
    """One /sparql query: evaluated, cut at `max_results` and serialised as `accept` asks."""

    query: SparqlQuery
    accept: str | None
    max_results: int
    allow_service: bool = False

    def __call__(self, store: GraphStore | Endpoint) -> Answer | Failure:
        return run_query(
            store, self.query, self.accept, self.max_results, threading.Event(), self.allow_service
        )


@dataclass(frozen=True)
class Job:
    """What a worker needs for one task: where to read (a snapshot folder or an endpoint)."""

    source: str | Endpoint
    task: Task


def _open(source: str | Endpoint) -> GraphStore | Endpoint:
    return source if isinstance(source, Endpoint) else GraphStore(source, read_only=True)


def _warm(store: GraphStore | Endpoint) -> None:
    """Build what the REST reads count and page on (kg.analysis's event index, per store version)
    in a thread, as soon as a snapshot is open, rather than in the first request needing it."""
    if not isinstance(store, GraphStore):
        return

    def build() -> None:
        try:
            importlib.import_module("kg.analysis").warm(store)
        except Exception as err:  # the store closed meanwhile: a later request builds it
            log.debug("warming %s stopped: %s", store.path, err)

    threading.Thread(target=build, name="diplokg-warm", daemon=True).start()


def _serve(conn: Connection, preload: str | None = None) -> None:
    """A worker's loop: open what a job reads (read-only), run its task, send the answer.
    `preload`: the snapshot to open (and warm) at once, before any job names it."""
    store: GraphStore | Endpoint | None = None
    opened: str | Endpoint = ""
    acknowledged: str | Endpoint = ""  # the source the caller was last told is open
    # the modules REST tasks name (routes, models, kg.analysis): imported before the first
    # task's clock starts, rather than while it is unpickled
    importlib.import_module("api.main")
    if preload:
        try:
            store, opened = _open(preload), preload
            _warm(store)
        except Exception as err:  # removed meanwhile: the first job opens its own
            log.debug("cannot preload %s: %s", preload, err)
    conn.send("ready")  # imports done: the caller's clock may start
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        received = time.monotonic()
        if store is None or job.source != opened:
            # a new snapshot (or endpoint): opened and acknowledged before the task's clock starts
            if store is not None:
                store.close()
                store = None
                gc.unfreeze()  # the old snapshot's caches may go now
            try:
                store, opened = _open(job.source), job.source
            except Exception as err:
                log.error("cannot open %s: %s", job.source, err)
                conn.send(Failure(503, "the query worker could not open the store; try again"))
                continue
            _warm(store)
        if job.source != acknowledged:
            conn.send(("opened", time.monotonic() - received))  # with the seconds opening took
            acknowledged = job.source
        try:
            answer = job.task(store)
        except Exception:  # a task should not raise; if it does, the worker still answers
            log.exception("a query task failed")
            answer = Failure(500, "the query failed")
        _send(conn, answer)
        _settle()


def _settle() -> None:
    """Collect a job's cyclic garbage once it is answered, then exempt what survives (the caches
    read once per store version: 10^5 objects) from later collections. Otherwise the
    interpreter's periodic full collection walks them all: 60–160 ms in every 20th read of a
    large store. After a freeze, a collection walks only the newer objects (tens of µs)."""
    gc.collect()
    gc.freeze()


#: Answers up to this many bytes go in one message, which the server reads on its event loop
#: (it is in the pipe's buffer whole, or about to be); larger bodies follow a `_Large` header
#: as raw bytes (not pickled), read on the event loop as they arrive (`_recv_bytes`).
SMALL_ANSWER = 48 * 1024


@dataclass(frozen=True)
class _Large:
    """The head of an answer whose body follows as its own message."""

    media_type: str
    truncated: bool


def _send(conn: Connection, answer: Answer | Failure) -> None:
    if isinstance(answer, Answer) and len(answer.body) > SMALL_ANSWER:
        conn.send(_Large(answer.media_type, answer.truncated))
        conn.send_bytes(answer.body)
    else:
        conn.send(answer)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    opened: str | Endpoint = ""  # what the worker has open: a job reading anything else opens it

    def wait_ready(self, timeout: float = 120) -> None:
        """Block until the process has started (its imports can take a second)."""
        if not self.ready:
            if not self.conn.poll(timeout) or self.conn.recv() != "ready":
                raise OSError("the query worker did not start")
            self.ready = True


@dataclass(eq=False)
class _Ticket:
    """A query waiting for a worker: handed one, first come first served."""

    event: anyio.Event = field(default_factory=anyio.Event)
    worker: _Worker | None = None
    abandoned: bool = False


#: Seconds a worker may take to open a new snapshot (or endpoint), apart from the query's time.
OPEN_TIMEOUT = 120.0

#: Awaited beside a running query: returns when the client that asked for it has gone.
Disconnected = Callable[[], Awaitable[None]]


@dataclass
class QueryPool:
    """`size` worker processes answering queries on snapshots of `store` (or on `endpoint`)."""

    store: GraphStore | None
    size: int
    snapshots: Path | None
    wait: float = 15.0  # seconds a query may wait for a free worker before it is turned away
    max_waiting: int = 32  # queries that may wait, per worker; more are turned away at once
    endpoint: Endpoint | None = None
    _workers: list[_Worker] = field(default_factory=list)
    _idle: list[_Worker] = field(default_factory=list)
    _queue: collections.deque[_Ticket] = field(default_factory=collections.deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _generation: itertools.count[int] = field(default_factory=itertools.count)
    _current: str = ""
    _seen_writes: int = -1
    _users: dict[str, int] = field(default_factory=dict)  # snapshot → jobs that use it

    def __post_init__(self) -> None:
        if (self.store is None) == (self.endpoint is None):
            raise ValueError("a query pool reads either a store or an endpoint")

    # -- what workers read (snapshots of the store) ----------------------------------------

    def start(self, *, wait: bool = False) -> None:
        """Take the first snapshot and start the workers (else done by the first query); with
        `wait`, return once they are ready (as `diplokg serve` does before it answers)."""
        self.refresh()
        with self._lock:
            while len(self._workers) < self.size:
                worker = self._spawn()
                self._workers.append(worker)
                self._idle.append(worker)
            started = list(self._workers)
        if wait:
            for worker in started:
                worker.wait_ready()

    def refresh(self) -> None:
        """Take a new snapshot of the store; workers switch to it with their next query."""
        if self.store is None:
            return
        if self.store.read_only:  # nobody writes it: workers may read it directly
            self._current, self._seen_writes = str(self.store.path), self.store.version
            return
        assert self.snapshots is not None
        with self._lock:
            writes = self.store.version
            self.snapshots.mkdir(parents=True, exist_ok=True)
            target = self.snapshots / f"snapshot-{next(self._generation)}"
            self.store.backup(target)  # between writes: the store's lock is held meanwhile
            self._current, self._seen_writes = str(target), writes
            self._users.setdefault(self._current, 0)
            self._forget()

    def _current_is_fresh(self) -> bool:
        """Whether the workers are started and read the store as it is (no new snapshot due)."""
        return bool(self._workers) and (
            self.store is None or self.store.version == self._seen_writes
        )

    def _ensure_current(self) -> None:
        """Start on first use, and renew the snapshot when the store was written since."""
        if not self._workers:
            self.start()
        elif self.store is not None and self.store.version != self._seen_writes:
            self.refresh()

    def _acquire(self) -> str | Endpoint:
        """What the next job reads; a snapshot is kept on disk until `_release`, so that no job
        ever names a snapshot that is removed before its worker has opened and read it."""
        if self.endpoint is not None:
            return self.endpoint
        with self._lock:
            self._users[self._current] = self._users.get(self._current, 0) + 1
            return self._current

    def _release(self, source: str | Endpoint) -> None:
        if isinstance(source, Endpoint):
            return
        with self._lock:
            self._users[source] = self._users.get(source, 1) - 1
            self._forget()

    def _forget(self) -> None:
        """Remove the snapshots that are not current and that no job uses (called locked).

        A worker may keep an old snapshot open between jobs: its files stay readable (hard links,
        open descriptors), and its next job names the current snapshot, which it opens first."""
        for path, users in list(self._users.items()):
            if path != self._current and users <= 0:
                del self._users[path]
                if self.snapshots is not None and Path(path).parent == self.snapshots:
                    shutil.rmtree(path, ignore_errors=True)  # never the store itself

    # -- running queries -------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        """A new worker, opening (and warming) the current snapshot as it starts."""
        parent, child = _CONTEXT.Pipe()
        preload = self._current if self.store is not None and self._current else None
        process = _CONTEXT.Process(
            target=_serve, args=(child, preload), daemon=True, name="diplokg-query"
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    async def _take(self) -> _Worker:
        """A free worker, waiting (in arrival order) up to `wait` seconds for one; Busy after
        that, or at once when too many queries are waiting already."""
        with self._lock:
            if self._idle and not self._queue:
                return self._idle.pop()
            if len(self._queue) >= self.max_waiting * self.size:
                raise Busy(
                    f"all {self.size} query workers are busy and {len(self._queue)} queries wait"
                )
            ticket = _Ticket()
            self._queue.append(ticket)
        try:
            with anyio.move_on_after(self.wait):
                await ticket.event.wait()
        except BaseException:  # cancelled while waiting: a worker handed meanwhile goes on
            handed = self._abandon(ticket)
            if handed is not None:
                self._give_back(handed)
            raise
        handed = self._abandon(ticket)
        if handed is None:
            raise Busy(f"all {self.size} query workers are busy")
        return handed

    def _abandon(self, ticket: _Ticket) -> _Worker | None:
        """Stop waiting: the worker the ticket was handed, else None (and out of the queue)."""
        with self._lock:
            ticket.abandoned = True
            if ticket.worker is None:
                with contextlib.suppress(ValueError):
                    self._queue.remove(ticket)
            return ticket.worker

    def _give_back(self, worker: _Worker) -> None:
        """A worker is free: to the first query still waiting, else to the idle ones."""
        with self._lock:
            while self._queue:
                ticket = self._queue.popleft()
                if not ticket.abandoned:
                    ticket.worker = worker
                    ticket.event.set()
                    return
            self._idle.append(worker)

    async def run(
        self, task: Task, *, timeout: float, disconnected: Disconnected | None = None
    ) -> Answer | Failure:
        """Run one task; stop it (its worker is killed) after `timeout` seconds, or as soon as
        `disconnected` returns (the client hung up). Raises Busy when no worker frees up."""
        if not self._current_is_fresh():  # a thread only when a snapshot is to be taken
            await anyio.to_thread.run_sync(self._ensure_current)
        worker = await self._take()
        pending = False  # a job sent, its answer not read: the worker is not reusable as is
        source = self._acquire()
        try:
            if not worker.ready:
                await anyio.to_thread.run_sync(worker.wait_ready)
            worker.conn.send(Job(source, task))
            sent = time.monotonic()
            pending = True
            left = timeout
            if worker.opened != source:  # opening a snapshot is not the query's time
                if await _answer_of(worker, OPEN_TIMEOUT, disconnected) != "ready":
                    return Failure(503, "the query worker could not open the store; try again")
                opened = await anyio.to_thread.run_sync(worker.conn.recv)
                if isinstance(opened, Failure):
                    pending = False
                    return opened
                worker.opened = source
                # the task started when the worker said so: the time since, less the opening,
                # is the query's already
                left = timeout - max(0.0, time.monotonic() - sent - opened[1])
            outcome = await _answer_of(worker, left, disconnected) if left > 0 else "timeout"
            if outcome == "ready":
                answer = worker.conn.recv()  # small, and whole in the pipe: see `_send`
                if isinstance(answer, _Large):  # the body follows: read as it arrives
                    body = await _recv_bytes(worker.conn)
                    answer = Answer(body, answer.media_type, answer.truncated)
                pending = False
                return answer
            if outcome == "gone":
                return Failure(499, "the client closed the connection; the query was stopped")
            return Failure(503, f"the query ran longer than {timeout:g} s and was stopped")
        except (EOFError, OSError, BrokenPipeError):
            pending = True
            return Failure(503, "the query worker stopped; try again")
        finally:
            if pending:  # stop the work for good: kill the worker, a fresh one takes its place
                with anyio.CancelScope(shield=True):
                    worker = await anyio.to_thread.run_sync(self._replace, worker)
            self._give_back(worker)
            self._release(source)

    def _replace(self, worker: _Worker) -> _Worker:
        """Kill a worker (and the query it runs) and start a fresh one in its place."""
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        fresh = self._spawn()
        with self._lock:
            index = self._workers.index(worker)
            self._workers[index] = fresh
        return fresh

    def running(self) -> list[BaseProcess]:
        """The processes of the workers running a query now."""
        with self._lock:
            return [w.process for w in self._workers if w not in self._idle]

    def close(self) -> None:
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
        self._workers, self._idle = [], []
        if self.snapshots is not None:
            shutil.rmtree(self.snapshots, ignore_errors=True)


async def _answer_of(worker: _Worker, timeout: float, disconnected: Disconnected | None) -> str:
    """ "ready" when the worker has answered, "timeout" past `timeout`, "gone" when the client
    hung up first.

    asyncio's own waits (a reader on the pipe, one task watching the client), not a task group of
    two: this runs for every query, and returns as soon as the answer is there."""
    loop = asyncio.get_running_loop()
    fd = worker.conn.fileno()
    ready = loop.create_future()
    loop.add_reader(fd, _resolve, ready)
    watch: asyncio.Future[None] | None = None
    if disconnected is not None:
        watch = asyncio.ensure_future(disconnected())
    try:
        waiting: set[asyncio.Future[Any]] = {ready} if watch is None else {ready, watch}
        done, _ = await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        loop.remove_reader(fd)
        ready.cancel()
        if watch is not None:
            watch.cancel()
    if ready in done:
        return "ready"
    return "gone" if watch in done else "timeout"


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _readable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(fd, _resolve, ready)
    try:
        await ready
    finally:
        loop.remove_reader(fd)


async def _recv_bytes(conn: Connection) -> bytes:
    """`conn.recv_bytes()` on the event loop: the message read as it arrives, without blocking
    the loop or handing the read to a thread (multiprocessing's framing: a 4-byte big-endian
    length, or -1 and an 8-byte one, then the bytes)."""
    fd = conn.fileno()
    os.set_blocking(fd, False)
    try:
        (size,) = struct.unpack("!i", await _read_exactly(fd, 4))
        if size == -1:
            (size,) = struct.unpack("!Q", await _read_exactly(fd, 8))
        return bytes(await _read_exactly(fd, size))
    finally:
        os.set_blocking(fd, True)


async def _read_exactly(fd: int, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        try:
            read = os.readv(fd, [view[got:]])
        except BlockingIOError:
            await _readable(fd)
            continue
        if read == 0:
            raise EOFError("the query worker closed its pipe")
        got += read
    return buffer
