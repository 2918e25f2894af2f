"""The actor graph, its measures and its filters, on a small hand-built store.

The asserted graph is two triangles joined through one person, who brokers between them:

    USA ─ JPN ─ antonio-guterres ─ CHN ─ RUS
      \\   /                           \\   /
       KOR                              PRK
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from kg.analysis import ActorScore, actor_graph, centrality, communities
from kg.queries import most_specific
from kg.rdf import event_id
from kg.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Mention,
    Modality,
    Participant,
    Place,
    Role,
    TimeValue,
)
from kg.store import GraphStore

ACTORS = {
    a.id: a
    for a in (
        Actor("USA", "State", "United States", ("US", "Washington"), "USA"),
        Actor("JPN", "State", "Japan", ("Tokyo",), "JPN"),
        Actor("KOR", "State", "South Korea", ("Seoul",), "KOR"),
        Actor("CHN", "State", "China", ("Beijing",), "CHN"),
        Actor("RUS", "State", "Russia", ("Moscow",), "RUS"),
        Actor("PRK", "State", "North Korea", ("DPRK",), "PRK"),
        Actor("antonio-guterres", "Person", "António Guterres", ("Guterres",)),
    )
}
GUTERRES = "antonio-guterres"


def day(value: str) -> TimeValue:
    d = dt.date.fromisoformat(value)
    return TimeValue(value, "day", d, d)


def year(value: str) -> TimeValue:
    return TimeValue(value, "year", dt.date(int(value), 1, 1), dt.date(int(value), 12, 31))


def event(
    kind: str,
    sentence: str,
    *actors: tuple[str, Role],
    date: TimeValue | None = None,
    modality: Modality | None = None,
) -> Event:
    return Event(
        kind=kind,
        participants=tuple(Participant(a, role) for a, role in actors),
        mention=Mention(0, len(sentence), sentence),
        trigger=kind.lower(),
        date=date,
        modality=modality,
        confidence=0.8,
    )


def part(*ids: str) -> tuple[tuple[str, Role], ...]:
    return tuple((i, "participant") for i in ids)


# doc-a: the trilateral summit and the agreement signed there; a 2023 accusation (outside 2024).
SUMMIT = event(
    "Meeting", "Leaders met in Tokyo.", *part("USA", "JPN", "KOR"), date=day("2024-03-05")
)
PACT = event("Agreement", "They signed a pact.", *part("USA", "JPN"), date=day("2024-03-05"))
ACCUSATION = event(
    "Accuse",
    "Seoul accused Tokyo.",
    ("KOR", "initiator"),
    ("JPN", "recipient"),
    date=day("2023-02-01"),
)
# doc-b: the other triangle; a cooperation dated to a year only; an undated show of support.
TRILATERAL = event(
    "Meeting", "Three met in Beijing.", *part("CHN", "RUS", "PRK"), date=day("2024-05-10")
)
COOPERATION = event("Cooperate", "They cooperate.", *part("CHN", "RUS"), date=year("2024"))
SUPPORT = event("Support", "Moscow backed Pyongyang.", ("RUS", "initiator"), ("PRK", "recipient"))
# doc-c: the broker; a refused meeting and a conditional sanction, neither asserted.
VISIT = event("Meeting", "Guterres met Japan.", *part(GUTERRES, "JPN"), date=day("2024-06-01"))
APPEAL = event(
    "Request",
    "Guterres urged China.",
    (GUTERRES, "initiator"),
    ("CHN", "recipient"),
    date=day("2024-06-02"),
)
REFUSED = event(
    "Meeting",
    "China refused to meet.",
    *part("USA", "CHN"),
    date=day("2024-04-01"),
    modality="Negated",
)
THREAT = event(
    "Sanction",
    "If it tests, sanctions follow.",
    ("USA", "initiator"),
    ("PRK", "recipient"),
    date=day("2024-04-02"),
    modality="Conditional",
)
# doc-d: a second report of the same visit (same class, participants and day: one event).
VISIT_AGAIN = event(
    "Meeting", "Japan hosted Guterres.", *part("JPN", GUTERRES), date=day("2024-06-01")
)


def extraction(doc_id: str, *events: Event) -> Extraction:
    ids = sorted({a for e in events for a in e.actors()})
    text = " ".join(e.mention.text for e in events)
    return Extraction(
        document=Document(doc_id, text, dt.date(2024, 6, 3), f"Report {doc_id}"),
        actors=tuple(ACTORS[i] for i in ids),
        places=(Place("tokyo", "Tokyo"),),
        events=events,
    )


DOCS = {
    "doc-a": extraction("doc-a", SUMMIT, PACT, ACCUSATION),
    "doc-b": extraction("doc-b", TRILATERAL, COOPERATION, SUPPORT),
    "doc-c": extraction("doc-c", VISIT, APPEAL, REFUSED, THREAT),
    "doc-d": extraction("doc-d", VISIT_AGAIN),
}


def eid(e: Event) -> str:
    doc = next(d for d, x in DOCS.items() if e in x.events)
    return event_id(e, doc)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    path: Path = tmp_path_factory.mktemp("analysis") / "store"
    s = GraphStore(path)
    for x in DOCS.values():
        assert s.add(x) == "added"
    yield s
    s.close()


def edges(graph: nx.Graph) -> dict[tuple[str, str], tuple[int, dict[str, int]]]:
    """Every edge as (sorted ends) → (weight, counts)."""
    return {tuple(sorted((a, b))): (d["weight"], d["counts"]) for a, b, d in graph.edges(data=True)}


def test_most_specific_class() -> None:
    assert most_specific({"Event", "Consult", "Meeting"}) == "Meeting"
    assert most_specific({"Agree", "Agreement", "Event"}) == "Agreement"
    assert most_specific({"Event", "Accuse"}) == "Accuse"


def test_actor_graph_nodes_and_edges(store: GraphStore) -> None:
    graph = actor_graph(store)
    assert dict(graph.nodes(data=True)) == {
        "CHN": {"label": "China", "type": "State"},
        "JPN": {"label": "Japan", "type": "State"},
        "KOR": {"label": "South Korea", "type": "State"},
        "PRK": {"label": "North Korea", "type": "State"},
        "RUS": {"label": "Russia", "type": "State"},
        "USA": {"label": "United States", "type": "State"},
        GUTERRES: {"label": "António Guterres", "type": "Person"},
    }
    assert edges(graph) == {
        ("JPN", "USA"): (2, {"Agreement": 1, "Meeting": 1}),
        ("KOR", "USA"): (1, {"Meeting": 1}),
        ("JPN", "KOR"): (2, {"Accuse": 1, "Meeting": 1}),
        ("CHN", "RUS"): (2, {"Cooperate": 1, "Meeting": 1}),
        ("CHN", "PRK"): (1, {"Meeting": 1}),
        ("PRK", "RUS"): (2, {"Meeting": 1, "Support": 1}),
        ("JPN", GUTERRES): (1, {"Meeting": 1}),
        ("CHN", GUTERRES): (1, {"Request": 1}),
    }
    assert sorted(graph["JPN"]["USA"]["events"]) == sorted([eid(SUMMIT), eid(PACT)])
    assert sorted(graph["CHN"]["RUS"]["events"]) == sorted([eid(TRILATERAL), eid(COOPERATION)])


def test_two_reports_of_one_meeting_make_one_event(store: GraphStore) -> None:
    assert eid(VISIT) == eid(VISIT_AGAIN)
    assert actor_graph(store)["JPN"][GUTERRES]["events"] == [eid(VISIT)]


def test_events_not_asserted_make_no_edge_unless_asked(store: GraphStore) -> None:
    asserted = actor_graph(store)
    assert not asserted.has_edge("USA", "CHN")  # the refused meeting
    assert not asserted.has_edge("USA", "PRK")  # the conditional sanction
    everything = actor_graph(store, include_all_modalities=True)
    assert everything["USA"]["CHN"]["counts"] == {"Meeting": 1}
    assert everything["USA"]["CHN"]["events"] == [eid(REFUSED)]
    assert everything["USA"]["PRK"]["counts"] == {"Sanction": 1}
    assert everything.number_of_edges() == asserted.number_of_edges() + 2


def test_date_window(store: GraphStore) -> None:
    # 2024 up to the end of May: the 2023 accusation, the June visit and appeal drop out, and so
    # does the undated support; the cooperation dated "2024" overlaps the window and stays.
    graph = actor_graph(store, since=dt.date(2024, 1, 1), until=dt.date(2024, 5, 31))
    assert sorted(graph.nodes) == ["CHN", "JPN", "KOR", "PRK", "RUS", "USA"]
    assert edges(graph) == {
        ("JPN", "USA"): (2, {"Agreement": 1, "Meeting": 1}),
        ("KOR", "USA"): (1, {"Meeting": 1}),
        ("JPN", "KOR"): (1, {"Meeting": 1}),
        ("CHN", "RUS"): (2, {"Cooperate": 1, "Meeting": 1}),
        ("CHN", "PRK"): (1, {"Meeting": 1}),
        ("PRK", "RUS"): (1, {"Meeting": 1}),
    }


def test_since_only_keeps_events_whose_latest_day_is_inside(store: GraphStore) -> None:
    graph = actor_graph(store, since=dt.date(2024, 6, 1))
    assert edges(graph) == {
        ("CHN", "RUS"): (1, {"Cooperate": 1}),  # dated 2024: latest 2024-12-31
        ("JPN", GUTERRES): (1, {"Meeting": 1}),
        ("CHN", GUTERRES): (1, {"Request": 1}),
    }


def test_until_only(store: GraphStore) -> None:
    graph = actor_graph(store, until=dt.date(2023, 12, 31))
    assert edges(graph) == {("JPN", "KOR"): (1, {"Accuse": 1})}
    assert actor_graph(store, until=dt.date(2022, 12, 31)).number_of_nodes() == 0


def test_centrality(store: GraphStore) -> None:
    scores = centrality(actor_graph(store))
    # degree: JPN and CHN touch 3 of 6 others, everyone else 2 → 0.5 and 1/3.
    # betweenness (normalised by 15 pairs): all 9 cross-group pairs pass through Guterres (9/15);
    # JPN lies between {USA, KOR} and the 4 others (8/15), CHN likewise; the rest lie on none.
    assert [s.id for s in scores] == ["CHN", "JPN", GUTERRES, "PRK", "RUS", "KOR", "USA"]
    expected = {
        "CHN": ("China", "State", 1 / 2, 4, 8 / 15),
        "JPN": ("Japan", "State", 1 / 2, 5, 8 / 15),
        GUTERRES: ("António Guterres", "Person", 1 / 3, 2, 9 / 15),
        "PRK": ("North Korea", "State", 1 / 3, 3, 0.0),
        "RUS": ("Russia", "State", 1 / 3, 4, 0.0),
        "KOR": ("South Korea", "State", 1 / 3, 3, 0.0),
        "USA": ("United States", "State", 1 / 3, 3, 0.0),
    }
    for s in scores:
        label, kind, degree, weighted, betweenness = expected[s.id]
        assert (s.label, s.type, s.weighted_degree) == (label, kind, weighted)
        assert s.degree == pytest.approx(degree)
        assert s.betweenness == pytest.approx(betweenness)
    broker = max(scores, key=lambda s: s.betweenness)
    assert broker.id == GUTERRES
    assert centrality(actor_graph(store), top=2) == scores[:2]


def test_actor_score_is_frozen() -> None:
    score = ActorScore("JPN", "Japan", "State", 0.5, 5, 0.5)
    with pytest.raises(AttributeError):
        score.degree = 1.0  # type: ignore[misc]


def test_centrality_of_empty_graph() -> None:
    assert centrality(nx.Graph()) == []


def test_communities(store: GraphStore) -> None:
    graph = actor_graph(store)
    groups = communities(graph)
    assert all(g == sorted(g) for g in groups)
    assert sorted(a for g in groups for a in g) == sorted(graph.nodes)
    # the two triangles never share a community, and the broker joins one of them
    assert len(groups) == 2
    assert {frozenset(g) - {GUTERRES} for g in groups} == {
        frozenset({"JPN", "KOR", "USA"}),
        frozenset({"CHN", "PRK", "RUS"}),
    }
    assert communities(actor_graph(store)) == groups  # deterministic


def test_communities_without_edges() -> None:
    graph = nx.Graph()
    graph.add_nodes_from(["b", "a"])
    assert communities(graph) == [["a"], ["b"]]


def test_labels_and_classes_are_the_actors_own(tmp_path: Path) -> None:
    # a place (and a document) sharing an actor's id: the node has the actor's label and class
    tokyo = Actor("tokyo", "Organization", "Tokyo Metropolitan Government")
    talks = event("Meeting", "Tokyo met Japan.", *part("tokyo", "JPN"), date=day("2024-03-05"))
    s = GraphStore(tmp_path / "store")
    try:
        x = Extraction(
            document=Document("tokyo", talks.mention.text, dt.date(2024, 3, 6), "Tokyo"),
            actors=(tokyo, ACTORS["JPN"]),
            places=(Place("tokyo", "Tokyo"),),
            events=(talks,),
        )
        assert s.add(x) == "added"
        graph = actor_graph(s)
    finally:
        s.close()
    assert dict(graph.nodes(data=True)) == {
        "JPN": {"label": "Japan", "type": "State"},
        "tokyo": {"label": "Tokyo Metropolitan Government", "type": "Organization"},
    }
    assert edges(graph) == {("JPN", "tokyo"): (1, {"Meeting": 1})}
