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

#: A graph pattern binding ?e to the asserted events ?actor takes part in.
ASSERTED_EVENTS_OF_ACTOR = """
?e dip:participant ?actor .
FILTER NOT EXISTS { ?e dip:modality ?anyModality }
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
    read with one triple pattern."""
    found: dict[str, set[str]] = defaultdict(set)
    where = f"?s ?p ?o . FILTER(?p IN ({_commas(predicates)}))"
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


def _commas(names: str) -> str:
    # FILTER(?p IN (...)) rather than VALUES ?p {...}: pyoxigraph 0.5 plans the VALUES join
    # badly, forty times slower here
    return ", ".join(names.split())
