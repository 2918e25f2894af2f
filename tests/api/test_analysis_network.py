"""`/analysis/paths`, `/ego`, `/trend`, `/slices` and `POST /analysis/results` over real HTTP (a
TestClient) on the store of tests/kg/analysis/stores.py: two camps and the UN between them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from tests.api.test_actors import assert_error, ok
from tests.kg.analysis.stores import UN, build

UN_REF = {"id": UN, "label": "United Nations", "type": "Organization"}


@pytest.fixture(scope="session")
def client(rest_client: TestClient) -> TestClient:
    """This module's tests that read the shared graph run on both backends (conftest.BACKENDS)."""
    return rest_client


@pytest.fixture(scope="module")
def camps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(
        Settings(store=build(tmp_path_factory.mktemp("camps") / "store"), read_only=True)
    )
    with TestClient(app, raise_server_exceptions=False) as started:
        yield started


def ref(state: str, label: str) -> dict[str, str]:
    return {"id": state, "label": label, "type": "State"}


def test_the_broker_tops_betweenness(camps: TestClient) -> None:
    answer = ok(camps.get("/analysis/centrality", params={"sort": "betweenness", "limit": 3}))
    assert [r["actor"]["id"] for r in answer["data"]] == [UN, "CHL", "DNK"]
    assert answer["data"][0]["betweenness"] == pytest.approx(9 / 15)
    communities = ok(camps.get("/analysis/communities"))["data"]
    camps_found = [{a["id"] for a in c["actors"]} - {UN} for c in communities]
    assert sorted(map(sorted, camps_found)) == [["BOL", "CHL", "PER"], ["DNK", "NOR", "SWE"]]


def test_a_path_with_the_sentence_behind_each_hop(camps: TestClient) -> None:
    answer = ok(camps.get("/analysis/paths", params={"a": "NOR", "b": "PER"}))
    assert (answer["total"], answer["mode"]) == (1, "shortest")
    assert answer["a"] == ref("NOR", "Norway") and answer["b"] == ref("PER", "Peru")
    (path,) = answer["data"]
    assert [a["id"] for a in path["actors"]] == ["NOR", "DNK", UN, "CHL", "PER"]
    assert path["length"] == 4
    hops = path["hops"]
    assert [(h["source"], h["target"], h["direction"]) for h in hops] == [
        ("NOR", "DNK", "both"),
        ("DNK", UN, "both"),
        (UN, "CHL", "forward"),
        ("CHL", "PER", "both"),
    ]
    appeal = hops[2]
    assert (appeal["counts"], appeal["score"]) == ({"Request": 1}, -5.0)
    (evidence,) = appeal["via"]["evidence"]
    sentence = "The United Nations urged Chile to release the detained journalists."
    start = len("The United Nations envoy met the Danish foreign minister in Copenhagen. ")
    assert evidence == {
        "document": {"id": "envoy", "title": "Report envoy", "date": "2021-06-02"},
        "sentence": sentence,
        "start": start,
        "end": start + len(sentence),
    }
    assert (
        hops[0]["via"]["evidence"][0]["sentence"]
        == "Norway and Denmark signed a fisheries agreement."
    )


def test_all_paths_up_to_a_length(camps: TestClient) -> None:
    answer = ok(
        camps.get(
            "/analysis/paths", params={"a": "NOR", "b": "BOL", "mode": "all", "max_length": 5}
        )
    )
    chains = [[a["id"] for a in p["actors"]] for p in answer["data"]]
    assert chains == [
        ["NOR", "DNK", UN, "CHL", "BOL"],
        ["NOR", "SWE", "DNK", UN, "CHL", "BOL"],
        ["NOR", "DNK", UN, "CHL", "PER", "BOL"],
    ]
    short = ok(
        camps.get(
            "/analysis/paths", params={"a": "NOR", "b": "BOL", "mode": "all", "max_length": 4}
        )
    )
    assert short["total"] == 1
    none = ok(camps.get("/analysis/paths", params={"a": "NOR", "b": "PER", "until": "2021-03-31"}))
    assert (none["data"], none["total"]) == ([], 0)


def test_the_signed_ego_network(camps: TestClient) -> None:
    answer = ok(camps.get("/analysis/ego", params={"actor": UN}))
    assert answer["center"] == UN_REF and answer["radius"] == 1
    assert [n["id"] for n in answer["nodes"]] == [UN, "CHL", "DNK"]
    edges = {(e["source"], e["target"]): e for e in answer["data"]}
    assert set(edges) == {(UN, "CHL"), (UN, "DNK"), ("DNK", UN)}
    appeal = edges[UN, "CHL"]
    assert (appeal["weight"], appeal["conflict"], appeal["mean_score"]) == (1, 1, -5.0)
    assert appeal["quads"] == {
        "verbal_cooperation": 0,
        "material_cooperation": 0,
        "verbal_conflict": 1,
        "material_conflict": 0,
    }
    assert appeal["events"] == ["request-CHL-united-nations-2021-04-02"]
    assert (appeal["first"], appeal["last"]) == ("2021-04-02", "2021-04-02")
    wider = ok(camps.get("/analysis/ego", params={"actor": UN, "radius": 2, "limit": 2}))
    assert len(wider["nodes"]) == 7 and wider["total"] == 15 and len(wider["data"]) == 2


def test_a_warming_pair(camps: TestClient) -> None:
    answer = ok(camps.get("/analysis/trend", params={"a": "PER", "b": "BOL"}))
    assert answer["a"] == ref("PER", "Peru") and answer["b"] == ref("BOL", "Bolivia")
    assert [b["period"] for b in answer["data"]] == [f"2021-0{m}" for m in range(1, 7)]
    january, june = answer["data"][0], answer["data"][-1]
    assert (january["a_to_b"], january["conflict"], january["score"]) == (1, 1, -2.0)
    assert (june["mutual"], june["cooperation"], june["score"]) == (1, 1, 4.2)
    assert answer["data"][2]["mean_score"] is None  # March: nothing between them
    assert answer["direction"] == "warming" and answer["slope"] > 0
    yearly = ok(camps.get("/analysis/trend", params={"a": "PER", "b": "BOL", "by": "year"}))
    assert [(b["period"], b["events"]) for b in yearly["data"]] == [("2021", 2)]


def test_measures_per_period(camps: TestClient) -> None:
    answer = ok(camps.get("/analysis/slices", params={"by": "month", "top": 1}))
    assert [s["period"] for s in answer["data"]] == [
        "2021-01",
        "2021-02",
        "2021-03",
        "2021-04",
        "2021-06",
    ]
    april = answer["data"][3]
    assert (april["nodes"], april["edges"]) == (3, 3)
    # April: the UN and Denmark meet (both ways), the UN urges Chile (a dead end). By hand, with
    # d = c:  u = 0.05 + 0.85 (d + c/3),  c = 0.05 + 0.85 (u/2 + c/3)
    assert [a["actor"]["id"] for a in april["actors"]] == [UN]
    assert april["actors"][0]["pagerank"] == pytest.approx(
        0.05 + (0.85 * 4 / 3) * 0.07125 / 0.235, abs=1e-5
    )
    full = ok(camps.get("/analysis/slices", params={"by": "month", "top": 3}))["data"][3]
    assert [a["pagerank"] for a in full["actors"]][1:] == pytest.approx(
        [0.07125 / 0.235] * 2, abs=1e-5
    )
    assert ok(camps.get("/analysis/slices"))["data"][0]["period"] == "2021"


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/analysis/paths", {"a": "NOR"}, 422, ["b"]),
        ("/analysis/paths", {"a": "NOR", "b": "nobody"}, 404, ["no actor with id nobody"]),
        ("/analysis/paths", {"a": "NOR", "b": "NOR"}, 400, ["same actor"]),
        ("/analysis/paths", {"a": "<x>", "b": "NOR"}, 400, ["not an actor id"]),
        ("/analysis/paths", {"a": "NOR", "b": "PER", "max_length": 7}, 422, ["max_length"]),
        ("/analysis/paths", {"a": "NOR", "b": "PER", "mode": "some"}, 422, ["mode"]),
        ("/analysis/ego", {"actor": "nobody"}, 404, ["no actor with id nobody"]),
        ("/analysis/ego", {"actor": UN, "radius": 4}, 422, ["radius"]),
        ("/analysis/trend", {"a": "PER", "b": "PER"}, 400, ["same actor"]),
        ("/analysis/trend", {"a": "PER", "b": "BOL", "by": "week"}, 422, ["by"]),
        ("/analysis/slices", {"since": "2021-13"}, 400, ["since"]),
    ],
)
def test_bad_requests_are_4xx(
    camps: TestClient, path: str, params: dict[str, Any], status: int, words: list[str]
) -> None:
    assert_error(camps.get(path, params=params), status, *words)


def test_results_are_written_back_with_the_token(tmp_path: Path) -> None:
    settings = Settings(store=build(tmp_path / "store"), read_only=False, token="secret")
    with TestClient(create_app(settings), raise_server_exceptions=False) as app:
        assert_error(app.post("/analysis/results"), 401, "Authorization")
        answer = ok(app.post("/analysis/results", headers={"Authorization": "Bearer secret"}))
        assert answer["graph"] == "https://w3id.org/diplokg/id/graph/analysis"
        assert (answer["actors"], answer["communities"]) == (7, 2)
        query = (
            "PREFIX dip: <https://w3id.org/diplokg/ontology#> "
            "SELECT ?a ?b WHERE { ?a dip:betweenness ?b } ORDER BY DESC(?b) LIMIT 1"
        )
        found = app.get(
            "/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert found.status_code == 200, found.text
        rows = found.json()
        top = rows["results"]["bindings"][0]
        assert top["a"]["value"] == f"https://w3id.org/diplokg/id/actor/{UN}"
        assert float(top["b"]["value"]) == pytest.approx(9 / 15)


def test_results_need_a_server_token(camps: TestClient) -> None:
    assert_error(camps.post("/analysis/results"), 403, "not enabled")
