"""Actors: one by id, or a page of them filtered by name and class."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from pyoxigraph import Literal, NamedNode

from kg.namespaces import DIP, ORG, RDF, RDFS, SKOS
from kg.queries.common import ACTOR_CLASSES, ASSERTED_EVENTS_OF_ACTOR, actor_kind, facts, refs
from kg.queries.params import valid_id
from kg.queries.sparql import Readable, class_counts, dip_name, event_classes_of, select_where
from kg.queries.views import ActorView, PostView
from kg.rdf import actor_iri, local_id
from kg.records import ActorKind
from kg.store import Term

#: Actor id → its asserted events per most specific class, when the caller has them already
#: (kg.analysis keeps them per store version); an actor missing from it has none.
EventCounts = Mapping[str, dict[str, int]]


def get_actor(
    store: Readable, actor_id: str, *, counts: EventCounts | None = None
) -> ActorView | None:
    """The actor with this id, or None (also for an id no actor can have)."""
    if not valid_id(actor_id):
        return None
    return actor_view(store, actor_iri(actor_id).value, counts=counts)


def list_actors(
    store: Readable,
    *,
    q: str | None = None,
    kind: ActorKind | None = None,
    limit: int = 50,
    offset: int = 0,
    counts: EventCounts | None = None,
) -> tuple[list[ActorView], int]:
    """One page of actors sorted by label, and how many match in all.

    `q` matches the label or any alias as a case-insensitive substring; `kind` keeps one class.
    """
    kinds = select_where(store, "?a", f"?a a ?kind . VALUES ?kind {{ {ACTOR_CLASSES} }}")
    found = {row["a"] for row in kinds}
    if kind is not None:
        rows = select_where(
            store, "?a", "?a a ?wantedKind .", {"wantedKind": NamedNode(DIP + kind)}
        )
        found &= {row["a"] for row in rows}
    if q:
        where = """
        ?a rdfs:label|skos:altLabel ?name .
        FILTER(CONTAINS(LCASE(STR(?name)), LCASE(STR(?q))))
        """
        found &= {row["a"] for row in select_where(store, "?a", where, {"q": Literal(q)})}
    labels: dict[str, set[str]] = defaultdict(set)
    for row in select_where(store, "?a ?label", "?a rdfs:label ?label ."):
        if row["a"] in found:
            labels[row["a"]].add(row["label"])
    ordered = sorted(
        found, key=lambda a: (min(labels[a], default=local_id(a)).casefold(), local_id(a))
    )
    page = ordered[offset : offset + limit] if limit > 0 else []
    actors = [actor_view(store, iri, counts=counts) for iri in page]
    return [a for a in actors if a is not None], len(ordered)


def actor_view(store: Readable, iri: str, *, counts: EventCounts | None = None) -> ActorView | None:
    """The Actor object of the actor with this IRI, or None when it has no actor class.

    `event_counts` comes from `counts` when given, else from a query over the actor's events
    (which grows with them: thousands for the most reported actors)."""
    known = facts(store, iri, "rdf:type rdfs:label skos:altLabel dip:iso3 org:holds")
    kind = actor_kind(filter(None, map(dip_name, known[RDF + "type"])))
    if kind is None:
        return None
    label = min(known[RDFS + "label"], default=local_id(iri))
    b: dict[str, Term] = {"actor": NamedNode(iri)}
    return {
        "id": local_id(iri),
        "iri": iri,
        "label": label,
        "type": kind,
        "aliases": sorted(known[SKOS + "altLabel"] - {label}, key=lambda s: (s.casefold(), s)),
        "iso3": min(known[DIP + "iso3"], default=None),
        "posts": _posts(store, known[ORG + "holds"]),
        "event_counts": dict(counts.get(local_id(iri), {}))
        if counts is not None
        else class_counts(event_classes_of(store, ASSERTED_EVENTS_OF_ACTOR, b).values()),
    }


def _posts(store: Readable, posts: Iterable[str]) -> list[PostView]:
    found: list[PostView] = []
    for post in posts:
        known = facts(store, post, "dip:title rdfs:label org:postIn")
        where = min(known[ORG + "postIn"], default=None)
        found.append(
            {
                "title": min(known[DIP + "title"], default=None),
                "label": min(known[RDFS + "label"], default=None),
                "in": None
                if where is None
                else {"id": local_id(where), "label": refs(store, [where])[where][0]},
            }
        )
    return sorted(found, key=lambda p: (p["title"] or "", p["label"] or ""))
