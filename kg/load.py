"""`diplokg load`: send the graph to another triple store, graph by graph, over HTTP.

The endpoint speaks the SPARQL 1.1 Graph Store HTTP Protocol: each named graph of the store is
PUT as N-Triples to `ENDPOINT?graph=IRI` (a graph larger than a batch: PUT, then POST the rest),
so loading twice gives the same store. An endpoint that refuses PUT (404, 405, 415, 501) gets
SPARQL Update instead (`DROP SILENT GRAPH` then `INSERT DATA`, batch by batch). With `--graph
IRI` (or `--graph default`) the merge of the graphs, each triple once, goes into that one graph:
for stores that take one graph at a time (QLever). N-Quads files (the part files of a Dask
build) are sent graph segment by segment and only add (POST), as a bulk loader does.

Transient failures (connection errors, 429, 502, 503, 504) are retried with backoff; when the
server stays away the load stops with one error line, and the graphs already sent are in a journal
beside the source, so the same command run again sends only the rest. A completed load removes
its journal. Authentication: `--user/--password` answers the server's Basic or Digest challenge
(httpx), `--token` sends a bearer token.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import httpx
from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize

from kg.store import GraphStore

#: triples per request
BATCH = 20_000
#: statuses worth another try
TRANSIENT = frozenset({408, 429, 502, 503, 504})
#: statuses that say the endpoint does not take Graph Store Protocol writes
NO_GSP = frozenset({404, 405, 415, 501})
NTRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"


class LoadError(Exception):
    """A load that cannot go on, with a one-line reason."""


@dataclass(frozen=True)
class GraphData:
    """One graph to send: its name (None: the target's default graph), a key that says whether
    it changed since a journal saw it (None: always send), and its triples."""

    name: NamedNode | None
    key: str | None
    triples: Iterator[Triple]
    replace: bool = True  # PUT the first batch (else only POST)


@dataclass
class LoadReport:
    graphs: int = 0
    triples: int = 0
    skipped: int = 0  # graphs an interrupted run had sent already
    seconds: float = 0.0
    protocol: str = "gsp"


# -- sources ---------------------------------------------------------------------------------------


def store_graphs(store: GraphStore) -> Iterator[GraphData]:
    """Every named graph of a store; a document graph is keyed by its text hash and extractor
    version, so a resumed load skips it only if it has not changed since."""
    for graph in store.named_graphs():
        state = store.graph_state(graph)
        key = "|".join(state) if state else None
        yield GraphData(graph, key, store.graph_triples(graph))


def merged_graph(store: GraphStore, name: NamedNode | None) -> Iterator[GraphData]:
    """The merge of a store's graphs, each triple once, as one graph."""
    yield GraphData(name, None, store.merged_triples())


def file_graphs(
    files: Sequence[Path], merged_into: NamedNode | None = None, *, merged: bool = False
) -> Iterator[GraphData]:
    """The graphs of N-Quads (or N-Triples) files, segment by segment, added (never replacing:
    a graph may span files). With `merged`, every triple goes to `merged_into`.

    Each segment is keyed by its file and its place in it: a graph that comes back in several
    segments (the runs graph of a part file, between its documents) is resumed segment by
    segment, not taken as sent once its first segment was."""
    for path in files:
        fmt = RdfFormat.N_TRIPLES if path.suffix == ".nt" else RdfFormat.N_QUADS
        key = _file_key(path)
        try:
            quads = parse(path=str(path), format=fmt)
            if merged:
                yield GraphData(merged_into, key, (q.triple for q in quads), replace=False)
                continue
            segments = groupby(quads, key=lambda q: q.graph_name)
            for n, (name, group) in enumerate(segments):
                graph = name if isinstance(name, NamedNode) else None
                triples = (q.triple for q in group)
                yield GraphData(graph, f"{key}|{n}", triples, replace=False)
        except (SyntaxError, OSError) as err:
            raise LoadError(f"{path}: cannot read it as {fmt.name}: {err}") from None


def _file_key(path: Path) -> str:
    stat = path.stat()
    return f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


# -- the journal of an interrupted load -----------------------------------------------------------


class Journal:
    """Graphs an interrupted load sent (JSON lines), so that running it again sends the rest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[tuple[str, str]] = set()
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    self.done.add((entry["graph"], entry["key"]))
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut by the interruption

    def seen(self, graph: GraphData) -> bool:
        return graph.key is not None and (_name(graph.name), graph.key) in self.done

    def record(self, graph: GraphData) -> None:
        if graph.key is None:
            return
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"graph": _name(graph.name), "key": graph.key}) + "\n")

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)


def journal_path(source: Path, endpoint: str, graph: str | None) -> Path:
    """Where the journal of loading `source` into `endpoint` lives: beside the source."""
    digest = hashlib.sha1(f"{endpoint}\x1f{graph or ''}".encode()).hexdigest()[:12]
    source = source.resolve()
    return source.with_name(f".{source.name}.load-{digest}.jsonl")


def _name(graph: NamedNode | None) -> str:
    return graph.value if graph is not None else ""


# -- HTTP ------------------------------------------------------------------------------------------


class ChallengeAuth(httpx.Auth):
    """A user name and password for whichever scheme the server asks for (Basic or Digest)."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is not None:
            yield from self._scheme.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        self._scheme = self._digest if challenge.startswith("digest") else self._basic
        yield from self._scheme.auth_flow(request)


def client_for(
    *, user: str | None = None, password: str | None = None, token: str | None = None,
    timeout: float = 120.0,
) -> httpx.Client:  # fmt: skip
    """An HTTP client with the given credentials."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    auth = ChallengeAuth(user, password or "") if user is not None else None
    return httpx.Client(auth=auth, headers=headers, timeout=timeout, follow_redirects=False)


@dataclass
class Sender:
    """Sends batches of triples to one endpoint, retrying what fails for a moment."""

    http: httpx.Client
    endpoint: str
    protocol: str = "auto"  # "gsp", "update" or "auto" (GSP, SPARQL Update if refused)
    retries: int = 4
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    _attempts: list[str] = field(default_factory=list)

    def send(
        self, graph: NamedNode | None, triples: list[Triple], *, first: bool, replace: bool
    ) -> None:
        """One batch: the first of a replaced graph replaces it, the others add to it."""
        if self.protocol != "update":
            response = self._gsp(graph, triples, replace=first and replace)
            if response.status_code < 300:
                self.protocol = "gsp"
                return
            if self.protocol == "auto" and response.status_code in NO_GSP:
                self.protocol = "update"
            else:
                raise LoadError(self._refused(response))
        response = self._update(graph, triples, replace=first and replace)
        if response.status_code >= 300:
            raise LoadError(self._refused(response))

    def _gsp(
        self, graph: NamedNode | None, triples: list[Triple], *, replace: bool
    ) -> httpx.Response:
        params = {"graph": graph.value} if graph is not None else {"default": ""}
        body = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
        method = "PUT" if replace else "POST"
        return self._request(
            method, params=params, content=body, headers={"Content-Type": NTRIPLES}
        )

    def _update(
        self, graph: NamedNode | None, triples: list[Triple], *, replace: bool
    ) -> httpx.Response:
        data = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
        target = f"GRAPH {graph} {{ {data} }}" if graph is not None else data
        # the IRI is a validated NamedNode and the data pyoxigraph's N-Triples: nothing user-typed
        operations = []
        if replace:
            operations.append(
                f"DROP SILENT GRAPH {graph}" if graph is not None else "CLEAR SILENT DEFAULT"
            )
        if data:
            operations.append(f"INSERT DATA {{ {target} }}")
        body = " ;\n".join(operations).encode()
        if not body:
            return httpx.Response(204)
        return self._request("POST", content=body, headers={"Content-Type": SPARQL_UPDATE})

    def _request(self, method: str, **options: object) -> httpx.Response:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                response = self.http.request(method, self.endpoint, **options)  # type: ignore[arg-type]
            except httpx.TransportError as err:
                problem = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
                if attempt == self.retries:
                    raise LoadError(
                        f"cannot reach {self.endpoint} ({problem}) after {attempt + 1} tries"
                    ) from None
            else:
                if response.status_code not in TRANSIENT or attempt == self.retries:
                    return response
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def _refused(self, response: httpx.Response) -> str:
        if response.status_code in (401, 403):
            return f"{self.endpoint} refused the write ({response.status_code}): check --user/--password or --token"
        text = " ".join(response.text.split())[:200]
        return f"{self.endpoint} answered {response.status_code}: {text or response.reason_phrase}"


def batches(triples: Iterable[Triple], size: int = BATCH) -> Iterator[list[Triple]]:
    """Lists of at most `size` triples; an empty graph is one empty list (so that it is put)."""
    batch: list[Triple] = []
    sent = False
    for triple in triples:
        batch.append(triple)
        if len(batch) >= size:
            yield batch
            sent = True
            batch = []
    if batch or not sent:
        yield batch


def load(
    graphs: Iterable[GraphData],
    sender: Sender,
    *,
    journal: Journal | None = None,
    batch: int = BATCH,
    parallel: int = 2,
    on_progress: Callable[[bool, int], None] | None = None,
) -> LoadReport:
    """Send every graph, `parallel` requests at a time; what an earlier interrupted run sent (per
    the journal) is skipped.

    Batches are read here, in order, and sent by a small thread pool: a graph's later batches
    wait for its first (which replaces the graph), and a graph enters the journal once all of its
    batches are in. At most 2 × `parallel` batches are held at once.
    """
    report = LoadReport()
    started = time.perf_counter()
    pending: deque[tuple[Future[int], GraphData | None]] = deque()
    window = 2 * max(1, parallel)
    names: set[str] = set()  # a graph sent in several segments counts once

    def reap() -> None:
        future, finished = pending.popleft()
        count = future.result()
        report.triples += count
        if finished is not None:
            names.add(_name(finished.name))
            report.graphs = len(names)
            if journal is not None:
                journal.record(finished)
        if on_progress:
            on_progress(finished is not None, count)

    def job(graph: GraphData, chunk: list[Triple], first: Future[int] | None) -> int:
        if first is not None:
            first.result()  # the batch that replaced the graph went first
        sender.send(graph.name, chunk, first=first is None, replace=graph.replace)
        return len(chunk)

    with ThreadPoolExecutor(max(1, parallel), thread_name_prefix="diplokg-load") as pool:
        try:
            for graph in graphs:
                if journal is not None and journal.seen(graph):
                    report.skipped += 1
                    if on_progress:
                        on_progress(True, 0)
                    continue
                first: Future[int] | None = None
                chunks = batches(graph.triples, batch)
                chunk: list[Triple] | None = next(chunks)
                while chunk is not None:
                    following = next(chunks, None)
                    future = pool.submit(job, graph, chunk, first)
                    if first is None:
                        first = future
                        if report.graphs == 0 and not pending:
                            future.result()  # the first request settles the protocol
                    pending.append((future, graph if following is None else None))
                    while len(pending) >= window:
                        reap()
                    chunk = following
            while pending:
                reap()
        except BaseException:
            for future, _ in pending:
                future.cancel()
            raise
    if journal is not None:
        journal.finish()
    report.seconds = time.perf_counter() - started
    report.protocol = sender.protocol
    return report


def target_graph(value: str | None) -> tuple[bool, NamedNode | None]:
    """`--graph`: (merged?, the graph): None → each graph as it is; "default" → the target's
    default graph; an IRI → that named graph. ValueError for a bad IRI."""
    if value is None:
        return False, None
    if value == "default":
        return True, None
    return True, NamedNode(value)
