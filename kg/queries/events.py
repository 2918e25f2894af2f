"""Events: built from a SPARQL selection in a few batched queries, one by id, or a page of them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from pyoxigraph import NamedNode

from kg.namespaces import DIP, RDFS
from kg.queries.common import MODALITIES, ROLES, refs
from kg.queries.params import (
    MODALITY_FILTERS,
    NotFound,
    as_filters,
    check_event_type,
    place_ref,
    require_actor,
    valid_id,
    within,
)
from kg.queries.sparql import (
    Readable,
    by_specificity,
    event_classes_of,
    most_specific,
    select_where,
)
from kg.queries.views import EventView, EvidenceView, ParticipantView
from kg.rdf import actor_iri, event_iri, local_id, place_iri
from kg.records import ActorKind
from kg.store import Term

#: IRI → (label, actor class), as `kg.queries.refs` answers
Names = Mapping[str, tuple[str | None, ActorKind | None]]


def get_event(store: Readable, event_id: str) -> EventView | None:
    """The event with this id, whatever its modality, or None."""
    if not valid_id(event_id):
        return None
    iri = event_iri(event_id).value
    return events_by_iri(store, [iri]).get(iri)


def events_where(
    store: Readable, selection: str, bindings: Mapping[str, Term]
) -> dict[str, EventView]:
    """Event IRI → Event object, for the events a SPARQL `selection` binds to ?e.

    `selection` is a graph pattern written by this package (never user text) over ?e and the
    bound variables. It is run once, for the events' IRIs; the events are then built from their
    IRIs (`events_by_iri`), so the selection's joins are never repeated per detail.
    """
    return events_by_iri(store, event_iris(store, selection, bindings))


def event_iris(store: Readable, selection: str, bindings: Mapping[str, Term]) -> list[str]:
    """The IRIs a SPARQL `selection` binds to ?e, sorted."""
    return sorted({row["e"] for row in select_where(store, "?e", selection, bindings)})


def _build(store: Readable, selection: str, known: Names | None = None) -> dict[str, EventView]:
    """Event IRI → Event object, for the events a VALUES `selection` names; a few batched
    queries, whatever their number, plus one per place and participant."""
    bindings: dict[str, Term] = {}
    classes = event_classes_of(store, selection, bindings)
    if not classes:
        return {}
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    wanted = "rdfs:label dip:date dip:earliest dip:latest dip:topic dip:modality dip:confidence"
    # one pattern per predicate: `?e ?p ?o FILTER(?p IN ...)` would walk every mention too
    where = " UNION ".join(
        f"{{ ?e {p} ?o BIND({p} AS ?p) }}" for p in f"{wanted} dip:place".split()
    )
    for row in select_where(store, "?e ?p ?o", selection + where, bindings):
        facts[row["e"]][row["p"]].add(row["o"])
    roles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in select_where(
        store,
        "?e ?role ?who",
        selection
        + "?e ?role ?who . FILTER(?role IN (dip:participant, dip:initiator, dip:recipient))",
        bindings,
    ):
        roles[row["e"]][row["who"]].add(row["role"][len(DIP) :])
    places = {min(f[DIP + "place"]) for f in facts.values() if f[DIP + "place"]}
    named = [*places, *(who for by in roles.values() for who in by)]
    names = dict(known or {})
    names.update(refs(store, [iri for iri in named if iri not in names]))
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
            "types": by_specificity(types),
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
    store: Readable, selection: str, bindings: Mapping[str, Term]
) -> dict[str, list[EvidenceView]]:
    # mentions and documents are each in their one document graph: these joins stay small
    rows = select_where(
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


# -- event lists -----------------------------------------------------------------------------


def list_events(
    store: Readable,
    *,
    event_type: str | None = None,
    actors: Sequence[str] = (),
    place: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    modality: str = "asserted",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[EventView], int]:
    """One page of events, oldest first (undated ones last), and how many match in all.

    `event_type` is a class local name (subclasses included); `actors` are ids of actors that
    all take part, `place` the id of the place; `since` / `until` keep events within the window
    (as `kg.analysis.relations`); `modality` is "asserted" (no dip:modality, the default), "all", or one
    modality ("Negated", ...). The page is cut before any event is read in full.

    Raises ValueError for an unknown event type or modality, NotFound for an unknown actor or place.
    """
    b: dict[str, Term] = {}
    # one pattern yields the events (the most selective given), the others only test them
    patterns = []
    for number, actor in enumerate(actors):
        require_actor(store, actor)
        patterns.append(f"?e dip:participant ?actor{number} .")
        b[f"actor{number}"] = actor_iri(actor)
    if place is not None:
        if place_ref(store, place) is None:
            raise NotFound(f"no place with id {place}")
        patterns.append("?e dip:place ?place .")
        b["place"] = place_iri(place)
    if event_type is not None:
        check_event_type(event_type)
        patterns.append("?e a ?eventType .")
        b["eventType"] = NamedNode(DIP + event_type)
    elif not patterns:
        patterns.append("?e a dip:Event .")
    if modality == "asserted":
        # MINUS, not FILTER NOT EXISTS: the same answer, several times as fast in pyoxigraph 0.5
        patterns.append("MINUS { ?e dip:modality ?anyModality }")
    elif modality in MODALITIES:
        patterns.append("?e dip:modality ?wantedModality .")
        b["wantedModality"] = NamedNode(DIP + modality)
    elif modality != "all":
        raise ValueError(f"unknown modality {modality!r}: use one of {', '.join(MODALITY_FILTERS)}")
    selection = patterns[0] + "\n" + "".join(as_filters(patterns[1:]))
    selection = within(selection, b, since, until)

    dates: dict[str, str | None] = {}
    for row in select_where(store, "?e ?when", selection + "OPTIONAL { ?e dip:earliest ?when }", b):
        when = row.get("when")
        dates[row["e"]] = max(filter(None, (dates.get(row["e"]), when)), default=None)
    ordered = _by_date(dates)
    page = ordered[offset : offset + limit] if limit > 0 else []
    events = events_by_iri(store, page)
    return [events[iri] for iri in page if iri in events], len(ordered)


def _by_date(dates: Mapping[str, str | None]) -> list[str]:
    """Event IRIs, oldest first, undated ones last, then by id."""
    return sorted(dates, key=lambda e: (dates[e] is None, dates[e] or "", local_id(e)))


def events_by_iri(
    store: Readable, iris: Iterable[str], names: Names | None = None
) -> dict[str, EventView]:
    """Event IRI → Event object, for IRIs taken from the store (unknown ones are left out).

    The IRIs are written into the query as terms serialised by pyoxigraph (NamedNode validates
    them), a few hundred per query. `names` (IRI → label and actor class) spares a lookup per
    participant the caller knows already.
    """
    wanted = sorted(set(iris))
    found: dict[str, EventView] = {}
    for start in range(0, len(wanted), 200):
        terms = " ".join(str(NamedNode(iri)) for iri in wanted[start : start + 200])
        found.update(_build(store, f"VALUES ?e {{ {terms} }}\n", names))
    return found
