"""Every operator the pattern reader knows binds the tokens spaCy's DependencyMatcher binds."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.matcher import DependencyMatcher

from kg.extract.patterns import PatternSet
from kg.extract.vocabulary import Pattern, load_lexicon

TEXT = (
    "The foreign minister of Norway, who arrived late, met her Chilean counterpart in a hotel "
    "near the old harbour and signed two trade deals on Monday."
)


@pytest.mark.parametrize("op", [">", "<", ">>", "<<", "$+", "$-", "$++", "$--"])
def test_operator_binds_what_spacy_binds(nlp: Language, op: str) -> None:
    nodes = (
        {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "NOUN", "ADJ"]}}},
        {"LEFT_ID": "trigger", "REL_OP": op, "RIGHT_ID": "other",
         "RIGHT_ATTRS": {"POS": {"NOT_IN": ["PUNCT"]}}},
    )  # fmt: skip
    doc = nlp(TEXT)
    patterns = PatternSet((Pattern("p", nodes, frozenset(), False, "", ()),), load_lexicon())
    ours = {
        (i, hit.nodes["other"])
        for i, hits in patterns.hits(doc, range(len(doc))).items()
        for hit in hits
    }
    matcher = DependencyMatcher(nlp.vocab)
    matcher.add("p", [list(nodes)])
    theirs = {(tokens[0], tokens[1]) for _, tokens in matcher(doc)}
    if op.startswith("$"):
        # spaCy takes the root's own children for its "siblings"; the reader gives it none
        theirs = {(a, b) for a, b in theirs if doc[a].head.i != a}
    assert ours == theirs
    assert ours, "the sentence is written to hold such pairs"
