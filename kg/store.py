"""The embedded on-disk store (pyoxigraph/RocksDB): add documents atomically, query, export.

Queries see the union of all named graphs as their default graph, as the ontology contract says.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal as TypingLiteral

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    Variable,
    serialize,
)

from kg.namespaces import DIP, PREFIXES, PROV, RUNS_GRAPH, sparql_prefixes
from kg.rdf import EXTRACTOR, doc_iri, extraction_quads, text_hash
from kg.records import Extraction

Status = TypingLiteral["added", "unchanged", "replaced"]
QueryResult = QuerySolutions | QueryTriples | QueryBoolean
Term = NamedNode | Literal

DEFAULT_STORE = Path("data/store")

#: File extension → RDF format, for `--out` and exports.
FORMATS: dict[str, RdfFormat] = {
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".jsonld": RdfFormat.JSON_LD,
}


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


class GraphStore:
    """A diplokg graph in an on-disk Oxigraph store (or in memory when `path` is None)."""

    def __init__(self, path: Path | str | None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.writes = 0  # how many writes this process made: readers of snapshots renew on change
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

    def _open_error(self, err: OSError) -> str:
        assert self.path is not None
        if "lock" in str(err).lower():
            holder = lock_holder(self.path) or "another process"
            return (
                f"store {self.path} is in use by {holder}; "
                "use its HTTP API (diplokg serve) or stop that process first"
            )
        return f"cannot open store {self.path}: {err}"

    @property
    def raw(self) -> Store:
        """The underlying pyoxigraph store, for callers that need its full API."""
        return self._store

    # -- reading ---------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        prefixes: bool = True,
    ) -> QueryResult:
        """Run a SPARQL query over the union of all graphs; `bindings` are bound, never formatted.

        pyoxigraph binds only variables that a SELECT projects, so list bound variables in the
        SELECT clause. Raises SyntaxError for a malformed query.
        """
        text = sparql_prefixes() + sparql if prefixes else sparql
        subs: dict[Variable, NamedNode | BlankNode | Literal | Triple] = {
            Variable(k): v for k, v in (bindings or {}).items()
        }
        return self._store.query(text, use_default_graph_as_union=True, substitutions=subs or None)

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None
    ) -> list[dict[str, str]]:
        """A SELECT as a list of {variable: value} rows (unbound variables left out)."""
        result = self.query(sparql, bindings)
        assert isinstance(result, QuerySolutions), "select() needs a SELECT query"
        names = [v.value for v in result.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in result]

    def documents(self) -> list[str]:
        """Ids of the stored documents."""
        rows = self.select(
            "SELECT ?id WHERE { GRAPH ?g { ?g a dip:Document ; dcterms:identifier ?id } } ORDER BY ?id"
        )
        return [r["id"] for r in rows]

    def __len__(self) -> int:
        return len(self._store)

    # -- writing ---------------------------------------------------------------------------

    def add(self, extraction: Extraction, *, started: dt.datetime | None = None) -> Status:
        """Store one document's graph in one transaction; a re-run of the same text is a no-op."""
        graph = doc_iri(extraction.document.id)
        state = self._document_state(graph)
        new_hash = text_hash(extraction.document.text)
        if state == (new_hash, EXTRACTOR):
            return "unchanged"
        quads = list(extraction_quads(extraction, started))
        self.writes += 1
        if state is None:
            self._store.extend(quads)  # atomic: all or nothing
            return "added"
        self._replace_graph(graph, quads)
        return "replaced"

    def remove(self, doc_id: str) -> bool:
        """Drop one document's graph (and its runs); False when there is no such document."""
        graph = doc_iri(doc_id)
        if not self._store.contains_named_graph(graph):
            return False
        self.writes += 1
        self._replace_graph(graph, [])
        return True

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

    def _replace_graph(self, graph: NamedNode, quads: list[Quad]) -> None:
        """Drop a document graph and its run records and insert new quads, in one SPARQL update."""
        by_graph: dict[str, list[Triple]] = {}
        for q in quads:
            by_graph.setdefault(str(q.graph_name), []).append(q.triple)
        # IRIs are validated NamedNodes and the data is pyoxigraph's own N-Triples: nothing
        # user-typed is formatted into the update text.
        blocks = " ".join(
            f"GRAPH {name} {{ {(serialize(triples, format=RdfFormat.N_TRIPLES) or b'').decode()} }}"
            for name, triples in by_graph.items()
        )
        runs = NamedNode(RUNS_GRAPH)
        generated = NamedNode(PROV + "wasGeneratedBy")
        update = (
            f"DELETE {{ GRAPH {runs} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {runs} {{ "
            f"{graph} {generated} ?run . ?s ?p ?o . "
            f"FILTER(?s = ?run || (?p = {generated} && ?o = ?run)) }} }} ;\n"
            f"DROP SILENT GRAPH {graph}"
        )
        if blocks:
            update += f" ;\nINSERT DATA {{ {blocks} }}"
        try:
            self._store.update(update)
        except (OSError, SyntaxError) as err:
            raise StoreError(f"could not write document graph {graph.value}: {err}") from None

    def load_quads(self, quads: Iterable[Quad]) -> None:
        self.writes += 1
        self._store.extend(quads)

    def touched(self) -> None:
        """Note a write made through `raw` (SPARQL Update, Graph Store Protocol)."""
        self.writes += 1

    # -- exporting -------------------------------------------------------------------------

    def export(self, out: Path) -> int:
        """Write every quad (or, for triple formats, the union) to `out`; returns the quad count."""
        fmt = format_for(out)
        quads = list(self._store)
        write_quads(quads, out, fmt)
        return len(quads)

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        """Flush and release the RocksDB lock."""
        if self.path is not None and not self.read_only:
            self._store.flush()
        del self._store


def format_for(path: Path) -> RdfFormat:
    """The RDF format an output file's extension names."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(FORMATS)
        raise StoreError(
            f"{path}: unknown output format {path.suffix!r} (use one of {known})"
        ) from None


def write_quads(quads: list[Quad], out: Path, fmt: RdfFormat | None = None) -> None:
    """Serialise quads to a file; triple formats get the union graph, without duplicates."""
    fmt = fmt or format_for(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    items: list[Quad] | list[Triple] = quads
    if not fmt.supports_datasets:
        items = list(dict.fromkeys(q.triple for q in quads))
    tmp = out.with_name(out.name + ".tmp")
    prefixes = PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
    serialize(items, str(tmp), format=fmt, prefixes=prefixes)
    tmp.replace(out)
