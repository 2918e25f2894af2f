"""The lemma fixes: regular inflections of the lexicon's verbs get their lemma back, and a
verb the model tagged a noun is read as a verb."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.extract.components import _regular_lemma, _verb_read_as_noun

VERBS = frozenset({"stage", "drop", "deny", "meet", "sign"})


@pytest.mark.parametrize(
    ("form", "lemma"),
    [("staged", "stage"), ("staging", "stage"), ("dropped", "drop"), ("denied", "deny"),
     ("signs", "sign"), ("walked", None)],
)  # fmt: skip
def test_regular_lemmas(form: str, lemma: str | None) -> None:
    assert _regular_lemma(form, VERBS) == lemma


def _parsed(words: list[str], pos: list[str], deps: list[str], heads: list[int]) -> Doc:
    """A hand-made parse on a blank pipeline (no statistical model)."""
    return Doc(spacy.blank("en").vocab, words=words, pos=pos, deps=deps, heads=heads)


@pytest.mark.parametrize(
    ("words", "pos", "deps", "heads", "verb"),
    [
        # "Chile and Peru sign a pact": the head of the clause, with a subject, tagged a noun
        (["Chile", "and", "Peru", "sign", "a", "pact"],
         ["PROPN", "CCONJ", "PROPN", "NOUN", "DET", "NOUN"],
         ["nsubj", "cc", "conj", "ROOT", "det", "dobj"], [3, 0, 0, 3, 5, 3], True),
        # "the sign of peace": a noun without a subject stays a noun
        (["the", "sign", "of", "peace"], ["DET", "NOUN", "ADP", "NOUN"],
         ["det", "ROOT", "prep", "pobj"], [1, 1, 1, 2], False),
        # a clause head with a subject, but no verb of the lexicon
        (["Chile", "and", "Peru", "walk", "home"], ["PROPN", "CCONJ", "PROPN", "NOUN", "ADV"],
         ["nsubj", "cc", "conj", "ROOT", "advmod"], [3, 0, 0, 3, 3], False),
    ],
)  # fmt: skip
def test_verbs_read_as_nouns(
    words: list[str], pos: list[str], deps: list[str], heads: list[int], verb: bool
) -> None:
    doc = _parsed(words, pos, deps, heads)
    head = next(t for t in doc if t.dep_ == "ROOT")
    assert _verb_read_as_noun(head, VERBS) is verb
