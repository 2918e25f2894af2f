"""kg.analysis.reads: relations and event pages counted and paged on the event index of a real
store, with only the events shown read in full; and the index following the store's writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg import analysis, queries
from kg.analysis.index import latest_first, most_recent_first
from kg.records import Actor, Document, Event, Extraction, Mention, Participant, TimeValue
from kg.store import GraphStore
from tests.api.graphs import AGREEMENT_ID, MEETING_ID, MOON, SUPPORT_ID, build_store

TEXT = "The envoys talked again."
MENTION = Mention(0, len(TEXT), TEXT)
#: Alpha meets Gamma three times, Beta three times, Delta once (undated); labels sort Beta,
#: Delta, Gamma: the counterparts come by events, then label
NAMES = {"AAA": "Alpha", "GGG": "Gamma", "BBB": "Beta", "DDD": "Delta"}
MEETINGS = [
    ("GGG", 1),
    ("BBB", 2),
    ("GGG", 3),
    ("BBB", 4),
    ("GGG", 5),
    ("BBB", 6),
    ("DDD", None),
]


def meeting(number: int, other: str, day: int | None) -> Extraction:
    date = None
    if day is not None:
        when = dt.date(2021, 3, day)
        date = TimeValue(when.isoformat(), "day", when, when)
    return Extraction(
        document=Document(f"r{number}", TEXT, dt.date(2021, 3, 28)),
        actors=tuple(
            Actor(c, "State", NAMES[c], (), c, (MENTION,)) for c in sorted({"AAA", other})
        ),
        events=(
            Event(
                "Meeting",
                (Participant("AAA", "participant"), Participant(other, "participant")),
                MENTION,
                trigger="talked",
                date=date,
            ),
        ),
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    path = tmp_path_factory.mktemp("reads") / "store"
    writer = GraphStore(path)
    for number, (other, day) in enumerate(MEETINGS):
        assert writer.add(meeting(number, other, day)) == "added"
    writer.close()
    graph = GraphStore(path, read_only=True)
    yield graph
    graph.close()


def event_days(events: list[queries.EventView]) -> list[str | None]:
    return [e["date"] for e in events]


def test_counterparts_by_shared_events_then_label(store: GraphStore) -> None:
    found = analysis.relations(store, "AAA")
    assert found is not None
    page, total = found
    assert total == 3
    assert [(r["actor"]["label"], r["events_total"]) for r in page] == [
        ("Beta", 3),
        ("Gamma", 3),
        ("Delta", 1),
    ]
    beta = page[0]
    assert beta["counts"] == {"Meeting": 3}
    assert (beta["first"], beta["last"]) == ("2021-03-02", "2021-03-06")
    assert event_days(beta["events"]) == ["2021-03-06", "2021-03-04", "2021-03-02"]
    delta = page[2]
    assert (delta["first"], delta["last"], event_days(delta["events"])) == (None, None, [None])


def test_events_limit_shows_the_most_recent_and_counts_all(store: GraphStore) -> None:
    found = analysis.relations(store, "AAA", events_limit=2)
    assert found is not None
    beta, gamma, _ = found[0]
    assert event_days(beta["events"]) == ["2021-03-06", "2021-03-04"]
    assert event_days(gamma["events"]) == ["2021-03-05", "2021-03-03"]
    assert (beta["events_total"], gamma["events_total"]) == (3, 3)
    none = analysis.relations(store, "AAA", events_limit=0)
    assert none is not None
    assert [r["events"] for r in none[0]] == [[], [], []]


def test_relations_page_after_the_order(store: GraphStore) -> None:
    found = analysis.relations(store, "AAA", limit=1, offset=1)
    assert found is not None
    assert [r["actor"]["id"] for r in found[0]] == ["GGG"] and found[1] == 3
    past = analysis.relations(store, "AAA", limit=5, offset=3)
    assert past == ([], 3)


def test_relations_in_a_window_count_its_events_only(store: GraphStore) -> None:
    found = analysis.relations(store, "AAA", since=dt.date(2021, 3, 4))
    assert found is not None
    assert [(r["actor"]["id"], r["events_total"]) for r in found[0]] == [("BBB", 2), ("GGG", 1)]
    assert analysis.relations(store, "AAA", until=dt.date(2021, 2, 28)) == ([], 0)


def test_relations_of_no_actor_is_none_and_an_unknown_type_is_an_error(store: GraphStore) -> None:
    assert analysis.relations(store, "nobody") is None
    assert analysis.relations(store, "a/b") is None
    with pytest.raises(ValueError, match="unknown event type"):
        analysis.relations(store, "AAA", event_type="Party")
    assert analysis.relations(store, "AAA", event_type="Accuse") == ([], 0)


def test_an_event_page_is_cut_from_the_date_order(store: GraphStore) -> None:
    page, total = analysis.event_page(store, actors=["AAA"], limit=3, offset=5)
    assert total == 7
    # the last dated one, then the undated one
    assert event_days(page) == ["2021-03-06", None]
    both, shared = analysis.event_page(store, actors=["AAA", "GGG"])
    assert shared == 3 and event_days(both) == ["2021-03-01", "2021-03-03", "2021-03-05"]
    with pytest.raises(queries.NotFound, match="no actor with id nobody"):
        analysis.event_page(store, actors=["AAA", "nobody"])


def test_the_index_follows_the_store_as_it_is_written(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    try:
        assert store.add(meeting(0, "BBB", 1)) == "added"
        before = analysis.relations(store, "AAA")
        assert before is not None and before[1] == 1
        assert store.add(meeting(1, "GGG", 2)) == "added"
        after = analysis.relations(store, "AAA")
        assert after is not None
        assert [r["actor"]["id"] for r in after[0]] == ["BBB", "GGG"]
        store.remove("r0")
        gone = analysis.relations(store, "AAA")
        assert gone is not None and [r["actor"]["id"] for r in gone[0]] == ["GGG"]
    finally:
        store.close()


def test_the_two_report_store_reads_as_before(tmp_path: Path) -> None:
    """The relations of the API tests' store, straight from kg.analysis."""
    graph = GraphStore(build_store(tmp_path / "store"), read_only=True)
    try:
        found = analysis.relations(graph, "PRK")
        assert found is not None
        page, total = found
        assert total == 2
        assert [(r["actor"]["id"], [e["id"] for e in r["events"]]) for r in page] == [
            ("KOR", [MEETING_ID, AGREEMENT_ID]),
            (MOON, [SUPPORT_ID]),
        ]
        assert all(e["modality"] is None for r in page for e in r["events"])
        window = analysis.relations(
            graph, "KOR", since=dt.date(2018, 1, 9), until=dt.date(2018, 1, 9)
        )
        assert window is not None and [r["actor"]["id"] for r in window[0]] == ["PRK"]
        assert analysis.relations(graph, "KOR", since=dt.date(2018, 1, 10)) == ([], 0)
    finally:
        graph.close()


def test_events_shown_again_are_kept_until_the_store_is_written(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    try:
        assert store.add(meeting(0, "BBB", 1)) == "added"
        first = analysis.relations(store, "AAA")
        read = analysis.EVENTS.read
        assert analysis.relations(store, "AAA") == first
        assert analysis.EVENTS.read == read  # nothing read again
        # a second report of the same meeting: the kept event must show both reports now
        assert store.add(meeting(9, "BBB", 1)) == "added"
        after = analysis.relations(store, "AAA")
        assert after is not None and analysis.EVENTS.read > read
        (relation,) = after[0]
        (event,) = relation["events"]
        assert sorted(e["document"]["id"] for e in event["evidence"]) == ["r0", "r9"]
    finally:
        store.close()


def test_the_event_memo_keeps_the_most_recently_used(store: GraphStore) -> None:
    memo = analysis.EventMemo(max_events=2)
    asked: list[list[str]] = []

    def read(ids: list[str]) -> dict[str, queries.EventView]:
        asked.append(ids)
        return {i: {"id": i} for i in ids if i != "unknown"}  # type: ignore[typeddict-item]

    assert set(memo.get(store, ["a", "b", "unknown"], read)) == {"a", "b"}
    assert set(memo.get(store, ["a"], read)) == {"a"}  # kept; "a" is now the most recent
    memo.get(store, ["c"], read)  # "b" goes
    assert set(memo.get(store, ["a", "b", "c"], read)) == {"a", "b", "c"}
    assert asked == [["a", "b", "unknown"], ["c"], ["b"]]


@pytest.mark.parametrize("limit", [None, 0, 1, 3, 6, 7, 20])
def test_latest_first_cuts_the_date_order_at_its_limit(
    store: GraphStore, limit: int | None
) -> None:
    """The most recent `limit` of an actor's events, by bisection of the index's order: the same
    as sorting them all by date, latest first, undated last."""
    index = analysis.index_of(store)
    ids = index.by_actor["AAA"]
    assert latest_first(index, ids, limit) == most_recent_first(index, ids)[:limit]
