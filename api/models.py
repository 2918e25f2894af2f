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


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry declaring that a route can answer these codes with an Error."""
    return {code: {"model": Error, "description": _REASONS.get(code, "Error")} for code in codes}


_REASONS = {
    400: "Bad request",
    403: "Writes are not enabled",
    404: "Not found",
    406: "No acceptable result format",
    415: "Unsupported media type",
    422: "Invalid parameter",
    500: "Internal error",
    503: "Query timed out or store unavailable",
}
