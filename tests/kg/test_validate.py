"""SHACL validation of the extractor's graph: a realistic extraction conforms, broken ones fail."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize
from rdflib import Dataset, Graph

from kg.namespaces import DIP, DIPR, OA, ORG, PROV, RDF
from kg.rdf import event_id, event_iri, extraction_quads, mention_iri
from kg.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Mention,
    Participant,
    Place,
    Post,
    TimeValue,
)
from kg.validate import ValidationReport, validate

STARTED = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)

S1 = "North Korea and South Korea held talks in Panmunjom on 9 January 2018."
S2 = "South Korean President Moon Jae-in thanked Pyongyang, recalling the 1994 Agreed Framework."
TEXT = f"{S1} {S2}"
M1 = Mention(0, len(S1), S1)
M2 = Mention(TEXT.index(S2), TEXT.index(S2) + len(S2), S2)

MEETING = Event(
    kind="Meeting",
    participants=(Participant("PRK", "participant"), Participant("KOR", "participant")),
    mention=M1,
    trigger="held talks",
    date=TimeValue("2018-01-09", "day", dt.date(2018, 1, 9), dt.date(2018, 1, 9), "9 January 2018"),
    place="panmunjom",
    confidence=0.9,
)
SUPPORT = Event(
    kind="Support",
    participants=(Participant("moon-jae-in", "initiator"), Participant("PRK", "recipient")),
    mention=M2,
    trigger="thanked",
    confidence=0.6,
)
AGREEMENT = Event(
    kind="Agreement",
    participants=(),
    mention=M2,
    trigger="Agreed Framework",
    label="Agreed Framework",
    date=TimeValue("1994", "year", dt.date(1994, 1, 1), dt.date(1994, 12, 31), "1994"),
    confidence=0.7,
)
EXTRACTION = Extraction(
    document=Document(
        id="yonhap-2018-0109",
        text=TEXT,
        date=dt.date(2018, 1, 9),
        title="Koreas hold talks at Panmunjom",
        url="https://example.org/news/1",
    ),
    actors=(
        Actor("PRK", "State", "North Korea", ("DPRK", "Pyongyang"), "PRK", (M1, M2)),
        Actor("KOR", "State", "South Korea", ("South Korean",), "KOR", (M1, M2)),
        Actor("moon-jae-in", "Person", "Moon Jae-in", ("President Moon",), None, (M2,)),
    ),
    places=(Place("panmunjom", "Panmunjom", (M1,)),),
    posts=(Post("moon-jae-in", "President", "KOR", M2),),
    events=(MEETING, SUPPORT, AGREEMENT),
)


def quads(extraction: Extraction = EXTRACTION) -> list[Quad]:
    """The document graph and run graph of an extraction, as the store would get them."""
    return list(extraction_quads(extraction, STARTED))


def with_meeting(**changes: object) -> list[Quad]:
    """The quads of the extraction with the meeting's record changed."""
    meeting = dataclasses.replace(MEETING, **changes)  # type: ignore[arg-type]
    return quads(dataclasses.replace(EXTRACTION, events=(meeting, SUPPORT, AGREEMENT)))


def iri(local: str) -> NamedNode:
    return NamedNode(DIP + local)


MEETING_IRI = event_iri(event_id(MEETING, EXTRACTION.document.id))
MENTION_IRI = mention_iri(EXTRACTION.document.id, M1)


def edit(
    data: list[Quad],
    predicate: str,
    change: Callable[[Quad], Quad | None],
    subject: NamedNode | None = None,
) -> list[Quad]:
    """The quads with `change` applied to those of `predicate` (and `subject`); None drops one."""
    out = []
    for q in data:
        if q.predicate == NamedNode(predicate) and subject in (None, q.subject):
            new = change(q)
            if new is not None:
                out.append(new)
        else:
            out.append(q)
    assert out != data, "the edit changed nothing"
    return out


def with_object(q: Quad, obj: object) -> Quad:
    return Quad(q.subject, q.predicate, obj, q.graph_name)  # type: ignore[arg-type]


def value_of(data: list[Quad], subject: object, predicate: str) -> object:
    return next(q.object for q in data if q.subject == subject and q.predicate.value == predicate)


def test_realistic_extraction_conforms() -> None:
    data = quads()
    kinds = {q.object for q in data if q.predicate.value == RDF + "type"}
    for cls in ("Document", "Mention", "State", "Person", "Place", "Meeting", "Agreement"):
        assert iri(cls) in kinds, f"the example has no dip:{cls} for the shapes to check"
    assert NamedNode(ORG + "Post") in kinds
    report = validate(data)
    assert report.conforms, str(report)
    assert report.results == ()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own N-Quads parser
def test_dataset_and_graph_inputs_conform() -> None:
    nquads = serialize(quads(), format=RdfFormat.N_QUADS)
    assert nquads is not None
    dataset = Dataset()
    dataset.parse(data=nquads.decode(), format="nquads")
    assert len({c for *_, c in dataset.quads((None, None, None, None))}) == 2, "doc and runs"
    assert validate(dataset).conforms
    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    assert validate(graph).conforms


def test_the_union_of_all_graphs_is_validated() -> None:
    # statements split over several named graphs are checked together, as queries see them
    data = quads()
    evidence = [q for q in data if q.predicate.value == PROV + "wasDerivedFrom"]
    moved = [Quad(q.subject, q.predicate, q.object, NamedNode(DIP + "elsewhere")) for q in evidence]
    assert validate([q for q in data if q not in evidence] + moved).conforms


def _no_participant() -> list[Quad]:
    return with_meeting(participants=())


def _untyped_date() -> list[Quad]:
    plain = lambda q: with_object(q, Literal(q.object.value))  # noqa: E731
    return edit(quads(), DIP + "date", plain, subject=MEETING_IRI)


def _end_before_start() -> list[Quad]:
    return with_meeting(
        date=TimeValue("2018-01-09", "day", dt.date(2018, 1, 9), dt.date(2018, 1, 8), "9 January")
    )


def _mention_reversed() -> list[Quad]:
    data = quads()
    start = value_of(data, MENTION_IRI, OA + "start")
    end = value_of(data, MENTION_IRI, OA + "end")
    data = edit(data, OA + "start", lambda q: with_object(q, end), subject=MENTION_IRI)
    return edit(data, OA + "end", lambda q: with_object(q, start), subject=MENTION_IRI)


def _mention_offsets_off() -> list[Quad]:
    def longer(q: Quad) -> Quad:
        return with_object(q, Literal(str(int(q.object.value) + 5), datatype=q.object.datatype))

    return edit(quads(), OA + "end", longer, subject=MENTION_IRI)


def _no_evidence() -> list[Quad]:
    return edit(quads(), PROV + "wasDerivedFrom", lambda q: None, subject=MEETING_IRI)


def _overconfident() -> list[Quad]:
    return with_meeting(confidence=1.5)


def _superclass_missing() -> list[Quad]:
    drop = lambda q: None if q.object == iri("Consult") else q  # noqa: E731
    return edit(quads(), RDF + "type", drop, subject=MEETING_IRI)


def _bad_modality() -> list[Quad]:
    data = quads()
    return [*data, Quad(MEETING_IRI, iri("modality"), iri("Maybe"), data[0].graph_name)]


def _unnamed_agreement() -> list[Quad]:
    agreement = dataclasses.replace(AGREEMENT, label=None)
    return quads(dataclasses.replace(EXTRACTION, events=(MEETING, SUPPORT, agreement)))


def _bad_iso3() -> list[Quad]:
    actors = (dataclasses.replace(EXTRACTION.actors[0], iso3="prk"), *EXTRACTION.actors[1:])
    return quads(dataclasses.replace(EXTRACTION, actors=actors))


def _post_held_by_state() -> list[Quad]:
    post = dataclasses.replace(EXTRACTION.posts[0], holder="KOR")
    return quads(dataclasses.replace(EXTRACTION, posts=(post,)))


BROKEN = {
    # name: (variant, focus node, words the result line must contain)
    "a: no participant": (_no_participant, "dipr:event/meeting-", "no dip:participant"),
    "b: untyped date": (
        _untyped_date,
        "dipr:event/meeting-",
        "typed xsd:date, xsd:gYearMonth or xsd:gYear",
    ),
    "c: end before start": (_end_before_start, "dipr:event/meeting-", "ends before it starts"),
    "d: mention reversed": (_mention_reversed, MENTION_IRI.value, "oa:start must be less"),
    "e: offsets off": (_mention_offsets_off, MENTION_IRI.value, "offsets are out of range"),
    "f: no evidence": (_no_evidence, "dipr:event/meeting-", "no evidence"),
    "g: confidence 1.5": (_overconfident, "dipr:event/meeting-", "between 0 and 1"),
    "superclass missing": (_superclass_missing, "dipr:event/meeting-", "dip:Consult"),
    "bad modality": (_bad_modality, "dipr:event/meeting-", "dip:modality must be one of"),
    "unnamed agreement": (_unnamed_agreement, "dipr:event/agreement-", "no dip:participant"),
    "bad iso3": (_bad_iso3, "dipr:actor/PRK", "dip:iso3"),
    "post held by a state": (
        _post_held_by_state,
        "dipr:post/",
        "held (org:heldBy) by a dip:Person",
    ),
}


def _short(focus: str) -> str:
    return focus.replace(DIPR, "dipr:")


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_variants_are_rejected(name: str) -> None:
    variant, focus, words = BROKEN[name]
    report = validate(variant())
    assert isinstance(report, ValidationReport)
    assert not report.conforms
    named = [line for line in report.results if words in line]
    assert named, f"no result line says {words!r}:\n{report}"
    assert any(line.startswith(_short(focus)) for line in named), str(report)
