"""kg.queries.sparql.select_pairs: the CSV fast path reads the same values as `select`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.namespaces import DIP, DIPR, XSD
from kg.queries.sparql import select_pairs
from kg.store import GraphStore

LABELS = [
    "plain",
    'with "quotes", and a comma',
    "two\nlines",
    "",  # an empty label is a value, not a missing one
    "Ünïcode – dash",
]


class Remote:
    """A Readable that is not a GraphStore (as kg.endpoint.Endpoint): the plain `select` path."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def select(self, sparql: str, bindings: object = None) -> list[dict[str, str]]:
        return self.store.select(sparql)


@pytest.fixture
def store() -> Iterator[GraphStore]:
    found = GraphStore(None)
    graph = NamedNode(DIPR + "graph/pairs")
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    quads = [
        Quad(NamedNode(f"{DIPR}actor/A{i}"), label, Literal(t), graph) for i, t in enumerate(LABELS)
    ]
    day = Literal("2020-03-01", datatype=NamedNode(XSD + "date"))
    quads.append(Quad(NamedNode(DIPR + "event/e1"), NamedNode(DIP + "earliest"), day, graph))
    found.add_quads(quads)
    yield found
    found.close()


def test_pairs_of_literals_with_commas_quotes_and_newlines(store: GraphStore) -> None:
    sparql = "SELECT ?s ?o WHERE { ?s rdfs:label ?o }"
    pairs = sorted(select_pairs(store, sparql))
    assert pairs == sorted((f"{DIPR}actor/A{i}", t) for i, t in enumerate(LABELS))
    assert sorted(select_pairs(Remote(store), sparql)) == pairs


def test_pairs_of_typed_literals_are_their_lexical_form(store: GraphStore) -> None:
    sparql = "SELECT ?s ?o WHERE { ?s dip:earliest ?o }"
    assert list(select_pairs(store, sparql)) == [(DIPR + "event/e1", "2020-03-01")]


def test_pairs_need_a_select_of_s_and_o(store: GraphStore) -> None:
    with pytest.raises(ValueError, match=r"\?s \?o"):
        list(select_pairs(store, "SELECT ?o ?s WHERE { ?s rdfs:label ?o }"))
