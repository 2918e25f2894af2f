"""How this package asks the store: SELECTs with bound values, and the event classes they read.

pyoxigraph (0.5) substitutes a bound variable only when the SELECT projects it: `select_where`
projects the bound variables. The query text is always this package's own; what a user types only
ever reaches a query through the bindings.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from pyoxigraph import Literal, NamedNode, QueryResultsFormat, QuerySolutions

from kg.namespaces import DIP, XSD
from kg.rdf import superclasses
from kg.store import GraphStore, Term


class Readable(Protocol):
    """What the read side reads: a `kg.store.GraphStore`, or a remote `kg.endpoint.Endpoint`.

    `select` runs a SELECT (the project's prefixes predefined) with `bindings` bound, never
    formatted in as text, and answers {variable: value} rows."""

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None
    ) -> list[dict[str, str]]: ...


def select_where(
    store: Readable, variables: str, where: str, bindings: Mapping[str, Term] | None = None
) -> list[dict[str, str]]:
    """`SELECT DISTINCT variables WHERE { where }`, the bound variables projected as pyoxigraph
    needs; `variables` and `where` are the caller's own text, the values are only in `bindings`."""
    bound = "".join(f" ?{name}" for name in bindings or {})
    return store.select(f"SELECT DISTINCT {variables}{bound} WHERE {{\n{where}\n}}", bindings)


def select_pairs(store: Readable, sparql: str) -> Iterator[tuple[str, str]]:
    """The (?s, ?o) values of every row of `sparql`, a SELECT of this package's own text that
    projects `?s ?o`, with nothing bound. On a GraphStore pyoxigraph writes the rows as CSV (in
    Rust) for the csv module to read: on hundreds of thousands of rows that is several times as
    fast as a Python object per value, which is what the signed actor graph reads at scale.
    Values are IRIs and lexical forms (a blank node would read `_:id` here, `id` from select)."""
    if not isinstance(store, GraphStore):
        for row in store.select(sparql):
            yield row.get("s", ""), row.get("o", "")
        return
    result = store.query(sparql)
    assert isinstance(result, QuerySolutions)
    if [v.value for v in result.variables] != ["s", "o"]:
        raise ValueError("select_pairs needs a SELECT of ?s ?o")
    written = result.serialize(format=QueryResultsFormat.CSV)  # bytes when given no output
    assert written is not None
    rows = csv.reader(io.StringIO(written.decode()))
    next(rows, None)  # the header
    yield from ((subject, value) for subject, value in rows)


def xsd_date(day: dt.date) -> Literal:
    """The day as an `xsd:date` literal, to bind."""
    return Literal(day.isoformat(), datatype=NamedNode(XSD + "date"))


def dip_name(iri: str) -> str | None:
    """The local name of a dip: IRI (`dip:Meeting` → `Meeting`), None for any other IRI."""
    return iri[len(DIP) :] if iri.startswith(DIP) else None


def most_specific(classes: Iterable[str]) -> str:
    """The most specific of an event's class local names ({Meeting, Consult, Event} → Meeting)."""
    closure = superclasses()
    names = sorted(set(classes)) or ["Event"]
    # the class with the most ancestors wins; a class the ontology lacks counts as under dip:Event
    return max(names, key=lambda c: len(closure.get(c, (c, "Event"))))


def by_specificity(classes: Iterable[str]) -> list[str]:
    """Class local names, most specific first (Meeting, Consult, Event), then by name."""
    closure = superclasses()
    return sorted(set(classes), key=lambda c: (-len(closure.get(c, (c, "Event"))), c))


def class_counts(classes: Iterable[Iterable[str]]) -> dict[str, int]:
    """Events per most specific class, for events given by their class names; most first."""
    counts = Counter(most_specific(names) for names in classes)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def event_classes_of(
    store: Readable, selection: str, bindings: Mapping[str, Term]
) -> dict[str, list[str]]:
    """Event IRI → its dip: class local names, for the events `selection` binds to ?e."""
    classes: dict[str, list[str]] = defaultdict(list)
    where = selection + "\n?e a ?cls . FILTER(STRSTARTS(STR(?cls), STR(dip:)))"
    for row in select_where(store, "?e ?cls", where, bindings):
        name = dip_name(row["cls"])
        if name is not None:
            classes[row["e"]].append(name)
    known = superclasses()
    # every event is typed dip:Event; keep its event classes (and any dip: class the ontology lacks)
    return {
        e: [n for n in names if "Event" in known.get(n, ("Event",))]
        for e, names in classes.items()
        if "Event" in names
    }
