"""Every dependency pattern of the lexicon, run on the example sentences it carries.

Each pattern must match its own examples at their trigger (here and in spaCy's own
DependencyMatcher, whose format the patterns are written in), and the event read there must
have the roles or the modality the example states.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language
from spacy.matcher import DependencyMatcher

from kg.extract import extract_doc, tools_of
from kg.extract.vocabulary import Pattern, load_lexicon
from kg.records import Document

LEX = load_lexicon()
ROLE_EXAMPLES = [(p, ex) for p in LEX.role_patterns for ex in p.examples]
NEGATION_EXAMPLES = [(p, ex) for p in LEX.modality_patterns for ex in p.examples]


def _trigger(doc: Any, word: str) -> int:
    return next(t.i for t in doc if t.text == word)


def _matches(nlp: Language, pattern: Pattern, doc: Any, at: int, negation: bool) -> None:
    tools = tools_of(nlp)
    patterns = tools.negation if negation else tools.roles
    hits = patterns.hits(doc, [at] + [a.i for a in doc[at].ancestors])
    assert any(h.pattern.id == pattern.id for h in hits.get(at, [])), pattern.id
    spacy_matcher = DependencyMatcher(nlp.vocab)
    for pid, nodes in patterns.spacy_patterns(LEX):
        if pid == pattern.id:
            spacy_matcher.add(pid, [nodes])
    assert any(tokens[0] == at for _, tokens in spacy_matcher(doc)), "spaCy disagrees"


@pytest.mark.parametrize(
    ("pattern", "example"), ROLE_EXAMPLES, ids=[p.id for p, _ in ROLE_EXAMPLES]
)
def test_role_pattern_examples(nlp: Language, pattern: Pattern, example: dict[str, Any]) -> None:
    doc = nlp(example["text"])
    at = _trigger(doc, example["trigger"])
    _matches(nlp, pattern, doc, at, negation=False)
    x = extract_doc(Document(id="t", text=example["text"]), doc, tools_of(nlp))
    events = [e for e in x.events if e.trigger.split()[0] == example["trigger"]] or list(x.events)
    assert events, f"no event read from {example['text']!r}"

    def fits(event: Any) -> bool:
        for role in ("initiator", "recipient"):
            if not set(example.get(role, ())) <= set(event.actors(role)):
                return False
        if not set(example.get("participant", ())) <= set(event.actors()):
            return False
        return not set(example.get("absent", ())) & set(event.actors())

    assert any(fits(e) for e in events), [(e.kind, e.participants) for e in events]


@pytest.mark.parametrize(
    ("pattern", "example"), NEGATION_EXAMPLES, ids=[p.id for p, _ in NEGATION_EXAMPLES]
)
def test_negation_pattern_examples(
    nlp: Language, pattern: Pattern, example: dict[str, Any]
) -> None:
    doc = nlp(example["text"])
    at = _trigger(doc, example["trigger"])
    _matches(nlp, pattern, doc, at, negation=True)
    x = extract_doc(Document(id="t", text=example["text"]), doc, tools_of(nlp))
    asserted = [e for e in x.events if e.modality is None and e.kind not in ("Reject",)]
    assert not [e for e in asserted if e.trigger.split()[0] == example["trigger"]], x.events


def test_every_pattern_has_examples() -> None:
    for pattern in (*LEX.role_patterns, *LEX.modality_patterns):
        assert pattern.examples, f"{pattern.id} has no example sentence"
        assert pattern.pattern[0]["RIGHT_ID"] == "trigger", f"{pattern.id}: trigger first"
