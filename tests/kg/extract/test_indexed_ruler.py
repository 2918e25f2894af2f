"""kg.extract.indexed_ruler: the same matches as spaCy's AttributeRuler, found by look-up; and
in the English pipeline the same annotations on every token."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg.extract.indexed_ruler import IndexedAttributeRuler, index_attribute_ruler
from kg.nlp import resolve_model

WORDS = ["There", "were", "talks", "y'", "all", "gon", "na", "see", "\n", "ai", "n't", "done"]
TAGS = ["EX", "VBD", "NNS", "PRP", "DT", "VBG", "TO", "VB", "_SP", "VBP", "RB", "VBN"]
DEPS = [
    "expl",
    "ROOT",
    "nsubj",
    "nsubj",
    "det",
    "aux",
    "aux",
    "xcomp",
    "dep",
    "aux",
    "neg",
    "ccomp",
]
HEADS = [1, 1, 1, 7, 3, 7, 7, 1, 7, 11, 11, 1]

RULES: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "NNS"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Plur"}},
    {"patterns": [[{"TAG": {"IN": ["VBD", "VBP"]}}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"LOWER": "were", "TAG": "VBD"}]], "attrs": {"LEMMA": "be"}},
    {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "were"]}}]], "attrs": {"POS": "AUX"},
     "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": -1},
    {"patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux"]}}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE", "TAG": "_SP"}},
    {"patterns": [[{"TAG": "VBP", "LOWER": "ai"}, {"LOWER": {"REGEX": "^n'?t$"}}]],
     "attrs": {"LEMMA": "be"}},
    # a later rule for a token an earlier one set: it takes precedence
    {"patterns": [[{"TAG": "VBD"}]], "attrs": {"MORPH": "Tense=Past"}},
    {"patterns": [[{"LOWER": "talks"}], [{"TAG": "NNS"}]], "attrs": {"LEMMA": "talk"}},
]  # fmt: skip


def doc(vocab: Any) -> Doc:
    return Doc(vocab, words=WORDS, tags=TAGS, deps=DEPS, heads=HEADS)


def rulers() -> tuple[AttributeRuler, IndexedAttributeRuler, Language]:
    nlp = spacy.blank("en")
    plain = AttributeRuler(nlp.vocab)
    indexed = IndexedAttributeRuler(nlp.vocab)
    plain.add_patterns(RULES)
    indexed.add_patterns(RULES)
    return plain, indexed, nlp


def test_the_same_matches_in_the_same_order() -> None:
    plain, indexed, nlp = rulers()
    words = doc(nlp.vocab)
    assert indexed.match(words) == sorted(set(plain.match(words)))
    assert {rule for rule, *_ in indexed.match(words)} == set(range(len(RULES)))  # each one


@pytest.mark.parametrize("attr", ["pos_", "tag_", "lemma_", "morph", "dep_"])
def test_the_same_annotations(attr: str) -> None:
    plain, indexed, nlp = rulers()
    one, two = plain(doc(nlp.vocab)), indexed(doc(nlp.vocab))
    assert [str(getattr(t, attr)) for t in one] == [str(getattr(t, attr)) for t in two]


def test_a_pattern_with_an_operator_leaves_the_pipeline_as_it_was() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"LEMMA": "very"})  # type: ignore[attr-defined]
    assert not index_attribute_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    assert not index_attribute_ruler(spacy.blank("en"))  # no ruler at all


SENTENCES = [
    "There were no talks on Monday, and the envoys weren't sure they'd meet again.",
    "The minister said she's gonna ask Brussels for help; y'all ain't seen nothing yet.",
    "Troops withdrew from the border town after the ceasefire was signed by both sides.",
    "Officials in Ankara and Athens have been meeting since 2019 to settle the dispute.",
]


def test_the_english_model_annotates_as_it_is_shipped(nlp: Language) -> None:
    """The model with its ruler indexed, as the project's pipeline has it, against the model as
    it is shipped, on every token."""
    assert type(nlp.get_pipe("attribute_ruler")) is IndexedAttributeRuler
    shipped = spacy.load(resolve_model(), exclude=["ner"])
    indexed = spacy.load(resolve_model(), exclude=["ner"])
    assert index_attribute_ruler(indexed)
    for ours, theirs in zip(indexed.pipe(SENTENCES), shipped.pipe(SENTENCES), strict=True):
        assert [(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_) for t in ours] == [
            (t.text, t.pos_, t.tag_, str(t.morph), t.lemma_) for t in theirs
        ]
