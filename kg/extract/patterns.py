"""The lexicon's dependency patterns compiled into spaCy DependencyMatchers, once per vocabulary.

`roles.json` says who fills which role of an event, `negation.json` which constructions say that
it did not happen. A pattern's first node is the trigger; the matcher runs once over a document
and the matches are read per trigger token.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.vocabulary import Lexicon, Pattern

#: node names of role patterns that carry a role
ROLES = ("initiator", "recipient", "participant", "witness")


def _word_lists(lex: Lexicon) -> dict[str, frozenset[str]]:
    """The lexicon lists a pattern may name as "$name"."""
    return {
        "light_verbs": lex.light_verbs,
        "object_control": lex.object_control,
        "reporting_verbs": lex.reporting,
        "stative_passives": lex.stative_passives,
        "movement_verbs": lex.movement_verbs,
        "negating_heads": lex.negating_heads,
        "cancelling_verbs": lex.cancelling_verbs,
        "patient_possessors": lex.patient_possessors,
    }


def _resolve(value: Any, lists: dict[str, frozenset[str]]) -> Any:
    """Replace "$name" by the named word list, recursively."""
    if isinstance(value, str) and value[1:] in lists and value.startswith("$"):
        return sorted(lists[value[1:]])
    if isinstance(value, dict):
        return {k: _resolve(v, lists) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_resolve(v, lists) for v in value]
    return value


@dataclass(frozen=True)
class Hit:
    """One match: the pattern and its named nodes (node name → token index)."""

    pattern: Pattern
    nodes: dict[str, int]


class PatternSet:
    """A DependencyMatcher over a list of patterns, read per anchor token."""

    def __init__(self, vocab: Vocab, patterns: tuple[Pattern, ...], lex: Lexicon) -> None:
        self.matcher = DependencyMatcher(vocab)
        self.patterns = {p.id: p for p in patterns}
        self.names: dict[str, list[str]] = {}
        lists = _word_lists(lex)
        for p in patterns:
            nodes = _resolve(list(p.pattern), lists)
            self.names[p.id] = [n["RIGHT_ID"] for n in nodes]
            self.matcher.add(p.id, [nodes])

    def hits(self, doc: Doc) -> dict[int, list[Hit]]:
        """Every match in the document, by the token its trigger node matched."""
        out: dict[int, list[Hit]] = defaultdict(list)
        for match_id, tokens in self.matcher(doc):
            pattern_id = doc.vocab.strings[match_id]
            nodes = dict(zip(self.names[pattern_id], tokens, strict=True))
            out[nodes["trigger"]].append(Hit(self.patterns[pattern_id], nodes))
        return out
