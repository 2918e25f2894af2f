"""`diplokg load`: send the graph to another triple store over HTTP, many graphs per request.

Batched (the default where the endpoint takes it): the graphs go out in batches of whole graphs
as N-Quads, about `--batch` triples (or `--batch-bytes`) per request: one SPARQL Update drops the
batch's graphs (`DROP SILENT GRAPH`, on the update URL beside the endpoint: Oxigraph's `/store`
→ `/update`, Fuseki's `/ds/data` → `/ds/update`, or `--update-url`), then one POST of the
batch's quads to the endpoint (Oxigraph's `/store` and Fuseki's `/ds/data` take quads bare), so
a changed graph replaces the old one and loading twice gives the same store. Oxigraph (its
`Server` header says so) gets `?no_transaction`, its bulk loader. A graph larger than a batch
continues in the next ones, which wait for the one that dropped it.

Graph by graph (the portable fallback, `--protocol gsp`, or when the endpoint refuses the
batches): each named graph is PUT as N-Triples to `ENDPOINT?graph=IRI` (a graph larger than a
batch: PUT, then POST the rest). An endpoint that refuses PUT (404, 405, 415, 501) gets SPARQL
Update instead (`DROP SILENT GRAPH` then `INSERT DATA`, batch by batch). With `--graph IRI` (or
`--graph default`) the merge of the graphs, each triple once, goes into that one graph: for
stores that take one graph at a time (QLever). N-Quads files (the part files of a Dask build)
are sent graph segment by segment and only add (POST), as a bulk loader does.

Transient failures (connection errors, 429, 502, 503, 504) are retried with backoff; when the
server stays away the load stops with one error line, and the graphs already sent are in a journal
beside the source, so the same command run again sends only the rest (a graph cut by the
interruption is dropped and sent again whole). A completed load removes its journal.
Authentication: `--user/--password` answers the server's Basic or Digest challenge (httpx),
`--token` sends a bearer token. Nothing is held but the batches in flight.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby, islice
from pathlib import Path

import httpx
from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize

from kg.store import GraphStore

#: triples per request
BATCH = 20_000
#: bytes of N-Quads per request, at most (a batch closes at whichever limit comes first)
BATCH_BYTES = 32 * 1024 * 1024
#: statuses worth another try
TRANSIENT = frozenset({408, 429, 502, 503, 504})
#: statuses that say the endpoint does not take Graph Store Protocol writes
NO_GSP = frozenset({404, 405, 415, 501})
#: statuses that say the endpoint does not take a batch of quads (bare N-Quads, or the update
#: that drops the batch's graphs): the load goes on graph by graph
NO_BATCH = NO_GSP | {400}
NTRIPLES = "application/n-triples"
NQUADS = "application/n-quads"
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
    #: the graph as N-Triples lines, where the source writes them itself (faster than triples)
    lines: Callable[[], bytes] | None = None


@dataclass
class LoadReport:
    graphs: int = 0
    triples: int = 0
    skipped: int = 0  # graphs an interrupted run had sent already
    seconds: float = 0.0
    protocol: str = "gsp"
    requests: int = 0  # write requests that succeeded


@dataclass
class Piece:
    """A part of one graph for one request: at most a batch of its triples, as N-Quads too.
    `first` (it replaces the graph, if the graph is replaced) and `last` (the graph is then
    whole at the target)."""

    graph: GraphData
    triples: list[Triple]
    first: bool
    last: bool
    body: bytes = b""
    count: int = -1  # the triples it holds: len(triples) unless it comes as `body` alone

    def __post_init__(self) -> None:
        if self.count < 0:
            self.count = len(self.triples)


def nquads(graph: NamedNode | None, triples: list[Triple]) -> bytes:
    """Triples as N-Quads lines of `graph` (None: N-Triples lines, the default graph). Each
    N-Triples line pyoxigraph writes ends in " .\\n" and no other raw newline occurs (literals
    escape theirs), so the graph name goes before that end."""
    return in_graph(graph, serialize(triples, format=RdfFormat.N_TRIPLES) or b"")


def in_graph(graph: NamedNode | None, lines: bytes) -> bytes:
    """N-Triples lines as N-Quads lines of `graph` (None: left as they are)."""
    if graph is None:
        return lines
    return lines.replace(b" .\n", b" " + str(graph).encode() + b" .\n")


def line_chunks(lines: bytes, size: int) -> Iterator[bytes]:
    """N-Quads (or N-Triples) lines in chunks of at most `size` lines; at least one chunk."""
    start = 0
    while True:
        end, n = start, 0
        while n < size and end < len(lines):
            found = lines.find(b"\n", end)
            end = len(lines) if found < 0 else found + 1
            n += 1
        yield lines[start:end]
        if end >= len(lines):
            return
        start = end


# -- sources ---------------------------------------------------------------------------------------


def store_graphs(store: GraphStore) -> Iterator[GraphData]:
    """Every named graph of a store; a document graph is keyed by its text hash and extractor
    version, so a resumed load skips it only if it has not changed since."""
    states = store.graph_states()
    for graph in store.named_graphs():
        state = states.get(graph)
        key = "|".join(state) if state else None
        yield GraphData(
            graph, key, store.graph_triples(graph), lines=partial(store.graph_ntriples, graph)
        )


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


def update_url_for(endpoint: str) -> str | None:
    """The SPARQL Update URL beside a Graph Store endpoint, where the layout is known:
    `.../store` (Oxigraph) and `.../data` (Fuseki) → `.../update`."""
    url = httpx.URL(endpoint)
    for tail in ("/store", "/data"):
        if url.path.endswith(tail):
            return str(url.copy_with(path=url.path[: -len(tail)] + "/update", query=None))
    return None


@dataclass
class Sender:
    """Sends triples to one endpoint, retrying what fails for a moment.

    `protocol`: "quads" (batches of graphs as N-Quads, their graphs dropped first on
    `update_url`), "gsp" (graph by graph), "update" (SPARQL Update only), or "auto": batches
    when an update URL is known, else or when refused graph by graph, else SPARQL Update.
    """

    http: httpx.Client
    endpoint: str
    protocol: str = "auto"
    update_url: str | None = None
    retries: int = 4
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    bulk: bool = False  # the target is Oxigraph: send batches with ?no_transaction
    _attempts: list[str] = field(default_factory=list)

    @property
    def batched(self) -> bool:
        """Whether graphs go out many per request (as far as is known yet)."""
        return self.protocol in ("quads", "auto") and self.update_url is not None

    def send_pieces(self, pieces: Sequence[Piece]) -> int:
        """One request's worth of graph pieces; how many triples they hold."""
        if self.batched:
            if self._quads(pieces):
                self.protocol = "quads"
                return sum(p.count for p in pieces)
            self.protocol = "auto"  # refused: graph by graph from now on
            self.update_url = None
        for piece in pieces:
            self.send(
                piece.graph.name, piece.triples, first=piece.first, replace=piece.graph.replace
            )
        return sum(len(p.triples) for p in pieces)

    def _quads(self, pieces: Sequence[Piece]) -> bool:
        """Drop the pieces' replaced graphs, then POST their quads; False when the endpoint
        refuses either in a way that says it takes no batches (and the protocol is "auto")."""
        assert self.update_url is not None
        drops = dict.fromkeys(p.graph.name for p in pieces if p.first and p.graph.replace)
        if drops:
            # IRIs: validated NamedNodes, serialised by pyoxigraph; nothing user-typed
            text = " ;\n".join(
                f"DROP SILENT GRAPH {g}" if g is not None else "CLEAR SILENT DEFAULT" for g in drops
            )
            response = self._request(
                "POST", url=self.update_url, content=text.encode(),
                headers={"Content-Type": SPARQL_UPDATE},
            )  # fmt: skip
            if not self._accepted(response):
                return False
        body = b"".join(p.body or nquads(p.graph.name, p.triples) for p in pieces)
        response = self._request(
            "POST", params={"no_transaction": ""} if self.bulk else {}, content=body,
            headers={"Content-Type": NQUADS},
        )  # fmt: skip
        return self._accepted(response)

    def _accepted(self, response: httpx.Response) -> bool:
        """True for a success; False for a refusal that "auto" falls back from; else an error.
        The first answer also says whether the server is Oxigraph (its bulk loader)."""
        if response.status_code < 300:
            if self.protocol == "auto":
                self.bulk = response.headers.get("server", "").startswith("Oxigraph/")
            return True
        if self.protocol == "auto" and response.status_code in NO_BATCH:
            return False
        raise LoadError(self._refused(response))

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

    def _request(self, method: str, url: str | None = None, **options: object) -> httpx.Response:
        delay = self.backoff
        url = url or self.endpoint
        for attempt in range(self.retries + 1):
            try:
                response = self.http.request(method, url, **options)  # type: ignore[arg-type]
            except httpx.TransportError as err:
                problem = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
                if attempt == self.retries:
                    raise LoadError(
                        f"cannot reach {url} ({problem}) after {attempt + 1} tries"
                    ) from None
            else:
                if response.status_code not in TRANSIENT or attempt == self.retries:
                    return response
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def _refused(self, response: httpx.Response) -> str:
        url = str(response.request.url.copy_with(query=None)) if response.request else self.endpoint
        if response.status_code in (401, 403):
            return f"{url} refused the write ({response.status_code}): check --user/--password or --token"
        text = " ".join(response.text.split())[:200]
        return f"{url} answered {response.status_code}: {text or response.reason_phrase}"


def batches(triples: Iterable[Triple], size: int = BATCH) -> Iterator[list[Triple]]:
    """Lists of at most `size` triples; an empty graph is one empty list (so that it is put)."""
    source = iter(triples)
    batch = list(islice(source, size))
    yield batch
    while len(batch) == size:
        batch = list(islice(source, size))
        if batch:
            yield batch


def pieces(
    graphs: Iterable[GraphData], size: int, journal: Journal | None, report: LoadReport,
    on_progress: Callable[[bool, int], None] | None = None,
    as_quads: Callable[[], bool] = lambda: False,
) -> Iterator[Piece]:  # fmt: skip
    """The graphs cut in pieces of at most `size` triples, read as they are needed; graphs an
    interrupted run sent (per the journal) are skipped. Once `as_quads()` (the target takes
    batches of N-Quads and no fallback will need triples), a graph whose source writes its own
    lines comes as N-Quads bodies alone."""
    for graph in graphs:
        if journal is not None and journal.seen(graph):
            report.skipped += 1
            if on_progress:
                on_progress(True, 0)
            continue
        if graph.lines is not None and as_quads():
            bodies = list(line_chunks(in_graph(graph.name, graph.lines()), size))
            for n, body in enumerate(bodies):
                count = body.count(b"\n")
                yield Piece(graph, [], n == 0, n == len(bodies) - 1, body=body, count=count)
            continue
        chunks = batches(graph.triples, size)
        chunk: list[Triple] | None = next(chunks)
        first = True
        while chunk is not None:
            following = next(chunks, None)
            yield Piece(graph, chunk, first=first, last=following is None)
            first, chunk = False, following


def load(
    graphs: Iterable[GraphData],
    sender: Sender,
    *,
    journal: Journal | None = None,
    batch: int = BATCH,
    batch_bytes: int = BATCH_BYTES,
    parallel: int = 2,
    on_progress: Callable[[bool, int], None] | None = None,
) -> LoadReport:
    """Send every graph, `parallel` requests at a time, each request a batch of whole graphs
    (or graph by graph, as the sender does); what an earlier interrupted run sent is skipped.

    Requests are made here, in order, and sent by a small thread pool. A request holding the
    later pieces of a graph waits for the one holding its first piece (which replaces the
    graph), and a graph enters the journal once the request with its last piece is in, and
    every one before it. At most 2 × `parallel` requests are held at once.
    """
    report = LoadReport()
    started = time.perf_counter()
    pending: deque[tuple[Future[int], list[Piece]]] = deque()
    window = 2 * max(1, parallel)
    names: set[str] = set()  # a graph sent in several segments counts once
    firsts: dict[int, Future[int]] = {}  # graph (by id) → the request with its first piece

    def reap() -> None:
        future, sent = pending.popleft()
        count = future.result()
        report.triples += count
        report.requests += 1
        finished = [p.graph for p in sent if p.last]
        for graph in finished:
            names.add(_name(graph.name))
            if journal is not None:
                journal.record(graph)
        report.graphs = len(names)
        if on_progress:
            on_progress(False, count)
            for _ in finished:
                on_progress(True, 0)

    def job(group: list[Piece], waits: list[Future[int]]) -> int:
        for earlier in waits:
            earlier.result()  # the request that replaced the graph went first
        return sender.send_pieces(group)

    def submit(group: list[Piece], pool: ThreadPoolExecutor) -> None:
        earlier = (firsts.get(id(p.graph)) for p in group if not p.first)
        waits = list({id(f): f for f in earlier if f is not None}.values())
        future = pool.submit(job, group, waits)
        for piece in group:
            if piece.first and not piece.last:
                firsts[id(piece.graph)] = future
            elif piece.last and not piece.first:
                firsts.pop(id(piece.graph), None)
        if not pending and report.requests == 0:
            future.result()  # the first request settles the protocol
        pending.append((future, group))
        while len(pending) >= window:
            reap()

    with ThreadPoolExecutor(max(1, parallel), thread_name_prefix="diplokg-load") as pool:
        try:
            group: list[Piece] = []
            triples = size = 0
            settled = lambda: sender.batched and sender.protocol == "quads"  # noqa: E731
            for piece in pieces(graphs, batch, journal, report, on_progress, settled):
                if not sender.batched:
                    submit([piece], pool)
                    continue
                piece.body = piece.body or nquads(piece.graph.name, piece.triples)
                if sender.protocol == "quads":  # settled: no fallback will need the triples
                    piece.triples = []
                if group and size + len(piece.body) > batch_bytes:
                    submit(group, pool)
                    group, triples, size = [], 0, 0
                group.append(piece)
                triples += piece.count
                size += len(piece.body)
                if triples >= batch or size >= batch_bytes:
                    submit(group, pool)
                    group, triples, size = [], 0, 0
            if group:
                submit(group, pool)
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
