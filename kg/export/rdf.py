"""RDF files, written as a stream: N-Quads, TriG, N-Triples, Turtle and JSON-LD.

Quads go out graph by graph (document by document in a build), so no file needs the whole graph
in memory: pyoxigraph serialises each chunk; for TriG and Turtle the prefix lines are written once,
at the top (both formats allow them only once per name, anywhere, and a repeat is noise). JSON-LD
is a dataset whose named graphs are compacted one at a time by rdflib with `CONTEXT`, so that it
reads as plain JSON ("label", "participant", "date") rather than as expanded IRIs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize

from kg.namespaces import (
    DCTERMS,
    DIP,
    FOAF,
    OA,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    RDFS,
    SKOS,
    XSD,
)

#: File extension → RDF format.
FORMATS: dict[str, RdfFormat] = {
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".jsonld": RdfFormat.JSON_LD,
}

_IRI = "@id"


def _term(iri: str, kind: str | None = None) -> dict[str, str]:
    return {"@id": iri, "@type": kind} if kind else {"@id": iri}


#: The JSON-LD context of exports: the project's prefixes and a short name for each term.
CONTEXT: dict[str, Any] = {
    **PREFIXES,
    "id": "@id",
    "type": "@type",
    "label": RDFS + "label",
    "altLabel": SKOS + "altLabel",
    "sameAs": _term(OWL + "sameAs", _IRI),
    "iso3": DIP + "iso3",
    "basedIn": _term(DIP + "basedIn", _IRI),
    "participant": _term(DIP + "participant", _IRI),
    "initiator": _term(DIP + "initiator", _IRI),
    "recipient": _term(DIP + "recipient", _IRI),
    "place": _term(DIP + "place", _IRI),
    "date": DIP + "date",
    "earliest": _term(DIP + "earliest", XSD + "date"),
    "latest": _term(DIP + "latest", XSD + "date"),
    "modality": _term(DIP + "modality", _IRI),
    "confidence": _term(DIP + "confidence", XSD + "decimal"),
    "topic": DIP + "topic",
    "trigger": DIP + "trigger",
    "title": DCTERMS + "title",
    "postTitle": DIP + "title",
    "holds": _term(ORG + "holds", _IRI),
    "heldBy": _term(ORG + "heldBy", _IRI),
    "postIn": _term(ORG + "postIn", _IRI),
    "identifier": DCTERMS + "identifier",
    "published": _term(DCTERMS + "date", XSD + "date"),
    "source": _term(DCTERMS + "source", XSD + "anyURI"),
    "textHash": DIP + "textHash",
    "extractorVersion": DIP + "extractorVersion",
    "evidence": _term(PROV + "wasDerivedFrom", _IRI),
    "generatedBy": _term(PROV + "wasGeneratedBy", _IRI),
    "inDocument": _term(DIP + "inDocument", _IRI),
    "start": _term(OA + "start", XSD + "integer"),
    "end": _term(OA + "end", XSD + "integer"),
    "sentence": DIP + "text",
    "name": FOAF + "name",
}


class RdfError(Exception):
    """An output file whose format is not known."""


def format_for(path: Path) -> RdfFormat:
    """The RDF format an output file's extension names."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(FORMATS)
        raise RdfError(
            f"{path}: unknown output format {path.suffix!r} (use one of {known})"
        ) from None


class RdfFile:
    """An RDF file written chunk by chunk into `path.tmp`, renamed to `path` when complete.

    `write(quads)` takes the quads of one or more graphs (a triple format keeps their triples);
    nothing reaches `path` unless `close()` is called, so an interrupted build leaves no half
    file under the name asked for.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.format = format_for(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = path.with_name(path.name + ".tmp")
        self._out: IO[bytes] = self._tmp.open("wb")
        self._headed = False
        self.count = 0
        if self.format is RdfFormat.JSON_LD:
            self._out.write(b'{"@context": ' + json.dumps(CONTEXT).encode() + b',\n"@graph": [')

    def write(self, quads: Iterable[Quad]) -> None:
        items = list(quads)
        self.count += len(items)
        if self.format is RdfFormat.JSON_LD:
            for graph, group in groupby(items, key=lambda q: q.graph_name):
                self._json_graph(graph, [q.triple for q in group])
            return
        data: list[Quad] | list[Triple] = items
        if not self.format.supports_datasets:
            data = [q.triple for q in items]
        self.write_raw(data)

    def write_raw(self, items: list[Quad] | list[Triple]) -> None:
        """Serialise quads or triples as they are (a triple format needs triples)."""
        prefixes = PREFIXES if self.format in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
        chunk = serialize(items, format=self.format, prefixes=prefixes) or b""
        if prefixes and chunk:
            if self._headed:
                chunk = _without_prefixes(chunk)
            self._headed = True
        self._out.write(chunk)

    def _json_graph(self, graph: object, triples: list[Triple]) -> None:
        nodes = compact(triples)
        entry: dict[str, Any] = {"@graph": nodes}
        if isinstance(graph, NamedNode):
            entry = {"id": graph.value, **entry}
        separator = b",\n" if self._headed else b"\n"
        self._headed = True
        self._out.write(separator + json.dumps(entry, ensure_ascii=False).encode())

    def close(self) -> None:
        """Finish the file and give it its name."""
        if self.format is RdfFormat.JSON_LD:
            self._out.write(b"\n]}\n")
        self._out.close()
        self._tmp.replace(self.path)

    def abort(self) -> None:
        self._out.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> RdfFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def _without_prefixes(chunk: bytes) -> bytes:
    """A Turtle/TriG chunk without the prefix lines pyoxigraph starts it with."""
    start = 0
    while chunk.startswith(b"@prefix ", start):
        start = chunk.index(b"\n", start) + 1
    return chunk[start:]


def compact(triples: list[Triple]) -> list[dict[str, Any]]:
    """The node objects of a graph, compacted with CONTEXT (rdflib's JSON-LD serialiser)."""
    import rdflib  # slow to import: only for JSON-LD

    graph = rdflib.Graph()
    data = (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode()
    graph.parse(data=data, format="nt")
    text = graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True)
    document = json.loads(text)
    nodes = document.get("@graph", None)
    if nodes is None:
        document.pop("@context", None)
        nodes = [document] if document else []
    return list(nodes)


def chunks(quads: Iterable[Quad], size: int = 5000) -> Iterator[list[Quad]]:
    """Quads in lists of at most `size` (what one serialiser call takes)."""
    batch: list[Quad] = []
    for quad in quads:
        batch.append(quad)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
