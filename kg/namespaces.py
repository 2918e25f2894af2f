"""IRIs of the ontology and of the resources the extractor mints (see docs/ontology contract)."""

from __future__ import annotations

DIP = "https://w3id.org/diplokg/ontology#"
DIPR = "https://w3id.org/diplokg/id/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES: dict[str, str] = {
    "dip": DIP,
    "dipr": DIPR,
    "sem": SEM,
    "org": ORG,
    "prov": PROV,
    "oa": OA,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "foaf": FOAF,
    "schema": SCHEMA,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}

#: The named graph holding extraction runs (prov:Activity), kept out of document graphs.
RUNS_GRAPH = DIPR + "graph/runs"


def sparql_prefixes() -> str:
    """The PREFIX lines for all the namespaces above, for queries the project writes."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
