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
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import TypedDict, get_args

from pyoxigraph import Literal, NamedNode

from kg.namespaces import DIP, ORG, RDF, RDFS, SKOS, XSD
from kg.rdf import actor_iri, event_iri, local_id, superclasses
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
