"""The JSON objects of the REST contract (docs: "The REST contract"), as pydantic models.

Field names and shapes are public: add fields freely, never rename or drop one. The objects are
built by kg.queries as plain dicts and validated into these models on the way out.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

ActorKind = Literal["Person", "State", "Organization"]
Modality = Literal["Negated", "Hypothetical", "Future", "Conditional"]
Role = Literal["initiator", "recipient", "participant"]

T = TypeVar("T")


class Error(BaseModel):
    """Every 4xx and 5xx answer."""

    detail: str = Field(description="what is wrong, in one sentence")


class Ref(BaseModel):
    """A resource named by its id (the last segment of its IRI) and its label."""

    id: str
    label: str | None


class Post(BaseModel):
    """A post an actor holds ("President" of South Korea)."""

    model_config = ConfigDict(populate_by_name=True)

    title: str | None = Field(description='the title alone: "President"')
    label: str | None = Field(description='"President of South Korea"')
    in_: Ref | None = Field(alias="in", description="the state or organisation the post is in")


class Actor(BaseModel):
    id: str = Field(examples=["moon-jae-in"])
    iri: str
    label: str = Field(description="the canonical name", examples=["Moon Jae-in"])
    type: ActorKind
    aliases: list[str] = Field(description="every other name seen for the actor")
    iso3: str | None = Field(description="ISO 3166-1 alpha-3 code of a state")
    posts: list[Post]
    event_counts: dict[str, int] = Field(
        description="asserted events the actor takes part in, per most specific event class",
        examples=[{"Meeting": 3, "Agreement": 1}],
    )


class ActorRef(BaseModel):
    id: str
    label: str
    type: ActorKind | None


class Participant(BaseModel):
    id: str
    label: str | None
    role: Role


class DocumentRef(BaseModel):
    id: str
    title: str | None
    date: str | None = Field(description="the document's date, YYYY-MM-DD")


class Evidence(BaseModel):
    """A sentence of a document that reports the event."""

    document: DocumentRef
    sentence: str | None
    start: int = Field(description="offset of the sentence in the document text (code points)")
    end: int = Field(description="offset just past the sentence")


class Event(BaseModel):
    id: str
    iri: str
    type: str = Field(description="the most specific event class", examples=["Meeting"])
    types: list[str] = Field(description="all its classes, most specific first")
    label: str | None
    date: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY, as precise as the text")
    earliest: str | None = Field(description="first day the date covers")
    latest: str | None = Field(description="last day the date covers")
    place: Ref | None
    modality: Modality | None = Field(description="null when the text says it happened")
    confidence: float
    topic: str | None
    participants: list[Participant]
    evidence: list[Evidence]


class Relation(BaseModel):
    """A counterpart of an actor, with the asserted events they share."""

    actor: ActorRef
    events: list[Event]
    counts: dict[str, int] = Field(description="the events per most specific event class")


class Page(BaseModel, Generic[T]):
    """One page of a list answer."""

    data: list[T]
    total: int = Field(description="how many items match in all")
    limit: int
    offset: int


class ActorList(Page[Actor]):
    pass


class RelationList(Page[Relation]):
    pass


class EventList(Page[Event]):
    pass


# -- networks and paths ----------------------------------------------------------------------


class NetworkEdge(BaseModel):
    """Two actors that share asserted events (an undirected link: source < target)."""

    source: str = Field(description="an actor id")
    target: str = Field(description="an actor id")
    counts: dict[str, int] = Field(description="the shared events per most specific event class")
    weight: int = Field(description="how many asserted events the two actors share")
    events: list[Event] = Field(description="the shared events, oldest first, with their evidence")


class Network(BaseModel):
    """An actor's ego network: the actors within `depth` links of it and the links among them."""

    nodes: list[Actor] = Field(description="the actor asked about first, then by label")
    edges: list[NetworkEdge] = Field(description="heaviest first")


class PathStep(BaseModel):
    """One actor of a path, and the event linking it to the actor before it."""

    actor: ActorRef
    via: Event | None = Field(
        description="null on the first step; else the most recent asserted event the actor "
        "shares with the one before it"
    )


class Paths(BaseModel):
    """The shortest chains of actors linking `a` to `b`, shortest first."""

    paths: list[list[PathStep]] = Field(description="empty when no chain is short enough")
    a: ActorRef
    b: ActorRef


# -- analysis --------------------------------------------------------------------------------


class ActorScore(BaseModel):
    """An actor's place in the actor graph (actors joined by the asserted events they share)."""

    actor: ActorRef
    degree: float = Field(description="degree centrality: share of the other actors linked to it")
    weighted_degree: int = Field(description="the events it shares, summed over its links")
    betweenness: float = Field(description="betweenness centrality (links unweighted)")


class Centrality(BaseModel):
    """The most central actors: by degree, then betweenness, then label."""

    actors: list[ActorScore]
    nodes: int = Field(description="actors in the actor graph")
    edges: int = Field(description="links in the actor graph")


class Community(BaseModel):
    size: int
    actors: list[ActorRef] = Field(description="sorted by id")


class Communities(BaseModel):
    """Greedy-modularity communities of the actor graph (links weighted), largest first."""

    communities: list[Community]
    nodes: int = Field(description="actors in the actor graph")
    edges: int = Field(description="links in the actor graph")


class TimelineBucket(BaseModel):
    """The events of one month."""

    month: str = Field(description="YYYY-MM", examples=["2018-01"])
    counts: dict[str, int] = Field(description="its events per most specific event class")
    events: int = Field(description="how many events the month holds")
    event_ids: list[str] = Field(description="their ids (GET /events/{id} gives the evidence)")


class Timeline(BaseModel):
    """Asserted events per month of one actor, or shared by two."""

    a: ActorRef
    b: ActorRef | None
    buckets: list[TimelineBucket] = Field(
        description="every month from the first with an event to the last, empty ones included"
    )
    undated: int = Field(description="events dated to a year only or not at all: in no bucket")
    total: int = Field(description="all the events counted, undated ones included")


# -- documents -------------------------------------------------------------------------------


class DocumentRecord(BaseModel):
    """One document to extract: the body of `POST /documents`, or one line of a JSONL batch."""

    id: str | None = Field(
        default=None,
        description="the document id; by default one derived from the text, so that sending "
        "the same text again changes nothing",
    )
    text: str = Field(min_length=1, description="the document text")
    date: str | None = Field(
        default=None, description="YYYY-MM-DD: the date relative dates resolve against"
    )
    title: str | None = None
    url: str | None = None


class DocumentStatus(BaseModel):
    id: str
    status: Literal["added", "unchanged", "replaced"] = Field(
        description="unchanged: the same text was stored already; replaced: a new text for the id"
    )
    events: int = Field(description="the events read out of the document")


class DocumentsAdded(BaseModel):
    documents: list[DocumentStatus] = Field(description="in the order they were sent")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry declaring that a route can answer these codes with an Error."""
    return {code: {"model": Error, "description": _REASONS.get(code, "Error")} for code in codes}


_REASONS = {
    400: "Bad request",
    401: "Missing or wrong bearer token",
    403: "Writes are not enabled",
    404: "Not found",
    406: "No acceptable result format",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid parameter",
    500: "Internal error",
    503: "Query timed out or store unavailable",
}
