"""kg.endpoint: bound values go into a remote query as terms pyoxigraph serialised, never as text.

The bound query text is run by pyoxigraph itself on an in-memory store, so a value that would
break out of its literal (quotes, braces, a newline, a backslash) is seen to stay a value."""

from __future__ import annotations

import pickle

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, Store

from kg.endpoint import Endpoint, bind

HOSTILE = [
    '") } DROP ALL #',
    "a' } ; INSERT DATA { <x> <y> <z> } #",
    'line one\nline "two" \\ three',
    "?q $q <http://evil/> {}",
    '"""',
]


def run(store: Store, query: str) -> list[str]:
    result = store.query(query)
    assert isinstance(result, QuerySolutions)
    return [row[0].value for row in result]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_bound_literal_stays_one_literal(value: str) -> None:
    store = Store()
    subject = NamedNode("http://example.org/s")
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.add(Quad(subject, label, Literal(value)))
    store.add(Quad(NamedNode("http://example.org/other"), label, Literal("other")))
    query = "SELECT DISTINCT ?s ?q WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?q . }"
    bound = bind(query, {"q": Literal(value)})
    assert bound.startswith("SELECT DISTINCT ?s  WHERE")  # gone from the projection
    assert run(store, bound) == ["http://example.org/s"]
    assert len(store) == 2  # nothing was inserted or dropped


def test_variables_in_strings_iris_and_comments_are_left_alone() -> None:
    query = 'SELECT ?x ?v WHERE { ?x <http://e/p?v=1> "?v" . # ?v\n FILTER(?v = ?v) }'
    bound = bind(query, {"v": NamedNode("http://e/o")})
    assert bound == (
        'SELECT ?x  WHERE { ?x <http://e/p?v=1> "?v" . # ?v\n FILTER(<http://e/o> = <http://e/o>) }'
    )


def test_an_endpoint_pickles_without_its_client() -> None:
    endpoint = Endpoint("http://127.0.0.1:9/query", timeout=3)
    endpoint.client()
    copy = pickle.loads(pickle.dumps(endpoint))
    assert copy == endpoint and copy._client == []
    endpoint.close()
