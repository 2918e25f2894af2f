"""One node per real event and per real actor across documents (read through the store)."""

from __future__ import annotations

import datetime as dt

from kg.extract import extract
from kg.records import Document
from kg.store import GraphStore

FIRST = "Japanese Foreign Minister Yoko Kamikawa met U.S. Secretary of State Antony Blinken in Tokyo on March 5, 2024."
SECOND = "Antony Blinken and Yoko Kamikawa met in Tokyo on March 5, 2024, officials said."


def test_two_reports_of_one_meeting_are_one_event_with_two_pieces_of_evidence(
    nlp, store: GraphStore
) -> None:  # type: ignore[no-untyped-def]
    for i, text in enumerate((FIRST, SECOND)):
        store.add(extract(Document(id=f"doc{i}", text=text, date=dt.date(2024, 3, 6)), nlp))
    rows = store.select(
        "SELECT ?e (COUNT(DISTINCT ?m) AS ?evidence) WHERE { ?e a dip:Meeting ; prov:wasDerivedFrom ?m } GROUP BY ?e"
    )
    assert len(rows) == 1
    assert rows[0]["e"].endswith("/event/meeting-antony-blinken-yoko-kamikawa-2024-03-05")
    assert rows[0]["evidence"] == "2"


def test_one_actor_node_across_documents(nlp, store: GraphStore) -> None:  # type: ignore[no-untyped-def]
    store.add(
        extract(
            Document(id="a", text="The U.S. said it would help.", date=dt.date(2024, 1, 1)), nlp
        )
    )
    store.add(
        extract(
            Document(
                id="b", text="The United States said it would help.", date=dt.date(2024, 1, 1)
            ),
            nlp,
        )
    )
    rows = store.select('SELECT DISTINCT ?a WHERE { ?a dip:iso3 "USA" }')
    assert [r["a"] for r in rows] == ["https://w3id.org/diplokg/id/actor/USA"]
