"""The measures on graphs whose answers are known by hand: a broker, two blocs, a star."""

from __future__ import annotations

import pytest

from kg.analysis import (
    actor_measures,
    brokerage,
    degree,
    in_strength,
    louvain_communities,
    out_strength,
    pagerank,
    project,
    sort_actors,
    weighted_degree,
)
from tests.kg.analysis.graphs import broker, star, two_blocs


def test_the_broker_has_the_highest_betweenness() -> None:
    found = brokerage(broker())
    assert (found.approximate, found.k, found.seed) == (False, None, None)
    expected = {"X": 9 / 15, "C": 8 / 15, "D": 8 / 15, "A": 0, "B": 0, "E": 0, "F": 0}
    assert found.scores == pytest.approx(expected)


def test_betweenness_above_the_threshold_is_sampled_and_says_so() -> None:
    sampled = brokerage(broker(), exact_up_to=3, k=4, seed=7)
    assert (sampled.approximate, sampled.k, sampled.seed) == (True, 4, 7)
    assert sampled.scores == brokerage(broker(), exact_up_to=3, k=4, seed=7).scores  # seeded
    assert set(sampled.scores) == set("ABCDEFX")
    # a sample as large as the graph is the exact answer
    whole = brokerage(broker(), exact_up_to=3, k=50)
    assert not whole.approximate and whole.scores == pytest.approx(brokerage(broker()).scores)


def test_degree_and_strength() -> None:
    p = broker()
    assert degree(p) == {"A": 2, "B": 2, "C": 3, "D": 3, "E": 2, "F": 2, "X": 2}
    assert weighted_degree(p) == degree(p)  # one event per pair
    # meetings go both ways; X's request and aid go out only
    assert out_strength(p) == {"A": 2, "B": 2, "C": 2, "D": 2, "E": 2, "F": 2, "X": 2}
    assert in_strength(p) == {"A": 2, "B": 2, "C": 3, "D": 3, "E": 2, "F": 2, "X": 0}


def test_pagerank_of_a_star() -> None:
    # leaves L and centre X (dangling: its rank is spread over all four), alpha 0.85:
    #   L = 0.15/4 + 0.85 X/4,   X = 0.15/4 + 0.85 (3L + X/4)   →   X = 0.133125 / 0.245625
    ranks = pagerank(star())
    x = 0.133125 / 0.245625
    leaf = 0.0375 + 0.2125 * x
    assert ranks == pytest.approx({"A": leaf, "B": leaf, "C": leaf, "X": x}, abs=1e-6)
    assert sum(ranks.values()) == pytest.approx(1.0)


def test_louvain_finds_the_two_blocs_and_is_reproducible() -> None:
    found = louvain_communities(two_blocs())
    assert found.groups == (("A", "B", "C", "D"), ("E", "F", "G", "H"))
    assert found.membership()["D"] == 0 and found.membership()["E"] == 1
    # 25 events: 12 inside each bloc, 1 between; modularity = sum over blocs of
    # (inner / m) - (degree sum / 2m)^2 = 2 * (12/25 - (25/50)^2)
    assert found.modularity == pytest.approx(2 * (12 / 25 - 0.25))
    assert [louvain_communities(two_blocs(), seed=s).groups for s in (1, 2, 3)] == [
        found.groups
    ] * 3


def test_an_empty_graph_has_no_measures() -> None:
    empty = project([])
    measures = actor_measures(empty)
    assert (measures.actors, measures.nodes, measures.edges) == ((), 0, 0)
    assert measures.communities.groups == ()
    assert pagerank(empty) == {}


def test_actor_measures_gather_everything() -> None:
    measures = actor_measures(broker())
    rows = measures.by_id()
    x = rows["X"]
    assert (x.label, x.type, x.degree, x.in_strength, x.out_strength) == (
        "Actor X",
        "State",
        2,
        0,
        2,
    )
    assert x.degree_centrality == pytest.approx(2 / 6)
    assert x.betweenness == pytest.approx(0.6)
    assert sum(r.pagerank for r in measures.actors) == pytest.approx(1.0)
    # the two triangles are two communities; X joins one of them
    groups = [set(g) - {"X"} for g in measures.communities.groups]
    assert sorted(map(sorted, groups)) == [["A", "B", "C"], ["D", "E", "F"]]
    assert rows["A"].community != rows["E"].community
    assert [r.id for r in sort_actors(measures.actors, "betweenness")][:3] == ["X", "C", "D"]
    with pytest.raises(ValueError, match="cannot sort by 'size'"):
        sort_actors(measures.actors, "size")
