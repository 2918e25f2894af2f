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
    """A counterpart of an actor, with the asserted events they share: all of them counted, the
    most recent shown."""

    actor: ActorRef
    events: list[Event] = Field(
        description="the most recent shared events, at most `events_limit`, latest first; "
        "`/events?actor=A&actor=B` pages through all of them"
    )
    events_total: int = Field(description="how many asserted events the two share")
    counts: dict[str, int] = Field(description="the events per most specific event class")
    first: str | None = Field(description="the first possible day of the earliest dated one")
    last: str | None = Field(description="the last possible day of the latest dated one")


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
    cooperation: int = Field(
        description="how many of them are cooperation (PLOVER's verbal or material cooperation)"
    )
    conflict: int = Field(
        description="how many of them are conflict (PLOVER's verbal or material conflict)"
    )
    score: float = Field(
        description="their summed cooperation–conflict score (each event -10..+10; docs/analysis.md)"
    )
    quads: dict[str, int] = Field(description="the shared events per PLOVER quad class")
    events: list[Event] = Field(
        description="the `events_limit` most recent shared events, latest first, with their "
        "evidence (`weight` counts them all)"
    )


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


class ActorMeasures(BaseModel):
    """An actor's place in the signed actor graph (asserted events: initiator → recipient, both
    ways for meetings, agreements and other two-way events)."""

    actor: ActorRef
    degree: int = Field(description="distinct actors it has events with, either way")
    degree_centrality: float = Field(description="degree / (actors - 1)")
    weighted_degree: int = Field(description="its events counted once per counterpart")
    in_strength: int = Field(description="events others direct at it, summed over them")
    out_strength: int = Field(description="events it directs at others, summed over them")
    pagerank: float = Field(description="PageRank over initiator → recipient links (sums to 1)")
    betweenness: float = Field(
        description="normalised betweenness of the undirected graph: its role as a broker"
    )
    community: int = Field(description="the index of its Louvain community (/analysis/communities)")


class BetweennessNote(BaseModel):
    """How betweenness was computed: exactly, or estimated from `k` sources sampled with `seed`."""

    approximate: bool
    k: int | None = Field(description="sampled source actors; null when exact")
    seed: int | None = Field(description="the sample's random seed; null when exact")


class Centrality(Page[ActorMeasures]):
    """Every actor's measures, sorted by one of them (descending), a page at a time."""

    sort: str = Field(description="the measure the actors are sorted by")
    nodes: int = Field(description="actors in the actor graph")
    edges: int = Field(description="directed links in the actor graph")
    betweenness: BetweennessNote


class Community(BaseModel):
    id: int = Field(description="its index: ActorMeasures.community")
    size: int
    actors: list[ActorRef] = Field(description="sorted by id")


class Communities(Page[Community]):
    """Louvain communities of the actor graph (links weighted by their events), largest first."""

    nodes: int = Field(description="actors in the actor graph")
    edges: int = Field(description="directed links in the actor graph")
    modularity: float
    seed: int = Field(description="the seed Louvain ran with: the same store gives the same answer")
    resolution: float


Quads = dict[
    Literal["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"],
    int,
]


class SignedEdge(BaseModel):
    """A directed link source → target of the signed actor graph and the events behind it."""

    source: str = Field(description="an actor id")
    target: str = Field(description="an actor id")
    weight: int = Field(description="events on the link")
    score: float = Field(description="their summed cooperation–conflict score (PLOVER scale)")
    mean_score: float = Field(description="score / weight, from -10 (conflict) to +10")
    cooperation: int = Field(description="events of a cooperation quad class")
    conflict: int = Field(description="events of a conflict quad class")
    mutual: int = Field(description="of them, meetings, agreements and other two-way events")
    quads: Quads = Field(description="events per PLOVER quad class")
    counts: dict[str, int] = Field(description="events per most specific event class")
    first: str | None = Field(description="the earliest day of its events")
    last: str | None = Field(description="the latest day of its events")
    events: list[str] = Field(description="their ids, oldest first (GET /events/{id})")


class EgoNode(ActorRef):
    in_strength: int = Field(description="events directed at it inside the ego network")
    out_strength: int = Field(description="events it directs at others inside the ego network")


class Ego(Page[SignedEdge]):
    """An actor's ego network: its actors, and a page of its links, heaviest first."""

    center: ActorRef
    radius: int
    nodes: list[EgoNode] = Field(description="the centre first, then by label")


class Hop(BaseModel):
    """One link of a path, and the event that justifies it."""

    source: str
    target: str
    direction: Literal["forward", "backward", "both"] = Field(
        description="forward: events run source → target only; backward: target → source only"
    )
    events: int = Field(description="events linking the two, either way")
    score: float = Field(description="their summed cooperation–conflict score")
    counts: dict[str, int] = Field(description="those events per most specific class")
    event_ids: list[str] = Field(description="their ids, oldest first")
    via: Event | None = Field(
        description="the most recent of them, with its evidence (document, sentence, offsets)"
    )


class AnalysisPath(BaseModel):
    length: int = Field(description="links in the path")
    actors: list[ActorRef]
    hops: list[Hop]


class AnalysisPaths(Page[AnalysisPath]):
    """Chains of actors linking `a` to `b` (links in either direction), shortest first."""

    a: ActorRef
    b: ActorRef
    mode: Literal["shortest", "all"]
    max_length: int


class TrendBucket(BaseModel):
    """One month or year of a pair's relationship."""

    period: str = Field(examples=["2021-03", "2021"])
    events: int
    a_to_b: int = Field(description="one-way events from a to b")
    b_to_a: int = Field(description="one-way events from b to a")
    mutual: int = Field(description="meetings, agreements and other two-way events")
    cooperation: int
    conflict: int
    score: float = Field(description="summed cooperation–conflict score (PLOVER scale)")
    mean_score: float | None = Field(description="score / events; null in an empty period")


class Trend(Page[TrendBucket]):
    """The relationship of `a` and `b` period by period, empty periods included, and whether it
    is warming or cooling."""

    a: ActorRef
    b: ActorRef
    by: Literal["month", "year"]
    events: int = Field(description="all their events, undated ones included")
    undated: int = Field(description="events not dated within one period: in no bucket")
    slope: float | None = Field(
        description="least-squares slope of the events' scores over time, in points a year"
    )
    direction: Literal["warming", "cooling", "steady"] | None


class Slice(BaseModel):
    """The actor graph of one month or year, and its top actors."""

    period: str
    nodes: int
    edges: int
    actors: list[ActorMeasures]


class Slices(Page[Slice]):
    """The same measures per month or year, oldest first (periods without events left out)."""

    by: Literal["month", "year"]
    sort: str
    top: int


class ResultsWritten(BaseModel):
    """The analysis graph written back to the store, so that SPARQL can sort by PageRank."""

    graph: str = Field(description="the named graph holding the results")
    triples: int
    actors: int
    communities: int


class TimelineBucket(BaseModel):
    """The events of one month."""

    month: str = Field(description="YYYY-MM", examples=["2018-01"])
    counts: dict[str, int] = Field(description="its events per most specific event class")
    events: int = Field(description="how many events the month holds")
    event_ids: list[str] = Field(description="their ids (GET /events/{id} gives the evidence)")
    cooperation: int = Field(default=0, description="events of a cooperation quad class")
    conflict: int = Field(default=0, description="events of a conflict quad class")
    score: float = Field(default=0.0, description="summed cooperation–conflict score")


class Timeline(Page[TimelineBucket]):
    """Asserted events per month of one actor, or shared by two: a page of months, oldest first,
    from the first month with an event to the last, empty ones included (`total` months)."""

    a: ActorRef
    b: ActorRef | None
    events: int = Field(description="all the events counted, undated ones included")
    undated: int = Field(description="events dated to a year only or not at all: in no bucket")


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
