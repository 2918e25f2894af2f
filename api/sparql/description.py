"""The SPARQL service description (sd: vocabulary) `GET /sparql` answers without a query.

Built as pyoxigraph triples from the endpoint's real settings and format tables, so it says what
the endpoint does: the languages it takes (Update only when the server has a write token), every
result format content negotiation offers, the union default graph, and federation when allowed.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, RdfFormat, Triple

from api.settings import Settings
from api.sparql.negotiation import GRAPH_FORMATS, SOLUTION_FORMATS
from kg import __version__

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = "http://purl.org/dc/terms/"
SIMPLE_ENTAILMENT = NamedNode("http://www.w3.org/ns/entailment/Simple")

#: The prefixes the description is written with (Turtle, TriG).
DESCRIPTION_PREFIXES = {"sd": SD, "formats": FORMATS, "rdfs": RDFS, "dcterms": DCTERMS}

#: The W3C format IRI (http://www.w3.org/ns/formats/) of each format the endpoint writes.
_FORMAT_IRIS: dict[QueryResultsFormat | RdfFormat, str] = {
    QueryResultsFormat.JSON: "SPARQL_Results_JSON",
    QueryResultsFormat.XML: "SPARQL_Results_XML",
    QueryResultsFormat.CSV: "SPARQL_Results_CSV",
    QueryResultsFormat.TSV: "SPARQL_Results_TSV",
    RdfFormat.TURTLE: "Turtle",
    RdfFormat.N_TRIPLES: "N-Triples",
    RdfFormat.N_QUADS: "N-Quads",
    RdfFormat.TRIG: "TriG",
    RdfFormat.RDF_XML: "RDF_XML",
    RdfFormat.JSON_LD: "JSON-LD",
}


def service_description(endpoint: str, settings: Settings) -> list[Triple]:
    """The description of the SPARQL service at `endpoint`, as `settings` configure it."""
    service = BlankNode()
    dataset = BlankNode()
    default_graph = BlankNode()

    def sd(name: str) -> NamedNode:
        return NamedNode(SD + name)

    triples = [
        Triple(service, RDF_TYPE, sd("Service")),
        Triple(service, NamedNode(RDFS + "label"), Literal(f"diplokg {__version__}")),
        Triple(service, sd("endpoint"), NamedNode(endpoint)),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
    ]
    if settings.token is not None and not settings.read_only:
        triples.append(Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    formats: dict[str, None] = {}
    offered: list[QueryResultsFormat | RdfFormat] = [*SOLUTION_FORMATS.values()]
    offered += GRAPH_FORMATS.values()
    for fmt in offered:
        if fmt in _FORMAT_IRIS:
            formats[FORMATS + _FORMAT_IRIS[fmt]] = None
    triples += [Triple(service, sd("resultFormat"), NamedNode(iri)) for iri in formats]
    triples.append(Triple(service, sd("feature"), sd("UnionDefaultGraph")))
    if settings.allow_service:
        triples.append(Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    triples += [
        Triple(service, sd("defaultEntailmentRegime"), SIMPLE_ENTAILMENT),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, sd("Graph")),
        Triple(
            default_graph,
            NamedNode(DCTERMS + "description"),
            Literal("the union of all named graphs: one graph per document, and the run records"),
        ),
    ]
    return triples
