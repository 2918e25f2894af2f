"""What users send: ids and dates checked, and the actors, places, event types and date windows
that parameters name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from kg.namespaces import DIP, RDF, RDFS
from kg.queries.common import MODALITIES, event_classes, facts, refs
from kg.queries.sparql import Readable, xsd_date
from kg.queries.views import ActorRef, Ref
from kg.rdf import actor_iri, place_iri
from kg.store import Term

#: What an id (the last segment of a minted IRI) may look like: kg.ids' characters, no slash.
_ID = re.compile(r"[A-Za-z0-9._~-]{1,200}")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


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


# -- resources named by a parameter ----------------------------------------------------------


class NotFound(LookupError):
    """A parameter names an actor or a place the store does not hold (the message says which)."""


#: What `modality=` accepts: asserted events only (the default), every event, or one modality.
MODALITY_FILTERS: tuple[str, ...] = ("asserted", "all", *MODALITIES)


def actor_ref(store: Readable, actor_id: str) -> ActorRef | None:
    """The actor's id, label and class, or None when there is no such actor."""
    if not valid_id(actor_id):
        return None
    iri = actor_iri(actor_id).value
    label, kind = refs(store, [iri])[iri]
    if kind is None:
        return None
    return {"id": actor_id, "label": label or actor_id, "type": kind}


def place_ref(store: Readable, place_id: str) -> Ref | None:
    """The place's id and label, or None when there is no such place."""
    if not valid_id(place_id):
        return None
    known = facts(store, place_iri(place_id).value, "rdf:type rdfs:label")
    if DIP + "Place" not in known[RDF + "type"]:
        return None
    return {"id": place_id, "label": min(known[RDFS + "label"], default=None)}


def require_actor(store: Readable, actor_id: str) -> ActorRef:
    """The actor's reference; NotFound when there is no such actor."""
    found = actor_ref(store, actor_id)
    if found is None:
        raise NotFound(f"no actor with id {actor_id}")
    return found


def check_event_type(event_type: str) -> None:
    """ValueError naming the known classes unless `event_type` is an event class local name."""
    if event_type not in event_classes():
        known = ", ".join(event_classes())
        raise ValueError(f"unknown event type {event_type!r}: use one of {known}")


def as_filters(patterns: Iterable[str]) -> list[str]:
    """Graph patterns on ?e as tests of each ?e (`FILTER EXISTS { ... }`) rather than joins.

    A join of several patterns on one event costs the product of the copies of its triples that
    a union default graph holds (one per document graph naming it); a test costs one lookup per
    event. Filters (`FILTER ...`, `MINUS { ... }`) are tests already and are kept as they are.
    """
    return [
        p + "\n" if p.lstrip().startswith(("FILTER", "MINUS")) else f"FILTER EXISTS {{ {p} }}\n"
        for p in patterns
    ]


def within(
    selection: str, bindings: dict[str, Term], since: dt.date | None, until: dt.date | None
) -> str:
    """Keep the events dated within [since, until]: `dip:earliest` >= since, `dip:latest` <= until
    (the same window as `kg.analysis.relations`; undated events drop out when either bound is given).

    The bounds are tests of the events `selection` yields (see `tests`)."""
    patterns = []
    if since is not None:
        patterns.append("?e dip:earliest ?earliest . FILTER(?earliest >= ?since)")
        bindings["since"] = xsd_date(since)
    if until is not None:
        patterns.append("?e dip:latest ?latest . FILTER(?latest <= ?until)")
        bindings["until"] = xsd_date(until)
    return selection + "".join(as_filters(patterns))
