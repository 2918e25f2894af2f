"""Read queries that build the REST objects (actors, events, relations) out of a GraphStore.

Plain functions over a `GraphStore` returning plain dicts shaped as the REST contract says, for the
HTTP API, the CLI and notebooks alike. Nothing a user types is ever formatted into SPARQL text: it
is bound through pyoxigraph substitutions (`GraphStore.query(..., bindings=...)`). The query text
only ever varies by which of this package's own fragments it includes.

Two pyoxigraph (0.5) traits shape the queries below:

- a substituted variable must be in the SELECT projection (`kg.reading.select_where` adds it); it
  is replaced in triple patterns and FILTER expressions, but `BOUND(?v)` is false for it and a BIND
  that opens a group does not see it: optional filters are included or left out rather than
  switched by BOUND;
- the union default graph repeats a triple once per document graph holding it (oxigraph#1919, fixed
  in 0.6), so a join of two patterns over an actor's triples costs the square of the number of
  documents naming it. Queries here therefore join event-level triples only (one or two graphs
  each) and look actors, places and posts up with one-pattern queries, joined in Python.

The modules: `views` (the answers' shapes), `common` (vocabularies, event classes, one-resource
lookups), `params` (checking what users send, resolving what parameters name), `actors`, `events`
(single events, event lists), `relations`, `timelines` and `network` (ego networks and paths over
kg.analysis's actor graph). Import from `kg.queries` itself: the names below are its interface.
"""

from kg.queries.actors import get_actor, list_actors
from kg.queries.common import ACTOR_KINDS, MODALITIES, ROLES, event_classes, most_specific
from kg.queries.events import events_by_iri, events_where, get_event, list_events
from kg.queries.network import (
    EdgeView,
    NetworkView,
    PathsView,
    StepView,
    ego_network,
    paths,
)
from kg.queries.params import (
    MODALITY_FILTERS,
    NotFound,
    actor_ref,
    parse_date,
    place_ref,
    valid_id,
)
from kg.queries.relations import relations
from kg.queries.timelines import BucketView, TimelineView, timeline
from kg.queries.views import (
    ActorRef,
    ActorView,
    DocumentRef,
    EventView,
    EvidenceView,
    ParticipantView,
    PostView,
    Ref,
    RelationView,
)

__all__ = [
    "ACTOR_KINDS",
    "MODALITIES",
    "MODALITY_FILTERS",
    "ROLES",
    "ActorRef",
    "ActorView",
    "BucketView",
    "DocumentRef",
    "EdgeView",
    "EventView",
    "EvidenceView",
    "NetworkView",
    "NotFound",
    "ParticipantView",
    "PathsView",
    "PostView",
    "Ref",
    "RelationView",
    "StepView",
    "TimelineView",
    "actor_ref",
    "ego_network",
    "event_classes",
    "events_by_iri",
    "events_where",
    "get_actor",
    "get_event",
    "list_actors",
    "list_events",
    "most_specific",
    "parse_date",
    "paths",
    "place_ref",
    "relations",
    "timeline",
    "valid_id",
]
