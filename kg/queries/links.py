"""Who takes part in which events: the plain data the actor graph of kg.analysis is built from."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from kg.namespaces import DIP, DIPR
from kg.queries.common import ACTOR_KINDS
from kg.queries.sparql import Readable, event_classes_of, most_specific, select_where, xsd_date
from kg.rdf import local_id
from kg.store import Term

#: The actor classes, for a FILTER(?kind IN (...)): pyoxigraph 0.5 plans the same VALUES join badly
_ACTOR_CLASS_LIST = ", ".join(f"dip:{k}" for k in ACTOR_KINDS)


@dataclass(frozen=True)
class Participation:
    """Events and their actors, by id: `members` event → its actors, `classes` event → its most
    specific class, `labels` and `kinds` actor → its labels and actor classes."""

    members: dict[str, frozenset[str]]
    classes: dict[str, str]
    labels: dict[str, frozenset[str]]
    kinds: dict[str, frozenset[str]]


def participation(
    store: Readable,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include_all_modalities: bool = False,
) -> Participation:
    """The events with their participants (asserted events only unless asked for all).

    `since`/`until` keep events whose `dip:latest` >= since and `dip:earliest` <= until (their
    dates overlap the window); undated events drop out as soon as either bound is given.

    The queries stay linear in the number of documents: events are joined over event-level
    triples only, and labels and classes are read with one-pattern queries, joined here (a join
    on an actor's own triples would grow with the documents naming it while the union default
    graph repeats a triple per document graph).
    """
    bindings: dict[str, Term] = {}
    selection = "?e a dip:Event .\n"
    if not include_all_modalities:
        selection += "FILTER NOT EXISTS { ?e dip:modality ?anyModality }\n"
    if since is not None:
        selection += "FILTER EXISTS { ?e dip:latest ?latest . FILTER(?latest >= ?since) }\n"
        bindings["since"] = xsd_date(since)
    if until is not None:
        selection += "FILTER EXISTS { ?e dip:earliest ?earliest . FILTER(?earliest <= ?until) }\n"
        bindings["until"] = xsd_date(until)
    members: dict[str, set[str]] = defaultdict(set)
    for row in select_where(store, "?e ?a", selection + "?e dip:participant ?a .", bindings):
        members[local_id(row["e"])].add(local_id(row["a"]))
    classes = event_classes_of(store, selection, bindings)
    kind_of = {local_id(e): most_specific(names) for e, names in classes.items()}
    kept = {e: frozenset(actors) for e, actors in members.items() if e in kind_of}
    actors = set().union(*kept.values()) if kept else set()
    labels: dict[str, set[str]] = defaultdict(set)
    for row in select_where(store, "?a ?label", "?a rdfs:label ?label ."):
        if local_id(row["a"]) in actors and row["a"].startswith(DIPR + "actor/"):
            labels[local_id(row["a"])].add(row["label"])
    kinds: dict[str, set[str]] = defaultdict(set)
    where = f"?a a ?kind . FILTER(?kind IN ({_ACTOR_CLASS_LIST}))"
    for row in select_where(store, "?a ?kind", where):
        if local_id(row["a"]) in actors and row["a"].startswith(DIPR + "actor/"):
            kinds[local_id(row["a"])].add(row["kind"][len(DIP) :])
    return Participation(
        members=kept,
        classes={e: kind_of[e] for e in kept},
        labels={a: frozenset(v) for a, v in labels.items()},
        kinds={a: frozenset(v) for a, v in kinds.items()},
    )
