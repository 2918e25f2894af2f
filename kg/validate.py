"""SHACL validation of the graph the extractor writes, against `ontology/shapes.ttl`.

The shapes run on the union of all named graphs, without RDFS inference: the stored data already
carries every superclass, and checking it as stored is the point.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph
from pyshacl import validate as shacl_validate
from rdflib import ConjunctiveGraph, Dataset, Graph, Node, URIRef
from rdflib.namespace import RDF, SH, NamespaceManager

from kg.namespaces import PREFIXES
from kg.rdf import ONTOLOGY_DIR

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

#: IRI prefixes for readable result lines, longest namespace first (dipr: before dip: matters).
_SHORT = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
_NAMES = NamespaceManager(Graph(), bind_namespaces="none")
for _prefix, _namespace in PREFIXES.items():
    _NAMES.bind(_prefix, _namespace)
_MAX_VALUE = 80


@dataclass(frozen=True)
class ValidationReport:
    """Whether the data conforms to the shapes, and one line per violation."""

    conforms: bool
    results: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = "conforms" if self.conforms else f"{len(self.results)} violation(s)"
        return "\n".join((head, *self.results))


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes, parsed once per process."""
    return Graph().parse(SHAPES_FILE, format="turtle")


def _union(data: Graph | Dataset | Iterable[pyoxigraph.Quad]) -> Graph:
    """All the triples of every graph in `data`, as one rdflib Graph."""
    union = Graph()
    if isinstance(data, ConjunctiveGraph):  # a Dataset too
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    if isinstance(data, Graph):
        return data
    triples = (q.triple if isinstance(q, pyoxigraph.Quad) else q for q in data)
    ntriples = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    if ntriples:
        union.parse(data=ntriples.decode("utf-8"), format="nt")
    return union


def _short(node: Node) -> str:
    """A compact form of an IRI (prefix:rest) or a literal (shortened) for a result line."""
    if isinstance(node, URIRef):
        for prefix, namespace in _SHORT:
            if node.startswith(namespace):
                return f"{prefix}:{node[len(namespace) :]}"
        return f"<{node}>"
    text = node.n3(_NAMES)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _lines(report: Graph) -> tuple[str, ...]:
    """One line per sh:ValidationResult: focus node, path, message (and the offending value)."""
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        component = report.value(result, SH.sourceConstraintComponent)
        message = " ".join(messages) or (_short(component) if component is not None else "")
        where = _short(focus) if focus is not None else "-"
        if path is not None:
            where += f" {_short(path)}"
        shown = f" (value: {_short(value)})" if value is not None and value != focus else ""
        lines.append(f"{where}: {message}{shown}")
    return tuple(sorted(lines))


def validate(data: Graph | Dataset | Iterable[pyoxigraph.Quad]) -> ValidationReport:
    """Check a graph, a dataset or pyoxigraph quads (the union of all graphs) against the shapes."""
    conforms, report, _ = shacl_validate(
        _union(data),
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
    )
    if not isinstance(report, Graph):  # pyshacl reports a broken shapes graph this way
        raise RuntimeError(f"SHACL validation failed to run: {report}")
    return ValidationReport(conforms=bool(conforms), results=_lines(report))
