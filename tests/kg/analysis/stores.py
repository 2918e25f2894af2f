"""A real on-disk store written from records through kg.rdf, with sentences written for it.

Two camps of three states that meet among themselves, and the United Nations between them:

    NOR ─ SWE          CHL ─ PER
      \\  /              \\  /
       DNK ─ united-nations → CHL        (the UN meets Denmark, and urges Chile)
                          BOL

Peru and Bolivia go from an accusation (January 2021) to an agreement (June 2021); Sweden's
refusal to meet Chile is negated, so it links no one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kg.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Mention,
    Modality,
    Participant,
    Role,
    TimeValue,
)
from kg.store import GraphStore

STATES = {
    "NOR": "Norway",
    "SWE": "Sweden",
    "DNK": "Denmark",
    "CHL": "Chile",
    "PER": "Peru",
    "BOL": "Bolivia",
}
UN = "united-nations"


def _actor(actor_id: str) -> Actor:
    if actor_id == UN:
        return Actor(UN, "Organization", "United Nations", ("UN",))
    return Actor(actor_id, "State", STATES[actor_id], (), actor_id)


def _day(value: str) -> TimeValue:
    d = dt.date.fromisoformat(value)
    return TimeValue(value, "day", d, d)


Item = tuple[str, str, tuple[tuple[str, Role], ...], str, Modality | None]

#: document id → its sentences, each with the event it reports: (class, participants, day)
DOCUMENTS: dict[str, list[Item]] = {
    "north": [
        (
            "The foreign ministers of Norway and Sweden met in Oslo on Monday.",
            "Meeting",
            (("NOR", "participant"), ("SWE", "participant")),
            "2021-03-01",
            None,
        ),
        (
            "Norway and Denmark signed a fisheries agreement.",
            "Agreement",
            (("NOR", "participant"), ("DNK", "participant")),
            "2021-03-02",
            None,
        ),
        (
            "Sweden and Denmark held talks on energy.",
            "Meeting",
            (("SWE", "participant"), ("DNK", "participant")),
            "2021-03-03",
            None,
        ),
        (
            "Sweden refused to meet Chile.",
            "Meeting",
            (("SWE", "participant"), ("CHL", "participant")),
            "2021-03-04",
            "Negated",
        ),
    ],
    "south": [
        (
            "Chile and Peru met in Lima.",
            "Meeting",
            (("CHL", "participant"), ("PER", "participant")),
            "2021-02-01",
            None,
        ),
        (
            "Peru accused Bolivia of closing the border.",
            "Accuse",
            (("PER", "initiator"), ("BOL", "recipient")),
            "2021-01-10",
            None,
        ),
        (
            "Chile and Bolivia held talks on water rights.",
            "Meeting",
            (("CHL", "participant"), ("BOL", "participant")),
            "2021-02-03",
            None,
        ),
        (
            "Peru and Bolivia agreed to reopen the border.",
            "Agreement",
            (("PER", "participant"), ("BOL", "participant")),
            "2021-06-01",
            None,
        ),
    ],
    "envoy": [
        (
            "The United Nations envoy met the Danish foreign minister in Copenhagen.",
            "Meeting",
            ((UN, "participant"), ("DNK", "participant")),
            "2021-04-01",
            None,
        ),
        (
            "The United Nations urged Chile to release the detained journalists.",
            "Request",
            ((UN, "initiator"), ("CHL", "recipient")),
            "2021-04-02",
            None,
        ),
    ],
}


def extraction(doc_id: str) -> Extraction:
    """One document of DOCUMENTS: its text, and each event with its sentence's true offsets."""
    items = DOCUMENTS[doc_id]
    text = " ".join(sentence for sentence, *_ in items)
    events = []
    start = 0
    for sentence, cls, people, day, modality in items:
        mention = Mention(start, start + len(sentence), sentence)
        start += len(sentence) + 1
        events.append(
            Event(
                cls,
                tuple(Participant(a, r) for a, r in people),
                mention,
                trigger=cls.lower(),
                date=_day(day),
                modality=modality,
                confidence=0.9,
            )
        )
    ids = sorted({a for _, _, people, _, _ in items for a, _ in people})
    # every actor needs evidence: the first sentence naming it
    named = {a: next(e.mention for e in events if a in e.actors()) for a in ids}
    actors = tuple(
        Actor(a.id, a.kind, a.label, a.aliases, a.iso3, (named[a.id],)) for a in map(_actor, ids)
    )
    return Extraction(
        document=Document(doc_id, text, dt.date(2021, 6, 2), f"Report {doc_id}"),
        actors=actors,
        events=tuple(events),
    )


def build(path: Path) -> Path:
    """The store of DOCUMENTS at `path`."""
    store = GraphStore(path)
    try:
        for doc_id in DOCUMENTS:
            assert store.add(extraction(doc_id)) == "added"
    finally:
        store.close()
    return path
