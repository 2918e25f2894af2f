"""CAMEO scoring on hand-built extractions: labels, Request as 1 or 3, macro-F1, sources, targets."""

from __future__ import annotations

from typing import Any

import pytest

from kg.evaluate.cameo import (
    actor_matches,
    any_has_class,
    choose_label,
    class_rows,
    event_classes,
    macro_f1,
    score_cameo,
    spells_run,
)
from kg.evaluate.cameo_data import ActorSpan, CameoData, ClassSentence, SpanSentence
from kg.records import Actor, Document, Event, Extraction, Mention, Participant, Role


def event(
    kind: str,
    *who: tuple[str, Role],
    confidence: float = 0.8,
    modality: Any = None,
    start: int = 0,
) -> Event:
    return Event(
        kind=kind,
        participants=tuple(Participant(a, r) for a, r in who),
        mention=Mention(start, start + 10, "a sentence"),
        trigger=kind.lower(),
        modality=modality,
        confidence=confidence,
    )


def extraction(text: str, *events: Event, actors: tuple[Actor, ...] = ()) -> Extraction:
    return Extraction(document=Document(id="s", text=text), actors=actors, events=events)


def state(iso3: str, label: str, *aliases: str) -> Actor:
    return Actor(id=iso3, kind="State", label=label, aliases=aliases, iso3=iso3)


# --- classes and labels ------------------------------------------------------------------------


def test_event_classes_go_through_the_plover_category() -> None:
    assert event_classes(event("Meeting")) == (1,)  # a Meeting is a Consult
    assert event_classes(event("Agreement")) == (1,)  # an Agreement is an Agree
    assert event_classes(event("Retreat")) == (2,)
    assert event_classes(event("Threaten")) == (3,)
    assert event_classes(event("Mobilize")) == (4,)
    assert event_classes(event("Request")) == (1, 3)


def test_the_label_is_the_most_frequent_class_of_the_asserted_events() -> None:
    events = [event("Accuse"), event("Assault"), event("Reject")]
    assert choose_label(events).label == 3
    # events that are not asserted do not vote
    hedged = [event("Assault", modality="Future"), event("Assault", modality="Negated")]
    assert choose_label([*hedged, event("Support")]).label == 1
    none = choose_label(hedged)
    assert (none.label, none.event) == (0, None)
    assert choose_label([]).label == 0


def test_ties_go_to_confidence_then_to_reading_order() -> None:
    weak, strong = event("Agree", confidence=0.6), event("Assault", confidence=0.9)
    assert choose_label([weak, strong]).label == 4
    first, later = event("Aid", start=0), event("Coerce", start=40)
    assert choose_label([later, first]).label == 2  # the earlier sentence
    a, b = event("Aid"), event("Coerce")
    assert choose_label([a, b]).label == 2 and choose_label([b, a]).label == 4  # extractor order
    # the chosen event is the most confident of the winning class
    low, high = event("Accuse", confidence=0.5), event("Reject", confidence=0.7)
    assert choose_label([low, high, event("Agree")]).event is high


@pytest.mark.parametrize(("gold", "label"), [(3, 3), (1, 1), (0, 1), (4, 1), (None, 1)])
def test_a_request_counts_as_the_gold_verbal_class_else_as_an_appeal(
    gold: int | None, label: int
) -> None:
    assert choose_label([event("Request")], gold).label == label


def test_a_request_can_win_a_tie_for_the_gold_class() -> None:
    events = [event("Request"), event("Agree")]
    assert choose_label(events, 3).label == 3  # one each of 3 and 1: the first event decides
    assert choose_label(events[::-1], 3).label == 1
    assert choose_label([event("Request"), event("Accuse")], 1).label == 1
    assert choose_label([event("Request"), event("Request"), event("Accuse")], 1).label == 1


def test_any_event_of_the_gold_class() -> None:
    assert any_has_class([event("Agree"), event("Assault")], 4)
    assert not any_has_class([event("Agree"), event("Assault", modality="Future")], 4)
    assert any_has_class([event("Request")], 3) and any_has_class([event("Request")], 1)
    assert any_has_class([event("Assault", modality="Hypothetical")], 0)
    assert not any_has_class([event("Support")], 0)


def test_macro_f1_is_the_mean_over_the_five_labels() -> None:
    pairs = [(0, 0), (1, 1), (1, 3), (2, 2), (3, 3), (4, 0)]
    rows = class_rows(pairs)
    by_label = {r.label: r for r in rows}
    assert (by_label[0].precision, by_label[0].recall) == (0.5, 1.0)
    assert (by_label[1].precision, by_label[1].recall) == (1.0, 0.5)
    assert by_label[2].f1 == 1.0
    assert by_label[4].precision is None and by_label[4].f1 == 0.0  # never labelled 4
    assert macro_f1(rows) == pytest.approx((2 / 3 * 3 + 1.0 + 0.0) / 5)


# --- actors against spans ----------------------------------------------------------------------


def test_a_name_must_spell_whole_tokens_of_the_span() -> None:
    assert spells_run("Kim Jong-un", ["leader", "Kim", "Jong", "-", "un"])
    assert spells_run("People's Army", ["the", "People", "'s", "Army"])
    assert spells_run("U.S.", ["U.S", "officials"])
    assert not spells_run("US", ["Russia"])  # no match inside a word
    assert not spells_run("Iran", ["Iranian", "officials"])
    assert spells_run("Iranian", ["Iranian", "officials"])


def test_an_actor_matches_by_a_name_in_the_span_or_the_span_head_in_a_name() -> None:
    lavrov = Actor(id="sergei-lavrov", kind="Person", label="Sergei Lavrov")
    assert actor_matches(lavrov, ["Russian", "minister", "Sergei", "Lavrov"], "Lavrov")
    assert actor_matches(lavrov, ["Lavrov"], "Lavrov")  # the name is longer than the span
    council = Actor(id="unsc", kind="Organization", label="United Nations Security Council")
    assert actor_matches(council, ["the", "Council"], "Council")
    assert not actor_matches(council, ["the", "Council"], "the")
    iran = state("IRN", "Iran", "Iranian")
    assert actor_matches(iran, ["the", "Iranian", "navy"], "navy")
    assert not actor_matches(state("IRQ", "Iraq"), ["the", "Iranian", "navy"], "navy")


# --- the whole benchmark -----------------------------------------------------------------------

TEXTS = (
    "Chile and Peru signed a trade pact.",
    "Peru accused Chile of spying.",
    "Rain fell on Lima.",
    "Chile asked Peru for help.",
)
SHELLED = "The Chilean navy shelled Peru."
CHILE, PERU = state("CHL", "Chile", "Chilean"), state("PER", "Peru", "Peruvian")
BOTH = (CHILE, PERU)


def spans(
    number: int, text: str, tokens: list[str], *tagged: tuple[Any, int, int], line: int | None
) -> SpanSentence:
    found = tuple(ActorSpan(r, s, e, " ".join(tokens[s:e])) for r, s, e in tagged)
    return SpanSentence(number, number * 10, tuple(tokens), found, text=text, class_line=line)


def benchmark() -> tuple[CameoData, dict[str, Extraction]]:
    classes = (
        ClassSentence(1, TEXTS[0], 2),
        ClassSentence(2, TEXTS[1], 3),
        ClassSentence(3, TEXTS[2], 0),
        ClassSentence(4, TEXTS[3], 3),
    )
    span_sentences = (
        # reciprocal spans: a symmetric event's participants count on both sides
        spans(1, TEXTS[0], ["Chile", "and", "Peru", "signed"], ("R", 0, 1), ("R", 2, 3), line=1),
        # initiator and recipient the wrong way round
        spans(2, TEXTS[1], ["Peru", "accused", "Chile"], ("S", 0, 1), ("T", 2, 3), line=2),
        # a span sentence of its own (not in the class file): read through its own extraction
        spans(3, SHELLED, ["The", "Chilean", "navy"], ("S", 0, 3), line=None),
    )
    extractions = {
        TEXTS[0]: extraction(
            TEXTS[0],
            event("Agreement", ("CHL", "participant"), ("PER", "participant")),
            actors=BOTH,
        ),
        TEXTS[1]: extraction(
            TEXTS[1], event("Accuse", ("CHL", "initiator"), ("PER", "recipient")), actors=BOTH
        ),
        TEXTS[2]: extraction(TEXTS[2]),
        TEXTS[3]: extraction(
            TEXTS[3], event("Request", ("CHL", "initiator"), ("PER", "recipient")), actors=BOTH
        ),
        SHELLED: extraction(
            SHELLED,
            event("Assault", ("CHL", "initiator"), ("PER", "recipient")),
            actors=BOTH,
        ),
    }
    return CameoData(classes, span_sentences), extractions


def test_score_cameo_counts_labels_confusions_and_spans() -> None:
    data, extractions = benchmark()
    result = score_cameo(data, extractions, heads={(3, 0): "navy"})
    assert [s.label for s in result.sentences] == [1, 3, 0, 3]
    assert [s.strict_label for s in result.sentences] == [1, 3, 0, 1]
    assert (result.accuracy.correct, result.accuracy.total) == (3, 4)
    assert (result.strict_accuracy.correct, result.any_event.correct) == (2, 3)
    confusion = result.confusion()
    assert confusion[2][1] == 1 and confusion[3][3] == 2 and confusion[0][0] == 1
    assert sum(map(sum, confusion)) == 4
    # labels 0 and 3 perfect or nearly; 1 labelled once wrongly; 2 never found; 4 absent
    rows = {r.label: r for r in result.rows}
    assert (rows[3].gold, rows[3].predicted, rows[3].correct) == (2, 2, 2)
    assert rows[2].recall == 0.0 and rows[4].gold == 0
    assert result.macro_f1 == pytest.approx((1.0 + 0.0 + 0.0 + 1.0 + 0.0) / 5)
    assert result.events == 3 and result.events_per_sentence == 0.75

    assert [(s.source, s.target) for s in result.spans] == [
        (True, True),
        (False, False),
        (True, None),
    ]
    assert (result.source.correct, result.source.total) == (2, 3)
    assert (result.target.correct, result.target.total) == (1, 2)
    assert result.spans[2].initiators == ("Chile",)
    kinds = [m.kind for m in result.misses]
    assert kinds == ["class", "source", "target"]
    wrong = result.misses[0]
    assert wrong.source == "line 1" and "gold 2 material cooperation" in wrong.what
    assert "labelled 1" in wrong.what and "Agreement" in wrong.detail
    source = result.misses[1]
    assert source.source == "sentence 2 (line 20)" and "head «Peru»" in source.what
    assert source.quote == "Peru" and source.sentence == TEXTS[1]
    assert "initiators: CHL (Chile)" in source.detail


def test_no_asserted_event_misses_source_and_target() -> None:
    data, extractions = benchmark()
    extractions[TEXTS[0]] = extraction(TEXTS[0], actors=BOTH)
    result = score_cameo(data, extractions)
    assert (result.spans[0].source, result.spans[0].target) == (False, False)
    assert any(m.detail == "no asserted event" for m in result.misses if m.kind == "source")
