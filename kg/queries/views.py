"""The shapes of the answers: the REST contract's objects, as the query functions build them."""

from __future__ import annotations

from typing import TypedDict

from kg.records import ActorKind, Modality, Role


class Ref(TypedDict):
    id: str
    label: str | None


# "in" is a keyword, hence the functional form
PostView = TypedDict("PostView", {"title": str | None, "label": str | None, "in": Ref | None})


class ActorView(TypedDict):
    id: str
    iri: str
    label: str
    type: ActorKind
    aliases: list[str]
    iso3: str | None
    posts: list[PostView]
    event_counts: dict[str, int]


class ActorRef(TypedDict):
    id: str
    label: str
    type: ActorKind | None


class ParticipantView(TypedDict):
    id: str
    label: str | None
    role: Role


class DocumentRef(TypedDict):
    id: str
    title: str | None
    date: str | None


class EvidenceView(TypedDict):
    document: DocumentRef
    sentence: str | None
    start: int
    end: int


class EventView(TypedDict):
    id: str
    iri: str
    type: str
    types: list[str]
    label: str | None
    date: str | None
    earliest: str | None
    latest: str | None
    place: Ref | None
    modality: Modality | None
    confidence: float
    topic: str | None
    participants: list[ParticipantView]
    evidence: list[EvidenceView]


class RelationView(TypedDict):
    actor: ActorRef
    events: list[EventView]  # the most recent ones, at most the page's `events_limit`
    events_total: int  # how many asserted events the two share (`counts` sums to it)
    counts: dict[str, int]
    first: str | None  # the first possible day of the earliest of them (ISO), if any is dated
    last: str | None  # the last possible day of the latest of them
