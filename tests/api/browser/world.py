"""A small store for the explorer: three states whose links are known by hand.

Sweden meets Norway twice (cooperation) and both accuses and sanctions Finland (conflict); Norway
aids Finland and Finland thanks it (cooperation). The events fall in February, June and November
2021, so a time window changes which links are drawn. The sentences are written for this test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kg.records import Actor, Document, Event, Extraction, Mention, Participant, TimeValue
from kg.store import GraphStore

WINTER = (
    "Norway and Sweden held talks on border trade on Monday. "
    "Sweden accused Finland of breaking the fishing accord on Tuesday."
)
SUMMER = (
    "Norway sent emergency aid to Finland after the spring floods. "
    "Finland thanked Norway for its help."
)
AUTUMN = (
    "Sweden imposed sanctions on Finland over the fishing dispute. "
    "Norway and Sweden met again to settle the trade talks."
)

SWEDEN_FINLAND = ("Accuse", "Sanction")
NORWAY_SWEDEN = ("Meeting", "Meeting")


def _mention(text: str, start_words: str) -> Mention:
    start = text.index(start_words)
    end = text.index(".", start) + 1
    return Mention(start, end, text[start:end])


def _day(value: str) -> TimeValue:
    d = dt.date.fromisoformat(value)
    return TimeValue(value, "day", d, d)


def _states(*mentions: Mention) -> tuple[Actor, ...]:
    return (
        Actor("NOR", "State", "Norway", ("Oslo",), "NOR", mentions),
        Actor("SWE", "State", "Sweden", ("Stockholm",), "SWE", mentions),
        Actor("FIN", "State", "Finland", ("Helsinki",), "FIN", mentions),
    )


def _event(kind: str, initiator: str, recipient: str | None, mention: Mention, day: str) -> Event:
    if recipient is None:  # a meeting: both sides take part alike
        participants = (Participant("NOR", "participant"), Participant("SWE", "participant"))
    else:
        participants = (Participant(initiator, "initiator"), Participant(recipient, "recipient"))
    return Event(kind, participants, mention, trigger=kind.lower(), date=_day(day), confidence=0.8)


def extractions() -> list[Extraction]:
    talks, accused = _mention(WINTER, "Norway and"), _mention(WINTER, "Sweden accused")
    aid, thanks = _mention(SUMMER, "Norway sent"), _mention(SUMMER, "Finland thanked")
    sanctions, met = _mention(AUTUMN, "Sweden imposed"), _mention(AUTUMN, "Norway and")
    return [
        Extraction(
            document=Document("winter-talks", WINTER, dt.date(2021, 2, 3), title="Nordic talks"),
            actors=_states(talks, accused),
            events=(
                _event("Meeting", "NOR", None, talks, "2021-02-01"),
                _event("Accuse", "SWE", "FIN", accused, "2021-02-02"),
            ),
        ),
        Extraction(
            document=Document("summer-aid", SUMMER, dt.date(2021, 6, 10), title="Flood aid"),
            actors=_states(aid, thanks),
            events=(
                _event("Aid", "NOR", "FIN", aid, "2021-06-09"),
                _event("Support", "FIN", "NOR", thanks, "2021-06-10"),
            ),
        ),
        Extraction(
            document=Document("autumn-sanctions", AUTUMN, dt.date(2021, 11, 20), title="Sanctions"),
            actors=_states(sanctions, met),
            events=(
                _event("Sanction", "SWE", "FIN", sanctions, "2021-11-19"),
                _event("Meeting", "NOR", None, met, "2021-11-18"),
            ),
        ),
    ]


def build_world(path: Path) -> Path:
    """Fill an on-disk store at `path` with the three documents, close it, return the path."""
    store = GraphStore(path)
    try:
        for extraction in extractions():
            assert store.add(extraction) == "added"
    finally:
        store.close()
    return path
