"""The read side: every SPARQL read of the graph, as plain data shaped as the REST contract says.

Plain functions over a `Readable` (a `GraphStore`, or a remote `kg.endpoint.Endpoint`) returning
plain dicts (and, for the actor graph, a frozen `Participation`), for the HTTP API, the CLI,
notebooks and `kg.analysis` alike. Nothing a user types is ever formatted into SPARQL text: it is
bound (pyoxigraph substitutions on a GraphStore, terms serialised by pyoxigraph on an endpoint).
The query text only ever varies by which of this package's own fragments it includes.

Two pyoxigraph (0.5) traits shape the queries:

- a substituted variable must be in the SELECT projection (`select_where` adds it); it is replaced
  in triple patterns and FILTER expressions, but `BOUND(?v)` is false for it and a BIND that opens
  a group does not see it: optional filters are included or left out rather than switched by BOUND;
- the union default graph may repeat a triple once per document graph holding it (oxigraph#1919),
  so queries join event-level triples only (one or two graphs each) and look actors, places and
  posts up with one-pattern queries, joined in Python.

Modules (each imports only the public names of the others): `sparql` (how to ask: bound SELECTs,
event classes), `common` (vocabularies, one-resource lookups), `params` (checking what users send,
resolving what parameters name), `views` (the answers' shapes), `actors`, `events`,
`timelines`, `links` (who takes part in which events, for the actor graph), `roles` (who does
what to whom, by role and date, for the signed actor graph). Import from
`kg.queries` itself: the names below are its interface.
"""

from kg.queries.actors import (
    ActorDirectory,
    actor_directory,
    actor_view,
    get_actor,
    list_actors,
)
from kg.queries.common import (
    ACTOR_CLASSES,
    ACTOR_KINDS,
    ASSERTED_EVENTS_OF_ACTOR,
    MODALITIES,
    ROLES,
    actor_kind,
    event_classes,
    facts,
    refs,
)
from kg.queries.events import event_iris, events_by_iri, events_where, get_event, list_events
from kg.queries.links import Participation, participation
from kg.queries.params import (
    MODALITY_FILTERS,
    NotFound,
    actor_ref,
    as_filters,
    check_event_type,
    parse_date,
    place_ref,
    require_actor,
    valid_id,
    within,
)
from kg.queries.roles import ActorInfo, EventFacts, actor_infos, event_facts, overlapping
from kg.queries.sparql import (
    Readable,
    by_specificity,
    class_counts,
    dip_name,
    event_classes_of,
    most_specific,
    select_where,
    xsd_date,
)
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
    "ACTOR_CLASSES",
    "ACTOR_KINDS",
    "ASSERTED_EVENTS_OF_ACTOR",
    "MODALITIES",
    "MODALITY_FILTERS",
    "ROLES",
    "ActorDirectory",
    "ActorInfo",
    "ActorRef",
    "ActorView",
    "BucketView",
    "DocumentRef",
    "EventFacts",
    "EventView",
    "EvidenceView",
    "NotFound",
    "ParticipantView",
    "Participation",
    "PostView",
    "Readable",
    "Ref",
    "RelationView",
    "TimelineView",
    "actor_directory",
    "actor_infos",
    "actor_kind",
    "actor_ref",
    "actor_view",
    "as_filters",
    "by_specificity",
    "check_event_type",
    "class_counts",
    "dip_name",
    "event_classes",
    "event_classes_of",
    "event_facts",
    "event_iris",
    "events_by_iri",
    "events_where",
    "facts",
    "get_actor",
    "get_event",
    "list_actors",
    "list_events",
    "most_specific",
    "overlapping",
    "parse_date",
    "participation",
    "place_ref",
    "refs",
    "require_actor",
    "select_where",
    "timeline",
    "valid_id",
    "within",
    "xsd_date",
]
