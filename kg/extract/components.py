"""spaCy components that mark what the statistical model misses: post titles and event triggers.

Both are registered factories whose patterns come from the reviewed lexicon files and are loaded
in `initialize`, like spaCy's own rule components.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

LEXICON = Path(__file__).parent / "lexicon"
TITLES_KEY = "diplokg_titles"
TRIGGERS_KEY = "diplokg_triggers"


def load_lexicon(name: str) -> dict[str, Any]:
    """A reviewed lexicon file from `kg/extract/lexicon/`."""
    data: dict[str, Any] = json.loads((LEXICON / name).read_text(encoding="utf-8"))
    return data


class EntityFixer:
    """Finds post titles and repairs the person names around them.

    The statistical NER reads "Secretary of State Rex Tillerson" as the organisation "State Rex
    Tillerson" and "Moon-Jae In" as "Moon"; titles mark where a name begins and hyphens join
    its parts.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.canonical: dict[str, str] = {}
        self.implies: dict[str, str] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        assert nlp is not None
        for entry in load_lexicon("titles.json")["titles"]:
            title = entry["title"]
            if entry.get("implies"):
                self.implies[title] = entry["implies"]
            for form in [title, *entry.get("forms", [])]:
                self.canonical[form.lower()] = title
                self.matcher.add(title, [nlp.make_doc(form)])

    def __call__(self, doc: Doc) -> Doc:
        titles = filter_spans(
            [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc, as_spans=False)]
        )
        # a lower-case title word counts only before a capitalised name or in an apposition
        titles = [t for t in titles if t[0].is_title or t[0].is_upper or _before_name(t)]
        doc.spans[TITLES_KEY] = titles
        # an entity inside a title ("State" in "Secretary of State") is part of the title
        inside = [
            e for e in doc.ents if not any(t.start <= e.start and e.end <= t.end for t in titles)
        ]
        fixed = [self._fix(doc, ent, titles) for ent in inside]
        for title in titles:
            slot = _name_slot(doc, title, fixed)
            for i, ent in enumerate(fixed):
                if (
                    ent.start == slot
                    and ent.label_ in ("ORG", "GPE", "NORP")
                    and _looks_like_name(ent)
                ):
                    fixed[i] = Span(
                        doc, ent.start, _extend_hyphenated(doc, ent.end), label="PERSON"
                    )
            name = _name_after(doc, title.end)
            if name is not None and not any(e.start <= name.start < e.end for e in fixed):
                fixed.append(name)
        doc.ents = filter_spans([e for e in fixed if len(e)])
        return doc

    def _fix(self, doc: Doc, ent: Span, titles: list[Span]) -> Span:
        start, end, label = ent.start, ent.end, ent.label_
        for title in titles:
            # a title the entity swallowed ("State Rex Tillerson", "President Trump")
            if title.start <= start < title.end < end:
                start, label = title.end, "PERSON"
            # an entity running into a title ("British Defence" + "Defence Secretary")
            elif start < title.start < end <= title.end:
                end = title.start
        if label == "PERSON":
            end = _extend_hyphenated(doc, end)
        return Span(doc, start, end, label=label)


def _name_slot(doc: Doc, title: Span, ents: list[Span]) -> int:
    """Where the holder's name starts: after the title, or after its "to the United Nations"."""
    i = title.end
    if i < len(doc) and doc[i].lower_ in ("to", "of", "for"):
        following = [e for e in ents if e.start in (i + 1, i + 2) and e.label_ in ("ORG", "GPE")]
        if following:
            return following[0].end
    return i


def _looks_like_name(span: Span) -> bool:
    """Two to four capitalised words, none of them a word organisations are named with."""
    org_words = {"of", "for", "and", "the", "council", "union", "nations", "ministry", "party"}
    return 2 <= len(span) <= 4 and all(t.is_title and t.lower_ not in org_words for t in span)


def _before_name(title: Span) -> bool:
    doc = title.doc
    nxt = doc[title.end] if title.end < len(doc) else None
    return nxt is not None and (nxt.ent_type_ == "PERSON" or nxt.text == ",")


def _extend_hyphenated(doc: Doc, end: int) -> int:
    """Join name parts written with hyphens ("Moon-Jae In", "Kim Jong-Un")."""
    joined = False
    while (
        end + 1 < len(doc)
        and doc[end].text in ("-", "‐", "–")
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end - 1].is_title
        and doc[end + 1].is_alpha
        and (doc[end + 1].is_title or len(doc[end + 1]) <= 4)  # "Jong-Un", "Jae-in"
    ):
        end += 2
        joined = True
    if joined and end < len(doc) and _name_part(doc[end]):
        end += 1
    return end


def _name_part(token: Any) -> bool:
    """A short capitalised token that continues a name ("In" in "Moon-Jae In")."""
    return bool(
        token.is_title
        and token.is_alpha
        and len(token) <= 4
        and token.tag_ == "NNP"
        and not token.is_sent_start
        and token.ent_type_ in ("", "PERSON")
    )


def _name_after(doc: Doc, i: int) -> Span | None:
    """A run of capitalised proper nouns right after a title, taken as a person's name."""
    j = i
    while j < len(doc) and doc[j].tag_ in ("NNP", "NNPS") and doc[j].is_title:
        if doc[j].ent_type_ not in ("", "PERSON", "ORG"):
            break
        j += 1
    if j - i < 1 or j - i > 4:
        return None
    return Span(doc, i, _extend_hyphenated(doc, j), label="PERSON")


class TriggerMatcher:
    """Marks the words that express an event of each class, from `triggers.json`."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = Matcher(nlp.vocab)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        for cls, entry in load_lexicon("triggers.json")["classes"].items():
            patterns: list[list[dict[str, Any]]] = []
            for phrase in entry.get("verbs", []):
                first, *rest = phrase.split()
                patterns.append([{"LEMMA": first, "POS": "VERB"}] + [{"LOWER": w} for w in rest])
            for word in entry.get("adjectives", []):  # "is opposed to", "stands ready"
                patterns.append([{"LOWER": word, "POS": {"IN": ["ADJ", "VERB"]}, "DEP": "acomp"}])
            for phrase in entry.get("nouns", []):
                *rest, last = phrase.split()
                patterns.append(
                    [{"LOWER": w} for w in rest]
                    + [{"LEMMA": last, "POS": {"IN": ["NOUN", "PROPN"]}}]
                )
            self.matcher.add(cls, patterns)

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=doc.vocab.strings[m]) for m, s, e in self.matcher(doc)]
        doc.spans[TRIGGERS_KEY] = filter_spans(spans)
        return doc


@Language.factory("diplokg_entity_fixes")
def make_entity_fixes(nlp: Language, name: str) -> EntityFixer:
    return EntityFixer(nlp, name)


@Language.factory("diplokg_triggers")
def make_triggers(nlp: Language, name: str) -> TriggerMatcher:
    return TriggerMatcher(nlp, name)
