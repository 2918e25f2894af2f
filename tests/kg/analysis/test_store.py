"""The analysis of a real on-disk store: the projection's queries, the cache by store version, and
the results written back as RDF (SPARQL sorts by PageRank; the shapes check them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.analysis import (
    ANALYSIS_GRAPH,
    CACHE,
    ResultCache,
    actor_measures,
    measures_of,
    projection_of,
    read_projection,
    result_quads,
    shortest_paths,
    store_version,
    write_results,
)
from kg.analysis.cache import index_of, known_actor, require_known_actor
from kg.namespaces import DIP, XSD
from kg.queries import NotFound, actor_ref
from kg.rdf import actor_iri
from kg.store import GraphStore, StoreError
from kg.validate import validate
from tests.kg.analysis.stores import UN, build


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    s = GraphStore(build(tmp_path_factory.mktemp("analysis") / "store"), read_only=True)
    yield s
    s.close()


@pytest.fixture()
def writable(tmp_path: Path) -> Iterator[GraphStore]:
    s = GraphStore(build(tmp_path / "store"))
    yield s
    s.close()


def test_the_projection_reads_asserted_events_with_their_roles(store: GraphStore) -> None:
    p = read_projection(store)
    assert dict(p.graph.nodes(data=True))[UN] == {"label": "United Nations", "type": "Organization"}
    assert p.graph.nodes["PER"] == {"label": "Peru", "type": "State"}
    # meetings and agreements go both ways; the accusation and the appeal one way
    one_way = {(u, v) for u, v in p.graph.edges if not p.graph.has_edge(v, u)}
    assert one_way == {(UN, "CHL")}
    assert p.graph.edges["PER", "BOL"]["classes"] == "Accuse:1,Agreement:1"
    assert p.graph.edges["BOL", "PER"]["classes"] == "Agreement:1"
    # Sweden's refusal to meet Chile is negated: no link
    assert not p.graph.has_edge("SWE", "CHL") and not p.graph.has_edge("CHL", "SWE")
    assert p.graph.number_of_edges() == 15
    accusation = p.events["accuse-BOL-PER-2021-01-10"]
    assert (accusation.cls, accusation.initiators, accusation.recipients) == (
        "Accuse",
        ("PER",),
        ("BOL",),
    )
    assert (accusation.earliest, accusation.latest) == ("2021-01-10", "2021-01-10")


def test_the_broker_of_the_store(store: GraphStore) -> None:
    measures = actor_measures(read_projection(store))
    top = max(measures.actors, key=lambda a: a.betweenness)
    assert (top.id, top.betweenness) == (UN, pytest.approx(9 / 15))
    (path,) = shortest_paths(read_projection(store), "NOR", "PER")
    assert path.actors == ("NOR", "DNK", UN, "CHL", "PER")
    assert [h.direction for h in path.hops] == ["both", "both", "forward", "both"]


def test_a_window_keeps_the_overlapping_events(store: GraphStore) -> None:
    p = read_projection(store, since=dt.date(2021, 3, 1), until=dt.date(2021, 3, 31))
    assert sorted(p.graph.nodes) == ["DNK", "NOR", "SWE"]
    assert projection_of(store, since=dt.date(2021, 6, 1)).graph.number_of_edges() == 2


def test_results_are_computed_once_per_store_version(writable: GraphStore) -> None:
    cache = ResultCache()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get(writable, "x", None, compute) == 1
    assert cache.get(writable, "x", None, compute) == 1
    assert cache.get(writable, "x", "other", compute) == 2
    version = store_version(writable)
    assert writable.remove("north")
    assert store_version(writable) != version
    assert cache.get(writable, "x", None, compute) == 3  # the write made it stale


def test_the_shared_cache_follows_the_store(writable: GraphStore) -> None:
    before = CACHE.computed
    first = measures_of(writable)
    assert measures_of(writable) is first
    assert projection_of(writable) is projection_of(writable)
    assert CACHE.computed == before + 3  # the facts, the projection, the measures
    write_results(writable, first)  # a write: the next answer is computed anew
    assert measures_of(writable) is not first


def test_results_written_back_sort_actors_by_pagerank(writable: GraphStore) -> None:
    measures = measures_of(writable)
    triples = write_results(writable, measures)
    assert triples == len(result_quads(measures))
    rows = writable.select(
        "SELECT ?a ?rank ?c WHERE { ?a dip:pageRank ?rank ; dip:community ?c } ORDER BY DESC(?rank)"
    )
    assert len(rows) == 7
    assert rows[0]["a"] == actor_iri(measures.actors[0].id).value  # the top PageRank first
    ranks = [float(r["rank"]) for r in rows]
    assert ranks == sorted(ranks, reverse=True) and sum(ranks) == pytest.approx(1.0)
    graphs = writable.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a dip:pageRank ?r } }")
    assert graphs == [{"g": ANALYSIS_GRAPH}]
    # written again, the graph holds one run's results, not two
    write_results(writable, measures)
    assert len(writable.select("SELECT ?a ?r WHERE { ?a dip:pageRank ?r }")) == 7
    graph = NamedNode(ANALYSIS_GRAPH)
    written = [Quad(t.subject, t.predicate, t.object, graph) for t in writable.graph_triples(graph)]
    assert len(written) == triples
    assert validate(written).conforms, validate(written)
    assert validate(quads_of_a_fresh_run(writable)).conforms


def quads_of_a_fresh_run(store: GraphStore) -> list[Quad]:
    return result_quads(measures_of(store))


def test_broken_results_break_the_shapes(writable: GraphStore) -> None:
    quads = result_quads(measures_of(writable))
    graph = NamedNode(ANALYSIS_GRAPH)
    too_high = Literal("1.5", datatype=NamedNode(XSD + "double"))
    bad = [q for q in quads if q.predicate.value != DIP + "pageRank" or q.subject != actor_iri(UN)]
    bad.append(Quad(actor_iri(UN), NamedNode(DIP + "pageRank"), too_high, graph))
    report = validate(bad)
    assert not report.conforms
    assert any("dip:pageRank" in line for line in report.results)
    no_modularity = [q for q in quads if q.predicate.value != DIP + "modularity"]
    report = validate(no_modularity)
    assert not report.conforms
    assert any("dip:modularity" in line for line in report.results)


def test_a_read_only_store_refuses_the_results(store: GraphStore) -> None:
    with pytest.raises(StoreError, match="read-only"):
        write_results(store, measures_of(store))


def test_known_actors_are_those_actor_ref_finds(writable: GraphStore) -> None:
    # an actor without a class (a label only) is no actor, as for kg.queries.actor_ref
    writable.add_quads(
        [
            Quad(
                actor_iri("label-only"),
                NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                Literal("Somebody"),
                NamedNode("https://example.org/doc/extra"),
            )
        ]
    )
    ids = [*index_of(writable).actors, "label-only", "nobody", "not/an-id"]
    for actor_id in ids:
        assert known_actor(writable, actor_id) == actor_ref(writable, actor_id), actor_id
    assert index_of(writable).actors["label-only"].type == "Actor"  # in the index, yet no actor
    assert known_actor(writable, "label-only") is None
    with pytest.raises(NotFound, match="no actor with id nobody"):
        require_known_actor(writable, "nobody")
