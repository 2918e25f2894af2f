"""The signed, directed actor graph built from event facts, and the bipartite actor–event graph."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from kg.analysis import (
    QUADS,
    EventFacts,
    bipartite,
    class_weights,
    counts_of,
    links_of,
    project,
    tally,
)
from tests.kg.analysis.graphs import act, meeting, names


def test_every_event_class_has_plover_quad_and_score() -> None:
    weights = class_weights()
    assert len(weights) == 18  # the sixteen PLOVER categories, Meeting and Agreement
    assert {c for c, w in weights.items() if w.quad == "verbal_cooperation"} == {
        "Agree", "Consult", "Support", "Concede", "Meeting", "Agreement"
    }  # fmt: skip
    assert {c for c, w in weights.items() if w.quad == "material_cooperation"} == {
        "Cooperate", "Aid", "Retreat"
    }  # fmt: skip
    assert {c for c, w in weights.items() if w.quad == "verbal_conflict"} == {
        "Request", "Accuse", "Reject", "Threaten"
    }  # fmt: skip
    assert {c for c, w in weights.items() if w.quad == "material_conflict"} == {
        "Protest", "Sanction", "Mobilize", "Coerce", "Assault"
    }  # fmt: skip
    assert all((w.score > 0) == w.cooperation for w in weights.values())
    # subclasses take their superclass's quad and score
    assert (weights["Meeting"].score, weights["Agreement"].score) == (2.1, 4.2)
    assert weights["Assault"].score == -9.3 and weights["Retreat"].score == 7.6
    assert {c for c, w in weights.items() if w.symmetric} == {
        "Consult", "Meeting", "Agreement", "Cooperate"
    }  # fmt: skip


def test_a_tally_of_class_counts() -> None:
    # two meetings (+2.1 each), aid (+7.4), three accusations (-2.0 each), sanctions (-5.2)
    found = tally({"Meeting": 2, "Aid": 1, "Accuse": 3, "Sanction": 1})
    assert (found.cooperation, found.conflict) == (3, 4)
    assert found.score == pytest.approx(2 * 2.1 + 7.4 - 3 * 2.0 - 5.2)
    assert found.quads == {
        "verbal_cooperation": 2,
        "material_cooperation": 1,
        "verbal_conflict": 3,
        "material_conflict": 1,
    }
    # a class the scale does not know (an event typed dip:Event only) counts in neither
    assert tally({"Event": 2}) == tally({})
    assert (tally({}).cooperation, tally({}).conflict, tally({}).score) == (0, 0, 0.0)


def test_one_way_events_link_initiators_to_recipients() -> None:
    accusation = EventFacts("e", "Accuse", "", "", ("A", "B"), ("C",), ("A", "B", "C", "D"))
    # the co-accusers are not set against each other; D, a mere participant, is linked to no one
    assert links_of(accusation) == [("A", "C"), ("B", "C")]


def test_two_way_events_link_every_pair_both_ways() -> None:
    talks = EventFacts("t", "Meeting", "", "", ("A",), ("B",), ("A", "B", "C"))
    both = [("A", "B"), ("A", "C"), ("B", "A"), ("B", "C"), ("C", "A"), ("C", "B")]
    assert links_of(talks) == both
    # an event without both an initiator and a recipient links its participants both ways too
    assert links_of(EventFacts("s", "Sanction", participants=("A", "B"))) == [
        ("A", "B"),
        ("B", "A"),
    ]
    assert links_of(EventFacts("p", "Protest", "", "", ("A",), (), ("A",))) == []


def test_edges_carry_counts_scores_and_dates() -> None:
    p = project(
        [
            act("acc", "Accuse", "A", "B", "2020-01-10"),
            act("thr", "Threaten", "A", "B", "2020-02-01", "2020-02-29"),
            meeting("talks", "A", "B", day="2020-03-05"),
            act("aid", "Aid", "B", "A"),  # undated
        ],
        names("A", "B"),
    )
    ab = p.graph.edges["A", "B"]
    assert ab == {
        "weight": 3,
        "score": pytest.approx(-2.0 - 5.1 + 2.1),
        "mean_score": pytest.approx((-2.0 - 5.1 + 2.1) / 3),
        "cooperation": 1,
        "conflict": 2,
        "verbal_cooperation": 1,
        "material_cooperation": 0,
        "verbal_conflict": 2,
        "material_conflict": 0,
        "mutual": 1,
        "first": "2020-01-10",
        "last": "2020-03-05",
        "classes": "Accuse:1,Meeting:1,Threaten:1",
    }
    ba = p.graph.edges["B", "A"]
    assert (ba["weight"], ba["score"], ba["classes"]) == (2, pytest.approx(9.5), "Aid:1,Meeting:1")
    assert (ba["first"], ba["last"]) == ("2020-03-05", "2020-03-05")
    assert p.links["A", "B"] == ("acc", "thr", "talks")  # oldest first
    assert p.links["B", "A"] == ("talks", "aid")  # undated last
    assert counts_of(p, p.links["A", "B"]) == {"Accuse": 1, "Meeting": 1, "Threaten": 1}
    assert dict(p.graph.nodes(data=True)) == {
        "A": {"label": "Actor A", "type": "State"},
        "B": {"label": "Actor B", "type": "State"},
    }
    # without direction, the pair is one link of four distinct events
    assert p.undirected.edges["A", "B"] == {"weight": 4, "score": pytest.approx(2.4)}


def test_attributes_are_plain_and_export_as_graphml() -> None:
    p = project(
        [
            act("acc", "Accuse", "A", "B", "2020-01-10"),
            meeting("m", "B", "C"),
            act("x", "Aid", "C", "D"),
        ],
        {"A": names("A")["A"]},  # B, C and D have no name: their id, class "Actor"
    )
    assert p.graph.nodes["B"] == {"label": "B", "type": "Actor"}
    for view in (p.graph.nodes(data=True), p.graph.edges(data=True)):
        types: dict[str, set[type]] = {}
        for *_, data in view:
            for key, value in data.items():
                assert value is not None, key
                types.setdefault(key, set()).add(type(value))
        assert all(len(t) == 1 for t in types.values()), types
    out = io.BytesIO()
    nx.write_graphml(p.graph, out)
    back = nx.read_graphml(io.BytesIO(out.getvalue()))
    assert back.edges["A", "B"]["classes"] == "Accuse:1"
    out = io.BytesIO()
    nx.write_gexf(bipartite(p), out)


def test_the_bipartite_graph_joins_actors_to_their_events() -> None:
    p = project(
        [act("acc", "Accuse", "A", "B", "2020-01-10"), meeting("m", "B", "C")], names("A", "B", "C")
    )
    graph = bipartite(p)
    assert nx.is_bipartite(graph)
    assert {n for n, d in graph.nodes(data=True) if d["bipartite"] == 1} == {"event/acc", "event/m"}
    assert graph.nodes["event/acc"] == {
        "bipartite": 1,
        "kind": "event",
        "label": "acc",
        "type": "Accuse",
        "quad": "verbal_conflict",
        "score": -2.0,
        "earliest": "2020-01-10",
        "latest": "2020-01-10",
    }
    assert graph.edges["actor/A", "event/acc"]["role"] == "initiator"
    assert graph.edges["actor/B", "event/acc"]["role"] == "recipient"
    assert graph.edges["actor/C", "event/m"]["role"] == "participant"
    assert QUADS == (
        "verbal_cooperation",
        "material_cooperation",
        "verbal_conflict",
        "material_conflict",
    )
