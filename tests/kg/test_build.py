"""Builds: incremental (the same corpus again extracts nothing), safe (kill -9 leaves whole
documents), streaming, and forgiving of bad inputs beside good ones."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyoxigraph import Quad
from typer.testing import CliRunner

import kg.build
import kg.rdf
import kg.store
from kg.build import build
from kg.cli import app
from kg.corpus import read_inputs
from kg.nlp import ModelError
from kg.rdf import doc_iri
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports.jsonl"
BIN = Path(sys.executable).parent
runner = CliRunner()

PEOPLE = [("Chile", "Peru"), ("Kenya", "Uganda"), ("Norway", "Sweden"), ("Ghana", "Togo")]
CITIES = ["Lima", "Nairobi", "Oslo", "Accra", "Quito", "Dakar"]


def corpus(path: Path, n: int) -> Path:
    """`n` short documents written for the tests: talks, agreements and protests that vary."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            a, b = PEOPLE[i % len(PEOPLE)]
            city = CITIES[i % len(CITIES)]
            day = 1 + i % 28
            text = (
                f"{a} and {b} held talks in {city} on {day} May 2023. "
                f"The two governments agreed to reopen their border crossings. "
                f"{b} protested against new tariffs imposed by {a} in report {i}."
            )
            out.write(json.dumps({"id": f"r{i}", "text": text, "date": "2023-06-01"}) + "\n")
    return path


def doc_graphs(store: GraphStore) -> dict[str, set[object]]:
    return {d: set(store.graph_triples(doc_iri(d))) for d in store.documents()}


def no_pipeline(name: str | None = None) -> None:
    raise ModelError("the pipeline must not be loaded")


def test_the_same_corpus_again_extracts_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = GraphStore(tmp_path / "store")
    first = build(read_inputs([EXAMPLES]), store=store)
    size, before = len(store), doc_graphs(store)
    monkeypatch.setattr(kg.build, "load_pipeline", no_pipeline)  # not even parsed again
    again = build(read_inputs([EXAMPLES]), store=store)
    assert set(again.statuses.values()) == {"unchanged"} and again.extracted == 0
    assert again.events == first.events  # the counts the store holds
    assert len(store) == size and doc_graphs(store) == before
    store.close()


def test_a_changed_text_or_a_newer_extractor_replaces_that_document_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [json.loads(line) for line in EXAMPLES.read_text().splitlines() if line.strip()]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    store = GraphStore(tmp_path / "store")
    build(read_inputs([path]), store=store)
    before = doc_graphs(store)
    records[2]["text"] += " Officials said the talks would continue."
    path.write_text("\n".join(json.dumps(r) for r in records))
    report = build(read_inputs([path]), store=store)
    changed = records[2]["id"]
    assert report.statuses[changed] == "replaced" and report.extracted == 1
    assert [d for d, s in report.statuses.items() if s != "unchanged"] == [changed]
    after = doc_graphs(store)
    assert {d: g for d, g in after.items() if d != changed} == {
        d: g for d, g in before.items() if d != changed
    }
    monkeypatch.setattr(kg.store, "EXTRACTOR", "diplokg 99.0")
    monkeypatch.setattr(kg.rdf, "EXTRACTOR", "diplokg 99.0")
    newer = build(read_inputs([path]), store=store)
    assert set(newer.statuses.values()) == {"replaced"}
    assert store.documents() == sorted(r["id"] for r in records)
    store.close()


def test_out_is_the_same_whether_documents_were_extracted_or_unchanged(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    first, second = tmp_path / "first.nq", tmp_path / "second.nq"
    for out in (first, second):
        result = runner.invoke(app, ["build", str(EXAMPLES), "--store", store, "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert "nothing new to extract" in result.output
    lines = set(first.read_text().splitlines())
    assert lines and lines == set(second.read_text().splitlines())


def test_a_document_over_the_limit_and_bad_paths_beside_good_input(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 200_001)  # one line over the pipeline's 1,000,000 characters
    empty = tmp_path / "empty"
    empty.mkdir()
    store = tmp_path / "store"
    result = runner.invoke(
        app,
        ["build", str(big), str(tmp_path / "missing.txt"), str(empty), str(EXAMPLES),
         "--store", str(store)],
    )  # fmt: skip
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, result.output
    assert str(big) in errors[0] and "1,000,000" in errors[0] and "split" in errors[0]
    assert "missing.txt: no such file" in errors[1] and "no .txt or .jsonl" in errors[2]
    assert "Traceback" not in result.output
    graph = GraphStore(store, read_only=True)
    assert len(graph.documents()) == sum(1 for line in EXAMPLES.open() if line.strip())
    graph.close()


def _written_bytes(store: Path) -> int:
    """What the store holds on disk: its write-ahead log and the table files it ingested (a
    build's batches are bulk-loaded; `bulk-*.sst` files are not in the store until ingested)."""
    if not store.is_dir():
        return 0
    return sum(p.stat().st_size for p in [*store.glob("*.log"), *store.glob("[0-9]*.sst")])


def test_kill_9_during_a_build_leaves_whole_documents_and_the_next_build_completes(
    tmp_path: Path,
) -> None:
    path = corpus(tmp_path / "in.jsonl", 240)
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [str(BIN / "diplokg"), "build", str(path), "--store", str(store)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while _written_bytes(store) < 200_000 and proc.poll() is None:  # a batch is going in
            assert time.monotonic() < deadline, "the build wrote nothing"
            time.sleep(0.05)
        time.sleep(0.3)  # (the files of a batch are there before the store records them)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be killed"

    clean = GraphStore(tmp_path / "clean")
    build(read_inputs([path]), store=clean)
    expected = doc_graphs(clean)

    killed = GraphStore(store)  # it opens
    stored = doc_graphs(killed)
    assert 0 < len(stored) < len(expected)
    assert all(stored[d] == expected[d] for d in stored)  # whole documents only
    report = build(read_inputs([path]), store=killed)
    assert list(report.statuses.values()).count("unchanged") == len(stored)
    assert doc_graphs(killed) == expected
    merged = {q.triple for q in killed.quads()}
    assert set(killed.merged_triples()) == merged  # the merge followed every document
    killed.close()
    clean.close()


def test_quads_of_a_stored_document_are_those_it_was_added_with(tmp_path: Path, read) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    extraction = read("Chile and Peru signed a trade agreement in Lima on 3 May 2023.")
    started = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    store = GraphStore(tmp_path / "s")
    store.add(extraction, started=started)
    expected: set[Quad] = set(kg.rdf.extraction_quads(extraction, started))
    assert set(store.document_quads(extraction.document.id)) == expected
    store.close()


def test_distinct_ids_from_jsonl_are_distinct_documents(tmp_path: Path) -> None:
    ids = ["a> <b", "a b", "a/b", "a-b", "../../etc/passwd"]
    path = tmp_path / "ids.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n, doc_id in enumerate(ids):  # different texts: none may replace another
            text = f"Chile and Peru held talks in Lima on {n + 1} May 2023."
            out.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    store = GraphStore(tmp_path / "store")
    report = build(read_inputs([path]), store=store)
    assert report.statuses == {doc_id: "added" for doc_id in ids}
    assert store.documents() == sorted(ids)
    assert len({frozenset(store.graph_triples(doc_iri(d))) for d in ids}) == len(ids)
    store.close()


def test_a_build_that_flushes_the_store_as_it_goes_stores_the_same_graphs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    source = corpus(tmp_path / "in.jsonl", 12)
    started = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    whole = GraphStore(tmp_path / "whole")
    build(read_inputs([source]), store=whole, started=started)
    flushes: list[int] = []
    flush = GraphStore.flush

    def counted(self: GraphStore) -> None:
        flushes.append(self._unflushed)
        flush(self)

    monkeypatch.setattr(kg.store, "FLUSH_QUADS", 40)  # a flush every document or two
    monkeypatch.setattr(kg.store, "BATCH_DOCUMENTS", 1)  # each written on its own (a transaction)
    monkeypatch.setattr(GraphStore, "flush", counted)
    stepped = GraphStore(tmp_path / "stepped")
    report = build(read_inputs([source]), store=stepped, started=started)
    assert set(report.statuses.values()) == {"added"} and report.extracted == 12
    assert len([n for n in flushes if n >= 40]) >= 6  # along the way, not only at the end
    stepped.close()
    reopened = GraphStore(tmp_path / "stepped", read_only=True)
    assert doc_graphs(reopened) == doc_graphs(whole)
    assert set(reopened.merged_triples()) == set(whole.merged_triples())
    reopened.close()
    whole.close()


def test_a_build_compacts_the_store_only_when_it_wrote_most_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compacted: list[int] = []  # the documents the store held at each compaction
    optimize = GraphStore.optimize

    def counted(self: GraphStore) -> None:
        compacted.append(len(self.documents()))
        optimize(self)

    monkeypatch.setattr(GraphStore, "optimize", counted)
    store = GraphStore(tmp_path / "store")
    build(read_inputs([corpus(tmp_path / "six.jsonl", 6)]), store=store)
    assert compacted == [6]  # a new store, once its documents are in
    build(read_inputs([corpus(tmp_path / "six.jsonl", 6)]), store=store)  # nothing written
    build(read_inputs([corpus(tmp_path / "eight.jsonl", 8)]), store=store)  # 2 new beside 6
    assert compacted == [6]
    report = build(read_inputs([corpus(tmp_path / "twenty.jsonl", 20)]), store=store)
    assert list(report.statuses.values()).count("added") == 12  # more than the 8 it held
    assert compacted == [6, 20]
    assert len(store.documents()) == 20
    store.close()
