"""The trigger look-up finds what spaCy's Matcher finds with the lexicon's trigger patterns."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.matcher import Matcher

from kg.extract.components import trigger_patterns
from kg.extract.trigger_lookup import TriggerLookup
from kg.extract.vocabulary import load_lexicon

TEXTS = [
    "Norway and Chile held talks in Oslo on Monday after a phone call between their ministers.",
    "The rebels pulled out of the valley and called off the march, but Peru ruled out a truce.",
    "Brazil is grateful for the food aid and remains opposed to any air strike on the border.",
    "Officials said the two navies would team up for a joint exercise and hand over the ship.",
    "Kenya cut ties with its neighbour, then called for calm; protesters went on strike.",
    "",
]


def _patterns() -> list[tuple[str, list[list[dict[str, object]]]]]:
    return [
        (c.name, trigger_patterns(c.verbs, c.nouns, c.adjectives)) for c in load_lexicon().classes
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_same_spans_as_spacy_matcher(nlp: Language, text: str) -> None:
    matcher = Matcher(nlp.vocab)
    for label, patterns in _patterns():
        matcher.add(label, patterns)
    doc = nlp(text)
    expected = [(s, e, nlp.vocab.strings[m]) for m, s, e in matcher(doc)] if len(doc) else []
    found = [(s.start, s.end, s.label_) for s in TriggerLookup(nlp.vocab, _patterns()).spans(doc)]
    assert sorted(found) == sorted(expected)
    # spans of the same start and length keep the Matcher's order (filter_spans keeps the first)
    for start, end in {(s, e) for s, e, _ in expected}:
        labels = [label for s, e, label in expected if (s, e) == (start, end)]
        assert [label for s, e, label in found if (s, e) == (start, end)] == labels
    if text:
        assert found, "the sentences are written to hold triggers"


def test_a_pattern_of_another_shape_is_refused(nlp: Language) -> None:
    with pytest.raises(ValueError, match="not supported"):
        TriggerLookup(nlp.vocab, [("Meeting", [[{"ORTH": "summit"}]])])
