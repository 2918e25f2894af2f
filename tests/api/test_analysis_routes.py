"""`/analysis`: centrality, communities and timelines over the actor graph, on real stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from kg import analysis
from kg.records import Actor, Document, Event, Extraction, Mention, Participant, TimeValue
from kg.store import GraphStore
from tests.api.graphs import AGREEMENT_ID, MEETING_ID, MOON, SUPPORT_ID, month
from tests.api.test_actors import assert_error, ok
from tests.api.test_paths import KOR_REF, MOON_REF, PRK_REF, square_store

USA_REF = {"id": "USA", "label": "United States", "type": "State"}


def serve(path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(store=path, read_only=True))
    with TestClient(app, raise_server_exceptions=False) as started:
        yield started


@pytest.fixture(scope="session")
def client(rest_client: TestClient) -> TestClient:
    """This module's tests that read the shared graph run on both backends (conftest.BACKENDS)."""
    return rest_client


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from serve(square_store(tmp_path_factory.mktemp("square") / "store"))


# -- GET /analysis/centrality ------------------------------------------------------------------


def test_centrality_is_a_page_of_every_actors_measures(client: TestClient) -> None:
    answer = ok(client.get("/analysis/centrality"))
    assert list(answer)[:4] == ["data", "total", "limit", "offset"]
    assert (answer["total"], answer["limit"], answer["offset"]) == (3, 50, 0)
    # the United States shares no asserted event: it is not in the actor graph; the meeting and
    # the agreement link the Koreas both ways, Moon's support runs from him to North Korea
    assert (answer["nodes"], answer["edges"], answer["sort"]) == (3, 3, "pagerank")
    assert answer["betweenness"] == {"approximate": False, "k": None, "seed": None}
    prk, kor, moon = answer["data"]
    assert prk["actor"] == PRK_REF and kor["actor"] == KOR_REF and moon["actor"] == MOON_REF
    assert {k: prk[k] for k in ("degree", "in_strength", "out_strength", "betweenness")} == {
        "degree": 2,
        "in_strength": 3,
        "out_strength": 2,
        "betweenness": 1.0,
    }
    # Moon has no in-link and no one is a dead end: his PageRank is (1 - 0.85) / 3
    assert moon["pagerank"] == pytest.approx(0.05)
    assert sum(r["pagerank"] for r in answer["data"]) == pytest.approx(1.0)
    assert {r["community"] for r in answer["data"]} == {0}


def test_centrality_pages_and_sorts(client: TestClient) -> None:
    answer = ok(client.get("/analysis/centrality", params={"limit": 1, "offset": 1}))
    assert [r["actor"]["id"] for r in answer["data"]] == ["KOR"] and answer["total"] == 3
    by_out = ok(client.get("/analysis/centrality", params={"sort": "out_strength"}))
    assert [r["out_strength"] for r in by_out["data"]] == [2, 2, 1]


def test_centrality_in_a_time_window(client: TestClient) -> None:
    answer = ok(client.get("/analysis/centrality", params={"until": "2018-01-09"}))
    assert [s["actor"]["id"] for s in answer["data"]] == ["PRK", "KOR"]  # a tie: by label
    empty = ok(client.get("/analysis/centrality", params={"since": "2019"}))
    assert (empty["data"], empty["total"], empty["nodes"], empty["edges"]) == ([], 0, 0, 0)


def test_centrality_of_the_square(square: TestClient) -> None:
    answer = ok(square.get("/analysis/centrality", params={"sort": "betweenness", "limit": 2}))
    # DDD is linked to three of the four others and lies between EEE and everyone; BBB and CCC
    # each lie between DDD and AAA: a tie, BBB first by label
    assert [s["actor"]["id"] for s in answer["data"]] == ["DDD", "BBB"]
    first = answer["data"][0]
    assert first["degree_centrality"] == 0.75 and first["weighted_degree"] == 3
    assert first["betweenness"] == pytest.approx(7 / 12)


# -- GET /analysis/communities -----------------------------------------------------------------


def test_communities_list_their_actors(client: TestClient) -> None:
    answer = ok(client.get("/analysis/communities"))
    assert list(answer)[:4] == ["data", "total", "limit", "offset"]
    assert answer["data"] == [{"id": 0, "size": 3, "actors": [KOR_REF, PRK_REF, MOON_REF]}]
    assert (answer["nodes"], answer["edges"], answer["seed"]) == (3, 3, 42)


def test_unlinked_actors_are_communities_alone(client: TestClient) -> None:
    answer = ok(client.get("/analysis/communities", params={"since": "2018-01-10"}))
    assert answer["data"] == [{"id": 0, "size": 2, "actors": [PRK_REF, MOON_REF]}]
    assert ok(client.get("/analysis/communities", params={"until": "2017"}))["data"] == []


def test_communities_cover_every_actor_once(square: TestClient) -> None:
    answer = ok(square.get("/analysis/communities"))
    members = [a["id"] for c in answer["data"] for a in c["actors"]]
    assert sorted(members) == ["AAA", "BBB", "CCC", "DDD", "EEE"]
    assert [c["actors"] for c in answer["data"]] == [
        [{"id": i, "label": f"State {i}", "type": "State"} for i in ids]
        for ids in (["CCC", "DDD", "EEE"], ["AAA", "BBB"])
    ]
    assert answer["modularity"] > 0


# -- GET /analysis/timeline --------------------------------------------------------------------


def test_the_timeline_of_one_actor(client: TestClient) -> None:
    answer = ok(client.get("/analysis/timeline", params={"a": "PRK"}))
    assert list(answer) == ["data", "total", "limit", "offset", "a", "b", "events", "undated"]
    assert answer["a"] == PRK_REF and answer["b"] is None
    assert answer["data"] == [
        {
            "month": "2018-01",
            "counts": {"Agreement": 1, "Meeting": 1, "Support": 1},
            "events": 3,
            "event_ids": [AGREEMENT_ID, MEETING_ID, SUPPORT_ID],
            "cooperation": 3,
            "conflict": 0,
            "score": pytest.approx(4.2 + 2.1 + 4.6),
        }
    ]
    assert (answer["total"], answer["limit"], answer["offset"]) == (1, 50, 0)  # one month
    assert (answer["undated"], answer["events"]) == (0, 3)


def test_the_timeline_of_two_actors_holds_what_they_share(client: TestClient) -> None:
    answer = ok(client.get("/analysis/timeline", params={"a": "PRK", "b": MOON}))
    assert answer["b"] == MOON_REF
    assert [(b["month"], b["event_ids"]) for b in answer["data"]] == [("2018-01", [SUPPORT_ID])]


def test_negated_events_are_not_in_timelines(client: TestClient) -> None:
    answer = ok(client.get("/analysis/timeline", params={"a": "USA"}))
    assert answer["a"] == USA_REF
    assert (answer["data"], answer["total"], answer["undated"], answer["events"]) == ([], 0, 0, 0)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "Consult"}, [MEETING_ID]),
        ({"type": "Support"}, [SUPPORT_ID]),
        ({"since": "2018-01-10"}, [SUPPORT_ID]),
        ({"until": "2018-01-09"}, [AGREEMENT_ID, MEETING_ID]),
    ],
)
def test_timeline_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    answer = ok(client.get("/analysis/timeline", params={"a": "PRK", **params}))
    assert [i for b in answer["data"] for i in b["event_ids"]] == expected


def dated_store(path: Path) -> Path:
    """AAA's events: a day in January 2020, a month (March 2020), a year (2020), no date."""
    text = "Something happened."
    mention = Mention(0, len(text), text)
    jan = dt.date(2020, 1, 5)
    dates: list[tuple[str, TimeValue | None, str]] = [
        ("Meeting", TimeValue("2020-01-05", "day", jan, jan), "BBB"),
        ("Agreement", month("2020-03"), "BBB"),
        ("Support", TimeValue("2020", "year", dt.date(2020, 1, 1), dt.date(2020, 12, 31)), "CCC"),
        ("Accuse", None, "CCC"),
    ]
    store = GraphStore(path)
    try:
        for n, (kind, date, other) in enumerate(dates, start=1):
            extraction = Extraction(
                document=Document(f"t{n}", text, None),
                actors=tuple(
                    Actor(c, "State", f"State {c}", (), c, (mention,)) for c in ("AAA", other)
                ),
                events=(
                    Event(
                        kind,
                        (Participant("AAA", "initiator"), Participant(other, "recipient")),
                        mention,
                        trigger=kind.lower(),
                        date=date,
                    ),
                ),
            )
            assert store.add(extraction) == "added"
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from serve(dated_store(tmp_path_factory.mktemp("dated") / "store"))


def test_buckets_run_month_by_month_and_coarse_dates_are_undated(dated: TestClient) -> None:
    answer = ok(dated.get("/analysis/timeline", params={"a": "AAA"}))
    months = [(b["month"], b["events"], b["counts"]) for b in answer["data"]]
    assert months == [
        ("2020-01", 1, {"Meeting": 1}),
        ("2020-02", 0, {}),  # empty months are kept, so a plot has no gaps
        ("2020-03", 1, {"Agreement": 1}),
    ]
    assert answer["data"][1]["event_ids"] == []
    assert (answer["undated"], answer["events"]) == (2, 4)  # the year and the undated one
    with_ccc = ok(dated.get("/analysis/timeline", params={"a": "AAA", "b": "CCC"}))
    assert (with_ccc["data"], with_ccc["undated"], with_ccc["events"]) == ([], 2, 2)


def test_the_timeline_is_a_page_of_months(dated: TestClient) -> None:
    answer = ok(dated.get("/analysis/timeline", params={"a": "AAA", "limit": 2, "offset": 1}))
    assert (answer["total"], answer["limit"], answer["offset"]) == (3, 2, 1)
    assert [b["month"] for b in answer["data"]] == ["2020-02", "2020-03"]
    assert answer["events"] == 4  # the events of every month, not of the page


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/analysis/timeline", {}, 422, ["a"]),
        ("/analysis/timeline", {"a": "nobody"}, 404, ["no actor with id nobody"]),
        ("/analysis/timeline", {"a": "PRK", "b": "nobody"}, 404, ["no actor with id nobody"]),
        ("/analysis/timeline", {"a": "PRK", "b": "PRK"}, 400, ["same actor"]),
        ("/analysis/timeline", {"a": "<PRK>"}, 400, ["not an actor id"]),
        ("/analysis/timeline", {"a": "PRK", "type": "Party"}, 400, ["Party"]),
        ("/analysis/timeline", {"a": "PRK", "since": "2018-02-30"}, 400, ["since"]),
        ("/analysis/centrality", {"limit": 0}, 422, ["limit"]),
        ("/analysis/centrality", {"limit": 501}, 422, ["limit"]),
        ("/analysis/centrality", {"sort": "size"}, 422, ["sort"]),
        ("/analysis/centrality", {"since": "last year"}, 400, ["since"]),
        ("/analysis/centrality", {"since": "2019", "until": "2018"}, 400, ["before"]),
        ("/analysis/communities", {"until": "2018/01"}, 400, ["until"]),
    ],
)
def test_bad_analysis_requests_are_4xx(
    client: TestClient, path: str, params: dict[str, Any], status: int, words: list[str]
) -> None:
    assert_error(client.get(path, params=params), status, *words)


# -- the actor graph the routes read -----------------------------------------------------------


@pytest.fixture(scope="module")
def dated_graph_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = GraphStore(
        dated_store(tmp_path_factory.mktemp("dated-graph") / "store"), read_only=True
    )
    yield store
    store.close()


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (
            None,
            None,
            {
                ("AAA", "BBB"): (2, {"Agreement": 1, "Meeting": 1}),
                ("AAA", "CCC"): (2, {"Accuse": 1, "Support": 1}),
            },
        ),
        # the window overlaps the day, the month and the year; the undated event drops out
        (
            dt.date(2020, 1, 3),
            dt.date(2020, 3, 31),
            {
                ("AAA", "BBB"): (2, {"Agreement": 1, "Meeting": 1}),
                ("AAA", "CCC"): (1, {"Support": 1}),
            },
        ),
        # after March only the event dated to the year overlaps; before 5 January, likewise
        (dt.date(2020, 4, 1), None, {("AAA", "CCC"): (1, {"Support": 1})}),
        (None, dt.date(2020, 1, 4), {("AAA", "CCC"): (1, {"Support": 1})}),
        (dt.date(2021, 1, 1), None, {}),
    ],
)
def test_the_actor_graph_keeps_the_events_overlapping_the_window(
    dated_graph_store: GraphStore,
    since: dt.date | None,
    until: dt.date | None,
    expected: dict[tuple[str, str], tuple[int, dict[str, int]]],
) -> None:
    graph = analysis.actor_graph(dated_graph_store, since=since, until=until)
    found = {tuple(sorted(e[:2])): (e[2]["weight"], e[2]["counts"]) for e in graph.edges(data=True)}
    assert found == expected
    assert sorted(graph.nodes) == sorted({a for pair in expected for a in pair})
    assert all(graph.nodes[a] == {"label": f"State {a}", "type": "State"} for a in graph.nodes)
