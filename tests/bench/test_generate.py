"""The benchmark generator: same seed, same bytes; a few actors in many events; a real graph."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import generate
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from spacy.language import Language

from kg.build import build
from kg.corpus import read_inputs
from kg.store import GraphStore

DIP = Namespace("https://w3id.org/diplokg/ontology#")
DIPR = "https://w3id.org/diplokg/id/"


def test_corpus_is_deterministic_by_seed(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    generate.write_corpus(first, 40, seed=3)
    generate.write_corpus(again, 40, seed=3)
    generate.write_corpus(other, 40, seed=4)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    # report i depends on the seed and i only: a small corpus is the start of a larger one
    shorter = tmp_path / "d.jsonl"
    generate.write_corpus(shorter, 15, seed=3)
    assert first.read_text().splitlines()[:15] == shorter.read_text().splitlines()


def test_corpus_records_have_distinct_ids_and_dates(tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    generate.write_corpus(out, 200)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 200
    assert len({r["id"] for r in records}) == 200
    dates = {dt.date.fromisoformat(r["date"]) for r in records}
    assert len(dates) > 150  # spread over years, not one day
    assert len({r["text"] for r in records}) == 200
    assert all(len(r["text"].split()) >= 25 for r in records)


def test_actors_follow_a_zipf_like_skew() -> None:
    counts: Counter[str] = Counter()
    for extraction in generate.extractions(400):
        for event in extraction.events:
            counts.update(set(event.actors()))
    ranked = [n for _, n in counts.most_common()]
    total = sum(ranked)
    assert len(ranked) > 150  # many actors in all (states, bodies, officials) ...
    assert sum(ranked[:5]) > 0.25 * total  # ... a few of them in a large share of the events
    assert ranked[0] > 20 * ranked[len(ranked) // 2]  # the top actor, many times the median one
    assert counts.most_common(1)[0][0] == "USA"


def test_graph_file_holds_whole_documents_of_the_ontology(tmp_path: Path) -> None:
    out, store = tmp_path / "graph.nq", tmp_path / "store"
    docs, quads = generate.write_graph(3000, out=out, store=store)
    assert quads >= 3000 and docs > 5
    assert len(out.read_text(encoding="utf-8").splitlines()) == quads
    dataset = Dataset()
    dataset.parse(out, format="nquads")
    parsed = list(dataset.quads((None, None, None, None)))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(parsed) == len(set(lines))  # the runs graph repeats its agent once per document
    assert all(
        str(g).startswith(f"{DIPR}doc/") or str(g) == f"{DIPR}graph/runs" for *_, g in parsed
    )
    first = dataset.graph(URIRef(f"{DIPR}doc/gen0-000000"))
    assert (first.identifier, RDF.type, DIP.Document) in first
    events = set(first.subjects(RDF.type, DIP.Event))
    assert events
    for event in events:
        participants = set(first.objects(event, DIP.participant))
        assert participants
        for actor in participants:
            assert any(isinstance(o, Literal) for o in first.objects(actor, RDFS.label))
    usa = URIRef(f"{DIPR}actor/USA")
    assert (usa, RDFS.label, Literal("United States")) in dataset.graph(
        URIRef(f"{DIPR}doc/gen0-000002")
    )
    graph_store = GraphStore(store, read_only=True)
    try:
        assert len(graph_store.documents()) == docs
    finally:
        graph_store.close()


def test_cli_writes_a_corpus_that_diplokg_builds(tmp_path: Path, nlp: Language) -> None:
    out = tmp_path / "corpus.jsonl"
    script = Path(generate.__file__)
    done = subprocess.run(
        [sys.executable, str(script), "corpus", "--docs", "4", "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "wrote 4 reports" in done.stderr
    report = build(read_inputs([out]), store=GraphStore(None))
    assert report.ok and len(report.events) == 4
    assert sum(report.events.values()) >= 8  # the templates are sentences the extractor reads


def test_cli_graph_needs_a_destination(tmp_path: Path) -> None:
    script = Path(generate.__file__)
    done = subprocess.run(
        [sys.executable, str(script), "graph", "--triples", "10"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "--out" in done.stderr
