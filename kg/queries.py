"""Read queries that build the REST objects (actors, events, relations) out of a GraphStore.

Plain functions over a `GraphStore` returning plain dicts shaped as the REST contract says, for the
HTTP API, the CLI and notebooks alike. Nothing a user types is ever formatted into SPARQL text: it
is bound through pyoxigraph substitutions (`GraphStore.query(..., bindings=...)`). The query text
only ever varies by which of this module's own fragments it includes.

Two pyoxigraph (0.5) traits shape the queries below:

- a substituted variable must be in the SELECT projection (`_select` adds it); it is replaced in
  triple patterns and FILTER expressions, but `BOUND(?v)` is false for it and a BIND that opens a
  group does not see it: optional filters are included or left out rather than switched by BOUND;
- the union default graph repeats a triple once per document graph holding it (oxigraph#1919, fixed
  in 0.6), so a join of two patterns over an actor's triples costs the square of the number of
  documents naming it. Queries here therefore join event-level triples only (one or two graphs
  each) and look actors, places and posts up with one-pattern queries, joined in Python.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import TypedDict, get_args

import networkx as nx
from pyoxigraph import Literal, NamedNode

from kg.analysis import _build as build_actor_graph
from kg.namespaces import DIP, DIPR, ORG, RDF, RDFS, SKOS, XSD
from kg.rdf import actor_iri, event_iri, local_id, place_iri, superclasses
from kg.records import ActorKind, Modality, Role
from kg.store import GraphStore, Term

ACTOR_KINDS: tuple[ActorKind, ...] = get_args(ActorKind)
MODALITIES: tuple[Modality, ...] = get_args(Modality)
ROLES: tuple[Role, ...] = ("initiator", "recipient", "participant")  # strongest role first

#: What an id (the last segment of a minted IRI) may look like: kg.ids' characters, no slash.
_ID = re.compile(r"[A-Za-z0-9._~-]{1,200}")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


# -- the shapes of the answers (the REST contract's objects) ---------------------------------


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
    events: list[EventView]
    counts: dict[str, int]


# -- checking what users send ----------------------------------------------------------------


def valid_id(value: str) -> bool:
    """Whether `value` can be the id of a minted resource (and so be put in an IRI safely)."""
    return bool(_ID.fullmatch(value)) and value not in {".", ".."}


def parse_date(value: str, *, end: bool = False) -> dt.date:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` → its first day (or its last day when `end`).

    Raises ValueError with a one-sentence reason.
    """
    match = _DATE.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if day is not None:
            return dt.date(year, int(month), int(day))
        if month is not None:
            first = dt.date(year, int(month), 1)
            if not end:
                return first
            following = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except (ValueError, OverflowError):
        raise ValueError(f"{value!r} is not a valid date") from None


def event_classes() -> list[str]:
    """Local names of the ontology's event classes (`Event`, `Meeting`, `Agree`, ...), sorted."""
    return sorted(c for c, sup in superclasses().items() if "Event" in sup)


def most_specific(classes: Iterable[str]) -> str:
    """The most specific of an event's class local names ({Meeting, Consult, Event} → Meeting)."""
    closure = superclasses()
    names = sorted(set(classes)) or ["Event"]
    # the class with the most ancestors wins; a class the ontology lacks counts as under dip:Event
    return max(names, key=lambda c: len(closure.get(c, (c, "Event"))))


def _by_specificity(classes: Iterable[str]) -> list[str]:
    closure = superclasses()
    return sorted(set(classes), key=lambda c: (-len(closure.get(c, (c, "Event"))), c))


# -- SPARQL helpers --------------------------------------------------------------------------


def _select(
    store: GraphStore, variables: str, where: str, bindings: Mapping[str, Term] | None = None
) -> list[dict[str, str]]:
    """`SELECT DISTINCT variables WHERE { where }`, the bound variables projected as pyoxigraph
    needs; `variables` and `where` are this module's own text, the values are only in `bindings`."""
    bound = "".join(f" ?{name}" for name in bindings or {})
    return store.select(f"SELECT DISTINCT {variables}{bound} WHERE {{\n{where}\n}}", bindings)


def _facts(store: GraphStore, iri: str, predicates: str) -> dict[str, set[str]]:
    """Predicate IRI → values, for one resource and the predicates listed (one triple pattern)."""
    facts: dict[str, set[str]] = defaultdict(set)
    where = f"?s ?p ?o . FILTER(?p IN ({_commas(predicates)}))"
    for row in _select(store, "?p ?o", where, {"s": NamedNode(iri)}):
        facts[row["p"]].add(row["o"])
    return facts


def _refs(store: GraphStore, iris: Iterable[str]) -> dict[str, tuple[str | None, ActorKind | None]]:
    """IRI → (label, actor class), one small query per resource."""
    refs: dict[str, tuple[str | None, ActorKind | None]] = {}
    for iri in sorted(set(iris)):
        facts = _facts(store, iri, "rdfs:label rdf:type")
        kinds = filter(None, map(_dip, facts[RDF + "type"]))
        refs[iri] = (min(facts[RDFS + "label"], default=None), _kind(kinds))
    return refs


def _commas(names: str) -> str:
    # FILTER(?p IN (...)) rather than VALUES ?p {...}: pyoxigraph 0.5 plans the VALUES join
    # badly, forty times slower here
    return ", ".join(names.split())


def _date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=NamedNode(XSD + "date"))


def _dip(iri: str) -> str | None:
    return iri[len(DIP) :] if iri.startswith(DIP) else None


def _kind(kinds: Iterable[str]) -> ActorKind | None:
    found = set(kinds)
    return next((k for k in ACTOR_KINDS if k in found), None)


_KINDS = " ".join(f"dip:{k}" for k in ACTOR_KINDS)

#: ?e: the asserted events ?actor takes part in
_ASSERTED_EVENTS_OF_ACTOR = """
?e dip:participant ?actor .
FILTER NOT EXISTS { ?e dip:modality ?anyModality }
"""


# -- actors ----------------------------------------------------------------------------------


def get_actor(store: GraphStore, actor_id: str) -> ActorView | None:
    """The actor with this id, or None (also for an id no actor can have)."""
    if not valid_id(actor_id):
        return None
    return _actor(store, actor_iri(actor_id).value)


def list_actors(
    store: GraphStore,
    *,
    q: str | None = None,
    kind: ActorKind | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[ActorView], int]:
    """One page of actors sorted by label, and how many match in all.

    `q` matches the label or any alias as a case-insensitive substring; `kind` keeps one class.
    """
    kinds = _select(store, "?a", f"?a a ?kind . VALUES ?kind {{ {_KINDS} }}")
    found = {row["a"] for row in kinds}
    if kind is not None:
        rows = _select(store, "?a", "?a a ?wantedKind .", {"wantedKind": NamedNode(DIP + kind)})
        found &= {row["a"] for row in rows}
    if q:
        where = """
        ?a rdfs:label|skos:altLabel ?name .
        FILTER(CONTAINS(LCASE(STR(?name)), LCASE(STR(?q))))
        """
        found &= {row["a"] for row in _select(store, "?a", where, {"q": Literal(q)})}
    labels: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, "?a ?label", "?a rdfs:label ?label ."):
        if row["a"] in found:
            labels[row["a"]].add(row["label"])
    ordered = sorted(
        found, key=lambda a: (min(labels[a], default=local_id(a)).casefold(), local_id(a))
    )
    page = ordered[offset : offset + limit] if limit > 0 else []
    actors = [_actor(store, iri) for iri in page]
    return [a for a in actors if a is not None], len(ordered)


def _actor(store: GraphStore, iri: str) -> ActorView | None:
    facts = _facts(store, iri, "rdf:type rdfs:label skos:altLabel dip:iso3 org:holds")
    kind = _kind(filter(None, map(_dip, facts[RDF + "type"])))
    if kind is None:
        return None
    label = min(facts[RDFS + "label"], default=local_id(iri))
    b: dict[str, Term] = {"actor": NamedNode(iri)}
    return {
        "id": local_id(iri),
        "iri": iri,
        "label": label,
        "type": kind,
        "aliases": sorted(facts[SKOS + "altLabel"] - {label}, key=lambda s: (s.casefold(), s)),
        "iso3": min(facts[DIP + "iso3"], default=None),
        "posts": _posts(store, facts[ORG + "holds"]),
        "event_counts": _counts(_event_classes(store, _ASSERTED_EVENTS_OF_ACTOR, b).values()),
    }


def _posts(store: GraphStore, posts: Iterable[str]) -> list[PostView]:
    found: list[PostView] = []
    for post in posts:
        facts = _facts(store, post, "dip:title rdfs:label org:postIn")
        where = min(facts[ORG + "postIn"], default=None)
        found.append(
            {
                "title": min(facts[DIP + "title"], default=None),
                "label": min(facts[RDFS + "label"], default=None),
                "in": None
                if where is None
                else {"id": local_id(where), "label": _refs(store, [where])[where][0]},
            }
        )
    return sorted(found, key=lambda p: (p["title"] or "", p["label"] or ""))


# -- events ----------------------------------------------------------------------------------


def get_event(store: GraphStore, event_id: str) -> EventView | None:
    """The event with this id, whatever its modality, or None."""
    if not valid_id(event_id):
        return None
    # the triple pattern first: pyoxigraph leaves a substituted variable unbound in a leading BIND
    selection = "?event a dip:Event . BIND(?event AS ?e)"
    events = events_where(store, selection, {"event": event_iri(event_id)})
    return next(iter(events.values()), None)


def _event_classes(
    store: GraphStore, selection: str, bindings: Mapping[str, Term]
) -> dict[str, list[str]]:
    """Event IRI → its dip: class local names, for the events `selection` binds to ?e."""
    classes: dict[str, list[str]] = defaultdict(list)
    where = selection + "\n?e a ?cls . FILTER(STRSTARTS(STR(?cls), STR(dip:)))"
    for row in _select(store, "?e ?cls", where, bindings):
        name = _dip(row["cls"])
        if name is not None:
            classes[row["e"]].append(name)
    known = superclasses()
    # every event is typed dip:Event; keep its event classes (and any dip: class the ontology lacks)
    return {
        e: [n for n in names if "Event" in known.get(n, ("Event",))]
        for e, names in classes.items()
        if "Event" in names
    }


def _counts(classes: Iterable[list[str]]) -> dict[str, int]:
    counts = Counter(most_specific(names) for names in classes)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def events_where(
    store: GraphStore, selection: str, bindings: Mapping[str, Term]
) -> dict[str, EventView]:
    """Event IRI → Event object, for the events a SPARQL `selection` binds to ?e.

    `selection` is a graph pattern written by this package (never user text) over ?e and the
    bound variables, joining event-level triples only; the events are built in a few batched
    queries, whatever their number, plus one per place and participant.
    """
    classes = _event_classes(store, selection, bindings)
    if not classes:
        return {}
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _select(
        store,
        "?e ?p ?o",
        selection
        + """
        ?e ?p ?o .
        FILTER(?p IN (rdfs:label, dip:date, dip:earliest, dip:latest, dip:topic, dip:modality,
                      dip:confidence, dip:place))
        """,
        bindings,
    ):
        facts[row["e"]][row["p"]].add(row["o"])
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _select(
        store,
        "?e ?role ?who",
        selection
        + "?e ?role ?who . FILTER(?role IN (dip:participant, dip:initiator, dip:recipient))",
        bindings,
    ):
        roles[row["e"]][row["who"]].add(row["role"][len(DIP) :])
    places = {min(f[DIP + "place"]) for f in facts.values() if f[DIP + "place"]}
    names = _refs(store, [*places, *(who for by in roles.values() for who in by)])
    evidence = _evidence(store, selection, bindings)

    events: dict[str, EventView] = {}
    for iri, types in classes.items():
        f = facts[iri]
        dates = f[DIP + "date"]
        place = min(f[DIP + "place"], default=None)
        events[iri] = {
            "id": local_id(iri),
            "iri": iri,
            "type": most_specific(types),
            "types": _by_specificity(types),
            "label": min(f[RDFS + "label"], default=None),
            # the most precise date (a day over a month over a year)
            "date": min(dates, key=lambda d: (-len(d), d)) if dates else None,
            "earliest": max(f[DIP + "earliest"], default=None),
            "latest": min(f[DIP + "latest"], default=None),
            "place": None if place is None else {"id": local_id(place), "label": names[place][0]},
            "modality": next((m for m in MODALITIES if DIP + m in f[DIP + "modality"]), None),
            "confidence": max((float(c) for c in f[DIP + "confidence"]), default=0.0),
            "topic": min(f[DIP + "topic"], default=None),
            "participants": _participants(roles[iri], names),
            "evidence": evidence.get(iri, []),
        }
    return events


def _participants(
    roles: Mapping[str, set[str]], names: Mapping[str, tuple[str | None, ActorKind | None]]
) -> list[ParticipantView]:
    people: list[ParticipantView] = [
        {
            "id": local_id(actor),
            "label": names[actor][0],
            # the most specific link: dip:initiator and dip:recipient also imply dip:participant
            "role": next(r for r in ROLES if r in found or r == "participant"),
        }
        for actor, found in roles.items()
    ]
    return sorted(
        people, key=lambda p: (ROLES.index(p["role"]), (p["label"] or "").casefold(), p["id"])
    )


def _evidence(
    store: GraphStore, selection: str, bindings: Mapping[str, Term]
) -> dict[str, list[EvidenceView]]:
    # mentions and documents are each in their one document graph: these joins stay small
    rows = _select(
        store,
        "?e ?m ?doc ?docTitle ?docDate ?text ?start ?end",
        selection
        + """
        ?e prov:wasDerivedFrom ?m .
        ?m dip:inDocument ?doc ; oa:start ?start ; oa:end ?end .
        OPTIONAL { ?m dip:text ?text }
        OPTIONAL { ?doc dcterms:title ?docTitle }
        OPTIONAL { ?doc dcterms:date ?docDate }
        """,
        bindings,
    )
    seen: dict[str, dict[str, EvidenceView]] = defaultdict(dict)
    for row in rows:
        if row["m"] in seen[row["e"]]:  # several titles or dates for a document: keep one
            continue
        seen[row["e"]][row["m"]] = {
            "document": {
                "id": local_id(row["doc"]),
                "title": row.get("docTitle"),
                "date": row.get("docDate"),
            },
            "sentence": row.get("text"),
            "start": int(row["start"]),
            "end": int(row["end"]),
        }
    return {
        e: sorted(
            by_mention.values(),
            key=lambda v: (v["document"]["date"] or "", v["document"]["id"], v["start"]),
        )
        for e, by_mention in seen.items()
    }


# -- relations -------------------------------------------------------------------------------


def relations(
    store: GraphStore,
    actor_id: str,
    *,
    event_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[RelationView], int] | None:
    """The actors sharing an asserted event with this one, each with those events and their
    counts per most specific class; most events first. None when there is no such actor.

    `event_type` is an event class local name (subclasses included); `since` / `until` keep the
    events whose `dip:earliest` is on or after `since` and whose `dip:latest` is on or before
    `until` (undated events drop out when either is given).

    Raises ValueError for an event type the ontology does not have.
    """
    if not valid_id(actor_id):
        return None
    iri = actor_iri(actor_id)
    if _kind(filter(None, map(_dip, _facts(store, iri.value, "rdf:type")[RDF + "type"]))) is None:
        return None
    b: dict[str, Term] = {"actor": iri}
    selection = _ASSERTED_EVENTS_OF_ACTOR
    if event_type is not None:
        if event_type not in event_classes():
            known = ", ".join(event_classes())
            raise ValueError(f"unknown event type {event_type!r}: use one of {known}")
        selection += "?e a ?eventType .\n"
        b["eventType"] = NamedNode(DIP + event_type)
    if since is not None:
        selection += "?e dip:earliest ?earliest . FILTER(?earliest >= ?since)\n"
        b["since"] = _date(since)
    if until is not None:
        selection += "?e dip:latest ?latest . FILTER(?latest <= ?until)\n"
        b["until"] = _date(until)

    events = events_where(store, selection, b)
    linked: dict[str, list[EventView]] = defaultdict(list)
    for event in events.values():
        for participant in event["participants"]:
            if participant["id"] != actor_id:
                linked[participant["id"]].append(event)
    names = _refs(store, (actor_iri(other).value for other in linked))

    found: list[RelationView] = []
    for other, shared in linked.items():
        label, kind = names[actor_iri(other).value]
        shared.sort(key=lambda ev: (ev["earliest"] is None, ev["earliest"] or "", ev["id"]))
        found.append(
            {
                "actor": {"id": other, "label": label or other, "type": kind},
                "events": shared,
                "counts": _counts([ev["types"] for ev in shared]),
            }
        )
    found.sort(key=lambda r: (-len(r["events"]), r["actor"]["label"].casefold(), r["actor"]["id"]))
    page = found[offset : offset + limit] if limit > 0 else []
    return page, len(found)


# -- resources named by a parameter ----------------------------------------------------------


class NotFound(LookupError):
    """A parameter names an actor or a place the store does not hold (the message says which)."""


#: What `modality=` accepts: asserted events only (the default), every event, or one modality.
MODALITY_FILTERS: tuple[str, ...] = ("asserted", "all", *MODALITIES)


def actor_ref(store: GraphStore, actor_id: str) -> ActorRef | None:
    """The actor's id, label and class, or None when there is no such actor."""
    if not valid_id(actor_id):
        return None
    iri = actor_iri(actor_id).value
    label, kind = _refs(store, [iri])[iri]
    if kind is None:
        return None
    return {"id": actor_id, "label": label or actor_id, "type": kind}


def place_ref(store: GraphStore, place_id: str) -> Ref | None:
    """The place's id and label, or None when there is no such place."""
    if not valid_id(place_id):
        return None
    facts = _facts(store, place_iri(place_id).value, "rdf:type rdfs:label")
    if DIP + "Place" not in facts[RDF + "type"]:
        return None
    return {"id": place_id, "label": min(facts[RDFS + "label"], default=None)}


def _require_actor(store: GraphStore, actor_id: str) -> ActorRef:
    found = actor_ref(store, actor_id)
    if found is None:
        raise NotFound(f"no actor with id {actor_id}")
    return found


def _check_event_type(event_type: str) -> None:
    if event_type not in event_classes():
        known = ", ".join(event_classes())
        raise ValueError(f"unknown event type {event_type!r}: use one of {known}")


def _within(
    selection: str, bindings: dict[str, Term], since: dt.date | None, until: dt.date | None
) -> str:
    """Keep the events dated within [since, until]: `dip:earliest` >= since, `dip:latest` <= until
    (the same window as `relations`; undated events drop out when either bound is given)."""
    if since is not None:
        selection += "?e dip:earliest ?earliest . FILTER(?earliest >= ?since)\n"
        bindings["since"] = _date(since)
    if until is not None:
        selection += "?e dip:latest ?latest . FILTER(?latest <= ?until)\n"
        bindings["until"] = _date(until)
    return selection


def _by_date(dates: Mapping[str, str | None]) -> list[str]:
    """Event IRIs, oldest first, undated ones last, then by id."""
    return sorted(dates, key=lambda e: (dates[e] is None, dates[e] or "", local_id(e)))


# -- event lists -----------------------------------------------------------------------------


def list_events(
    store: GraphStore,
    *,
    event_type: str | None = None,
    actor: str | None = None,
    place: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    modality: str = "asserted",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[EventView], int]:
    """One page of events, oldest first (undated ones last), and how many match in all.

    `event_type` is a class local name (subclasses included); `actor` and `place` are ids of a
    participant and of the place; `since` / `until` keep events within the window (as in
    `relations`); `modality` is "asserted" (no dip:modality, the default), "all", or one modality
    ("Negated", ...).

    Raises ValueError for an unknown event type or modality, NotFound for an unknown actor or place.
    """
    b: dict[str, Term] = {}
    if event_type is not None:
        _check_event_type(event_type)
        selection = "?e a ?eventType .\n"
        b["eventType"] = NamedNode(DIP + event_type)
    else:
        selection = "?e a dip:Event .\n"
    if actor is not None:
        _require_actor(store, actor)
        selection += "?e dip:participant ?actor .\n"
        b["actor"] = actor_iri(actor)
    if place is not None:
        if place_ref(store, place) is None:
            raise NotFound(f"no place with id {place}")
        selection += "?e dip:place ?place .\n"
        b["place"] = place_iri(place)
    if modality == "asserted":
        selection += "FILTER NOT EXISTS { ?e dip:modality ?anyModality }\n"
    elif modality in MODALITIES:
        selection += "?e dip:modality ?wantedModality .\n"
        b["wantedModality"] = NamedNode(DIP + modality)
    elif modality != "all":
        raise ValueError(f"unknown modality {modality!r}: use one of {', '.join(MODALITY_FILTERS)}")
    selection = _within(selection, b, since, until)

    dates: dict[str, str | None] = {}
    for row in _select(store, "?e ?when", selection + "OPTIONAL { ?e dip:earliest ?when }", b):
        when = row.get("when")
        dates[row["e"]] = max(filter(None, (dates.get(row["e"]), when)), default=None)
    ordered = _by_date(dates)
    page = ordered[offset : offset + limit] if limit > 0 else []
    events = events_by_iri(store, page)
    return [events[iri] for iri in page if iri in events], len(ordered)


def events_by_iri(store: GraphStore, iris: Iterable[str]) -> dict[str, EventView]:
    """Event IRI → Event object, for IRIs taken from the store (unknown ones are left out).

    The IRIs are written into the query as terms serialised by pyoxigraph (NamedNode validates
    them), a few hundred per query.
    """
    wanted = sorted(set(iris))
    found: dict[str, EventView] = {}
    for start in range(0, len(wanted), 200):
        terms = " ".join(str(NamedNode(iri)) for iri in wanted[start : start + 200])
        found.update(events_where(store, f"VALUES ?e {{ {terms} }}\n", {}))
    return found


# -- timelines -------------------------------------------------------------------------------


class BucketView(TypedDict):
    month: str
    counts: dict[str, int]
    events: int
    event_ids: list[str]


class TimelineView(TypedDict):
    a: ActorRef
    b: ActorRef | None
    buckets: list[BucketView]
    undated: int
    total: int


def timeline(
    store: GraphStore,
    a: str,
    b: str | None = None,
    *,
    event_type: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> TimelineView:
    """The asserted events of actor `a` (shared with `b` when given), counted per month.

    An event goes in the month its date falls in when it is dated to a day or a month; events
    dated to a year only, or not at all, are counted in `undated`. The buckets run from the first
    month with an event to the last, empty months included.

    Raises NotFound for an unknown actor, ValueError for an unknown event type.
    """
    first = _require_actor(store, a)
    second = _require_actor(store, b) if b is not None else None
    bindings: dict[str, Term] = {"actor": actor_iri(a)}
    selection = _ASSERTED_EVENTS_OF_ACTOR
    if b is not None:
        selection += "?e dip:participant ?other .\n"
        bindings["other"] = actor_iri(b)
    if event_type is not None:
        _check_event_type(event_type)
        selection += "?e a ?eventType .\n"
        bindings["eventType"] = NamedNode(DIP + event_type)
    selection = _within(selection, bindings, since, until)

    classes = _event_classes(store, selection, bindings)
    spans: dict[str, tuple[str, str]] = {}
    dates = "?e dip:earliest ?first ; dip:latest ?last ."
    for row in _select(store, "?e ?first ?last", selection + dates, bindings):
        old = spans.get(row["e"])
        # several values (reports at different precisions): the narrowest span, as events_where
        spans[row["e"]] = (
            max(row["first"], old[0]) if old else row["first"],
            min(row["last"], old[1]) if old else row["last"],
        )
    months: dict[str, list[str]] = defaultdict(list)
    undated = 0
    for event in classes:
        span = spans.get(event)
        if span is None or span[0][:7] != span[1][:7]:
            undated += 1
        else:
            months[span[0][:7]].append(event)
    buckets: list[BucketView] = []
    for month in _months(min(months), max(months)) if months else []:
        events = sorted(months.get(month, []), key=local_id)
        buckets.append(
            {
                "month": month,
                "counts": _counts(classes[e] for e in events),
                "events": len(events),
                "event_ids": [local_id(e) for e in events],
            }
        )
    return {"a": first, "b": second, "buckets": buckets, "undated": undated, "total": len(classes)}


def _months(first: str, last: str) -> list[str]:
    """Every `YYYY-MM` from `first` to `last`, both included."""
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


# -- actor networks (the actor graph of kg.analysis) ------------------------------------------


class EdgeView(TypedDict):
    source: str
    target: str
    counts: dict[str, int]
    weight: int
    events: list[EventView]


class NetworkView(TypedDict):
    nodes: list[ActorView]
    edges: list[EdgeView]


class StepView(TypedDict):
    actor: ActorRef
    via: EventView | None


class PathsView(TypedDict):
    paths: list[list[StepView]]
    a: ActorRef
    b: ActorRef


def actor_graph(
    store: GraphStore,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_all_modalities: bool = False,
) -> nx.Graph:
    """The graph kg.analysis.actor_graph builds (actors joined by the events they share, the same
    nodes, edges and attributes), read with queries that stay linear in the number of documents.

    kg.analysis.actor_graph joins each participant's label and class in one query; with the union
    graph repeating an actor's triples once per document naming it, that join grows with the
    square of those documents (minutes for a few thousand documents). Here the events are joined
    over event-level triples only and labels and classes read with one-pattern queries.

    `since` / `until` keep the events whose dates overlap the window, as kg.analysis does.
    """
    bindings: dict[str, Term] = {}
    selection = "?e a dip:Event .\n"
    if not include_all_modalities:
        selection += "FILTER NOT EXISTS { ?e dip:modality ?anyModality }\n"
    if since is not None:
        selection += "?e dip:latest ?latest . FILTER(?latest >= ?since)\n"
        bindings["since"] = _date(since)
    if until is not None:
        selection += "?e dip:earliest ?earliest . FILTER(?earliest <= ?until)\n"
        bindings["until"] = _date(until)
    members: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, "?e ?a", selection + "?e dip:participant ?a .", bindings):
        members[local_id(row["e"])].add(local_id(row["a"]))
    classes = _event_classes(store, selection, bindings)
    kind_of = {local_id(e): most_specific(names) for e, names in classes.items()}
    members = {e: actors for e, actors in members.items() if e in kind_of}
    actors = set().union(*members.values()) if members else set()
    labels: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, "?a ?label", "?a rdfs:label ?label ."):
        if local_id(row["a"]) in actors and row["a"].startswith(DIPR + "actor/"):
            labels[local_id(row["a"])].add(row["label"])
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, "?a ?kind", f"?a a ?kind . FILTER(?kind IN ({_commas(_KINDS)}))"):
        if local_id(row["a"]) in actors and row["a"].startswith(DIPR + "actor/"):
            kinds[local_id(row["a"])].add(row["kind"][len(DIP) :])
    return build_actor_graph(members, kind_of, labels, kinds)


def ego_network(
    store: GraphStore,
    actor_id: str,
    *,
    depth: int = 1,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> NetworkView | None:
    """The actors within `depth` links of this one in the actor graph (actors joined by shared
    asserted events), every link among them, and the events behind each link. None when there is
    no such actor; an actor sharing no event is a network of one node.

    `since` / `until` keep the events whose dates overlap the window (as `actor_graph`).
    """
    if actor_ref(store, actor_id) is None:
        return None
    graph = actor_graph(store, since=since, until=until)
    if actor_id in graph:
        ego = nx.ego_graph(graph, actor_id, radius=depth)
    else:
        ego = nx.Graph()
        ego.add_node(actor_id)
    nodes: dict[str, ActorView] = {}
    for node in ego.nodes:
        actor = _actor(store, actor_iri(node).value)
        if actor is not None:  # an actor without a class cannot be shown: leave it out
            nodes[node] = actor
    links: list[tuple[str, str, list[str], dict[str, int], int]] = []
    for u, v, data in ego.edges(data=True):
        if u in nodes and v in nodes:
            source, target = sorted((u, v))
            links.append((source, target, list(data["events"]), data["counts"], data["weight"]))
    events = _linked_events(store, (e for link in links for e in link[2]))
    edges: list[EdgeView] = [
        {
            "source": source,
            "target": target,
            "counts": dict(counts),
            "weight": int(weight),
            "events": _oldest_first(events[e] for e in shared if e in events),
        }
        for source, target, shared, counts, weight in links
    ]
    edges.sort(key=lambda e: (-e["weight"], e["source"], e["target"]))
    order = sorted(nodes, key=lambda n: (n != actor_id, nodes[n]["label"].casefold(), n))
    return {"nodes": [nodes[n] for n in order], "edges": edges}


def paths(
    store: GraphStore,
    a: str,
    b: str,
    *,
    max_length: int = 4,
    limit: int = 10,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> PathsView:
    """The shortest chains of actors linking `a` to `b` in the actor graph, at most `max_length`
    links long and at most `limit` of them, shortest first (networkx shortest_simple_paths).

    Each step names an actor and, after the first, `via`: an asserted event that the actor shares
    with the one before it (the most recent such event). No path is an empty list.

    Raises NotFound for an unknown actor, ValueError when `a` and `b` are the same actor.
    """
    first, second = _require_actor(store, a), _require_actor(store, b)
    if a == b:
        raise ValueError("a and b are the same actor: a path links two different actors")
    graph = actor_graph(store, since=since, until=until)
    chains: list[list[str]] = []
    if a in graph and b in graph:
        try:
            for chain in nx.shortest_simple_paths(graph, a, b):
                if len(chain) - 1 > max_length or len(chains) >= limit:
                    break
                chains.append(chain)
        except nx.NetworkXNoPath:
            pass
    pairs = {(u, v) for chain in chains for u, v in itertools.pairwise(chain)}
    events = _linked_events(store, (e for u, v in pairs for e in graph.edges[u, v]["events"]))

    def via(u: str, v: str) -> EventView | None:
        shared = [events[e] for e in graph.edges[u, v]["events"] if e in events]
        return max(shared, key=_recency, default=None)

    def ref(node: str) -> ActorRef:
        data = graph.nodes[node]
        kind = data.get("type")
        return {
            "id": node,
            "label": data.get("label") or node,
            "type": kind if kind in ACTOR_KINDS else None,
        }

    found: list[list[StepView]] = []
    for chain in chains:
        steps: list[StepView] = [{"actor": ref(chain[0]), "via": None}]
        steps.extend({"actor": ref(v), "via": via(u, v)} for u, v in itertools.pairwise(chain))
        found.append(steps)
    return {"paths": found, "a": first, "b": second}


def _linked_events(store: GraphStore, event_ids: Iterable[str]) -> dict[str, EventView]:
    """Event id → Event object, for ids taken from the actor graph."""
    events = events_by_iri(store, (event_iri(e).value for e in event_ids))
    return {event["id"]: event for event in events.values()}


def _recency(event: EventView) -> tuple[str, float, str]:
    return (event["earliest"] or "", event["confidence"], event["id"])


def _oldest_first(events: Iterable[EventView]) -> list[EventView]:
    return sorted(events, key=lambda ev: (ev["earliest"] is None, ev["earliest"] or "", ev["id"]))
