"""The OWL ontology implements every term of the ontology contract, with the agreed hierarchy."""

from __future__ import annotations

from functools import cache

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS

from kg.namespaces import DIP as DIP_NS
from kg.rdf import ONTOLOGY_DIR, ONTOLOGY_FILE, superclasses

DIP = Namespace(DIP_NS)
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's closed XSD confuses pytest
ONTOLOGY = URIRef("https://w3id.org/diplokg/ontology")

PLOVER = [
    "Agree",
    "Consult",
    "Support",
    "Concede",
    "Cooperate",
    "Aid",
    "Retreat",
    "Request",
    "Accuse",
    "Reject",
    "Threaten",
    "Protest",
    "Sanction",
    "Mobilize",
    "Coerce",
    "Assault",
]

#: Every dip: term of the ontology contract (docs: "The ontology contract"), by kind.
CONTRACT_CLASSES = [
    "Actor",
    "Person",
    "State",
    "Organization",
    "Place",
    "Event",
    *PLOVER,
    "Meeting",
    "Agreement",
    "Document",
    "Mention",
    "Modality",
]
CONTRACT_OBJECT_PROPERTIES = [
    "participant",
    "initiator",
    "recipient",
    "place",
    "modality",
    "inDocument",
]
CONTRACT_DATATYPE_PROPERTIES = [
    "iso3",
    "title",
    "date",
    "earliest",
    "latest",
    "confidence",
    "text",
    "textHash",
    "extractorVersion",
    "trigger",
]
CONTRACT_OTHER_PROPERTIES = ["topic"]  # a literal or an IRI
CONTRACT_INDIVIDUALS = ["Negated", "Hypothetical", "Future", "Conditional"]
CONTRACT_TERMS = (
    CONTRACT_CLASSES
    + CONTRACT_OBJECT_PROPERTIES
    + CONTRACT_DATATYPE_PROPERTIES
    + CONTRACT_OTHER_PROPERTIES
    + CONTRACT_INDIVIDUALS
)


@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def test_the_ontology_file_is_where_the_writer_reads_it() -> None:
    assert ONTOLOGY_FILE == ONTOLOGY_DIR / "diplomacy.ttl"
    assert len(ontology()) > 0


def test_header() -> None:
    g = ontology()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY, DCTERMS.title) is not None
    assert g.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    assert "MIT" in str(g.value(ONTOLOGY, DCTERMS.license))
    assert g.value(ONTOLOGY, RDFS.comment) is not None


def test_contract_terms_are_unique() -> None:
    assert len(CONTRACT_TERMS) == len(set(CONTRACT_TERMS))
    assert len(PLOVER) == 16


@pytest.mark.parametrize("term", CONTRACT_TERMS)
def test_every_contract_term_has_a_label_and_a_comment(term: str) -> None:
    g = ontology()
    labels = list(g.objects(DIP[term], RDFS.label))
    comments = list(g.objects(DIP[term], RDFS.comment))
    assert len(labels) == 1, f"dip:{term} needs one rdfs:label"
    assert len(comments) == 1, f"dip:{term} needs one rdfs:comment"
    assert len(str(comments[0]).split()) >= 5, f"dip:{term}: say what it means"


def test_every_dip_term_in_the_file_has_a_label_and_a_comment() -> None:
    g = ontology()
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and s.startswith(DIP_NS)}
    assert terms >= {DIP[t] for t in CONTRACT_TERMS}
    for term in terms:
        assert g.value(term, RDFS.label) is not None, term
        assert g.value(term, RDFS.comment) is not None, term


@pytest.mark.parametrize(
    ("terms", "kind"),
    [
        (CONTRACT_CLASSES, OWL.Class),
        (CONTRACT_OBJECT_PROPERTIES, OWL.ObjectProperty),
        (CONTRACT_DATATYPE_PROPERTIES, OWL.DatatypeProperty),
        (CONTRACT_OTHER_PROPERTIES, RDF.Property),
        (CONTRACT_INDIVIDUALS, DIP.Modality),
    ],
)
def test_terms_are_declared_with_their_kind(terms: list[str], kind: URIRef) -> None:
    g = ontology()
    for term in terms:
        assert (DIP[term], RDF.type, kind) in g, f"dip:{term} a {kind}"


def _dip_superclasses(g: Graph) -> dict[str, set[str]]:
    """The direct rdfs:subClassOf links among dip: classes."""
    out: dict[str, set[str]] = {}
    for sub, sup in g.subject_objects(RDFS.subClassOf):
        if str(sub).startswith(DIP_NS) and str(sup).startswith(DIP_NS):
            out.setdefault(str(sub)[len(DIP_NS) :], set()).add(str(sup)[len(DIP_NS) :])
    return out


def test_dip_class_hierarchy_is_exactly_the_agreed_one() -> None:
    expected = {cls: {"Event"} for cls in PLOVER}
    expected |= {
        "Meeting": {"Consult"},
        "Agreement": {"Agree"},
        "Person": {"Actor"},
        "State": {"Actor"},
        "Organization": {"Actor"},
    }
    assert _dip_superclasses(ontology()) == expected


def test_the_writer_reads_the_superclass_chains() -> None:
    chains = superclasses()
    assert chains["Meeting"] == ("Meeting", "Consult", "Event")
    assert chains["Agreement"] == ("Agreement", "Agree", "Event")
    for cls in PLOVER:
        assert chains[cls] == (cls, "Event")
    for cls in ("Person", "State", "Organization"):
        assert chains[cls] == (cls, "Actor")


@pytest.mark.parametrize(
    ("cls", "aligned"),
    [
        (DIP.Actor, SEM.Actor),
        (DIP.Actor, FOAF.Agent),
        (DIP.Person, FOAF.Person),
        (DIP.Organization, ORG.Organization),
        (DIP.Place, SEM.Place),
        (DIP.Place, SCHEMA.Place),
        (DIP.Event, SEM.Event),
        (DIP.Event, SCHEMA.Event),
        (DIP.Document, PROV.Entity),
        (DIP.Document, FOAF.Document),
        (DIP.Mention, PROV.Entity),
        (DIP.Mention, OA.TextPositionSelector),
    ],
)
def test_class_alignments(cls: URIRef, aligned: URIRef) -> None:
    assert (cls, RDFS.subClassOf, aligned) in ontology()


def test_property_alignments_domains_and_ranges() -> None:
    g = ontology()
    assert (DIP.participant, RDFS.subPropertyOf, SEM.hasActor) in g
    assert (DIP.initiator, RDFS.subPropertyOf, DIP.participant) in g
    assert (DIP.recipient, RDFS.subPropertyOf, DIP.participant) in g
    assert (DIP.place, RDFS.subPropertyOf, SEM.hasPlace) in g
    assert (DIP.participant, RDFS.domain, DIP.Event) in g
    assert (DIP.participant, RDFS.range, DIP.Actor) in g
    assert (DIP.place, RDFS.range, DIP.Place) in g
    assert (DIP.modality, RDFS.range, DIP.Modality) in g
    assert (DIP.confidence, RDFS.range, XSD.decimal) in g
    assert (DIP.earliest, RDFS.range, XSD.date) in g
    assert (DIP.latest, RDFS.range, XSD.date) in g
    assert (DIP.inDocument, RDFS.range, DIP.Document) in g


def test_date_admits_three_precisions() -> None:
    g = ontology()
    comment = str(g.value(DIP.date, RDFS.comment))
    for datatype in ("xsd:date", "gYearMonth", "gYear"):
        assert datatype in comment
    union = g.value(g.value(DIP.date, RDFS.range), OWL.unionOf)
    assert union is not None
    assert set(g.items(union)) == {XSD.date, XSD.gYearMonth, XSD.gYear}


def test_modality_has_exactly_four_members() -> None:
    g = ontology()
    members = set(g.items(g.value(DIP.Modality, OWL.oneOf)))
    assert members == {DIP[m] for m in CONTRACT_INDIVIDUALS}


@pytest.mark.parametrize(
    ("cls", "words"),
    [
        ("Accuse", ["criticise", "condemn", "denounce", "blame"]),
        ("Consult", ["visit", "talks", "negotiations"]),
        ("Threaten", ["threaten", "ultimatum"]),
        ("Sanction", ["diplomatic ties", "sanctions"]),
        ("Assault", ["violence"]),
    ],
)
def test_plover_comments_say_what_they_cover(cls: str, words: list[str]) -> None:
    comment = str(ontology().value(DIP[cls], RDFS.comment)).lower()
    assert f"plover {cls.lower()}" in comment
    for word in words:
        assert word in comment
