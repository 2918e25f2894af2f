"""Extraction records → RDF quads, in the shape `ontology/` describes.

The only module that mints IRIs. Each document's statements go in the document's own named graph;
the extraction run goes in the runs graph, so re-extracting a document gives an identical graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store

from kg.fingerprint import extractor_version
from kg.ids import from_segment, iri_segment, short_hash, slug
from kg.namespaces import (
    DCTERMS,
    DIP,
    DIPR,
    FOAF,
    OA,
    ORG,
    PROV,
    RDF,
    RDFS,
    RUNS_GRAPH,
    SKOS,
    XSD,
)
from kg.records import Actor, Event, Extraction, Mention, Place, Post, TimeValue

_Evidence = Callable[[NamedNode, Mention], None]

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "diplomacy.ttl"
EXTRACTOR = extractor_version()  # "diplokg 0.1.0+<digest of the extractor>"

A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")


@cache
def dip(local: str) -> NamedNode:
    """A term of the ontology (a class or property: few, so each node is made once)."""
    return NamedNode(DIP + local)


def actor_iri(actor_id: str) -> NamedNode:
    return NamedNode(f"{DIPR}actor/{actor_id}")


def doc_iri(doc_id: str) -> NamedNode:
    """A document's IRI: its id percent-encoded (`kg.ids.iri_segment`), so distinct ids stay
    distinct documents."""
    return NamedNode(f"{DIPR}doc/{iri_segment(doc_id)}")


def event_iri(event_id: str) -> NamedNode:
    return NamedNode(f"{DIPR}event/{event_id}")


def place_iri(place_id: str) -> NamedNode:
    return NamedNode(f"{DIPR}place/{place_id}")


def mention_iri(doc_id: str, mention: Mention) -> NamedNode:
    return NamedNode(f"{DIPR}mention/{iri_segment(doc_id)}-{mention.start}-{mention.end}")


def post_iri(post: Post) -> NamedNode:
    key = slug(f"{post.holder}-{post.title}-{post.in_actor or 'x'}")
    return NamedNode(f"{DIPR}post/{key}")


def local_id(iri: str) -> str:
    """The id of a minted resource: the last segment of its IRI, percent-decoded (a document
    id may hold any character; other ids are slugs, which decoding leaves alone)."""
    return from_segment(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])


@cache
def superclasses() -> dict[str, tuple[str, ...]]:
    """Local class name → all its dip: superclasses (itself first), read from the ontology file."""
    store = Store()
    store.load(path=str(ONTOLOGY_FILE), format=RdfFormat.TURTLE)
    query = f"""SELECT ?c ?s WHERE {{
        ?c <{RDFS}subClassOf>* ?s .
        FILTER(isIRI(?c) && isIRI(?s) && STRSTARTS(STR(?c), "{DIP}") && STRSTARTS(STR(?s), "{DIP}"))
    }}"""
    closure: dict[str, set[str]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        c, s = row["c"].value[len(DIP) :], row["s"].value[len(DIP) :]
        closure.setdefault(c, {c}).add(s)
    # order: the class itself, then by how many superclasses each ancestor has (most specific first)
    return {
        c: tuple(sorted(sup, key=lambda x: (x != c, -len(closure.get(x, ())), x)))
        for c, sup in closure.items()
    }


def event_id(event: Event, doc_id: str) -> str:
    """Deterministic event id: class, participants and day when the text dates it to a day,
    else one per report.

    Two reports of the same day's meeting between the same actors therefore meet in one node;
    events that only inherit a day from the story around them stay apart.
    """
    kind = event.kind.lower()
    if event.label and event.kind == "Agreement":
        return slug(f"{kind}-{event.label}")
    actors = sorted(set(event.actors()))
    # a reported event and one that did not (yet) happen are different nodes, so that every
    # node has one modality whatever the number of documents reporting it
    suffix = f"-{event.modality.lower()}" if event.modality else ""
    if event.date is not None and event.date.precision == "day" and event.date_in_text and actors:
        name = f"{kind}-{'-'.join(actors)}-{event.date.value}"
        if len(name) > 120:
            name = f"{kind}-{short_hash(*actors)}-{event.date.value}"
        return name + suffix
    return f"{kind}-{short_hash(doc_id, event.mention.start, event.trigger, *actors)}{suffix}"


def merge_events(events: Iterable[Event], doc_id: str) -> dict[str, list[Event]]:
    """Group a document's events by IRI id: one node per real event, with all its evidence."""
    grouped: dict[str, list[Event]] = {}
    for event in events:
        grouped.setdefault(event_id(event, doc_id), []).append(event)
    return grouped


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _date_literal(value: TimeValue) -> Literal:
    datatype = {"day": "date", "month": "gYearMonth", "year": "gYear"}[value.precision]
    return Literal(value.value, datatype=_term(XSD + datatype))


def _xsd_date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=_term(XSD + "date"))


def _decimal(x: float) -> str:
    """Two decimals in the canonical form stores keep ("0.8", "1"), so a document's quads read
    back from a store are the ones written."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _datetime(moment: dt.datetime) -> str:
    """An xsd:dateTime in the canonical form stores keep (UTC as "Z")."""
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _int(n: int) -> Literal:
    """An offset: xsd:integer (Oxigraph keeps integer subtypes such as nonNegativeInteger as
    xsd:integer, so this is what a store gives back; the shapes ask for >= 0)."""
    return Literal(str(n), datatype=_term(XSD + "integer"))


@cache
def _term(iri: str) -> NamedNode:
    """A vocabulary term's node (a predicate, a class, a datatype), made (and its IRI checked)
    once: a graph has few of them."""
    return NamedNode(iri)


class _Writer:
    """Collects the quads of one document graph."""

    def __init__(self, graph: NamedNode) -> None:
        self.graph = graph
        self.quads: list[Quad] = []

    def add(self, s: NamedNode | BlankNode, p: str, o: NamedNode | Literal | BlankNode) -> None:
        self.quads.append(Quad(s, _term(p), o, self.graph))

    def lit(self, s: NamedNode, p: str, value: str | None) -> None:
        if value:
            self.add(s, p, Literal(value))


def document_quads(extraction: Extraction) -> list[Quad]:
    """All the quads of one document's named graph."""
    doc = extraction.document
    graph = doc_iri(doc.id)
    w = _Writer(graph)
    w.add(graph, RDF + "type", dip("Document"))
    w.add(graph, RDF + "type", _term(PROV + "Entity"))
    w.lit(graph, DCTERMS + "identifier", doc.id)
    w.lit(graph, DCTERMS + "title", doc.title)
    if doc.date is not None:
        w.add(graph, DCTERMS + "date", _xsd_date(doc.date))
    if doc.url:
        w.add(graph, DCTERMS + "source", Literal(doc.url, datatype=_term(XSD + "anyURI")))
    w.lit(graph, DIP + "textHash", text_hash(doc.text))
    w.lit(graph, DIP + "extractorVersion", EXTRACTOR)

    seen_mentions: set[NamedNode] = set()

    def evidence(subject: NamedNode, mention: Mention) -> None:
        m = mention_iri(doc.id, mention)
        if m not in seen_mentions:
            seen_mentions.add(m)
            w.add(m, RDF + "type", dip("Mention"))
            w.add(m, RDF + "type", _term(PROV + "Entity"))
            w.add(m, DIP + "inDocument", graph)
            w.add(m, OA + "start", _int(mention.start))
            w.add(m, OA + "end", _int(mention.end))
            w.add(m, DIP + "text", Literal(mention.text))
        w.add(subject, PROV + "wasDerivedFrom", m)

    for actor in extraction.actors:
        _actor(w, actor, evidence)
    for place in extraction.places:
        _place(w, place, evidence)
    labels = {a.id: a.label for a in extraction.actors}
    for post in extraction.posts:
        _post(w, post, labels, evidence)
    for eid, reports in merge_events(extraction.events, doc.id).items():
        _event(w, event_iri(eid), reports, evidence)
    return w.quads


def _actor(w: _Writer, actor: Actor, evidence: _Evidence) -> None:
    s = actor_iri(actor.id)
    for cls in superclasses().get(actor.kind, (actor.kind, "Actor")):
        w.add(s, RDF + "type", dip(cls))
    w.add(s, RDF + "type", _term(FOAF + ("Person" if actor.kind == "Person" else "Agent")))
    if actor.kind == "Organization":
        w.add(s, RDF + "type", _term(ORG + "Organization"))
    w.add(s, RDFS + "label", Literal(actor.label))
    for alias in sorted(set(actor.aliases) - {actor.label}):
        w.add(s, SKOS + "altLabel", Literal(alias))
    if actor.iso3:
        w.add(s, DIP + "iso3", Literal(actor.iso3))
    if actor.based_in:
        w.add(s, DIP + "basedIn", actor_iri(actor.based_in))
    for mention in actor.mentions:
        evidence(s, mention)


def _place(w: _Writer, place: Place, evidence: _Evidence) -> None:
    s = place_iri(place.id)
    w.add(s, RDF + "type", dip("Place"))
    w.add(s, RDFS + "label", Literal(place.label))
    for mention in place.mentions:
        evidence(s, mention)


def _post(w: _Writer, post: Post, labels: dict[str, str], evidence: _Evidence) -> None:
    s = post_iri(post)
    holder = actor_iri(post.holder)
    w.add(s, RDF + "type", _term(ORG + "Post"))
    w.add(s, DIP + "title", Literal(post.title))
    where = labels.get(post.in_actor or "")
    w.add(s, RDFS + "label", Literal(f"{post.title} of {where}" if where else post.title))
    if post.in_actor:
        w.add(s, ORG + "postIn", actor_iri(post.in_actor))
    w.add(holder, ORG + "holds", s)
    w.add(s, ORG + "heldBy", holder)
    evidence(s, post.mention)


def _event(w: _Writer, s: NamedNode, reports: list[Event], evidence: _Evidence) -> None:
    first = reports[0]
    for cls in superclasses().get(first.kind, (first.kind, "Event")):
        w.add(s, RDF + "type", dip(cls))
    best = max(reports, key=lambda e: e.confidence)
    w.add(
        s,
        DIP + "confidence",
        Literal(_decimal(best.confidence), datatype=_term(XSD + "decimal")),
    )
    if first.modality:  # the same for every report: it is part of the event's id
        w.add(s, DIP + "modality", dip(first.modality))
    dated = [e for e in reports if e.date is not None]
    if dated:
        date = max(dated, key=lambda e: ("year", "month", "day").index(e.date.precision)).date  # type: ignore[union-attr]
        assert date is not None
        w.add(s, DIP + "date", _date_literal(date))
        w.add(s, DIP + "earliest", _xsd_date(date.earliest))
        w.add(s, DIP + "latest", _xsd_date(date.latest))
    for event in reports:
        w.lit(s, RDFS + "label", event.label)
        w.lit(s, DIP + "topic", event.topic)
        w.lit(s, DIP + "trigger", event.trigger)
        if event.place:
            w.add(s, DIP + "place", place_iri(event.place))
        for p in event.participants:
            w.add(s, DIP + "participant", actor_iri(p.actor))
            if p.role != "participant":
                w.add(s, DIP + p.role, actor_iri(p.actor))
        evidence(s, event.mention)
        for mention in event.evidence:
            evidence(s, mention)


def run_quads(extraction: Extraction, started: dt.datetime) -> list[Quad]:
    """The extraction run that produced a document graph, in the runs graph."""
    doc = extraction.document
    graph = NamedNode(RUNS_GRAPH)
    run = NamedNode(f"{DIPR}run/{short_hash(doc.id, started.isoformat())}")
    agent = NamedNode(f"{DIPR}agent/{slug(EXTRACTOR)}")
    quads = [
        Quad(run, A, _term(PROV + "Activity"), graph),
        Quad(
            run,
            _term(PROV + "startedAtTime"),
            Literal(_datetime(started), datatype=_term(XSD + "dateTime")),
            graph,
        ),
        Quad(run, _term(PROV + "wasAssociatedWith"), agent, graph),
        Quad(run, _term(PROV + "used"), doc_iri(doc.id), graph),
        Quad(agent, A, _term(PROV + "SoftwareAgent"), graph),
        Quad(agent, LABEL, Literal(EXTRACTOR), graph),
        Quad(doc_iri(doc.id), _term(PROV + "wasGeneratedBy"), run, graph),
    ]
    for eid in merge_events(extraction.events, doc.id):
        quads.append(Quad(event_iri(eid), _term(PROV + "wasGeneratedBy"), run, graph))
    return quads


def extraction_quads(extraction: Extraction, started: dt.datetime | None = None) -> Iterator[Quad]:
    """The document graph and its run, ready for a store or a file."""
    yield from document_quads(extraction)
    yield from run_quads(extraction, started or dt.datetime.now(dt.UTC).replace(microsecond=0))
