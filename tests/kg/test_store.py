"""The on-disk store: one transaction per document, idempotent re-adds, removal, locks."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg.records import Extraction
from kg.store import GraphStore, StoreError

MEETINGS = "SELECT ?e WHERE { ?e a dip:Meeting }"


def test_add_then_unchanged_then_replaced(store: GraphStore, sample_extraction: Extraction) -> None:
    assert store.add(sample_extraction) == "added"
    size = len(store)
    assert store.add(sample_extraction) == "unchanged"
    assert len(store) == size
    edited = replace(
        sample_extraction,
        document=replace(sample_extraction.document, text=sample_extraction.document.text + " "),
    )
    assert store.add(edited) == "replaced"
    assert store.documents() == ["korea-olympics-2018"]
    runs = store.select("SELECT (COUNT(?r) AS ?n) WHERE { ?r a prov:Activity }")
    assert runs == [{"n": "1"}]  # the old run went with the old graph


def test_union_default_graph(store: GraphStore, sample_extraction: Extraction) -> None:
    store.add(sample_extraction)
    rows = store.select(MEETINGS + " ")
    assert any(r["e"].endswith("meeting-KOR-PRK-2018-01-09") for r in rows)


def test_bindings_are_bound_not_formatted(store: GraphStore, sample_extraction: Extraction) -> None:
    store.add(sample_extraction)
    query = "SELECT ?a ?label WHERE { ?a rdfs:label ?label }"
    from pyoxigraph import Literal

    assert store.select(query, {"label": Literal("North Korea")})[0]["a"].endswith("/PRK")
    assert store.select(query, {"label": Literal('x" } ; DROP ALL ; #')}) == []
    assert len(store) > 0


def test_remove_document(store: GraphStore, sample_extraction: Extraction) -> None:
    store.add(sample_extraction)
    assert store.remove("korea-olympics-2018")
    assert store.documents() == []
    left = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert all(r["s"].split("/")[-2] == "agent" for r in left)  # only the extractor's own record
    assert not store.remove("korea-olympics-2018")


def test_a_failing_document_writes_nothing(
    store: GraphStore, sample_extraction: Extraction
) -> None:
    """A bad IRI part makes pyoxigraph refuse the quad: the document must not be half-written."""
    bad = replace(
        sample_extraction,
        actors=(*sample_extraction.actors, replace(sample_extraction.actors[0], id="bad id>")),
    )
    with pytest.raises(ValueError):
        store.add(bad)
    assert len(store) == 0
    assert not store.has_graph(NamedNode("https://w3id.org/diplokg/id/doc/korea-olympics-2018"))


def test_locked_store_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "store"
    holder = textwrap.dedent(
        f"""
        import sys, time
        from kg.store import GraphStore
        s = GraphStore({str(path)!r})
        print("ready", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError) as err:
            GraphStore(path)
        message = str(err.value)
        assert f"pid {proc.pid}" in message
        assert "HTTP API" in message and "\n" not in message
    finally:
        proc.communicate("", timeout=30)


def test_started_time_goes_in_the_runs_graph(
    store: GraphStore, sample_extraction: Extraction
) -> None:
    started = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    store.add(sample_extraction, started=started)
    rows = store.select(
        "SELECT ?t WHERE { GRAPH <https://w3id.org/diplokg/id/graph/runs> { ?r prov:startedAtTime ?t } }"
    )
    assert rows == [{"t": "2024-01-02T03:04:05Z"}]


# -- the default graph is the merge of the named graphs ------------------------------------------

US_LABELS = 'SELECT (COUNT(*) AS ?n) WHERE { ?a rdfs:label "United States" }'


def renamed(extraction: Extraction, doc_id: str) -> Extraction:
    return replace(extraction, document=replace(extraction.document, id=doc_id))


def test_each_triple_once_however_many_documents_hold_it(store: GraphStore) -> None:
    from tests.api.graphs import extraction_d1

    d1 = extraction_d1()
    for n in range(5):
        store.add(renamed(d1, f"copy-{n}"))
    assert store.select(US_LABELS) == [{"n": "1"}]
    meetings = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?e a dip:Meeting }")
    assert meetings == [{"n": "1"}]  # one event node, five documents reporting it
    sources = 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a rdfs:label "United States" } }'
    assert store.select(sources) == [{"n": "5"}]  # provenance: each document graph still says it
    for n in range(4):
        assert store.remove(f"copy-{n}")
    assert store.select(US_LABELS) == [{"n": "1"}]  # copy-4 still holds it
    assert store.remove("copy-4")
    assert store.select(US_LABELS) == [{"n": "0"}]
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [
        {"n": str(sum(1 for _ in store.quads()))}  # what is left: the extractor's own record
    ]


def test_a_replaced_document_leaves_only_what_others_hold(store: GraphStore) -> None:
    from tests.api.graphs import extraction_d1, extraction_d2

    store.add(extraction_d1())
    store.add(extraction_d2())
    d1_as_d2 = replace(extraction_d2(), document=replace(extraction_d2().document, id="d1"))
    assert store.add(d1_as_d2) == "replaced"
    assert store.select(US_LABELS) == [{"n": "0"}]  # only the old d1 named the United States
    merged = set(store.merged_triples())
    assert merged == {q.triple for q in store.quads()}  # the merge is exactly the named graphs'


def test_a_store_of_the_older_layout_gets_its_merge(tmp_path: Path) -> None:
    """Stores written before the merge: read-only they answer over the union, writable they are
    given the merge once."""
    from pyoxigraph import Store

    from kg.rdf import extraction_quads
    from tests.api.graphs import extraction_d1

    path = tmp_path / "old"
    old = Store(str(path))
    old.extend(extraction_quads(renamed(extraction_d1(), "a")))
    old.extend(extraction_quads(renamed(extraction_d1(), "b")))
    old.flush()
    del old
    reader = GraphStore(path, read_only=True)
    assert reader.select('SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a dip:iso3 "USA" }') == [
        {"n": "1"}
    ]
    assert len(reader.documents()) == 2
    reader.close()
    writer = GraphStore(path)
    assert writer.select(US_LABELS) == [{"n": "1"}]
    writer.close()


def test_query_of_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        GraphStore(tmp_path / "nope", must_exist=True)
    assert not (tmp_path / "nope").exists()


# -- a build's batches ---------------------------------------------------------------------------


def test_a_batch_writes_what_adding_one_by_one_writes(tmp_path: Path) -> None:
    from tests.api.graphs import extraction_d1, extraction_d2

    started = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    docs = [renamed(extraction_d1() if n % 2 else extraction_d2(), f"doc-{n}") for n in range(7)]
    one_by_one = GraphStore(tmp_path / "one")
    for doc in docs:
        assert one_by_one.add(doc, started=started) == "added"
    batched = GraphStore(tmp_path / "batched")
    version = batched.version
    with batched.batch(started=started, documents=3) as writer:  # batches of 3, 3 and 1
        statuses = [writer.add(doc) for doc in docs[:4]]
        writer.wait()  # the first batch is written on the writer's thread
        assert len(batched.documents()) == 3  # it went in; the fourth waits
        statuses += [writer.add(doc) for doc in docs[4:]]
    assert statuses == ["added"] * 7
    assert batched.version == version + 3  # one write per batch
    assert set(batched.quads()) == set(one_by_one.quads())
    assert set(batched.merged_triples()) == set(one_by_one.merged_triples())
    assert set(batched.merged_triples()) == {q.triple for q in batched.quads()}
    assert batched.select(US_LABELS) == [{"n": "1"}]
    one_by_one.close()
    batched.close()


def test_optimize_keeps_every_quad_and_a_reader_leaves_the_store_alone(tmp_path: Path) -> None:
    from tests.api.graphs import extraction_d1, extraction_d2

    store = GraphStore(tmp_path / "store")
    for n in range(6):
        store.add(renamed(extraction_d1() if n % 2 else extraction_d2(), f"doc-{n}"))
    quads, merged = set(store.quads()), set(store.merged_triples())
    store.optimize()
    assert set(store.quads()) == quads and set(store.merged_triples()) == merged
    assert store.graph_count() == len(store.named_graphs()) >= 6
    store.close()
    reader = GraphStore(tmp_path / "store", read_only=True)
    reader.optimize()  # a read-only store is not written, not even compacted
    assert set(reader.quads()) == quads
    reader.close()


def test_a_batch_sees_unchanged_and_replaced_documents_and_the_same_id_twice(
    store: GraphStore,
) -> None:
    from tests.api.graphs import extraction_d1, extraction_d2

    store.add(extraction_d1())
    d1_as_d2 = replace(extraction_d2(), document=replace(extraction_d2().document, id="d1"))
    with store.batch() as writer:
        assert writer.add(extraction_d1()) == "unchanged"
        assert writer.add(d1_as_d2) == "replaced"  # at once, in its own transaction
        assert writer.add(renamed(extraction_d1(), "new")) == "added"
        assert writer.add(renamed(extraction_d2(), "new")) == "replaced"  # the first went in first
    assert sorted(store.documents()) == ["d1", "new"]
    assert store.select(US_LABELS) == [{"n": "0"}]  # neither d1 nor "new" names it now
    assert set(store.merged_triples()) == {q.triple for q in store.quads()}


def test_a_document_another_writer_added_meanwhile_is_replaced_not_doubled(
    store: GraphStore,
) -> None:
    from kg.rdf import doc_iri, extraction_quads
    from tests.api.graphs import extraction_d1, extraction_d2

    mine = renamed(extraction_d1(), "x")
    writer = store.batch()
    assert writer.add(mine) == "added"  # pending
    store.add(renamed(extraction_d2(), "x"))  # another writer (a POST /documents) got there first
    writer.flush()
    graph = doc_iri("x")
    expected = {q.triple for q in extraction_quads(mine) if q.graph_name == graph}
    assert set(store.graph_triples(graph)) == expected  # this batch's version, not both
    assert set(store.merged_triples()) == {q.triple for q in store.quads()}


def test_a_document_sent_in_the_batch_in_flight_and_given_again_is_replaced(
    store: GraphStore,
) -> None:
    from kg.rdf import doc_iri, extraction_quads
    from tests.api.graphs import extraction_d1, extraction_d2

    second = renamed(extraction_d2(), "x")
    with store.batch(documents=1) as writer:  # every document is a batch of its own
        assert writer.add(renamed(extraction_d1(), "x")) == "added"  # on the writer's thread
        assert writer.add(second) == "replaced"  # waits for it, then replaces it
    graph = doc_iri("x")
    expected = {q.triple for q in extraction_quads(second) if q.graph_name == graph}
    assert set(store.graph_triples(graph)) == expected
    assert set(store.merged_triples()) == {q.triple for q in store.quads()}


def test_a_failed_batch_write_is_raised_by_the_writer(tmp_path: Path) -> None:
    from tests.api.graphs import extraction_d1, extraction_d2

    GraphStore(tmp_path / "s").close()
    read_only = GraphStore(tmp_path / "s", read_only=True)
    with pytest.raises(StoreError, match="read-only"), read_only.batch(documents=1) as writer:
        writer.add(extraction_d1())  # sent to the writer's thread, which cannot write
        writer.add(extraction_d2())
    assert read_only.documents() == []
    read_only.close()


def test_a_batch_of_documents_is_serialised_as_its_quads_and_their_merge() -> None:
    """The per-document cut of the graph names gives the bytes the general one gives."""
    from kg.rdf import doc_iri, extraction_quads
    from kg.store import _document_nquads, _nquads
    from tests.api.graphs import extraction_d1, extraction_d2

    started = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    docs = [renamed(extraction_d1(), "a b/c"), renamed(extraction_d2(), "d2")]
    pending = [(doc_iri(d.document.id), list(extraction_quads(d, started))) for d in docs]
    data = _document_nquads(pending)
    assert data == _nquads([quad for _, quads in pending for quad in quads])
    assert b"/doc/a%20b%2Fc> .\n" in data  # the named lines are there too


def test_the_merge_lines_are_the_named_lines_without_their_graph() -> None:
    """The merge's copies are cut from the serialised quads: terms that look like a graph name
    (a literal, an object equal to the graph) stay whole."""
    from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

    from kg.store import _nquads

    g, p = NamedNode("http://example.org/g"), NamedNode("http://example.org/p")
    quads = [
        Quad(NamedNode("http://example.org/s"), p, Literal("a <http://example.org/g> .\nb"), g),
        Quad(BlankNode("b1"), p, g, g),
        Quad(g, p, Literal("1", datatype=NamedNode("http://example.org/t")), g),
        Quad(g, p, Literal("un", language="fr"), g),
    ]
    expected = serialize(quads, format=RdfFormat.N_QUADS) + serialize(
        [q.triple for q in quads], format=RdfFormat.N_TRIPLES
    )
    assert _nquads(quads) == expected
