"""The event index (`kg.analysis.index`): the events actors share, in the index's order."""

from __future__ import annotations

from kg.analysis.index import EventIndex, build_index, shared
from kg.queries import ActorInfo, EventFacts


def _index() -> EventIndex:
    events = [
        EventFacts("meet-1", "Meeting", "2020-01-05", "2020-01-05", participants=("A", "B")),
        EventFacts("talk-2", "Consult", "2020-02-01", "2020-02-01", participants=("A", "B", "C")),
        EventFacts("visit-3", "Meeting", "2019-12-30", "2019-12-30", participants=("A", "C")),
        EventFacts("pact-4", "Agree", "", "", participants=("B", "C")),
    ]
    actors = {a: ActorInfo(a, "State") for a in "ABC"}
    return build_index(events, actors)


def test_the_events_of_no_actor_are_all_of_them_oldest_first() -> None:
    index = _index()
    assert shared(index, []) == ["visit-3", "meet-1", "talk-2", "pact-4"]


def test_the_events_of_one_actor_are_its_own_oldest_first() -> None:
    index = _index()
    assert shared(index, ["A"]) == ["visit-3", "meet-1", "talk-2"]
    assert shared(index, ["B"]) == ["meet-1", "talk-2", "pact-4"]
    assert shared(index, ["nobody"]) == []


def test_the_events_of_several_actors_are_those_they_all_take_part_in() -> None:
    index = _index()
    assert shared(index, ["A", "B"]) == ["meet-1", "talk-2"]
    assert shared(index, ["C", "A", "B"]) == ["talk-2"]
    assert shared(index, ["A", "nobody"]) == []
