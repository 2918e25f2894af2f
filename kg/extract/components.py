"""spaCy components that mark what the statistical model misses: layout, titles and triggers.

Each is a registered factory with a `default_config`; its words and patterns come from the reviewed
lexicon, read in `initialize`, like spaCy's own rule components. `diplokg_layout` runs before the
parser (sentences never cross a paragraph, a headline or a dateline); the others after the NER.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.patterns import PatternSet
from kg.extract.structure import Layout, read_layout
from kg.extract.trigger_lookup import TriggerLookup
from kg.extract.vocabulary import Lexicon, Pattern, load_lexicon

TITLES_KEY = "diplokg_titles"
TRIGGERS_KEY = "diplokg_triggers"
LAYOUT_KEY = "diplokg_layout"  # spans labelled headline, body, skip
DATELINE_KEY = "diplokg_dateline"  # spans labelled dateline, place, region


class LayoutReader:
    """Reads the layout of a text and starts a sentence at every paragraph and after a dateline."""

    def __init__(self, nlp: Language, name: str, lexicon_dir: str) -> None:
        self.name = name
        self.lexicon_dir = lexicon_dir
        self.lexicon: Lexicon = load_lexicon(lexicon_dir or None)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        self.lexicon = load_lexicon(self.lexicon_dir or None)

    def __call__(self, doc: Doc) -> Doc:
        layout = read_layout(doc.text, self.lexicon)
        blocks = []
        for block in layout.blocks:
            span = doc.char_span(block.start, block.end, label=block.kind, alignment_mode="expand")
            if span is not None and len(span):
                blocks.append(span)
                doc[span.start].is_sent_start = True
        doc.spans[LAYOUT_KEY] = blocks
        doc.spans[DATELINE_KEY] = _dateline_spans(doc, layout)
        return doc


def _dateline_spans(doc: Doc, layout: Layout) -> list[Span]:
    dateline = layout.dateline
    if dateline is None:
        return []
    spans = []
    whole = doc.char_span(dateline.start, dateline.end, label="dateline", alignment_mode="expand")
    if whole is not None and whole.end < len(doc):
        for token in whole[1:]:  # "PLACE, Region —" is one unit, ...
            token.is_sent_start = False
        doc[whole.end].is_sent_start = True  # ... and the report's first sentence starts after it
        spans.append(whole)
    for label, part in (("place", dateline.place), ("region", dateline.region)):
        if part is not None:
            span = doc.char_span(*part, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    return spans


class LemmaFixer:
    """Mends the small model's lemmas of the verbs the lexicon reads with ("staged" → "stag").

    A verb whose lemma the lexicon does not know, but whose form is a regular inflection of a
    verb it does know ("staged", "staging", "stages" of "stage"), takes that verb as its lemma.
    """

    def __init__(self, nlp: Language, name: str, lexicon_dir: str) -> None:
        self.name = name
        self.lexicon_dir = lexicon_dir
        self.lexicon: Lexicon = load_lexicon(lexicon_dir or None)
        self.verbs = self.lexicon.verb_words

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        self.lexicon = load_lexicon(self.lexicon_dir or None)
        self.verbs = self.lexicon.verb_words

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            if _verb_read_as_noun(token, self.verbs):  # "Spain and Chad hand over ..."
                token.pos_ = "VERB"
                token.tag_ = "VBZ" if token.lower_.endswith("s") else "VBP"
                token.lemma_ = _regular_lemma(token.lower_, self.verbs) or token.lower_
            if token.pos_ in ("VERB", "AUX") and token.lemma_ not in self.verbs:
                lemma = _regular_lemma(token.lower_, self.verbs)
                if lemma is not None:
                    token.lemma_ = lemma
        return doc


def _verb_read_as_noun(token: Token, verbs: frozenset[str]) -> bool:
    """A word the parse makes the head of a clause with a nominal subject but tags a noun: a
    verb of the lexicon that the small model mistook, as it does in terse present-tense news."""
    if token.pos_ != "NOUN" or token.dep_ not in ("ROOT", "conj", "ccomp"):
        return False
    if not any(c.dep_ == "nsubj" for c in token.children):
        return False
    return token.lower_ in verbs or _regular_lemma(token.lower_, verbs) is not None


def _regular_lemma(form: str, verbs: frozenset[str]) -> str | None:
    """The known verb a regularly inflected form comes from, if any."""
    for suffix, replacement in (("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""), ("es", ""),
                                ("s", ""), ("d", ""), ("ied", "y"), ("ies", "y")):  # fmt: skip
        if form.endswith(suffix) and len(form) > len(suffix) + 2:
            stem = form[: -len(suffix)] + replacement
            if stem in verbs:
                return stem
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in verbs:
                return stem[:-1]  # "dropped" → "drop"
    return None


class EntityFixer:
    """Finds post titles and repairs the person names around them.

    The statistical NER reads "Secretary of State Jane Roe" as the organisation "State Jane Roe"
    and a hyphenated name as its first part; titles mark where a name begins, hyphens join its
    parts.
    """

    def __init__(self, nlp: Language, name: str, lexicon_dir: str) -> None:
        self.name = name
        self.lexicon_dir = lexicon_dir
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.organizations = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lexicon: Lexicon = load_lexicon(lexicon_dir or None)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        assert nlp is not None
        self.lexicon = load_lexicon(self.lexicon_dir or None)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.organizations = PhraseMatcher(nlp.vocab, attr="LOWER")
        names = {*self.lexicon.organization_names, *self.lexicon.group_names}
        self.organizations.add(
            "ORG", [nlp.make_doc(n) for n in sorted(names) if " " in n or "-" in n]
        )
        # office holders the dictionary names ("Theresa May" is no date)
        people = {name for name in self.lexicon.office_names.values() if " " in name}
        self.organizations.add("PERSON", [nlp.make_doc(n) for n in sorted(people)])
        for entry in self.lexicon.titles:
            # plurals of two-word titles only ("foreign ministers of A and B, X and Y"): a
            # plural "leaders" or "generals" is a common noun
            forms = [
                f
                for form in (entry.title, *entry.forms)
                for f in ((form, _plural(form)) if " " in form else (form,))
            ]
            self.matcher.add(entry.title, [nlp.make_doc(f) for f in dict.fromkeys(forms)])

    def __call__(self, doc: Doc) -> Doc:
        titles = filter_spans(
            [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc, as_spans=False)]
        )
        # a lower-case title word counts only before a capitalised name or in an apposition
        starts = {t.start for t in titles}
        titles = [t for t in titles if t[0].is_title or t[0].is_upper or _before_name(t, starts)]
        doc.spans[TITLES_KEY] = titles
        title_at = {i: t for t in titles for i in range(t.start, t.end)}  # token → its title
        # an entity inside a title ("State" in "Secretary of State") is part of the title
        inside = [
            e for e in doc.ents if not (e.start in title_at and title_at[e.start].end >= e.end)
        ]
        fixed = [_fix(doc, ent, title_at) for ent in inside]
        by_start = {e.start: i for i, e in enumerate(fixed)}
        covered = {t for e in fixed for t in range(e.start, e.end)}
        org_words = self.lexicon.organization_words
        for title in titles:
            i = by_start.get(_name_slot(doc, title, by_start, fixed), -1)
            if (
                i >= 0
                and fixed[i].label_ in ("ORG", "GPE", "NORP")
                and _looks_like_name(fixed[i], org_words)
            ):
                ent = fixed[i]
                fixed[i] = Span(doc, ent.start, _extend_hyphenated(doc, ent.end), label="PERSON")
            name = _name_after(doc, title.end)
            if name is not None and name.start not in covered:
                fixed.append(name)
                covered.update(range(name.start, name.end))
        # organisations and office holders the lexicon names, that the model missed or cut
        known = [
            Span(doc, s, e, label=doc.vocab.strings[m])
            for m, s, e in self.organizations(doc)
            if s not in title_at
        ]
        doc.ents = filter_spans([e for e in fixed if len(e)] + known)
        return doc


def _fix(doc: Doc, ent: Span, title_at: dict[int, Span]) -> Span:
    """An entity cut back to the name a title stands before ("State Jane Roe" → "Jane Roe")."""
    start, end, label = ent.start, ent.end, ent.label_
    for title in dict.fromkeys(title_at[i] for i in range(start, end) if i in title_at):
        # a title the entity swallowed ("State Jane Roe", "President Roe")
        if title.start <= start < title.end < end:
            start, label = title.end, "PERSON"
        # an entity running into a title ("British Defence" + "Defence Secretary")
        elif start < title.start < end <= title.end:
            end = title.start
    if label == "PERSON":
        end = _extend_hyphenated(doc, end)
    return Span(doc, start, end, label=label)


def _name_slot(doc: Doc, title: Span, by_start: dict[int, int], ents: list[Span]) -> int:
    """Where the holder's name starts: after the title, or after its "to the United Nations"."""
    i = title.end
    if i < len(doc) and doc[i].lower_ in ("to", "of", "for"):
        for j in (i + 1, i + 2):
            if j in by_start and ents[by_start[j]].label_ in ("ORG", "GPE"):
                return ents[by_start[j]].end
    return i


def _looks_like_name(span: Span, org_words: frozenset[str]) -> bool:
    """Two to four capitalised words, none of them a word organisations are named with."""
    return 2 <= len(span) <= 4 and all(t.is_title and t.lower_ not in org_words for t in span)


def _plural(title: str) -> str:
    """ "Foreign Minister" → "Foreign Ministers", "Secretary" → "Secretaries"."""
    if title.endswith("y") and not title.endswith(("ay", "ey", "oy")):
        return title[:-1] + "ies"
    return title if title.endswith("s") or title.endswith(".") else title + "s"


def _before_name(title: Span, title_starts: set[int]) -> bool:
    """A lower-case title word that names a post: before a name or a comma, in an apposition
    to a person ("X, a spokesman for Y"), or with its "of"/"to" phrase before a name ("the
    emir of Qatar, Sheikh X")."""
    doc = title.doc
    nxt = doc[title.end] if title.end < len(doc) else None
    if nxt is None:
        return False
    if nxt.ent_type_ == "PERSON" or nxt.text == ",":
        return True
    root = title.root
    if root.dep_ == "appos" and root.head.ent_type_ == "PERSON":
        return True
    if nxt.lower_ in ("of", "to", "for"):
        for t in doc[title.end : min(title.end + 8, len(doc) - 1)]:
            if t.text == "," and (doc[t.i + 1].ent_type_ == "PERSON" or t.i + 1 in title_starts):
                return True
    return False


def _extend_hyphenated(doc: Doc, end: int) -> int:
    """Join name parts written with hyphens ("Kim Jong-Un", "Roh Moo-hyun")."""
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
    """Marks the words that express an event of each class, from `triggers.json`, and holds the
    dependency patterns (`roles.json`, `negation.json`) that the event reader applies to them."""

    def __init__(self, nlp: Language, name: str, lexicon_dir: str) -> None:
        self.name = name
        self.lexicon_dir = lexicon_dir
        self.lookup = TriggerLookup(nlp.vocab, ())
        self.lexicon: Lexicon = load_lexicon(lexicon_dir or None)
        self.pairs = PatternSet((), self.lexicon)
        self.pair_verbs: frozenset[int] = frozenset()  # lemma ids
        self.roles = PatternSet((), self.lexicon)
        self.negation = PatternSet((), self.lexicon)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        assert nlp is not None
        self.lexicon = load_lexicon(self.lexicon_dir or None)
        self.lookup = TriggerLookup(
            nlp.vocab,
            [
                (cls.name, trigger_patterns(cls.verbs, cls.nouns, cls.adjectives))
                for cls in self.lexicon.classes
            ],
        )
        pairs: list[Pattern] = []
        for cls_name, verbs, objects in self.lexicon.verb_object:
            verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(verbs)}}}
            obj = {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "object"}
            pairs.append(
                _pair(
                    cls_name,
                    verb,
                    {**obj, "RIGHT_ATTRS": {"DEP": "dobj", "LEMMA": {"IN": sorted(objects)}}},
                )
            )
            # "the sanctions were lifted": the object told as the passive subject
            passive = {"DEP": "nsubjpass", "LEMMA": {"IN": sorted(objects)}}
            pairs.append(_pair(cls_name, verb, {**obj, "RIGHT_ATTRS": passive}))
            # "ended mediation efforts", "cut aid programmes": the compound says what it is
            kind = {"LEFT_ID": "object", "REL_OP": ">", "RIGHT_ID": "kind",
                    "RIGHT_ATTRS": {"DEP": "compound", "LEMMA": {"IN": sorted(objects)}}}  # fmt: skip
            pairs.append(_pair(cls_name, verb, {**obj, "RIGHT_ATTRS": {"DEP": "dobj"}}, kind))
        for cls_name, verbs, preps in self.lexicon.verb_preposition:
            # "pushed Congress for reforms": the verb with its preposition, wherever it stands
            verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": sorted(verbs)}}}
            prep = {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "prep",
                    "RIGHT_ATTRS": {"DEP": "prep", "LOWER": {"IN": sorted(preps)}}}  # fmt: skip
            pairs.append(_pair(cls_name, verb, prep))
        for cls in self.lexicon.classes:  # "handed the pilot back": the particle may stand apart
            for first, part in (
                v.split() for v in cls.verbs if _phrasal(v, self.lexicon.particles)
            ):
                verb = {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": first, "POS": "VERB"}}
                particle = {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "particle",
                            "RIGHT_ATTRS": {"DEP": {"IN": ["prt", "advmod"]}, "LOWER": part}}  # fmt: skip
                pairs.append(_pair(cls.name, verb, particle))
        self.pairs = PatternSet(tuple(pairs), self.lexicon)
        self.pair_verbs = frozenset(
            get_string_id(w) for p in pairs for w in _values(p.pattern[0]["RIGHT_ATTRS"]["LEMMA"])
        )
        self.roles = PatternSet(self.lexicon.role_patterns, self.lexicon)
        self.negation = PatternSet(self.lexicon.modality_patterns, self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        # a verb with its object ("broke off relations") first: it wins over the verb alone
        lemmas = doc.to_array(LEMMA).tolist() if len(doc) else []
        verbs = (i for i, lemma in enumerate(lemmas) if lemma in self.pair_verbs)
        spans = [
            Span(doc, i, i + 1, label=hit.pattern.id)
            for i, hits in self.pairs.hits(doc, verbs).items()
            for hit in hits
        ]
        spans += self.lookup.spans(doc)  # what a Matcher of `trigger_patterns` finds
        doc.spans[TRIGGERS_KEY] = filter_spans(spans)
        return doc


def _pair(label: str, *nodes: dict[str, Any]) -> Pattern:
    """A trigger pattern of a verb and a word it governs, labelled with its event class."""
    return Pattern(label, tuple(nodes), frozenset(), False, "", ())


def _values(wanted: str | dict[str, Any]) -> list[str]:
    return list(wanted["IN"]) if isinstance(wanted, dict) else [wanted]


def _phrasal(phrase: str, particles: frozenset[str]) -> bool:
    words = phrase.split()
    return len(words) == 2 and words[1] in particles


def trigger_patterns(
    verbs: Iterable[str], nouns: Iterable[str], adjectives: Iterable[str]
) -> list[list[dict[str, Any]]]:
    """Matcher patterns for one class: verb lemmas with their particle, nouns by their last
    word's lemma, predicative adjectives ("is opposed to", "stands ready")."""
    # one-word entries share one pattern each: the Matcher tries every pattern at every token
    patterns: list[list[dict[str, Any]]] = []
    single = sorted(v for v in verbs if " " not in v)
    if single:
        patterns.append([{"LEMMA": {"IN": single}, "POS": "VERB"}])
    for phrase in verbs:
        first, *rest = phrase.split()
        if rest:
            patterns.append([{"LEMMA": first, "POS": "VERB"}] + [{"LOWER": w} for w in rest])
    if adjectives:
        words = sorted(adjectives)
        patterns.append([{"LOWER": {"IN": words}, "POS": {"IN": ["ADJ", "VERB"]}, "DEP": "acomp"}])
    single = sorted(n for n in nouns if " " not in n)
    if single:
        patterns.append([{"LEMMA": {"IN": single}, "POS": {"IN": ["NOUN", "PROPN"]}}])
    for phrase in nouns:
        *rest, last = phrase.split()
        if rest:
            patterns.append(
                [{"LOWER": w} for w in rest] + [{"LEMMA": last, "POS": {"IN": ["NOUN", "PROPN"]}}]
            )
    return patterns


CONFIG = {"lexicon_dir": ""}


@Language.factory("diplokg_layout", default_config=CONFIG)
def make_layout(nlp: Language, name: str, lexicon_dir: str) -> LayoutReader:
    return LayoutReader(nlp, name, lexicon_dir)


@Language.factory("diplokg_lemma_fixes", default_config=CONFIG)
def make_lemma_fixes(nlp: Language, name: str, lexicon_dir: str) -> LemmaFixer:
    return LemmaFixer(nlp, name, lexicon_dir)


@Language.factory("diplokg_entity_fixes", default_config=CONFIG)
def make_entity_fixes(nlp: Language, name: str, lexicon_dir: str) -> EntityFixer:
    return EntityFixer(nlp, name, lexicon_dir)


@Language.factory("diplokg_triggers", default_config=CONFIG)
def make_triggers(nlp: Language, name: str, lexicon_dir: str) -> TriggerMatcher:
    return TriggerMatcher(nlp, name, lexicon_dir)
