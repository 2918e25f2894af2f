"""Analysis results as RDF, in their own named graph, so that SPARQL can sort actors by PageRank.

`dipr:graph/analysis` holds one `dip:AnalysisRun` (when, with which seed and betweenness sample)
and, for every actor of the actor graph, `dip:pageRank`, `dip:betweenness`, `dip:degree`,
`dip:weightedDegree`, `dip:inStrength`, `dip:outStrength` and `dip:community` (a
`dip:Community` with its `dip:size`). Writing replaces the whole graph in one update, so it
always holds one run's results.
"""

from __future__ import annotations

import datetime as dt

from pyoxigraph import Literal, NamedNode, Quad

from kg.analysis.measures import Measures
from kg.namespaces import DIP, DIPR, PROV, RDF, RDFS, XSD
from kg.rdf import actor_iri
from kg.store import GraphStore, StoreError

ANALYSIS_GRAPH = DIPR + "graph/analysis"
RUN = DIPR + "analysis/run"


def _double(value: float) -> Literal:
    return Literal(repr(float(value)), datatype=NamedNode(XSD + "double"))


def _integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))


def community_iri(index: int) -> NamedNode:
    return NamedNode(f"{DIPR}community/{index}")


def result_quads(measures: Measures, *, computed: dt.datetime | None = None) -> list[Quad]:
    """The quads of the analysis graph for these measures."""
    graph = NamedNode(ANALYSIS_GRAPH)
    run = NamedNode(RUN)
    when = (computed or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    quads = [
        Quad(run, NamedNode(RDF + "type"), NamedNode(DIP + "AnalysisRun"), graph),
        Quad(run, NamedNode(RDF + "type"), NamedNode(PROV + "Activity"), graph),
        Quad(
            run,
            NamedNode(PROV + "endedAtTime"),
            Literal(when.isoformat(), datatype=NamedNode(XSD + "dateTime")),
            graph,
        ),
        Quad(run, NamedNode(DIP + "seed"), _integer(measures.communities.seed), graph),
        Quad(run, NamedNode(DIP + "modularity"), _double(measures.communities.modularity), graph),
    ]
    if measures.brokerage.k is not None:
        sample = _integer(measures.brokerage.k)
        quads.append(Quad(run, NamedNode(DIP + "betweennessSample"), sample, graph))
    for index, group in enumerate(measures.communities.groups):
        node = community_iri(index)
        quads += [
            Quad(node, NamedNode(RDF + "type"), NamedNode(DIP + "Community"), graph),
            Quad(node, NamedNode(RDFS + "label"), Literal(f"community {index}"), graph),
            Quad(node, NamedNode(DIP + "size"), _integer(len(group)), graph),
            Quad(node, NamedNode(PROV + "wasGeneratedBy"), run, graph),
        ]
    for row in measures.actors:
        actor = actor_iri(row.id)
        values = {
            "pageRank": _double(row.pagerank),
            "betweenness": _double(row.betweenness),
            "degree": _integer(row.degree),
            "weightedDegree": _integer(row.weighted_degree),
            "inStrength": _integer(row.in_strength),
            "outStrength": _integer(row.out_strength),
        }
        quads += [Quad(actor, NamedNode(DIP + p), v, graph) for p, v in values.items()]
        quads.append(Quad(actor, NamedNode(DIP + "community"), community_iri(row.community), graph))
    return quads


def write_results(store: GraphStore, measures: Measures) -> int:
    """Replace the analysis graph with these measures, in one update; the number of triples.

    Raises StoreError when the store cannot be written.
    """
    graph = NamedNode(ANALYSIS_GRAPH)
    triples = [q.triple for q in result_quads(measures)]
    if store.read_only:
        raise StoreError("the store is open read-only: analysis results cannot be written")
    store.put_graph(graph, triples)  # one transaction, through the store's one write path
    return len(triples)
