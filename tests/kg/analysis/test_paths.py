"""Paths between two actors and ego networks, on a graph drawn by hand:

A ─ B ─ C → D          (A–B: talks in 2020, A supports B in 2021; C accuses D)
│           │
E ─ F ─ G ──┘          (meetings)
"""

from __future__ import annotations

import pytest

from kg.analysis import Hop, ego, project, shortest_paths, simple_paths
from tests.kg.analysis.graphs import act, meeting, names


def chain():  # type: ignore[no-untyped-def]
    return project(
        [
            meeting("talks-ab", "A", "B", day="2020-05-01"),
            act("support-ab", "Support", "A", "B", "2021-01-01"),
            meeting("talks-bc", "B", "C", day="2020-06-01"),
            act("accuse-cd", "Accuse", "C", "D", "2020-07-01"),
            meeting("m-ae", "A", "E", day="2020-01-01"),
            meeting("m-ef", "E", "F", day="2020-01-02"),
            meeting("m-fg", "F", "G", day="2020-01-03"),
            meeting("m-gd", "G", "D", day="2020-01-04"),
            meeting("m-yz", "Y", "Z", day="2020-01-05"),
        ],
        names(*"ABCDEFGYZ"),
    )


def test_the_shortest_path_and_the_event_behind_each_hop() -> None:
    (path,) = shortest_paths(chain(), "A", "D")
    assert path.actors == ("A", "B", "C", "D") and path.length == 3
    assert path.hops == (
        Hop("A", "B", "both", ("talks-ab", "support-ab"), pytest.approx(2.1 + 4.6), "support-ab"),
        Hop("B", "C", "both", ("talks-bc",), pytest.approx(2.1), "talks-bc"),
        Hop("C", "D", "forward", ("accuse-cd",), pytest.approx(-2.0), "accuse-cd"),
    )
    (back,) = shortest_paths(chain(), "D", "A")
    assert back.actors == ("D", "C", "B", "A")
    assert back.hops[0].direction == "backward"  # the accusation runs from C to D


def test_simple_paths_up_to_a_length_shortest_first() -> None:
    found = simple_paths(chain(), "A", "D", max_length=4)
    assert [p.actors for p in found] == [("A", "B", "C", "D"), ("A", "E", "F", "G", "D")]
    assert [p.actors for p in simple_paths(chain(), "A", "D", max_length=3)] == [
        ("A", "B", "C", "D")
    ]
    assert len(simple_paths(chain(), "A", "D", max_length=4, limit=1)) == 1


def test_no_path() -> None:
    assert shortest_paths(chain(), "A", "Y") == []
    assert simple_paths(chain(), "A", "Y") == []
    assert shortest_paths(chain(), "A", "nobody") == []
    with pytest.raises(ValueError, match="same actor"):
        shortest_paths(chain(), "A", "A")


def test_ego_network() -> None:
    near = ego(chain(), "B")
    assert sorted(near.graph.nodes) == ["A", "B", "C"]
    assert sorted(near.graph.edges) == [("A", "B"), ("B", "A"), ("B", "C"), ("C", "B")]
    assert set(near.events) == {"talks-ab", "support-ab", "talks-bc"}
    assert near.graph.edges["A", "B"]["weight"] == 2
    two = ego(chain(), "B", radius=2)
    assert sorted(two.graph.nodes) == ["A", "B", "C", "D", "E"]
    assert ("C", "D") in two.graph.edges and ("D", "C") not in two.graph.edges
    assert ego(chain(), "nobody").graph.number_of_nodes() == 0
