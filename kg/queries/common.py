"""What the query modules share: the contract's vocabularies, the ontology's event classes, and the
small SPARQL helpers that read one resource's facts with one-pattern queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import get_args

from pyoxigraph import NamedNode

from kg.namespaces import RDF, RDFS
from kg.rdf import superclasses
from kg.reading import dip_name, most_specific, select_where
from kg.records import ActorKind, Modality, Role
from kg.store import GraphStore

ACTOR_KINDS: tuple[ActorKind, ...] = get_args(ActorKind)
MODALITIES: tuple[Modality, ...] = get_args(Modality)
ROLES: tuple[Role, ...] = ("initiator", "recipient", "participant")  # strongest role first


# -- the ontology's event classes ------------------------------------------------------------


def event_classes() -> list[str]:
    """Local names of the ontology's event classes (`Event`, `Meeting`, `Agree`, ...), sorted."""
    return sorted(c for c, sup in superclasses().items() if "Event" in sup)


def _by_specificity(classes: Iterable[str]) -> list[str]:
    closure = superclasses()
    return sorted(set(classes), key=lambda c: (-len(closure.get(c, (c, "Event"))), c))


def _counts(classes: Iterable[list[str]]) -> dict[str, int]:
    counts = Counter(most_specific(names) for names in classes)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# -- SPARQL helpers --------------------------------------------------------------------------


def _facts(store: GraphStore, iri: str, predicates: str) -> dict[str, set[str]]:
    """Predicate IRI → values, for one resource and the predicates listed (one triple pattern)."""
    facts: dict[str, set[str]] = defaultdict(set)
    where = f"?s ?p ?o . FILTER(?p IN ({_commas(predicates)}))"
    for row in select_where(store, "?p ?o", where, {"s": NamedNode(iri)}):
        facts[row["p"]].add(row["o"])
    return facts


def _refs(store: GraphStore, iris: Iterable[str]) -> dict[str, tuple[str | None, ActorKind | None]]:
    """IRI → (label, actor class), one small query per resource."""
    refs: dict[str, tuple[str | None, ActorKind | None]] = {}
    for iri in sorted(set(iris)):
        facts = _facts(store, iri, "rdfs:label rdf:type")
        kinds = filter(None, map(dip_name, facts[RDF + "type"]))
        refs[iri] = (min(facts[RDFS + "label"], default=None), _kind(kinds))
    return refs


def _commas(names: str) -> str:
    # FILTER(?p IN (...)) rather than VALUES ?p {...}: pyoxigraph 0.5 plans the VALUES join
    # badly, forty times slower here
    return ", ".join(names.split())


def _kind(kinds: Iterable[str]) -> ActorKind | None:
    found = set(kinds)
    return next((k for k in ACTOR_KINDS if k in found), None)


_KINDS = " ".join(f"dip:{k}" for k in ACTOR_KINDS)

#: ?e: the asserted events ?actor takes part in
_ASSERTED_EVENTS_OF_ACTOR = """
?e dip:participant ?actor .
FILTER NOT EXISTS { ?e dip:modality ?anyModality }
"""
