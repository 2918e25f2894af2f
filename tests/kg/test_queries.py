"""kg.queries: the REST objects built straight from a GraphStore, without the HTTP layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import queries
from kg.store import GraphStore
from tests.api.graphs import AGREEMENT_ID, MEETING_ID, MOON, build_store


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = GraphStore(build_store(tmp_path_factory.mktemp("queries") / "store"), read_only=True)
    yield store
    store.close()


# -- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2018", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
        ("2018-02", dt.date(2018, 2, 1), dt.date(2018, 2, 28)),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29)),
        ("2018-12", dt.date(2018, 12, 1), dt.date(2018, 12, 31)),
        ("2018-01-09", dt.date(2018, 1, 9), dt.date(2018, 1, 9)),
        (" 1994 ", dt.date(1994, 1, 1), dt.date(1994, 12, 31)),
    ],
)
def test_parse_date_gives_the_first_and_last_day(value: str, first: dt.date, last: dt.date) -> None:
    assert queries.parse_date(value) == first
    assert queries.parse_date(value, end=True) == last


@pytest.mark.parametrize(
    "value",
    [
        "",
        "18",
        "2018-1",
        "2018-13",
        "2018-02-30",
        "0000",
        "2018/01/09",
        "9 Jan 2018",
        "2018-01-09T00:00",
    ],
)
def test_parse_date_refuses_anything_else(value: str) -> None:
    with pytest.raises(ValueError, match="date"):
        queries.parse_date(value)


@pytest.mark.parametrize("value", ["PRK", "moon-jae-in", "a.b_c~d", "x" * 200])
def test_valid_ids(value: str) -> None:
    assert queries.valid_id(value)


@pytest.mark.parametrize("value", ["", ".", "..", "a/b", "a b", "a>", "café", "x" * 201, "a\nb"])
def test_invalid_ids(value: str) -> None:
    assert not queries.valid_id(value)


@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        (["Event", "Consult", "Meeting"], "Meeting"),
        (["Agree", "Agreement", "Event"], "Agreement"),
        (["Event"], "Event"),
        (["Event", "Support"], "Support"),
        ([], "Event"),
    ],
)
def test_most_specific(classes: list[str], expected: str) -> None:
    assert queries.most_specific(classes) == expected


def test_event_classes_come_from_the_ontology() -> None:
    classes = queries.event_classes()
    assert {"Event", "Meeting", "Consult", "Agreement", "Agree", "Assault"} <= set(classes)
    assert not {"Actor", "State", "Place", "Mention"} & set(classes)


# -- objects ---------------------------------------------------------------------------------


def test_get_actor(graph: GraphStore) -> None:
    moon = queries.get_actor(graph, MOON)
    assert moon is not None
    assert (moon["label"], moon["type"], moon["aliases"]) == (
        "Moon Jae-in",
        "Person",
        ["Moon-Jae In", "President Moon"],
    )
    assert moon["posts"] == [
        {
            "title": "President",
            "label": "President of South Korea",
            "in": {"id": "KOR", "label": "South Korea"},
        }
    ]


@pytest.mark.parametrize("actor_id", ["nobody", "panmunjom", MEETING_ID, "a/b", "../doc/d1", ""])
def test_get_actor_of_no_actor_is_none(graph: GraphStore, actor_id: str) -> None:
    assert queries.get_actor(graph, actor_id) is None


def test_list_actors_filters_and_pages(graph: GraphStore) -> None:
    everyone, total = queries.list_actors(graph)
    assert total == 4 and [a["id"] for a in everyone] == [MOON, "PRK", "KOR", "USA"]
    page, total = queries.list_actors(graph, q="KOREA", kind="State", limit=1, offset=1)
    assert total == 2 and [a["id"] for a in page] == ["KOR"]
    assert queries.list_actors(graph, q='") } DROP ALL #') == ([], 0)
    assert queries.list_actors(graph, limit=0) == ([], 4)
    assert len(graph) > 0


def test_the_directory_holds_what_actor_view_reads_one_by_one(graph: GraphStore) -> None:
    directory = queries.actor_directory(graph)
    assert [v["id"] for v in directory.views] == [MOON, "PRK", "KOR", "USA"]
    for view in directory.views:
        assert view == {**queries.actor_view(graph, view["iri"], counts={}), "event_counts": {}}
    assert any(view["posts"] for view in directory.views)  # the posts are read too


def test_list_actors_on_a_kept_directory_matches_a_fresh_read(graph: GraphStore) -> None:
    directory = queries.actor_directory(graph)
    for q, kind in [
        (None, None),
        ("korea", None),
        ("MOON", "Person"),
        ("e", "State"),
        ("zz", None),
    ]:
        kept = queries.list_actors(graph, q=q, kind=kind, directory=directory)  # type: ignore[arg-type]
        assert kept == queries.list_actors(graph, q=q, kind=kind)  # type: ignore[arg-type]
        for actor in kept[0]:
            assert actor == queries.get_actor(graph, actor["id"])


def test_get_event_whatever_its_modality(graph: GraphStore) -> None:
    meeting = queries.get_event(graph, MEETING_ID)
    assert meeting is not None
    assert meeting["modality"] is None
    assert {e["document"]["id"] for e in meeting["evidence"]} == {"d1", "d2"}
    negated = queries.get_event(graph, f"{AGREEMENT_ID}-negated")
    assert negated is not None
    assert (negated["modality"], negated["topic"]) == ("Negated", "a joint ice hockey team")
    assert queries.get_event(graph, "PRK") is None
    assert queries.get_event(graph, "no/such") is None


def test_store_path_is_on_disk(graph: GraphStore) -> None:
    assert graph.path is not None and Path(graph.path).is_dir()
