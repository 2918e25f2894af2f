"""The sample article end to end: the facts issue 2 names, and a graph that passes the shapes."""

from __future__ import annotations

from kg.rdf import document_quads, extraction_quads
from kg.records import Extraction
from kg.validate import validate

NAMED = {
    "kim-jong-un": ("Leader", "PRK"),
    "moon-jae-in": ("President", "KOR"),
    "donald-trump": ("President", "USA"),
    "nikki-haley": ("Ambassador", "USA"),
    "rex-tillerson": ("Secretary of State", "USA"),
    "lindsey-graham": ("Senator", "USA"),
}


def asserted(x: Extraction, kind: str):  # type: ignore[no-untyped-def]
    return [e for e in x.events if e.kind == kind and e.modality is None]


def test_panmunjom_meeting(sample_extraction: Extraction) -> None:
    meetings = [
        e
        for e in asserted(sample_extraction, "Meeting")
        if {"PRK", "KOR"} <= set(e.actors()) and e.date and e.date.value == "2018-01-09"
    ]
    assert len(meetings) == 1
    (meeting,) = meetings
    places = {p.id: p.label for p in sample_extraction.places}
    assert places[meeting.place or ""] == "Panmunjom"
    assert "Panmunjom" in meeting.mention.text


def test_the_agreement_between_the_koreas_is_one_event_told_twice(
    sample_extraction: Extraction,
) -> None:
    agreements = [
        e for e in asserted(sample_extraction, "Agreement") if {"PRK", "KOR"} <= set(e.actors())
    ]
    assert len(agreements) == 1
    assert agreements[0].evidence  # told in more than one sentence


def test_the_six_politicians_hold_their_posts(sample_extraction: Extraction) -> None:
    kinds = {a.id: a.kind for a in sample_extraction.actors}
    posts = {(p.holder, p.title): p.in_actor for p in sample_extraction.posts}
    for person, (title, state) in NAMED.items():
        assert kinds.get(person) == "Person", person
        assert posts.get((person, title)) == state, (person, title)


def test_places_and_events_are_not_actors(sample_extraction: Extraction) -> None:
    names = {a.label for a in sample_extraction.actors}
    names |= {alias for a in sample_extraction.actors for alias in a.aliases}
    for not_actor in (
        "Panmunjom",
        "Pyeongchang",
        "Olympics",
        "Winter Olympics",
        "Agreed Framework",
        "DMZ",
        "South Carolina",
    ):
        assert not_actor not in names
    assert {"Panmunjom", "Pyeongchang"} <= {p.label for p in sample_extraction.places}


def test_states_carry_iso_codes(sample_extraction: Extraction) -> None:
    states = {a.id: a.iso3 for a in sample_extraction.actors if a.kind == "State"}
    assert {"PRK", "KOR", "USA"} <= set(states)
    assert all(code == iso for iso, code in states.items())


def test_sample_graph_conforms_to_the_shapes(sample_extraction: Extraction) -> None:
    report = validate(extraction_quads(sample_extraction))
    assert report.conforms, "\n".join(report.results)


def test_reextraction_gives_an_identical_document_graph(
    sample_extraction: Extraction, nlp, sample_document
) -> None:  # type: ignore[no-untyped-def]
    from kg.extract import extract

    again = extract(sample_document, nlp)
    assert set(document_quads(again)) == set(document_quads(sample_extraction))
