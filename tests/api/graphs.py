"""A small hand-built graph for the API and query tests: two reports of the 2018 inter-Korean talks.

Document `d1` (10 January 2018) reports the Panmunjom meeting of 9 January between North and South
Korea, an agreement they reached there and one they did *not* reach (Negated: in no relation),
President Moon's welcome of the talks (a Support, by a person holding a post in South Korea), and
an agreement with the United States that North Korea failed to reach (Negated too: so the United
States is in no relation at all). Document `d2` (9 January) reports the same meeting:
same class, participants and day, so the same event node, with a second piece of evidence.
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
    Participant,
    Place,
    Post,
    TimeValue,
)
from kg.store import GraphStore

D1_TEXT = (
    "North and South Korea held talks at Panmunjom on Tuesday. "
    "North Korea agreed to send a delegation to the Winter Olympics. "
    "The two Koreas did not agree on a joint ice hockey team. "
    "President Moon welcomed the talks on Wednesday. "
    "Pyongyang failed to reach an agreement with Washington on sanctions."
)
D2_TEXT = "Delegations of the DPRK and Seoul met in the truce village of Panmunjom today."

MEETING_ID = "meeting-KOR-PRK-2018-01-09"
AGREEMENT_ID = "agreement-KOR-PRK-2018-01-09"
SUPPORT_ID = "support-PRK-moon-jae-in-2018-01-10"
MOON = "moon-jae-in"


def sentence(text: str, part: str) -> Mention:
    """The mention of the sentence of `text` that starts with `part` (offsets as the text has)."""
    start = text.index(part)
    end = text.index(".", start) + 1
    return Mention(start, end, text[start:end])


def day(value: str, words: str = "") -> TimeValue:
    d = dt.date.fromisoformat(value)
    return TimeValue(value, "day", d, d, words)


def month(value: str) -> TimeValue:
    first = dt.date.fromisoformat(value + "-01")
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return TimeValue(value, "month", first, last)


def extraction_d1() -> Extraction:
    text = D1_TEXT
    talks = sentence(text, "North and South Korea held talks")
    agreed = sentence(text, "North Korea agreed")
    not_agreed = sentence(text, "The two Koreas did not agree")
    welcomed = sentence(text, "President Moon welcomed")
    failed = sentence(text, "Pyongyang failed")
    actors = (
        Actor("PRK", "State", "North Korea", ("Pyongyang",), "PRK", (talks, failed)),
        Actor("KOR", "State", "South Korea", (), "KOR", (talks,)),
        Actor("USA", "State", "United States", ("Washington",), "USA", (failed,)),
        Actor(MOON, "Person", "Moon Jae-in", ("President Moon", "Moon-Jae In"), None, (welcomed,)),
    )
    return Extraction(
        document=Document(
            "d1", text, dt.date(2018, 1, 10), title="Koreas hold first talks in two years"
        ),
        actors=actors,
        places=(Place("panmunjom", "Panmunjom", (talks,)),),
        posts=(Post(MOON, "President", "KOR", welcomed),),
        events=(
            Event(
                "Meeting",
                (Participant("PRK", "participant"), Participant("KOR", "participant")),
                talks,
                trigger="talks",
                date=day("2018-01-09", "Tuesday"),
                place="panmunjom",
                confidence=0.9,
                topic="participation in the Winter Olympics",
            ),
            Event(
                "Agreement",
                (Participant("PRK", "initiator"), Participant("KOR", "recipient")),
                agreed,
                trigger="agreed",
                date=day("2018-01-09"),
                confidence=0.8,
            ),
            Event(
                "Agreement",
                (Participant("PRK", "participant"), Participant("KOR", "participant")),
                not_agreed,
                trigger="agree",
                date=day("2018-01-09"),
                modality="Negated",
                confidence=0.7,
                topic="a joint ice hockey team",
            ),
            Event(
                "Support",
                (Participant(MOON, "initiator"), Participant("PRK", "recipient")),
                welcomed,
                trigger="welcomed",
                date=day("2018-01-10", "Wednesday"),
                confidence=0.7,
            ),
            Event(
                "Agreement",
                (Participant("PRK", "initiator"), Participant("USA", "recipient")),
                failed,
                trigger="agreement",
                date=month("2018-01"),
                modality="Negated",
                confidence=0.6,
                topic="sanctions",
            ),
        ),
    )


def extraction_d2() -> Extraction:
    text = D2_TEXT
    met = sentence(text, "Delegations")
    return Extraction(
        document=Document("d2", text, dt.date(2018, 1, 9), title="Koreas meet at Panmunjom"),
        actors=(
            Actor("PRK", "State", "North Korea", ("DPRK",), "PRK", (met,)),
            Actor("KOR", "State", "South Korea", ("Seoul",), "KOR", (met,)),
        ),
        places=(Place("panmunjom", "Panmunjom", (met,)),),
        events=(
            Event(
                "Meeting",
                (Participant("KOR", "participant"), Participant("PRK", "participant")),
                met,
                trigger="met",
                date=day("2018-01-09", "today"),
                place="panmunjom",
                confidence=0.85,
            ),
        ),
    )


def build_store(path: Path) -> Path:
    """Fill an on-disk store at `path` with both documents, close it, and return the path."""
    store = GraphStore(path)
    try:
        for extraction in (extraction_d1(), extraction_d2()):
            assert store.add(extraction) == "added"
    finally:
        store.close()
    return path
