"""REST answers written with each kept Event's JSON once (`api.answers`): pydantic's own bytes."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.answers import EVENT_JSON, EventJson, dump
from api.models import ActorMeasures, ActorRef, NetworkEdge, Paths, PathStep, RelationList
from api.routes.actors import network, relation_json, relation_page
from api.routes.events import event_page
from api.routes.paths import chains, chains_json
from kg.store import GraphStore


@pytest.fixture(scope="module")
def store(store_path: Path) -> Iterator[GraphStore]:
    s = GraphStore(store_path, read_only=True)
    yield s
    s.close()


def _pages(store: GraphStore) -> dict[str, object]:
    window = {"since": None, "until": None}
    return {
        "relations": relation_page(
            store, actor_id="PRK", event_type=None, limit=50, offset=0, events_limit=5, **window
        ),
        "events": event_page(
            store,
            event_type=None,
            actors=["PRK"],
            place=None,
            modality="asserted",
            limit=50,
            offset=0,
            **window,
        ),
        "every modality": event_page(
            store,
            event_type=None,
            actors=[],
            place=None,
            modality="all",
            limit=5,
            offset=0,
            **window,
        ),
        "paths": chains(store, a="moon-jae-in", b="PRK", max_length=4, limit=10, **window),
        "network": network(store, actor_id="PRK", depth=2, events_limit=3, **window),
    }


def test_answers_are_the_bytes_pydantic_writes(store: GraphStore) -> None:
    for _ in range(2):  # the second time, the kept events' JSON is reused
        for name, page in _pages(store).items():
            assert dump(page) == page.model_dump_json(by_alias=True).encode(), name  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "relation",
    [
        {"actor_id": "PRK", "events_limit": 5, "limit": 50, "offset": 0, "event_type": None},
        {"actor_id": "KOR", "events_limit": 0, "limit": 50, "offset": 0, "event_type": None},
        {"actor_id": "PRK", "events_limit": 100, "limit": 1, "offset": 1, "event_type": "Meeting"},
    ],
)
def test_relations_written_around_kept_event_json_are_pydantic_bytes(
    store: GraphStore, relation: dict[str, object]
) -> None:
    window = {"since": None, "until": None}
    for _ in range(2):  # the second time, each event's JSON is the one kept
        written = relation_json(store, **relation, **window)  # type: ignore[arg-type]
        model = relation_page(store, **relation, **window)  # type: ignore[arg-type]
        assert written == model.model_dump_json(by_alias=True).encode()
        # and what a client reads back is a RelationList, written again the same way
        again = RelationList.model_validate_json(written).model_dump_json(by_alias=True)
        assert again.encode() == written


@pytest.mark.parametrize(
    ("a", "b", "max_length"),
    [("moon-jae-in", "PRK", 4), ("moon-jae-in", "KOR", 1), ("KOR", "PRK", 2)],
)
def test_paths_written_around_kept_event_json_are_pydantic_bytes(
    store: GraphStore, a: str, b: str, max_length: int
) -> None:
    window = {"since": None, "until": None}
    for _ in range(2):
        written = chains_json(store, a=a, b=b, max_length=max_length, limit=10, **window)
        model = chains(store, a=a, b=b, max_length=max_length, limit=10, **window)
        assert written == model.model_dump_json(by_alias=True).encode()
        assert Paths.model_validate_json(written).model_dump_json().encode() == written


def test_a_relation_page_shows_events(store: GraphStore) -> None:
    page = _pages(store)["relations"]
    assert any(r.events for r in page.data)  # type: ignore[attr-defined]
    first = next(e for r in page.data for e in r.events)  # type: ignore[attr-defined]
    assert EVENT_JSON.kept(first)


def test_models_without_events_and_odd_floats_are_written_as_pydantic_does() -> None:
    ref = ActorRef(id="a", label="A", type="State")
    edge = NetworkEdge(
        source="a",
        target="b",
        counts={"Meeting": 1},
        weight=1,
        cooperation=1,
        conflict=0,
        score=math.nan,
        quads={},
        events=[],
    )
    step = PathStep(actor=ref, via=None)
    measures = ActorMeasures(
        actor=ref,
        degree=1,
        degree_centrality=math.inf,
        weighted_degree=1,
        in_strength=0,
        out_strength=1,
        pagerank=0.5,
        betweenness=0.0,
        community=0,
    )
    for model in (ref, edge, step, measures):
        assert dump(model) == model.model_dump_json(by_alias=True).encode()


def test_only_kept_events_are_remembered_and_no_more_than_allowed(store: GraphStore) -> None:
    page = _pages(store)["events"]
    events = list(page.data)  # type: ignore[attr-defined]
    memo = EventJson(max_kept=2)
    written = memo(events[0])
    assert written == events[0].model_dump_json(by_alias=True).encode()
    assert not memo.kept(events[0])  # never kept: written each time
    memo.keep(events[:3])
    assert [memo.kept(e) for e in events[:3]] == [False, True, True]  # the two most recent
    assert memo(events[2]) == events[2].model_dump_json(by_alias=True).encode()
    memo.clear()
    assert not memo.kept(events[2])
