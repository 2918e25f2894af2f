"""`diplokg analyze ...` as a user runs it, on the store of tests/kg/analysis/stores.py: tables,
`--json` (the HTTP API's objects), `--csv`, `--write`, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import GraphStore
from tests.kg.analysis.stores import UN, build

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(build(tmp_path_factory.mktemp("cli") / "store"))


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_centrality_as_json_is_the_api_page(store: str) -> None:
    answer = json.loads(
        run("analyze", "centrality", "--store", store, "--json", "--sort", "betweenness")
    )
    assert list(answer)[:4] == ["data", "total", "limit", "offset"]
    assert answer["data"][0]["actor"]["id"] == UN
    assert answer["data"][0]["betweenness"] == pytest.approx(9 / 15)
    assert answer["betweenness"] == {"approximate": False, "k": None, "seed": None}


def test_centrality_as_a_table_and_as_csv(store: str) -> None:
    table = run("analyze", "centrality", "--store", store)
    assert "PageRank" in table and "United" in table
    rows = list(
        csv.DictReader(
            io.StringIO(run("analyze", "centrality", "--store", store, "--csv", "--limit", "2"))
        )
    )
    assert len(rows) == 2 and {"actor.id", "pagerank", "betweenness", "community"} <= set(rows[0])


def test_centrality_per_year(store: str) -> None:
    answer = json.loads(run("analyze", "centrality", "--store", store, "--by", "year", "--json"))
    assert [d["period"] for d in answer["data"]] == ["2021"]


def test_communities(store: str) -> None:
    answer = json.loads(run("analyze", "communities", "--store", store, "--json"))
    groups = [{a["id"] for a in c["actors"]} - {UN} for c in answer["data"]]
    assert sorted(map(sorted, groups)) == [["BOL", "CHL", "PER"], ["DNK", "NOR", "SWE"]]
    rows = list(
        csv.DictReader(io.StringIO(run("analyze", "communities", "--store", store, "--csv")))
    )
    assert len(rows) == 7 and set(rows[0]) == {"community", "size", "id", "label", "type"}


def test_path_with_its_sentences(store: str) -> None:
    answer = json.loads(run("analyze", "path", "NOR", "PER", "--store", store, "--json"))
    (path,) = answer["data"]
    assert [a["id"] for a in path["actors"]] == ["NOR", "DNK", UN, "CHL", "PER"]
    rows = list(
        csv.DictReader(io.StringIO(run("analyze", "path", "NOR", "PER", "--store", store, "--csv")))
    )
    assert [r["sentence"] for r in rows][
        2
    ] == "The United Nations urged Chile to release the detained journalists."
    assert rows[2]["document"] == "envoy" and rows[2]["direction"] == "forward"
    table = run("analyze", "path", "NOR", "PER", "--store", store)
    assert "path 1" in table
    every = json.loads(
        run(
            "analyze",
            "path",
            "NOR",
            "BOL",
            "--all",
            "--max-length",
            "5",
            "--store",
            store,
            "--json",
        )
    )
    assert every["total"] == 3 and every["mode"] == "all"


def test_timeline_of_a_warming_pair(store: str) -> None:
    answer = json.loads(run("analyze", "timeline", "PER", "BOL", "--store", store, "--json"))
    assert answer["direction"] == "warming" and len(answer["data"]) == 6
    assert (
        "warming"
        in runner.invoke(app, ["analyze", "timeline", "PER", "BOL", "--store", store]).output
    )


def test_ego_as_csv_has_every_column(store: str) -> None:
    rows = list(csv.DictReader(io.StringIO(run("analyze", "ego", UN, "--store", store, "--csv"))))
    # links of different classes: one column per class seen, empty where a link has none
    assert {r["counts.Meeting"] for r in rows} == {"1", ""}
    assert {r["counts.Request"] for r in rows} == {"1", ""}
    columns = list(rows[0])
    counts = [i for i, c in enumerate(columns) if c.startswith("counts.")]
    assert counts == list(range(counts[0], counts[0] + len(counts)))  # the classes side by side


def test_csv_of_no_rows_is_empty(store: str) -> None:
    # nothing happened before 1990 in that store: no path, no rows, no made-up header
    assert run("analyze", "path", "NOR", "PER", "--store", store, "--csv", "--until", "1990") == ""


def test_ego(store: str) -> None:
    answer = json.loads(run("analyze", "ego", UN, "--store", store, "--json"))
    assert answer["center"]["id"] == UN and answer["total"] == 3
    assert (
        "United Nations: 3 actor(s), 3 link(s)"
        in runner.invoke(app, ["analyze", "ego", UN, "--store", store]).output
    )


def test_the_first_form_still_works(store: str) -> None:
    answer = json.loads(run("analyze", "--store", store, "--json"))
    assert {"actors", "links", "central"} == set(answer)
    assert {"degree", "betweenness"} <= set(answer["central"][0])


def test_write_puts_the_results_in_the_store(tmp_path: Path) -> None:
    path = build(tmp_path / "store")
    result = runner.invoke(app, ["analyze", "centrality", "--store", str(path), "--write"])
    assert result.exit_code == 0, result.output
    assert "wrote 62 triples" in result.output
    store = GraphStore(path, read_only=True)
    try:
        rows = store.select("SELECT ?a ?r WHERE { ?a dip:pageRank ?r } ORDER BY DESC(?r) LIMIT 1")
    finally:
        store.close()
    assert rows[0]["a"].endswith("/actor/BOL")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["path", "NOR", "nobody"], "no actor with id nobody"),
        (["path", "NOR", "NOR"], "same actor"),
        (["timeline", "PER", "PER"], "same actor"),
        (["ego", "nobody"], "no actor with id nobody"),
        (["centrality", "--since", "2021-13"], "not a valid date"),
        (["centrality", "--since", "2022", "--until", "2021"], "before"),
        (["centrality", "--json", "--csv"], "choose one"),
    ],
)
def test_errors_are_one_line(store: str, args: list[str], words: str) -> None:
    result = runner.invoke(app, ["analyze", *args, "--store", store])
    assert result.exit_code == 1
    assert result.output.startswith("error:") and words in result.output
    assert "Traceback" not in result.output
