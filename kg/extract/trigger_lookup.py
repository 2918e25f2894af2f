"""The trigger patterns of `trigger_patterns`, found the cheap way: what spaCy's Matcher finds.

spaCy's Matcher tries every pattern at every token, which costs as much as the tagger. Most
trigger patterns are one token (a lemma in a list, with a part of speech), so they are dictionary
look-ups on the token's integer attributes; the patterns of several words go to a real Matcher,
run only on the short windows that start at a token their first word allows. The spans come out
in the order the Matcher gives them, so `filter_spans` keeps the same ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from spacy.attrs import DEP, LEMMA, LOWER, POS
from spacy.matcher import Matcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

Patterns = Sequence[tuple[str, list[list[dict[str, Any]]]]]

_VERB, _ADJ = POS_IDS["VERB"], POS_IDS["ADJ"]
_NOUNS = frozenset({POS_IDS["NOUN"], POS_IDS["PROPN"]})
_ACOMP = get_string_id("acomp")


def _words(value: str | dict[str, Any]) -> list[str]:
    return list(value["IN"]) if isinstance(value, dict) else [value]


class TriggerLookup:
    """One-token trigger patterns as look-ups, longer ones through a Matcher on windows.

    Understands the pattern shapes `trigger_patterns` writes: one token `{LEMMA, POS: VERB}`,
    `{LOWER, POS: [ADJ, VERB], DEP: acomp}` or `{LEMMA, POS: [NOUN, PROPN]}`; longer patterns
    start with `{LEMMA, POS: VERB}` or `{LOWER}`. Anything else raises ValueError.
    """

    def __init__(self, vocab: Vocab, patterns: Patterns) -> None:
        self.labels: list[str] = []  # in the order the patterns were added (the Matcher's)
        # attribute id → class positions, per one-token pattern shape
        self.verbs: dict[int, list[int]] = {}
        self.adjectives: dict[int, list[int]] = {}
        self.nouns: dict[int, list[int]] = {}
        self.phrase_verbs: set[int] = set()  # first lemmas of verb phrases
        self.phrase_words: set[int] = set()  # first words of noun phrases
        self.longest = 1
        self.matcher = Matcher(vocab)
        for label, label_patterns in patterns:
            position = len(self.labels)
            self.labels.append(label)
            longer = []
            for pattern in label_patterns:
                if len(pattern) == 1:
                    self._add_single(position, pattern[0])
                else:
                    self._add_first(pattern[0])
                    longer.append(pattern)
                    self.longest = max(self.longest, len(pattern))
            if longer:
                self.matcher.add(label, longer)

    def _add_single(self, position: int, node: dict[str, Any]) -> None:
        keys = set(node)
        if keys == {"LEMMA", "POS"} and node["POS"] == "VERB":
            table = self.verbs
        elif keys == {"LEMMA", "POS"} and node["POS"] == {"IN": ["NOUN", "PROPN"]}:
            table = self.nouns
        elif keys == {"LOWER", "POS", "DEP"} and node["DEP"] == "acomp":
            if node["POS"] != {"IN": ["ADJ", "VERB"]}:
                raise ValueError(f"trigger pattern {node!r} is not supported")
            table = self.adjectives
        else:
            raise ValueError(f"trigger pattern {node!r} is not supported")
        for word in _words(node["LEMMA" if "LEMMA" in node else "LOWER"]):
            classes = table.setdefault(get_string_id(word), [])
            if position not in classes:
                classes.append(position)

    def _add_first(self, node: dict[str, Any]) -> None:
        if set(node) == {"LEMMA", "POS"} and node["POS"] == "VERB":
            self.phrase_verbs.update(get_string_id(w) for w in _words(node["LEMMA"]))
        elif set(node) == {"LOWER"}:
            self.phrase_words.update(get_string_id(w) for w in _words(node["LOWER"]))
        else:
            raise ValueError(f"trigger pattern {node!r} is not supported")

    def spans(self, doc: Doc) -> list[Span]:
        """Every match, as labelled spans, in the Matcher's order."""
        rows = doc.to_array([LEMMA, LOWER, POS, DEP]).tolist() if len(doc) else []
        found: list[Span] = []
        starts: list[int] = []
        for i, (lemma, lower, pos, dep) in enumerate(rows):
            classes: set[int] = set()
            if pos == _VERB:
                classes.update(self.verbs.get(lemma, ()))
                if lemma in self.phrase_verbs:
                    starts.append(i)
            elif pos in _NOUNS:
                classes.update(self.nouns.get(lemma, ()))
            if dep == _ACOMP and pos in (_ADJ, _VERB):
                classes.update(self.adjectives.get(lower, ()))
            if lower in self.phrase_words and (not starts or starts[-1] != i):
                starts.append(i)
            for position in sorted(classes):
                found.append(Span(doc, i, i + 1, label=self.labels[position]))
        for start, end in _windows(starts, self.longest, len(doc)):
            window = doc[start:end]
            for match_id, s, e in self.matcher(window):
                found.append(Span(doc, start + s, start + e, label=match_id))
        return found


def _windows(starts: Iterable[int], width: int, length: int) -> list[tuple[int, int]]:
    """Token ranges holding every match that starts at one of `starts` (merged when they
    overlap, so no match is found twice)."""
    out: list[tuple[int, int]] = []
    for start in starts:
        end = min(start + width, length)
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
