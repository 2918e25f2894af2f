"""What the query modules share: the contract's vocabularies, the ontology's event classes, and the
small SPARQL helpers that read one resource's facts with one-pattern queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import get_args

from pyoxigraph import NamedNode

from kg.namespaces import RDF, RDFS
from kg.queries.sparql import Readable, dip_name, select_where
from kg.rdf import superclasses
from kg.records import ActorKind, Modality, Role

ACTOR_KINDS: tuple[ActorKind, ...] = get_args(ActorKind)
MODALITIES: tuple[Modality, ...] = get_args(Modality)
ROLES: tuple[Role, ...] = ("initiator", "recipient", "participant")  # strongest role first

#: The actor classes, for a `VALUES ?kind { ... }` or a `FILTER(?kind IN (...))`.
ACTOR_CLASSES = " ".join(f"dip:{k}" for k in ACTOR_KINDS)

#: A graph pattern binding ?e to the asserted events ?actor takes part in (MINUS rather than
#: FILTER NOT EXISTS: the same events, several times as fast in pyoxigraph 0.5).
ASSERTED_EVENTS_OF_ACTOR = """
?e dip:participant ?actor .
MINUS { ?e dip:modality ?anyModality }
"""


def event_classes() -> list[str]:
    """Local names of the ontology's event classes (`Event`, `Meeting`, `Agree`, ...), sorted."""
    return sorted(c for c, sup in superclasses().items() if "Event" in sup)


def actor_kind(kinds: Iterable[str]) -> ActorKind | None:
    """The actor class among dip: class local names (Person, State, Organization), if any."""
    found = set(kinds)
    return next((k for k in ACTOR_KINDS if k in found), None)


def facts(store: Readable, iri: str, predicates: str) -> dict[str, set[str]]:
    """Predicate IRI → values, for one resource and the predicates listed (`"rdfs:label dip:iso3"`),
    read with one triple pattern per predicate (a UNION).

    Not `?s ?p ?o FILTER(?p IN (...))`: that walks every triple of the resource, and an actor
    named in thousands of reports has thousands (its mentions): 10 ms against 0.2 ms."""
    found: dict[str, set[str]] = defaultdict(set)
    where = " UNION ".join(f"{{ ?s {p} ?o BIND({p} AS ?p) }}" for p in predicates.split())
    for row in select_where(store, "?p ?o", where, {"s": NamedNode(iri)}):
        found[row["p"]].add(row["o"])
    return found


def refs(store: Readable, iris: Iterable[str]) -> dict[str, tuple[str | None, ActorKind | None]]:
    """IRI → (label, actor class), one small query per resource."""
    found: dict[str, tuple[str | None, ActorKind | None]] = {}
    for iri in sorted(set(iris)):
        known = facts(store, iri, "rdfs:label rdf:type")
        kinds = filter(None, map(dip_name, known[RDF + "type"]))
        found[iri] = (min(known[RDFS + "label"], default=None), actor_kind(kinds))
    return found
