"""The event table (`.csv`, `.tsv`): one row per report of an asserted event, in POLECAT's columns.

POLECAT (the PLOVER-coded successor of ICEWS) names the columns this table uses where they apply:
`Event Type` is the PLOVER category (a Meeting is a CONSULT, an Agreement an AGREE), `Event Mode`
the narrower class diplokg has below it ("meeting", "agreement") or empty, `Quad Code` PLOVER's
quad class (from `kg.analysis`' reviewed scale). The actor is the event's initiators, or all its
participants when it has none (talks); the recipient its recipients. `Actor Country` is a state's
ISO code, an organisation's state or the state a person holds a post in; `Country` the state
whose name or capital the place is, when it is one. Several actors share a cell, joined by "; ".
`Sentence`, `Start` and `End` are the evidence: the sentence and its offsets in the document.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from kg.analysis.scale import class_weights
from kg.queries import event_facts
from kg.rdf import local_id, superclasses
from kg.store import GraphStore

COLUMNS = (
    "Event ID",
    "Event Date",
    "Event Type",
    "Event Mode",
    "Quad Code",
    "Actor Name",
    "Actor Country",
    "Actor Title",
    "Recipient Name",
    "Recipient Country",
    "Recipient Title",
    "Placename",
    "Country",
    "Story ID",
    "Publication Date",
    "Sentence",
    "Start",
    "End",
)

#: PLOVER's sixteen event categories (the ontology's direct subclasses of dip:Event)
PLOVER = (
    "Agree", "Consult", "Support", "Concede", "Cooperate", "Aid", "Retreat", "Request",
    "Accuse", "Reject", "Threaten", "Protest", "Sanction", "Mobilize", "Coerce", "Assault",
)  # fmt: skip

_EVIDENCE = """SELECT ?e ?date ?place ?docid ?pub ?start ?end ?text WHERE {
  ?e a dip:Event ; prov:wasDerivedFrom ?m .
  FILTER NOT EXISTS { ?e dip:modality ?anyModality }
  ?m dip:inDocument ?doc ; oa:start ?start ; oa:end ?end ; dip:text ?text .
  ?doc dcterms:identifier ?docid .
  OPTIONAL { ?doc dcterms:date ?pub }
  OPTIONAL { ?e dip:date ?date }
  OPTIONAL { ?e dip:place/rdfs:label ?place }
} ORDER BY ?e ?docid ?start"""

_ACTORS = """SELECT ?a ?label ?iso ?home ?title ?postIn WHERE {
  ?a a dip:Actor ; rdfs:label ?label .
  OPTIONAL { ?a dip:iso3 ?iso }
  OPTIONAL { ?a dip:basedIn/dip:iso3 ?home }
  OPTIONAL { ?a org:holds ?post . ?post dip:title ?title . OPTIONAL { ?post org:postIn/dip:iso3 ?postIn } }
}"""


def event_type(cls: str) -> tuple[str, str]:
    """PLOVER's category of an event class, and the narrower class below it ("" when none)."""
    chain = superclasses().get(cls, (cls,))
    category = next((c for c in chain if c in PLOVER), cls)
    return category.upper(), ("" if category == cls else cls.lower())


def quad_code(cls: str) -> str:
    """PLOVER's quad class of an event class ("VERBAL COOPERATION", ...)."""
    weight = class_weights().get(cls)
    return weight.quad.replace("_", " ").upper() if weight else ""


class _Actors:
    """Labels, countries and titles of the actors, by id (one query)."""

    def __init__(self, store: GraphStore) -> None:
        self.label: dict[str, str] = {}
        self.country: dict[str, set[str]] = defaultdict(set)
        self.title: dict[str, set[str]] = defaultdict(set)
        for row in store.select(_ACTORS):
            actor = local_id(row["a"])
            self.label.setdefault(actor, row["label"])
            for key in ("iso", "home", "postIn"):
                if key in row:
                    self.country[actor].add(row[key])
            if "title" in row:
                self.title[actor].add(row["title"])

    def cells(self, ids: tuple[str, ...]) -> tuple[str, str, str]:
        """Name, country and title cells for these actors."""
        ids = tuple(sorted(ids, key=lambda a: self.label.get(a, a)))
        return (
            "; ".join(self.label.get(a, a) for a in ids),
            "; ".join(sorted({c for a in ids for c in self.country.get(a, ())})),
            "; ".join(sorted({t for a in ids for t in self.title.get(a, ())})),
        )


def rows(store: GraphStore) -> Iterator[dict[str, str]]:
    """The table's rows: one per report of each asserted event, by event id."""
    from kg.extract.gazetteer import gazetteer  # place names → states, only for this table

    facts = {f.id: f for f in event_facts(store)}
    actors = _Actors(store)
    places = gazetteer()
    for row in store.select(_EVIDENCE):
        event = facts.get(local_id(row["e"]))
        if event is None:
            continue
        kind, mode = event_type(event.cls)
        doers = event.initiators or event.participants
        name, country, title = actors.cells(doers)
        r_name, r_country, r_title = actors.cells(event.recipients)
        place = row.get("place", "")
        state = places.state(place) if place else None
        yield {
            "Event ID": event.id,
            "Event Date": row.get("date", event.earliest),
            "Event Type": kind,
            "Event Mode": mode,
            "Quad Code": quad_code(event.cls),
            "Actor Name": name,
            "Actor Country": country,
            "Actor Title": title,
            "Recipient Name": r_name,
            "Recipient Country": r_country,
            "Recipient Title": r_title,
            "Placename": place,
            "Country": state.iso3 if state else "",
            "Story ID": row["docid"],
            "Publication Date": row.get("pub", ""),
            "Sentence": row["text"],
            "Start": row["start"],
            "End": row["end"],
        }


def write_table(store: GraphStore, out: Path, delimiter: str) -> int:
    """Write the event table to `out` (through `out.tmp`); how many rows."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=COLUMNS, delimiter=delimiter)
            writer.writeheader()
            for row in rows(store):
                writer.writerow(row)
                count += 1
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return count
