"""Extraction in worker processes and on a Dask LocalCluster gives the single-process graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from kg.build import build
from kg.corpus import read_inputs
from kg.parallel import DaskRunner, PoolRunner
from kg.rdf import doc_iri
from kg.store import GraphStore
from tests.kg.test_build import corpus, doc_graphs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus(tmp_path_factory.mktemp("parallel") / "in.jsonl", 40)


@pytest.fixture(scope="module")
def single(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[object]]:
    store = GraphStore(tmp_path_factory.mktemp("single") / "store")
    build(read_inputs([inputs]), store=store)
    graphs = doc_graphs(store)
    store.close()
    assert len(graphs) == 40
    return graphs


def test_two_worker_processes_build_the_same_graphs(
    inputs: Path, single: dict[str, set[object]], tmp_path: Path
) -> None:
    store = GraphStore(tmp_path / "store")
    with PoolRunner(2) as runner:
        report = build(read_inputs([inputs]), store=store, extractor=runner.extract)
    assert report.extracted == 40 and set(report.statuses.values()) == {"added"}
    assert doc_graphs(store) == single
    store.close()


def test_a_dask_local_cluster_builds_the_same_graphs_and_part_files(
    inputs: Path, single: dict[str, set[object]], tmp_path: Path
) -> None:
    store = GraphStore(tmp_path / "store")
    parts = tmp_path / "parts"
    with DaskRunner("local", workers=2) as runner:
        build(read_inputs([inputs]), store=store, extractor=runner.extract)
        assert len(runner._client.scheduler_info()["workers"]) == 2
        runner.parts = parts  # the same cluster, now writing part files on the workers
        report = build(read_inputs([inputs]), extractor=runner.extract, started=runner.started)
    assert doc_graphs(store) == single
    store.close()

    files = sorted(parts.glob("part-*.nq"))
    assert report.extracted == 40 and [str(f) for f in files] == sorted(runner.part_files)
    assert len(files) == 5  # one per partition of 8 documents
    from_parts: dict[str, set[object]] = {}
    for file in files:
        for quad in parse(path=file, format=RdfFormat.N_QUADS):
            from_parts.setdefault(quad.graph_name.value, set()).add(quad.triple)  # type: ignore[union-attr]
    assert {doc_iri(d).value: g for d, g in single.items()} == {
        g: t for g, t in from_parts.items() if "/doc/" in g
    }
