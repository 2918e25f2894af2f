"""`diplokg export`: every format parsed back (rdflib, pandas, networkx) and checked."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import rdflib
from pyoxigraph import RdfFormat, serialize
from typer.testing import CliRunner

from kg.cli import app
from kg.export.table import COLUMNS
from kg.store import GraphStore
from tests.kg.conftest import EXAMPLES

runner = CliRunner()
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
DIP = rdflib.Namespace("https://w3id.org/diplokg/ontology#")
TEXTS = {r["id"]: r["text"] for r in map(json.loads, EXAMPLES.read_text().splitlines()) if r}


def export(store: Path, out: Path) -> str:
    result = runner.invoke(app, ["export", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return str(result.output)


def quads_of(dataset: rdflib.Dataset) -> set[tuple[object, ...]]:
    """The quads of the named graphs (rdflib terms: literals compared by value)."""
    default = rdflib.graph.DATASET_DEFAULT_GRAPH_ID
    return {q for q in dataset.quads((None, None, None, None)) if q[3] not in (None, default)}


def opened(path: Path) -> GraphStore:
    return GraphStore(path, read_only=True)


@pytest.mark.parametrize(
    ("suffix", "fmt"), [(".nq", "nquads"), (".trig", "trig"), (".jsonld", "json-ld")]
)
def test_datasets_hold_every_named_graph(
    example_store: Path, tmp_path: Path, suffix: str, fmt: str
) -> None:
    out = tmp_path / f"graph{suffix}"
    said = export(example_store, out)
    store = opened(example_store)
    reference = (serialize(store.quads(), format=RdfFormat.N_QUADS) or b"").decode()
    store.close()
    expected = quads_of(rdflib.Dataset().parse(data=reference, format="nquads"))
    dataset = rdflib.Dataset()
    dataset.parse(out, format=fmt)
    found = quads_of(dataset)
    assert found == expected
    assert f"{len(expected):,} quads" in said


def test_json_ld_reads_as_plain_json(example_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.jsonld"
    export(example_store, out)
    document = json.loads(out.read_text())
    assert document["@context"]["label"].endswith("rdf-schema#label")
    nodes = [n for g in document["@graph"] for n in g["@graph"]]
    states = [n for n in nodes if n.get("iso3") == "JPN"]
    assert states and states[0]["label"] == "Japan" and "dip:State" in states[0]["type"]
    assert any("participant" in n and "date" in n for n in nodes)


@pytest.mark.parametrize(("suffix", "fmt"), [(".ttl", "turtle"), (".nt", "nt")])
def test_triple_formats_hold_the_merge_once(
    example_store: Path, tmp_path: Path, suffix: str, fmt: str
) -> None:
    out = tmp_path / f"graph{suffix}"
    export(example_store, out)
    graph = rdflib.Graph().parse(out, format=fmt)
    store = opened(example_store)
    merged = sum(1 for _ in store.merged_triples())
    named = sum(1 for _ in store.quads())
    store.close()
    assert len(graph) == merged < named  # what several documents say is there once
    assert (None, rdflib.RDFS.label, rdflib.Literal("Japan")) in graph


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_the_event_table(example_store: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"events{suffix}"
    export(example_store, out)
    table = pd.read_csv(
        out, sep="\t" if suffix == ".tsv" else ",", keep_default_na=False, dtype=str
    )
    assert tuple(table.columns) == COLUMNS
    assert len(table) > 10
    for row in table.itertuples(index=False):  # every sentence is where its offsets say
        text = TEXTS[row[COLUMNS.index("Story ID")]]
        start, end = int(row[COLUMNS.index("Start")]), int(row[COLUMNS.index("End")])
        assert text[start:end] == row[COLUMNS.index("Sentence")]
    tokyo = table[(table["Event Mode"] == "meeting") & (table["Placename"] == "Tokyo")]
    assert set(tokyo["Story ID"]) == {"us-japan-tokyo-talks", "china-protests-minerals-pact"}
    first = tokyo.iloc[0]
    assert (first["Event Type"], first["Quad Code"], first["Country"]) == (
        "CONSULT",
        "VERBAL COOPERATION",
        "JPN",
    )
    assert first["Event Date"] == "2024-03-05"
    # one minister initiates, the other receives (which one is the extractor's call)
    sides = {first["Actor Name"], *first["Recipient Name"].split("; ")}
    assert {"Antony Blinken", "Yoko Kamikawa"} <= sides
    assert set(table["Event Type"]) <= {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_the_actor_network(example_store: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"actors{suffix}"
    export(example_store, out)
    graph = nx.read_gexf(out) if suffix == ".gexf" else nx.read_graphml(out)
    assert isinstance(graph, nx.DiGraph) and graph.number_of_nodes() > 10
    japan = graph.nodes["JPN"]
    assert japan["type"] == "State" and japan["iso3"] == "JPN" and japan["events"] >= 2
    kamikawa = graph.nodes["yoko-kamikawa"]
    assert kamikawa["type"] == "Person" and kamikawa["iso3"] == ""
    assert kamikawa["events_Meeting"] >= 1 and kamikawa["cooperation"] >= 1
    kinds: dict[str, set[type]] = {}
    for _, data in graph.nodes(data=True):
        assert None not in data.values() and "None" not in data.values()
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    assert all(len(types) == 1 for types in kinds.values()), kinds  # one type per attribute
    link = next(iter(graph.edges(data=True)))[2]
    assert link["weight"] >= 1 and isinstance(link["score"], float)
    if suffix == ".gexf":
        dated = [d for _, d in graph.nodes(data=True) if d["first"]]
        assert dated and all(d["start"] == d["first"] and d["end"] == d["last"] for d in dated)


def test_an_unknown_export_format_is_one_line(example_store: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "--store", str(example_store), "--out", str(tmp_path / "x.xlsx")]
    )
    assert (
        result.exit_code == 1
        and result.output.startswith("error:")
        and "unknown export format" in result.output
    )
    assert not (tmp_path / "x.xlsx").exists()
