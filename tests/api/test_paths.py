"""`/paths` and `/actors/{id}/network`: the actor graph around actors, with the events behind links.

In the test graph, Moon Jae-in supports North Korea and the two Koreas meet and agree; the United
States shares only a negated agreement with North Korea, so it is linked to no one.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from kg.records import Actor, Document, Event, Extraction, Mention, Participant, TimeValue
from kg.store import GraphStore
from tests.api.graphs import AGREEMENT_ID, D1_TEXT, MEETING_ID, MOON, SUPPORT_ID
from tests.api.test_actors import ACTOR_FIELDS, EVENT_FIELDS, assert_error, ok

PRK_REF = {"id": "PRK", "label": "North Korea", "type": "State"}
KOR_REF = {"id": "KOR", "label": "South Korea", "type": "State"}
MOON_REF = {"id": MOON, "label": "Moon Jae-in", "type": "Person"}


def chain(path: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(step["actor"]["id"], step["via"] and step["via"]["id"]) for step in path]


# -- GET /paths --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def client(rest_client: TestClient) -> TestClient:
    """This module's tests that read the shared graph run on both backends (conftest.BACKENDS)."""
    return rest_client


def test_a_path_through_an_intermediary(client: TestClient) -> None:
    answer = ok(client.get("/paths", params={"a": MOON, "b": "KOR"}))
    assert list(answer) == ["paths", "a", "b"]
    assert answer["a"] == MOON_REF and answer["b"] == KOR_REF
    (path,) = answer["paths"]
    # the Koreas share an agreement and a meeting on the same day: the meeting is the surer one
    assert chain(path) == [(MOON, None), ("PRK", SUPPORT_ID), ("KOR", MEETING_ID)]
    assert [step["actor"] for step in path] == [MOON_REF, PRK_REF, KOR_REF]
    assert list(path) and all(list(step) == ["actor", "via"] for step in path)


def test_each_via_is_an_event_with_its_evidence(client: TestClient) -> None:
    (path,) = ok(client.get("/paths", params={"a": MOON, "b": "KOR"}))["paths"]
    for before, step in itertools.pairwise(path):
        event = step["via"]
        assert list(event) == EVENT_FIELDS
        linked = {p["id"] for p in event["participants"]}
        assert {before["actor"]["id"], step["actor"]["id"]} <= linked
        assert event["modality"] is None and event["evidence"]
    support = path[1]["via"]["evidence"][0]
    assert D1_TEXT[support["start"] : support["end"]] == support["sentence"]


def test_a_direct_link(client: TestClient) -> None:
    (path,) = ok(client.get("/paths", params={"a": "KOR", "b": "PRK"}))["paths"]
    assert chain(path) == [("KOR", None), ("PRK", MEETING_ID)]


def test_max_length_cuts_longer_paths(client: TestClient) -> None:
    answer = ok(client.get("/paths", params={"a": MOON, "b": "KOR", "max_length": 1}))
    assert answer["paths"] == []
    answer = ok(client.get("/paths", params={"a": MOON, "b": "KOR", "max_length": 2}))
    assert len(answer["paths"]) == 1


def test_no_path_is_an_empty_list(client: TestClient) -> None:
    # the United States shares only a negated agreement: it is in no link
    answer = ok(client.get("/paths", params={"a": "USA", "b": "KOR"}))
    assert answer["paths"] == []
    assert answer["a"] == {"id": "USA", "label": "United States", "type": "State"}


def test_a_time_window_drops_links(client: TestClient) -> None:
    # Moon's support is of 10 January: a window ending on the 9th leaves Moon unlinked
    params = {"a": MOON, "b": "KOR", "until": "2018-01-09"}
    assert ok(client.get("/paths", params=params))["paths"] == []
    params = {"a": MOON, "b": "KOR", "since": "2018-01"}
    assert len(ok(client.get("/paths", params=params))["paths"]) == 1


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"a": "nobody", "b": "KOR"}, 404, ["no actor with id nobody"]),
        ({"a": "KOR", "b": "nobody"}, 404, ["no actor with id nobody"]),
        ({"a": "KOR", "b": "panmunjom"}, 404, ["no actor"]),
        ({"a": "KOR", "b": "KOR"}, 400, ["same actor"]),
        ({"a": "a b", "b": "KOR"}, 400, ["not an actor id"]),
        ({"a": "KOR", "b": '") } DROP ALL #'}, 400, ["not an actor id"]),
        ({"a": "KOR"}, 422, ["b"]),
        ({"b": "KOR"}, 422, ["a"]),
        ({"a": "KOR", "b": "PRK", "max_length": 0}, 422, ["max_length"]),
        ({"a": "KOR", "b": "PRK", "max_length": 7}, 422, ["max_length"]),
        ({"a": "KOR", "b": "PRK", "limit": 0}, 422, ["limit"]),
        ({"a": "KOR", "b": "PRK", "since": "2018-00"}, 400, ["since"]),
    ],
)
def test_bad_path_requests_are_4xx(
    client: TestClient, params: dict[str, Any], status: int, words: list[str]
) -> None:
    assert_error(client.get("/paths", params=params), status, *words)


# -- GET /actors/{id}/network ------------------------------------------------------------------


def edges(network: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(e["source"], e["target"], e["weight"]) for e in network["edges"]]


def test_depth_one_is_the_actor_and_its_neighbours(client: TestClient) -> None:
    network = ok(client.get("/actors/PRK/network"))
    assert list(network) == ["nodes", "edges"]
    assert [n["id"] for n in network["nodes"]] == ["PRK", MOON, "KOR"]  # itself, then by label
    assert all(list(node) == ACTOR_FIELDS for node in network["nodes"])
    assert network["nodes"][0] == ok(client.get("/actors/PRK"))
    assert edges(network) == [("KOR", "PRK", 2), ("PRK", MOON, 1)]
    kor_prk = network["edges"][0]
    assert list(kor_prk) == [
        "source",
        "target",
        "counts",
        "weight",
        "cooperation",
        "conflict",
        "score",
        "quads",
        "events",
    ]
    assert kor_prk["counts"] == {"Agreement": 1, "Meeting": 1}
    # both verbal cooperation: Agree +4.2 and Consult +2.1 on PLOVER's scale (scale.json)
    assert (kor_prk["cooperation"], kor_prk["conflict"]) == (2, 0)
    assert kor_prk["score"] == pytest.approx(6.3)
    assert kor_prk["quads"] == {
        "verbal_cooperation": 2,
        "material_cooperation": 0,
        "verbal_conflict": 0,
        "material_conflict": 0,
    }
    assert kor_prk["events"] == []  # by default the links are counted, their events not shown
    shown = ok(client.get("/actors/PRK/network", params={"events_limit": 5}))["edges"][0]
    assert {k: v for k, v in shown.items() if k != "events"} == {
        k: v for k, v in kor_prk.items() if k != "events"
    }
    # the most recent first (the same day: by id, the last first), each a whole event
    assert [e["id"] for e in shown["events"]] == [MEETING_ID, AGREEMENT_ID]
    assert all(list(e) == EVENT_FIELDS and e["evidence"] for e in shown["events"])
    capped = ok(client.get("/actors/PRK/network", params={"events_limit": 1}))["edges"][0]
    assert [e["id"] for e in capped["events"]] == [MEETING_ID] and capped["weight"] == 2


def test_depth_counts_links(client: TestClient) -> None:
    near = ok(client.get(f"/actors/{MOON}/network", params={"depth": 1}))
    assert [n["id"] for n in near["nodes"]] == [MOON, "PRK"]
    assert edges(near) == [("PRK", MOON, 1)]
    far = ok(client.get(f"/actors/{MOON}/network", params={"depth": 2}))
    assert [n["id"] for n in far["nodes"]] == [MOON, "PRK", "KOR"]
    assert edges(far) == [("KOR", "PRK", 2), ("PRK", MOON, 1)]
    assert ok(client.get(f"/actors/{MOON}/network", params={"depth": 3})) == far


def test_an_actor_linked_to_no_one_is_a_network_of_one(client: TestClient) -> None:
    network = ok(client.get("/actors/USA/network"))
    assert [n["id"] for n in network["nodes"]] == ["USA"] and network["edges"] == []


def test_the_network_in_a_time_window(client: TestClient) -> None:
    network = ok(client.get("/actors/PRK/network", params={"since": "2018-01-10"}))
    assert edges(network) == [("PRK", MOON, 1)]
    network = ok(client.get("/actors/PRK/network", params={"since": "2019"}))
    assert [n["id"] for n in network["nodes"]] == ["PRK"] and network["edges"] == []


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/actors/nobody/network", {}, 404, ["no actor with id nobody"]),
        ("/actors/panmunjom/network", {}, 404, ["no actor"]),
        ("/actors/a%20b/network", {}, 400, ["not an actor id"]),
        ("/actors/PRK/network", {"depth": 0}, 422, ["depth"]),
        ("/actors/PRK/network", {"depth": 4}, 422, ["depth"]),
        ("/actors/PRK/network", {"depth": "far"}, 422, ["depth"]),
        ("/actors/PRK/network", {"since": "2018-1"}, 400, ["since"]),
        ("/actors/PRK/network", {"events_limit": -1}, 422, ["events_limit"]),
        ("/actors/PRK/network", {"events_limit": 101}, 422, ["events_limit"]),
        ("/actors/PRK/network", {"events_limit": "all"}, 422, ["events_limit"]),
    ],
)
def test_bad_network_requests_are_4xx(
    client: TestClient, path: str, params: dict[str, Any], status: int, words: list[str]
) -> None:
    assert_error(client.get(path, params=params), status, *words)


# -- a square with a tail: several paths ---------------------------------------------------------


def square_store(path: Path) -> Path:
    """States AAA-BBB-DDD and AAA-CCC-DDD (a square), DDD-EEE (a tail); AAA and BBB meet twice."""
    text = "Talks were held."
    mention = Mention(0, len(text), text)
    pairs = [("AAA", "BBB", 1), ("AAA", "BBB", 2), ("AAA", "CCC", 3), ("BBB", "DDD", 4)]
    pairs += [("CCC", "DDD", 5), ("DDD", "EEE", 6)]
    names = {c: f"State {c}" for c in ("AAA", "BBB", "CCC", "DDD", "EEE")}
    store = GraphStore(path)
    try:
        for a, b, n in pairs:
            date = TimeValue(f"2020-01-{n:02d}", "day", dt.date(2020, 1, n), dt.date(2020, 1, n))
            extraction = Extraction(
                document=Document(f"s{n}", text, dt.date(2020, 1, n)),
                actors=tuple(
                    Actor(c, "State", names[c], (), c, (mention,)) for c in sorted({a, b})
                ),
                events=(
                    Event(
                        "Meeting",
                        (Participant(a, "participant"), Participant(b, "participant")),
                        mention,
                        trigger="talks",
                        date=date,
                    ),
                ),
            )
            assert store.add(extraction) == "added"
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def square(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = square_store(tmp_path_factory.mktemp("square") / "store")
    app = create_app(Settings(store=path, read_only=True))
    with TestClient(app, raise_server_exceptions=False) as started:
        yield started


def test_every_shortest_path_then_longer_ones(square: TestClient) -> None:
    found = ok(square.get("/paths", params={"a": "AAA", "b": "EEE"}))["paths"]
    assert [[s["actor"]["id"] for s in p] for p in found] == [
        ["AAA", "BBB", "DDD", "EEE"],
        ["AAA", "CCC", "DDD", "EEE"],
    ]
    # AAA and BBB met twice: the later meeting is the link shown
    assert found[0][1]["via"]["date"] == "2020-01-02"
    assert found[0][3]["via"]["date"] == "2020-01-06"


def test_limit_caps_the_paths(square: TestClient) -> None:
    found = ok(square.get("/paths", params={"a": "BBB", "b": "CCC", "limit": 1}))["paths"]
    assert len(found) == 1 and len(found[0]) == 3
    found = ok(square.get("/paths", params={"a": "BBB", "b": "CCC"}))["paths"]
    assert [[s["actor"]["id"] for s in p] for p in found] == [
        ["BBB", "AAA", "CCC"],
        ["BBB", "DDD", "CCC"],
    ]


def test_network_depth_in_the_square(square: TestClient) -> None:
    near = ok(square.get("/actors/EEE/network"))
    assert [n["id"] for n in near["nodes"]] == ["EEE", "DDD"]
    two = ok(square.get("/actors/EEE/network", params={"depth": 2}))
    assert [n["id"] for n in two["nodes"]] == ["EEE", "BBB", "CCC", "DDD"]
    assert edges(two) == [("BBB", "DDD", 1), ("CCC", "DDD", 1), ("DDD", "EEE", 1)]
    three = ok(square.get("/actors/EEE/network", params={"depth": 3, "events_limit": 100}))
    assert len(three["nodes"]) == 5
    assert edges(three)[0] == ("AAA", "BBB", 2)
    assert [e["date"] for e in three["edges"][0]["events"]] == ["2020-01-02", "2020-01-01"]
