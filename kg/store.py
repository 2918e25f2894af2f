"""The embedded on-disk store (pyoxigraph/RocksDB): every write in one transaction, queries over
the merge of all graphs.

Layout. Each document's statements live in its named graph `dipr:doc/ID`, extraction runs in
`dipr:graph/runs`, other named graphs are what users put there. The store's default graph holds
the RDF merge of all named graphs, each triple once however many graphs hold it: queries read it
as their default graph, so `COUNT(*)` counts triples, not copies. Every write below keeps it in
step in the same transaction: a triple joins it with the first graph that holds it and leaves it
with the last (see docs/architecture.md for the choice and its cost). The default graph is
derived, so nothing writes it directly.

Writes are serialised by a lock and counted in `version`, which the query pool
(`api/executor.py`) watches to renew its snapshots. New documents go in as N-Quads that
pyoxigraph serialises and parses back in Rust (the merge's copies as N-Triples lines of the same
input), in one transaction each; a build's `batch()` writes many at once through Oxigraph's bulk
loader, one atomic ingest per batch (see `DocumentBatch`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from operator import attrgetter
from pathlib import Path
from typing import Literal as TypingLiteral

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

from kg.namespaces import DIP, PROV, RUNS_GRAPH, sparql_prefixes
from kg.rdf import EXTRACTOR, doc_iri, extraction_quads, text_hash
from kg.records import Extraction

Status = TypingLiteral["added", "unchanged", "replaced"]
QueryResult = QuerySolutions | QueryTriples | QueryBoolean
Term = NamedNode | Literal
Pending = tuple[NamedNode, list[Quad]]  # a new document's graph and its quads

DEFAULT_STORE = Path("data/store")
RUNS = NamedNode(RUNS_GRAPH)
_GENERATED = NamedNode(PROV + "wasGeneratedBy")
_TRIPLE = attrgetter("triple")
#: a build's batch is written once it holds this many documents or this many quads (named
#: graphs; as many again go into the merge): far below the bulk loader's own batch of
#: 1,000,000 quads, so that one batch is one ingest
BATCH_DOCUMENTS = 100
BATCH_QUADS = 60_000
#: from this many quads a batch goes through the bulk loader (below, one ordinary transaction:
#: a few quads are not worth a dozen new files)
BULK_FROM = 5_000
_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)
#: the declarations an update starts with (Oxigraph reads them at the very start only)
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|(?i:PREFIX)\s*[^\s:]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)*")
#: quads written between two flushes of RocksDB's memtables (about 35 MB of them): Oxigraph lets
#: them grow with every write, so a long series of writes (a build) would otherwise keep all it
#: wrote in memory; measured in bench/RESULTS.md build_scale
FLUSH_QUADS = 25_000


class StoreError(Exception):
    """A store that cannot be opened or written, with a one-line reason for the user."""


def default_store_path() -> Path:
    """`$DIPLOKG_STORE`, else `./data/store`."""
    return Path(os.environ.get("DIPLOKG_STORE") or DEFAULT_STORE)


def lock_holder(path: Path) -> str | None:
    """Describe the process holding the store's RocksDB lock ("pid 123: diplokg serve"), if any."""
    lock = (path / "LOCK").resolve()
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            for fd in (pid_dir / "fd").iterdir():
                if os.readlink(fd) == str(lock):
                    raw = (pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    cmd = " ".join(raw.split())
                    return f"pid {pid_dir.name} ({cmd[:60]}{'...' if len(cmd) > 60 else ''})"
        except OSError:
            continue
    return None


def is_store(path: Path) -> bool:
    """Whether `path` is an existing store folder (RocksDB's CURRENT file is there)."""
    return (path / "CURRENT").is_file()


class GraphStore:
    """A diplokg graph in an on-disk Oxigraph store (or in memory when `path` is None).

    `must_exist` refuses to create a store that is not there (StoreError naming the path).
    """

    def __init__(
        self, path: Path | str | None, *, read_only: bool = False, must_exist: bool = False
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock = threading.RLock()
        self._version = 0
        self._unflushed = 0  # quads written since the last flush
        if self.path is not None and (must_exist or read_only) and not is_store(self.path):
            raise StoreError(f"there is no store at {self.path} (build one with diplokg build)")
        try:
            if self.path is None:
                self._store = Store()
            elif read_only:
                self._store = Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = Store(str(self.path))
        except OSError as err:
            raise StoreError(self._open_error(err)) from None
        # a store written before the default graph held the merge: read-only, queries fall back
        # to the union of the graphs; writable, the merge is built now, once
        self._union = self._lacks_merge()
        if self._union and not read_only:
            self.rebuild_merge()

    def _open_error(self, err: OSError) -> str:
        assert self.path is not None
        if "lock" in str(err).lower():
            holder = lock_holder(self.path) or "another process"
            return (
                f"store {self.path} is in use by {holder}; "
                "use its HTTP API (diplokg serve) or stop that process first"
            )
        return f"cannot open store {self.path}: {err}"

    def _lacks_merge(self) -> bool:
        default = next(iter(self._store.quads_for_pattern(None, None, None, DefaultGraph())), None)
        return (
            default is None
            and next(iter(self._store.quads_for_pattern(None, None, None)), None) is not None
        )

    @property
    def version(self) -> int:
        """How many writes this object made: readers of snapshots renew when it changes."""
        return self._version

    @property
    def writes(self) -> int:
        """The same as `version` (the name the query pool first used)."""
        return self._version

    # -- reading ---------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        prefixes: bool = True,
    ) -> QueryResult:
        """Run a SPARQL query over the merge of all graphs; `bindings` are bound, never formatted.

        pyoxigraph binds only variables that a SELECT projects, so list bound variables in the
        SELECT clause. Raises SyntaxError for a malformed query.
        """
        text = sparql_prefixes() + sparql if prefixes else sparql
        subs: dict[Variable, NamedNode | BlankNode | Literal | Triple] = {
            Variable(k): v for k, v in (bindings or {}).items()
        }
        return self._query(text, substitutions=subs or None)

    def run_query(
        self,
        sparql: str,
        *,
        base_iri: str | None = None,
        default_graphs: Sequence[NamedNode] = (),
        named_graphs: Sequence[NamedNode] = (),
    ) -> QueryResult:
        """A user's query as the SPARQL protocol runs it: over the merge, or over the dataset the
        request names (`default-graph-uri`, `named-graph-uri`), or its own FROM clauses."""
        if default_graphs or named_graphs:
            return self._store.query(
                sparql,
                base_iri=base_iri,
                default_graph=list(default_graphs),
                named_graphs=list(named_graphs),
            )
        return self._query(sparql, base_iri=base_iri)

    def _query(self, text: str, **options: object) -> QueryResult:
        if self._union and not _FROM.search(text):
            return self._store.query(text, use_default_graph_as_union=True, **options)  # type: ignore[arg-type]
        return self._store.query(text, **options)  # type: ignore[arg-type]

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None
    ) -> list[dict[str, str]]:
        """A SELECT as a list of {variable: value} rows (unbound variables left out).

        The rows are written by pyoxigraph as SPARQL JSON results (in Rust) and read by the json
        module: about a fifth faster than a Python object per term, the same values (IRIs,
        lexical forms, blank node ids)."""
        result = self.query(sparql, bindings)
        assert isinstance(result, QuerySolutions), "select() needs a SELECT query"
        written = result.serialize(format=QueryResultsFormat.JSON)
        assert written is not None
        rows = json.loads(written)["results"]["bindings"]
        return [{name: term["value"] for name, term in row.items()} for row in rows]

    def documents(self) -> list[str]:
        """Ids of the stored documents."""
        rows = self.select(
            "SELECT ?id WHERE { GRAPH ?g { ?g a dip:Document ; dcterms:identifier ?id } } ORDER BY ?id"
        )
        return [r["id"] for r in rows]

    def document_state(self, doc_id: str) -> tuple[str, str] | None:
        """The stored (text hash, extractor version) of a document; None when it is not stored."""
        return self._document_state(doc_iri(doc_id))

    def graph_state(self, graph: NamedNode) -> tuple[str, str] | None:
        """A document graph's (text hash, extractor version); None for other graphs."""
        state = self._document_state(graph)
        return state if state and state[0] else None

    def graph_states(self) -> dict[NamedNode, tuple[str, str]]:
        """Every document graph's (text hash, extractor version), in one query."""
        rows = self._store.query(
            f"SELECT ?g ?h ?v WHERE {{ GRAPH ?g {{ ?g <{DIP}textHash> ?h . "
            f"OPTIONAL {{ ?g <{DIP}extractorVersion> ?v }} }} }}"
        )
        states: dict[NamedNode, tuple[str, str]] = {}
        for row in rows:  # type: ignore[union-attr]
            states.setdefault(row["g"], (row["h"].value, row["v"].value if row["v"] else ""))
        return states

    def is_current(self, doc_id: str, text: str) -> bool:
        """Whether this text of the document is stored already, by this extractor version."""
        return self.document_state(doc_id) == (text_hash(text), EXTRACTOR)

    def event_count(self, doc_id: str) -> int:
        """How many events a stored document's graph holds."""
        # the IRI is a NamedNode pyoxigraph validated (and serialises): not formatted user text
        rows = self._store.query(
            f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH {doc_iri(doc_id)} {{ ?e a <{DIP}Event> }} }}"
        )
        for row in rows:  # type: ignore[union-attr]
            return int(row["n"].value)
        return 0

    def document_quads(self, doc_id: str) -> list[Quad]:
        """A stored document's graph and the records of the run that extracted it: what
        `kg.rdf.extraction_quads` gave when it was added."""
        graph = doc_iri(doc_id)
        quads = list(self._store.quads_for_pattern(None, None, None, graph))
        agent = NamedNode(PROV + "wasAssociatedWith")
        runs = self._store.query(  # IRIs: validated NamedNodes, serialised by pyoxigraph
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH {RUNS} {{ {graph} {_GENERATED} ?run . "
            f"{{ ?run ?p ?o BIND(?run AS ?s) }} "
            f"UNION {{ ?run {agent} ?s . ?s ?p ?o }} "
            f"UNION {{ ?s {_GENERATED} ?run BIND({_GENERATED} AS ?p) BIND(?run AS ?o) }} }} }}"
        )
        for row in runs:  # type: ignore[union-attr]
            quads.append(Quad(row["s"], row["p"], row["o"], RUNS))
        return quads

    def has_graph(self, graph: NamedNode | DefaultGraph) -> bool:
        """Whether a named graph exists (the default graph, the merge, always does)."""
        return isinstance(graph, DefaultGraph) or self._store.contains_named_graph(graph)

    def graph_triples(self, graph: NamedNode | DefaultGraph) -> Iterator[Triple]:
        """The triples of one graph (of the default graph: the merge), streamed."""
        return map(_TRIPLE, self._store.quads_for_pattern(None, None, None, graph))

    def graph_ntriples(self, graph: NamedNode) -> bytes:
        """One named graph as N-Triples lines, written by pyoxigraph itself (no Python object
        per triple: what `diplokg load` sends)."""
        return self._store.dump(format=RdfFormat.N_TRIPLES, from_graph=graph) or b""

    def graph_count(self) -> int:
        """How many named graphs the store holds (documents, and the runs graph once written)."""
        return sum(1 for _ in self._store.named_graphs())

    def named_graphs(self) -> list[NamedNode]:
        """Every named graph, in IRI order."""
        graphs = [g for g in self._store.named_graphs() if isinstance(g, NamedNode)]
        return sorted(graphs, key=lambda g: g.value)

    def quads(self) -> Iterator[Quad]:
        """Every quad of the named graphs, graph by graph (the merge, derived, left out)."""
        for graph in self.named_graphs():
            yield from self._store.quads_for_pattern(None, None, None, graph)

    def merged_triples(self) -> Iterator[Triple]:
        """The merge of all graphs, each triple once: what queries see as the default graph."""
        if self._union:
            seen: set[Triple] = set()
            for quad in self._store.quads_for_pattern(None, None, None):
                if quad.triple not in seen:
                    seen.add(quad.triple)
                    yield quad.triple
            return
        yield from self.graph_triples(DefaultGraph())

    def __len__(self) -> int:
        return len(self._store)

    def _document_state(self, graph: NamedNode) -> tuple[str, str] | None:
        if not self._store.contains_named_graph(graph):
            return None
        rows = self._store.query(
            f"SELECT ?g ?h ?v WHERE {{ GRAPH ?g {{ ?g <{DIP}textHash> ?h . "
            f"OPTIONAL {{ ?g <{DIP}extractorVersion> ?v }} }} }}",
            substitutions={Variable("g"): graph},
        )
        for row in rows:  # type: ignore[union-attr]
            return (row["h"].value, row["v"].value if row["v"] else "")
        return ("", "")

    # -- writing: documents ----------------------------------------------------------------

    def add(self, extraction: Extraction, *, started: dt.datetime | None = None) -> Status:
        """Store one document's graph in one transaction; a re-run of the same text is a no-op."""
        graph = doc_iri(extraction.document.id)
        quads = list(extraction_quads(extraction, started))  # before the lock: it may fail
        with self._writing():
            status = self._status(graph, extraction)
            if status == "added":
                self._insert_documents([(graph, quads)])
            elif status == "replaced":
                self._commit(drop=[graph], runs_of=graph, insert=quads)
            return status

    def batch(
        self, *, started: dt.datetime | None = None, documents: int | None = None
    ) -> DocumentBatch:
        """A writer that adds documents many at a time (a build's; at most `documents`, by
        default BATCH_DOCUMENTS, per write): see `DocumentBatch`."""
        return DocumentBatch(self, started, documents=documents or BATCH_DOCUMENTS)

    def _status(self, graph: NamedNode, extraction: Extraction) -> Status:
        """What adding this extraction does to its document's graph (under the write lock)."""
        state = self._document_state(graph)
        if state == (text_hash(extraction.document.text), EXTRACTOR):
            return "unchanged"
        return "added" if state is None else "replaced"

    def _insert_documents(self, documents: Sequence[Pending], data: bytes | None = None) -> None:
        """Write new documents' graphs and their merged triples in one atomic write (under the
        write lock); `data` is their `_nquads`, when made already. A document whose graph
        appeared since it was found new (another writer) replaces that graph instead, in its own
        transaction."""
        fresh: list[Quad] = []
        for graph, quads in documents:
            if self._store.contains_named_graph(graph):
                self._commit(drop=[graph], runs_of=graph, insert=quads)
                data = None  # it no longer matches what is fresh
            else:
                fresh.extend(quads)
        if not fresh:
            return
        data = data if data is not None else _nquads(fresh)
        try:
            if len(fresh) >= BULK_FROM:  # table files ingested: the memtables do not grow
                self._store.bulk_load(data, format=RdfFormat.N_QUADS)
            else:
                self._store.load(data, format=RdfFormat.N_QUADS)
                self._written(len(fresh))
        except (OSError, SyntaxError) as err:
            raise StoreError(f"could not write {len(documents)} document(s): {err}") from None
        self._version += 1

    def remove(self, doc_id: str) -> bool:
        """Drop one document's graph (and its runs); False when there is no such document."""
        graph = doc_iri(doc_id)
        with self._writing():
            if not self._store.contains_named_graph(graph):
                return False
            self._commit(drop=[graph], runs_of=graph)
            return True

    # -- writing: graphs (the Graph Store Protocol) ------------------------------------------

    def put_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> bool:
        """Replace a named graph's triples, in one transaction; True when it was created."""
        quads = [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        with self._writing():
            existed = self._store.contains_named_graph(graph)
            self._commit(drop=[graph] if existed else [], insert=quads, create=[graph])
            return not existed

    def post_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> bool:
        """Add triples to a named graph, in one transaction; True when it was created."""
        quads = [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        with self._writing():
            existed = self._store.contains_named_graph(graph)
            self._commit(insert=quads, create=[graph])
            return not existed

    def drop_graph(self, graph: NamedNode) -> bool:
        """Drop a named graph, in one transaction; False when there is no such graph."""
        with self._writing():
            if not self._store.contains_named_graph(graph):
                return False
            self._commit(drop=[graph])
            return True

    def add_quads(self, quads: Iterable[Quad]) -> int:
        """Add quads of named graphs, in one transaction; how many were given."""
        batch = list(quads)
        if any(isinstance(q.graph_name, DefaultGraph) for q in batch):
            raise ValueError("the default graph is the merge of the named graphs: name a graph")
        with self._writing():
            self._commit(insert=batch)
        return len(batch)

    def bulk_add(self, quads: Iterable[Quad]) -> None:
        """Add many quads of named graphs fast, with Oxigraph's bulk loader: not one transaction
        (an interruption may leave part of them), so only for filling a new store."""
        batch = list(quads)
        if any(isinstance(q.graph_name, DefaultGraph) for q in batch):
            raise ValueError("the default graph is the merge of the named graphs: name a graph")
        merged = [Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in batch]
        with self._writing():
            self._store.bulk_extend([*batch, *merged])
            self._version += 1

    def clear(self) -> None:
        """Remove everything."""
        with self._writing():
            self._store.clear()
            self._version += 1

    # -- writing: SPARQL Update ------------------------------------------------------------

    def update(
        self,
        sparql: str,
        *,
        base_iri: str | None = None,
        graphs: Collection[NamedNode] | None = None,
    ) -> None:
        """Run a SPARQL update and bring the merge up to date, all in one transaction.

        `graphs` are the only graphs the update can write (the caller read them off the update
        text, `api.sparql.scope`): the merge is then redone for them alone; None means any graph
        (a pass over the whole store). The update must not write the default graph: it is the
        merge. Raises SyntaxError, or OSError/RuntimeError/ValueError as pyoxigraph does.
        """
        body = sparql.rstrip()
        if body.endswith(";"):
            body = body[:-1]
        if not body.strip():
            return
        with self._writing():
            if graphs is None:
                text = f"{body}\n;\n{_refresh_all()}"
            else:
                scratch = NamedNode(f"urn:diplokg:scratch:{os.getpid()}-{self._version}")
                copy = "".join(f"ADD SILENT {g} TO {scratch} ;\n" for g in graphs)
                split = _PROLOGUE.match(body)
                start = split.end() if split else 0
                text = f"{body[:start]}\n{copy}{body[start:]}\n;\n{_refresh(graphs, scratch)}"
            self._store.update(text, base_iri=base_iri)
            self._version += 1

    # -- the one write path ----------------------------------------------------------------

    def _writing(self) -> _Write:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        return _Write(self)

    def _commit(
        self,
        *,
        drop: Sequence[NamedNode] = (),
        runs_of: NamedNode | None = None,
        insert: Sequence[Quad] = (),
        create: Sequence[NamedNode] = (),
    ) -> None:
        """Drop graphs (and a document's run records), insert quads, and keep the merge, in one
        transaction: `Store.load` of N-Quads when only adding, else one SPARQL update whose data is
        pyoxigraph's own N-Triples (nothing user-typed is formatted into its text)."""
        if not drop and runs_of is None:
            if insert:
                self._store.load(_nquads(insert), format=RdfFormat.N_QUADS)
            else:
                for graph in create:
                    self._store.add_graph(graph)
            self._version += 1
            self._written(len(insert))
            return
        operations: list[str] = []
        if runs_of is not None:
            operations += _drop_runs(runs_of)
        for graph in drop:
            operations += [
                _unmerge(f"GRAPH {graph} {{ ?s ?p ?o }}", graph),
                f"DROP SILENT GRAPH {graph}",
            ]
        operations += [f"CREATE SILENT GRAPH {g}" for g in create]
        if insert:
            operations.append(_insert_data(insert))
        try:
            self._store.update(" ;\n".join(operations))
            self._version += 1
        except (OSError, SyntaxError) as err:
            raise StoreError(
                f"could not write graphs {', '.join(g.value for g in drop)}: {err}"
            ) from None
        self._written(len(insert))

    def _written(self, quads: int) -> None:
        """Count quads written; past FLUSH_QUADS, flush, so memory stays flat however long the
        writes go on (a flush writes what the transactions committed: nothing changes for
        readers)."""
        self._unflushed += quads
        if self._unflushed >= FLUSH_QUADS and self.path is not None:
            self.flush()

    def rebuild_merge(self) -> None:
        """Recompute the merge from the named graphs (after an older version wrote the store)."""
        with self._writing():
            self._store.update(_refresh_all())
            self._union = False
            self._version += 1

    # -- housekeeping ----------------------------------------------------------------------

    def backup(self, target: Path) -> None:
        """A consistent read-only copy of the store in `target` (RocksDB checkpoint: hard links),
        taken between writes."""
        with self._lock:
            self._store.flush()
            self._store.backup(str(target))

    def optimize(self) -> None:
        """Compact the store (Oxigraph's `optimize`, RocksDB's full compaction), as Oxigraph
        advises after a batch upload: the many files a build's writes leave are merged, and
        queries on the store read about 1.4 times faster after it (bench/RESULTS.md). Its cost
        grows with the store, so a build calls it only when it wrote most of it."""
        if not self.read_only:
            with self._lock:
                self._store.optimize()

    def flush(self) -> None:
        """Write the memtables out (between writes: every store call of this process is serial)."""
        if not self.read_only:
            with self._lock:
                self._store.flush()
                self._unflushed = 0

    def close(self) -> None:
        """Flush and release the RocksDB lock."""
        if self.path is not None and not self.read_only:
            self.flush()
        del self._store


class DocumentBatch:
    """Adds documents to a store many at a time, for a build: `add` says at once what it does
    (added, unchanged, replaced); new documents wait until about `BATCH_QUADS` quads are
    pending, then go in together in one write through Oxigraph's bulk loader, which ingests its
    files into every index at once (RocksDB's atomic multi-column-family ingestion): a build
    killed at any moment leaves whole documents, and the next build redoes what was pending.
    A replaced document is written at once, in its own transaction. `flush` (or leaving the
    `with` block) writes what is pending; until then, readers do not see it. Blank nodes get
    fresh labels, the same ones in a document's graph and in the merge.

    A full batch is ingested on a thread of its own while the caller goes on (the bulk loader
    runs in Rust without Python's lock, so a build extracts the next documents meanwhile); at
    most one batch is in flight, and its error, if any, is raised by the next `add`, `wait` or
    `flush`.
    """

    def __init__(
        self,
        store: GraphStore,
        started: dt.datetime | None,
        *,
        documents: int = BATCH_DOCUMENTS,
        quads: int = BATCH_QUADS,
    ) -> None:
        self.store = store
        self.started = started
        self.limits = (documents, quads)
        self._pending: dict[NamedNode, list[Quad]] = {}
        self._size = 0
        self._pool: ThreadPoolExecutor | None = None
        self._inflight: Future[None] | None = None
        self._inflight_graphs: set[NamedNode] = set()

    def add(self, extraction: Extraction) -> Status:
        graph = doc_iri(extraction.document.id)
        quads = list(extraction_quads(extraction, self.started))  # before the lock: it may fail
        if graph in self._pending:  # the same document twice in a batch: the first goes in first
            self.flush()
        elif graph in self._inflight_graphs:  # its state is the one being written
            self.wait()
        elif self._inflight is not None and self._inflight.done():
            self.wait()  # an error of the batch written meanwhile surfaces now
        status = self.store._status(graph, extraction)  # a read: the batch in flight goes on
        if status == "replaced":
            with self.store._writing():
                status = self.store._status(graph, extraction)  # again, under the lock
                if status == "replaced":
                    self.store._commit(drop=[graph], runs_of=graph, insert=quads)
        if status == "added":
            self._pending[graph] = quads
            self._size += len(quads)
            if len(self._pending) >= self.limits[0] or self._size >= self.limits[1]:
                self._send()
        return status

    def _send(self) -> None:
        """Serialise the pending documents and hand them to the writing thread, once the batch
        before them is in."""
        documents = list(self._pending.items())
        self._pending, self._size = {}, 0
        data = _document_nquads(documents)
        self.wait()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="diplokg-store-write")
        self._inflight_graphs = {graph for graph, _ in documents}
        self._inflight = self._pool.submit(self._write, documents, data)

    def _write(self, documents: list[Pending], data: bytes) -> None:
        with self.store._writing():
            self.store._insert_documents(documents, data)

    def wait(self) -> None:
        """Return once the batch in flight is in the store (raising its StoreError, if any)."""
        inflight, self._inflight, self._inflight_graphs = self._inflight, None, set()
        if inflight is not None:
            inflight.result()

    def flush(self) -> None:
        """Write the pending documents, all at once, and wait until every batch is in."""
        try:
            if self._pending:
                self._send()
            self.wait()
        finally:
            if self._pool is not None and self._inflight is None:
                self._pool.shutdown()
                self._pool = None

    def __enter__(self) -> DocumentBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()


class _Write:
    """The lock every write holds (the one writer at a time)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def __enter__(self) -> None:
        self.store._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self.store._lock.release()


# -- the text of the updates -------------------------------------------------------------------
# IRIs below are validated NamedNodes written by pyoxigraph: nothing user-typed is formatted in.


def _elsewhere(graph: NamedNode | None) -> str:
    """A pattern true when ?s ?p ?o is in a named graph other than `graph`."""
    other = f" FILTER(?h != {graph})" if graph is not None else ""
    return f"GRAPH ?h {{ ?s ?p ?o{other} }}"


def _unmerge(pattern: str, graph: NamedNode) -> str:
    """Take out of the merge the triples `pattern` finds in `graph` that no other graph holds."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ {pattern} FILTER NOT EXISTS {{ {_elsewhere(graph)} }} }}"
    )


def _drop_runs(document: NamedNode) -> list[str]:
    """Delete the records of the runs that extracted a document (and their merged copies)."""
    # bound patterns, not a filter over the whole runs graph: the cost of a document, not a store
    pattern = (
        f"GRAPH {RUNS} {{ {{ {document} {_GENERATED} ?run . ?run ?p ?o . BIND(?run AS ?s) }} "
        f"UNION {{ {document} {_GENERATED} ?run . ?s {_GENERATED} ?run . "
        f"BIND({_GENERATED} AS ?p) BIND(?run AS ?o) }} }}"
    )
    return [
        _unmerge(pattern, RUNS),
        f"DELETE {{ GRAPH {RUNS} {{ ?s ?p ?o }} }} WHERE {{ {pattern} }}",
    ]


#: the graph name that ends an N-Quads line of a named graph (pyoxigraph writes `s p o g .`;
#: no term inside a line holds a raw line break)
_GRAPH_NAME = re.compile(rb" <[^<>\n]*> \.$", re.MULTILINE)


def _nquads(quads: Sequence[Quad]) -> bytes:
    """Quads of named graphs as N-Quads, followed by the same lines without their graph name:
    in one N-Quads input, those land in the default graph, the merge (which has set
    semantics). Cutting the names off the serialised lines is cheaper than making a Triple of
    every quad and serialising it again."""
    named = serialize(quads, format=RdfFormat.N_QUADS) or b""
    return named + _GRAPH_NAME.sub(b" .", named)


def _document_nquads(documents: Sequence[Pending]) -> bytes:
    """`_nquads` of new documents, whose quads are in their own graph and the runs graph only
    (`extraction_quads`): each document's lines are serialised on their own, and its merge lines
    are those lines with the two graph names replaced away (a graph name is an IRI, so `" <g> .\n"`
    only ever ends a line), which is cheaper than a regular expression over every line."""
    runs = f" {RUNS} .\n".encode()
    named: list[bytes] = []
    merged: list[bytes] = []
    for graph, quads in documents:
        lines = serialize(quads, format=RdfFormat.N_QUADS) or b""
        named.append(lines)
        merged.append(lines.replace(f" {graph} .\n".encode(), b" .\n").replace(runs, b" .\n"))
    return b"".join(named) + b"".join(merged)


def _insert_data(quads: Sequence[Quad]) -> str:
    """INSERT DATA of quads into their graphs and of their triples into the merge."""
    by_graph: dict[str, list[Triple]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(q.triple)
    triples = (serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES) or b"").decode()
    blocks = " ".join(
        f"GRAPH {name} {{ {(serialize(ts, format=RdfFormat.N_TRIPLES) or b'').decode()} }}"
        for name, ts in by_graph.items()
    )
    return f"INSERT DATA {{ {blocks} {triples} }}"


def _refresh(graphs: Collection[NamedNode], scratch: NamedNode) -> str:
    """After an update that wrote `graphs` (their old triples copied to `scratch` first): what
    left them leaves the merge unless another graph holds it; what is in them joins it."""
    values = " ".join(str(g) for g in graphs)
    operations = [
        _unmerge(f"GRAPH {scratch} {{ ?s ?p ?o }}", scratch),
        f"DROP SILENT GRAPH {scratch}",
    ]
    if values:
        operations.append(
            f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
            "FILTER NOT EXISTS { ?s ?p ?o } }"
        )
    return " ;\n".join(operations)


def _refresh_all() -> str:
    """The merge redone from every named graph (a pass over the store)."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {_elsewhere(None)} }} }} ;\n"
        # only what is missing: reading is cheaper than writing a triple again
        "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"
    )
