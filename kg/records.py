"""Plain records passed between the stages: corpus → extract → rdf.

Nothing here knows spaCy or RDF, so each stage can be tested with records in and records out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ActorKind = Literal["Person", "State", "Organization"]
Modality = Literal["Negated", "Hypothetical", "Future", "Conditional"]
Precision = Literal["day", "month", "year"]
Role = Literal["initiator", "recipient", "participant"]


@dataclass(frozen=True)
class Document:
    """One input document: its text and what the corpus says about it."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    origin: str = ""  # where it came from ("file.jsonl:3"), for error messages


@dataclass(frozen=True)
class Mention:
    """A sentence of a document: the evidence behind a fact (offsets in code points, end exclusive)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TimeValue:
    """A date at the precision the text gives, with the first and last day it covers."""

    value: str  # "2018-01-09", "2018-02" or "1994"
    precision: Precision
    earliest: dt.date
    latest: dt.date
    text: str = ""  # the words it was read from


@dataclass(frozen=True)
class Actor:
    """A person, state or organisation, with one canonical label and every other name seen."""

    id: str  # last IRI segment: "PRK", "moon-jae-in"
    kind: ActorKind
    label: str
    aliases: tuple[str, ...] = ()
    iso3: str | None = None
    mentions: tuple[Mention, ...] = ()
    based_in: str | None = None  # an organisation's state (actor id)


@dataclass(frozen=True)
class Place:
    """A location named in the text: never an actor."""

    id: str
    label: str
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Post:
    """A post held by a person ("President" of South Korea)."""

    holder: str  # actor id
    title: str  # "President", "Secretary of State"
    in_actor: str | None  # actor id of the state or organisation, if known
    mention: Mention


@dataclass(frozen=True)
class Participant:
    actor: str  # actor id
    role: Role


@dataclass(frozen=True)
class Event:
    """One event of an ontology class (a PLOVER category, Meeting or Agreement)."""

    kind: str  # local name of the class: "Meeting", "Agreement", "Accuse", ...
    participants: tuple[Participant, ...]
    mention: Mention
    trigger: str = ""
    label: str | None = None  # a named agreement: "Agreed Framework"
    date: TimeValue | None = None
    place: str | None = None  # place id
    modality: Modality | None = None
    confidence: float = 0.5
    topic: str | None = None
    date_in_text: bool = True  # False when the date is carried over from an earlier sentence
    evidence: tuple[Mention, ...] = ()  # further sentences that report the same event

    def actors(self, *roles: Role) -> tuple[str, ...]:
        """Ids of the participants in the given roles (all roles when none is given)."""
        return tuple(p.actor for p in self.participants if not roles or p.role in roles)


@dataclass(frozen=True)
class Extraction:
    """Everything read out of one document."""

    document: Document
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    posts: tuple[Post, ...] = ()
    events: tuple[Event, ...] = ()
    notes: tuple[str, ...] = field(default=())  # e.g. relative dates left unresolved
