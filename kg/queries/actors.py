"""Actors: one by id, or a page of them filtered by name and class."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from pyoxigraph import NamedNode

from kg.namespaces import DIP, ORG, RDF, RDFS, SKOS
from kg.queries.common import ACTOR_KINDS, ASSERTED_EVENTS_OF_ACTOR, actor_kind, facts, refs
from kg.queries.params import valid_id
from kg.queries.sparql import (
    Readable,
    class_counts,
    dip_name,
    event_classes_of,
    select_pairs,
)
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


@dataclass(frozen=True)
class ActorDirectory:
    """Every actor of the store in label order, with the folded names a search matches: what
    `list_actors` filters and pages in memory. Read once per store version (kg.analysis keeps
    it), it turns a search from a SPARQL scan plus a query per actor shown into a loop."""

    views: tuple[ActorView, ...]  # without event counts (the caller's index has them)
    kinds: tuple[frozenset[str], ...]  # every actor class each one is typed with
    names: tuple[tuple[str, ...], ...]  # its label and aliases, lower-cased

    def __len__(self) -> int:
        return len(self.views)

    @cached_property
    def by_iri(self) -> Mapping[str, ActorView]:
        """Actor IRI → its view (event counts empty)."""
        return {view["iri"]: view for view in self.views}


def actor_directory(store: Readable) -> ActorDirectory:
    """The directory of every actor (a resource typed with an actor class), from one-pattern
    reads of the facts an Actor object shows; the same objects `actor_view` makes one by one."""
    wanted = ", ".join(f"dip:{k}" for k in ACTOR_KINDS)
    kinds: dict[str, set[str]] = defaultdict(set)
    for s, o in select_pairs(store, _pairs("rdf:type", f"FILTER(?o IN ({wanted}))")):
        if (name := dip_name(o)) is not None:
            kinds[s].add(name)
    values = {p: _values(store, p) for p in ("rdfs:label", "skos:altLabel", "dip:iso3")}
    labels, aliases, codes = values["rdfs:label"], values["skos:altLabel"], values["dip:iso3"]
    holds = _values(store, "org:holds", subjects=set(kinds))
    posts = {p for held in holds.values() for p in held}
    titles = _values(store, "dip:title", subjects=posts)
    where = _values(store, "org:postIn", subjects=posts)
    rows: list[tuple[tuple[str, str], ActorView, frozenset[str], tuple[str, ...]]] = []
    for iri, types in kinds.items():
        kind = actor_kind(types)
        assert kind is not None  # typed with an actor class by the read above
        label = min(labels.get(iri, ()), default=local_id(iri))
        view: ActorView = {
            "id": local_id(iri),
            "iri": iri,
            "label": label,
            "type": kind,
            "aliases": sorted(aliases.get(iri, set()) - {label}, key=lambda s: (s.casefold(), s)),
            "iso3": min(codes.get(iri, ()), default=None),
            "posts": _post_views(holds.get(iri, set()), titles, labels, where),
            "event_counts": {},
        }
        names = tuple(n.lower() for n in labels.get(iri, set()) | aliases.get(iri, set()))
        rows.append(((label.casefold(), local_id(iri)), view, frozenset(types), names))
    rows.sort(key=lambda row: row[0])
    return ActorDirectory(
        tuple(r[1] for r in rows), tuple(r[2] for r in rows), tuple(r[3] for r in rows)
    )


def _pairs(predicate: str, where: str = "") -> str:
    return f"SELECT ?s ?o WHERE {{ ?s {predicate} ?o . {where} }}"


def _values(
    store: Readable, predicate: str, subjects: set[str] | None = None
) -> dict[str, set[str]]:
    """Subject → its values of one predicate (for the given subjects only, when given)."""
    found: dict[str, set[str]] = defaultdict(set)
    for s, o in select_pairs(store, _pairs(predicate)):
        if subjects is None or s in subjects:
            found[s].add(o)
    return found


def _post_views(
    posts: set[str],
    titles: Mapping[str, set[str]],
    labels: Mapping[str, set[str]],
    where: Mapping[str, set[str]],
) -> list[PostView]:
    """The posts an actor holds, as `_posts` reads them one by one."""
    found: list[PostView] = []
    for post in posts:
        state = min(where.get(post, ()), default=None)
        found.append(
            {
                "title": min(titles.get(post, ()), default=None),
                "label": min(labels.get(post, ()), default=None),
                "in": None
                if state is None
                else {"id": local_id(state), "label": min(labels.get(state, ()), default=None)},
            }
        )
    return sorted(found, key=lambda p: (p["title"] or "", p["label"] or ""))


def list_actors(
    store: Readable,
    *,
    q: str | None = None,
    kind: ActorKind | None = None,
    limit: int = 50,
    offset: int = 0,
    counts: EventCounts | None = None,
    directory: ActorDirectory | None = None,
) -> tuple[list[ActorView], int]:
    """One page of actors sorted by label, and how many match in all.

    `q` matches the label or any alias as a case-insensitive substring; `kind` keeps one class.
    `directory` is the store's `actor_directory` when the caller keeps it (else read here).
    """
    found = directory if directory is not None else actor_directory(store)
    needle = q.lower() if q else None
    matches = [
        view
        for view, kinds, names in zip(found.views, found.kinds, found.names, strict=True)
        if (kind is None or kind in kinds)
        and (needle is None or any(needle in name for name in names))
    ]
    page = matches[offset : offset + limit] if limit > 0 else []
    actors: list[ActorView] = []
    for view in page:
        counted = (
            dict(counts.get(view["id"], {}))
            if counts is not None
            else class_counts(
                event_classes_of(
                    store, ASSERTED_EVENTS_OF_ACTOR, {"actor": NamedNode(view["iri"])}
                ).values()
            )
        )
        actors.append({**view, "event_counts": counted})  # the directory's views stay as read
    return actors, len(matches)


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
