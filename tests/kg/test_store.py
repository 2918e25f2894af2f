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
    assert not store.raw.contains_named_graph(
        NamedNode("https://w3id.org/diplokg/id/doc/korea-olympics-2018")
    )


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
