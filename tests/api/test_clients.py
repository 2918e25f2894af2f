"""Real SPARQL clients against a live server: SPARQLWrapper and rdflib's SPARQLStore.

Each client sends the Accept header and the request shape it sends to any endpoint; the server
must answer in a format the client reads. Every CONSTRUCT answer is parsed back into triples.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.error import HTTPError

import pytest
import rdflib
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

from api.main import create_app
from api.settings import Settings
from kg.namespaces import DIP, DIPR, sparql_prefixes
from tests.api.graphs import build_store
from tests.api.live import live_server

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:SPARQLWrapper"),
]

TOKEN = "client-token"
ACTORS = {f"{DIPR}actor/{i}" for i in ("PRK", "KOR", "USA", "moon-jae-in")}
ACTORS_QUERY = sparql_prefixes() + "SELECT DISTINCT ?a WHERE { ?a a dip:Actor } ORDER BY ?a"
STATES_QUERY = (
    sparql_prefixes() + "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a dip:State ; rdfs:label ?l }"
)
STATES = {
    (rdflib.URIRef(f"{DIPR}actor/{code}"), RDFS.label, rdflib.Literal(label))
    for code, label in (("PRK", "North Korea"), ("KOR", "South Korea"), ("USA", "United States"))
}
# how SPARQLWrapper sends a query: GET, a POSTed form, a POSTed query
METHODS = {
    "get": (GET, URLENCODED),
    "post-form": (POST, URLENCODED),
    "post-direct": (POST, POSTDIRECTLY),
}


@pytest.fixture(scope="module")
def endpoint(store_path: Path) -> Iterator[str]:
    """The shared two-document store, served read-only by a live uvicorn."""
    with live_server(create_app(Settings(store=store_path, read_only=True))) as base:
        yield base + "/sparql"


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[str]:
    """A store of its own, served with a write token; yields the base URL."""
    app = create_app(Settings(store=build_store(tmp_path / "store"), token=TOKEN))
    with live_server(app) as base:
        yield base


def wrapper(endpoint: str, query: str, fmt: str, method: str = "get") -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    http_method, request_method = METHODS[method]
    sparql.setMethod(http_method)
    sparql.setRequestMethod(request_method)
    return sparql


# -- SPARQLWrapper ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", list(METHODS))
def test_sparqlwrapper_json(endpoint: str, method: str) -> None:
    result: Any = wrapper(endpoint, ACTORS_QUERY, JSON, method).queryAndConvert()
    assert result["head"]["vars"] == ["a"]
    assert {row["a"]["value"] for row in result["results"]["bindings"]} == ACTORS


@pytest.mark.parametrize("method", list(METHODS))
def test_sparqlwrapper_xml(endpoint: str, method: str) -> None:
    response = wrapper(endpoint, ACTORS_QUERY, XML, method).query()
    assert response.info()["content-type"].startswith("application/sparql-results+xml")
    document: Any = response.convert()  # xml.dom.minidom
    assert {uri.firstChild.data for uri in document.getElementsByTagName("uri")} == ACTORS


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize(("fmt", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_csv_and_tsv(endpoint: str, method: str, fmt: str, delimiter: str) -> None:
    data: Any = wrapper(endpoint, ACTORS_QUERY, fmt, method).queryAndConvert()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))
    assert rows[0] == (["a"] if fmt == CSV else ["?a"])
    values = {row[0].strip("<>") for row in rows[1:]}
    assert values == ACTORS


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(endpoint: str, method: str, fmt: str) -> None:
    query = f"ASK {{ <{DIPR}actor/PRK> <{DIP}iso3> 'PRK' }}"
    result: Any = wrapper(endpoint, query, fmt, method).queryAndConvert()
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])
def test_sparqlwrapper_construct(endpoint: str, method: str, fmt: str) -> None:
    """SPARQLWrapper asks for Turtle, N3-or-Turtle, RDF/XML or JSON-LD and parses each."""
    result: Any = wrapper(endpoint, STATES_QUERY, fmt, method).queryAndConvert()
    if isinstance(result, bytes):  # Turtle and N3 come as text for the caller to parse
        result = rdflib.Graph().parse(data=result, format="turtle")
    assert isinstance(result, rdflib.Graph)
    assert set(result) == STATES


def test_sparqlwrapper_describe(endpoint: str) -> None:
    graph: Any = wrapper(endpoint, f"DESCRIBE <{DIPR}actor/PRK>", RDFXML).queryAndConvert()
    assert (
        rdflib.URIRef(f"{DIPR}actor/PRK"),
        rdflib.URIRef(f"{DIP}iso3"),
        rdflib.Literal("PRK"),
    ) in graph


def test_sparqlwrapper_sees_a_malformed_query_as_bad(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed):
        wrapper(endpoint, "SELECT ?x WHERE {", JSON).query()


def test_sparqlwrapper_update_with_the_token(writable: str) -> None:
    update = f"INSERT DATA {{ GRAPH <{DIPR}doc/extra> {{ <{DIPR}actor/PRK> a <{DIP}Seen> }} }}"
    sparql = SPARQLWrapper(writable + "/sparql", updateEndpoint=writable + "/update")
    sparql.setMethod(POST)
    sparql.setQuery(update)
    sparql.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    assert sparql.query().response.status == 204
    ask = wrapper(writable + "/sparql", f"ASK {{ ?a a <{DIP}Seen> }}", JSON)
    assert ask.queryAndConvert()["boolean"] is True  # type: ignore[index,call-overload]
    sparql.clearCustomHttpHeader("Authorization")
    with pytest.raises(Unauthorized, match="Bearer"):
        sparql.query()


# -- rdflib's SPARQLStore --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("return_format", ["xml", "json", "csv"])
def test_rdflib_sparqlstore_select(endpoint: str, method: str, return_format: str) -> None:
    graph = rdflib.Graph(SPARQLStore(endpoint, method=method, returnFormat=return_format))
    rows = list(graph.query(ACTORS_QUERY))
    assert {str(row[0]) for row in rows} == ACTORS  # type: ignore[index]
    if (
        return_format != "csv"
    ):  # CSV has no booleans (pyoxigraph writes "true", rdflib cannot read it)
        ask = graph.query(f"ASK {{ <{DIPR}actor/PRK> <{DIP}iso3> 'PRK' }}")
        assert ask.askAnswer is True


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_construct(endpoint: str, method: str) -> None:
    graph = rdflib.Graph(SPARQLStore(endpoint, method=method))
    result = graph.query(STATES_QUERY)
    assert result.graph is not None
    assert set(result.graph) == STATES


def test_rdflib_sparqlstore_triples(endpoint: str) -> None:
    """rdflib's Graph API over the endpoint: its own SELECTs for triple patterns."""
    graph = rdflib.Graph(SPARQLStore(endpoint))
    prk = rdflib.URIRef(f"{DIPR}actor/PRK")
    assert rdflib.Literal("PRK") in set(graph.objects(prk, rdflib.URIRef(f"{DIP}iso3")))
    assert (prk, RDFS.label, rdflib.Literal("North Korea")) in graph


def test_rdflib_sparqlupdatestore_writes_with_the_token(writable: str) -> None:
    store = SPARQLUpdateStore(
        writable + "/sparql",
        writable + "/update",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    name = rdflib.URIRef("http://example.org/graphs/notes")
    graph = rdflib.Graph(store, identifier=name)
    triple = (rdflib.URIRef(f"{DIPR}actor/PRK"), RDFS.comment, rdflib.Literal("noted"))
    graph.add(triple)
    assert triple in graph  # read back through default-graph-uri=<name>
    assert list(
        graph.query("SELECT ?c { ?s <http://www.w3.org/2000/01/rdf-schema#comment> ?c }")
    ) == [(rdflib.Literal("noted"),)]
    graph.remove(triple)
    assert triple not in graph
    anonymous = SPARQLUpdateStore(writable + "/sparql", writable + "/update")
    with pytest.raises(HTTPError) as refused:
        rdflib.Graph(anonymous, identifier=name).add(triple)
    assert refused.value.code == 401
