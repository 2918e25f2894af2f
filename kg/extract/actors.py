"""NER spans + rules → actors and places, with one identity per real actor in a document.

Places (a village, a city, a US state) are never actors; a capital stands for its state only where
it acts ("Washington said"); demonyms act for their state ("North Korean officials").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import pycountry
from spacy.tokens import Doc, Span, Token

from kg.extract.components import load_lexicon
from kg.extract.gazetteer import StateName, fold, gazetteer
from kg.ids import slug
from kg.records import Actor, ActorKind, Mention, Place

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
AGENT_DEPS = {"nsubj", "nsubjpass", "poss", "agent", "compound", "amod", "conj", "appos"}
AGREEMENT_WORDS = {
    "agreement", "accord", "accords", "framework", "treaty", "declaration", "pact", "deal",
    "protocol", "convention", "memorandum", "communique", "charter", "plan",
}  # fmt: skip
_POSSESSIVE = re.compile(r"\s*['’]s?$")


@dataclass
class _ActorBuilder:
    id: str
    kind: ActorKind
    label: str
    iso3: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: dict[int, Mention] = field(default_factory=dict)
    based_in: str | None = None

    def record(self) -> Actor:
        return Actor(
            id=self.id,
            kind=self.kind,
            label=self.label,
            aliases=tuple(sorted(self.aliases - {self.label})),
            iso3=self.iso3,
            mentions=tuple(self.mentions[k] for k in sorted(self.mentions)),
            based_in=self.based_in,
        )


@dataclass
class ActorIndex:
    """Who and where each entity token of a document refers to."""

    actors: dict[str, _ActorBuilder] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    token_actor: dict[int, str] = field(default_factory=dict)
    token_place: dict[int, str] = field(default_factory=dict)
    spans: list[tuple[Span, str]] = field(default_factory=list)  # (span, actor id), in text order
    place_states: dict[str, tuple[str, str]] = field(default_factory=dict)  # capital → state

    def add_implied(self, actor_id: str, kind: ActorKind, label: str, iso3: str | None,
                    mention: Mention) -> str:  # fmt: skip
        """An actor the text implies without naming it ("Senator X (R-Texas)" → United States)."""
        builder = self.actors.get(actor_id)
        if builder is None:
            builder = self.actors[actor_id] = _ActorBuilder(actor_id, kind, label, iso3)
        builder.mentions.setdefault(mention.start, mention)
        return actor_id

    def add(self, span: Span, kind: ActorKind, label: str, actor_id: str, iso3: str | None,
            surface: str, *, alias: bool = True) -> str:  # fmt: skip
        builder = self.actors.get(actor_id)
        if builder is None:
            builder = self.actors[actor_id] = _ActorBuilder(actor_id, kind, label, iso3)
        if alias:
            builder.aliases.add(surface)
        sent = span.sent
        builder.mentions[sent.start_char] = sentence_mention(sent)
        for token in span:
            self.token_actor[token.i] = actor_id
        self.spans.append((span, actor_id))
        return actor_id

    def add_place(self, span: Span, label: str) -> str:
        place_id = slug(label)
        old = self.places.get(place_id)
        mention = sentence_mention(span.sent)
        mentions = tuple(dict.fromkeys((*(old.mentions if old else ()), mention)))
        self.places[place_id] = Place(place_id, old.label if old else label, mentions)
        for token in span:
            self.token_place[token.i] = place_id
        return place_id

    def records(self) -> tuple[tuple[Actor, ...], tuple[Place, ...]]:
        return (
            tuple(b.record() for b in self.actors.values()),
            tuple(self.places.values()),
        )

    def kind(self, actor_id: str) -> ActorKind | None:
        builder = self.actors.get(actor_id)
        return builder.kind if builder else None


def sentence_mention(sent: Span) -> Mention:
    """The sentence as evidence: character offsets into the document text."""
    text = sent.text
    start = sent.start_char
    return Mention(start=start, end=start + len(text), text=text)


@cache
def _organizations() -> dict[str, str]:
    """Folded surface form → canonical label of international organisations."""
    data = load_lexicon("organizations.json")["organizations"]
    out: dict[str, str] = {}
    for label, names in data.items():
        for name in [label, *names]:
            out[fold(name)] = label
    return out


@cache
def _context_words() -> tuple[frozenset[str], frozenset[str]]:
    data = load_lexicon("organizations.json")
    return frozenset(data["place_nouns"]), frozenset(data["locative_preps"])


def clean_surface(span: Span) -> str:
    """The entity's words without a leading article or a trailing possessive."""
    text = span.text.strip()
    if text.lower().startswith("the "):
        text = text[4:]
    return _POSSESSIVE.sub("", text).strip()


def is_agreement_name(span: Span) -> bool:
    """A named agreement ("the 1994 Agreed Framework", "the Paris Accords")."""
    if span.label_ not in ("FAC", "LAW", "EVENT", "WORK_OF_ART", "ORG", "PRODUCT"):
        return False
    words = {t.lower_ for t in span}
    return bool(words & AGREEMENT_WORDS) and any(t.is_title for t in span)


def in_place_context(span: Span, *, by_preposition: bool = True) -> bool:
    """True where the syntax says the span names a location.

    "at Panmunjom", "the village of Panmunjom", "the DMZ village": the statistical model's person
    or organisation labels are overruled there. Organisations are overruled only by a place noun
    ("at Political Insights" is still an organisation).
    """
    place_nouns, preps = _context_words()
    root = span.root
    head = root.head
    if by_preposition and root.dep_ == "pobj" and head.lower_ in preps - {"from", "into"}:
        return True
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in place_nouns:
        return True
    if root.dep_ in ("compound", "nmod") and head.lemma_.lower() in place_nouns:
        return True
    return span.label_ != "PERSON" and root.dep_ == "appos" and head.lemma_.lower() in place_nouns


def _destination(span: Span) -> bool:
    """The object of a verb of movement ("visited Washington", "arrived in Tokyo")."""
    root = span.root
    movement = frozenset(load_lexicon("organizations.json")["movement_verbs"])
    if root.dep_ == "pobj" and root.head.lower_ in ("to", "for"):
        return root.head.head.lemma_ in movement
    return root.dep_ == "dobj" and root.head.lemma_ in movement


def _title_complement(span: Span) -> bool:
    """Words completing a post ("Director for Partnerships"), not an actor."""
    head = span.root.head
    return (
        span.root.dep_ == "pobj"
        and head.lower_ in ("for", "of")
        and head.head.pos_ in ("PROPN", "NOUN")
        and head.head.is_title
        and head.head.ent_type_ == ""
        and len(span) == 1
    )


def build_index(doc: Doc) -> ActorIndex:
    """Resolve every entity of the document to an actor, a place or nothing."""
    gaz = gazetteer()
    index = ActorIndex()
    persons: list[tuple[Span, str]] = []
    north_south = _compass_states(doc)
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS or is_agreement_name(ent):
            continue
        surface = clean_surface(ent)
        if not surface or not any(c.isalpha() for c in surface):
            continue
        if re.match(r"(?i)(pro|anti)\s*-", surface):
            continue  # "pro-Iranian" is a stance, not Iran
        state = gaz.state(surface)
        if state is not None and ent.start > 0 and doc[ent.start - 1].lower_ == "ethnic":
            continue  # "ethnic Albanians" are a people, not Albania
        if (people := _people_of(ent)) is not None:
            # "Bosnian Serbs", "Iraqi Kurds": a people acting for its state
            index.add(ent, "State", people.label, people.iso3, people.iso3, surface, alias=False)
            continue
        if ent.label_ == "PERSON" and (
            state is None
            or state.how == "demonym"
            or (len(ent) > 1 and fold(state.label) != fold(surface))
        ):
            state = None  # the model calls "Canberra" or "Armenia" a person now and then
        org = _organizations().get(fold(surface))
        if state is not None and state.how == "capital":
            if in_place_context(ent) or _destination(ent):
                place_id = index.add_place(ent, surface)
                index.place_states[place_id] = (state.iso3, state.label)
            else:  # "Washington said", "accused Beijing": the capital stands for its state
                index.add(ent, "State", state.label, state.iso3, state.iso3, surface)
        elif state is not None and (state.how == "name" or ent.label_ in ("NORP", "GPE", "ORG")):
            index.add(ent, "State", state.label, state.iso3, state.iso3, surface)
        elif org is not None and not in_place_context(ent, by_preposition=False):
            index.add(ent, "Organization", org, slug(org), None, surface)
        elif ent.label_ == "LOC" and fold(surface) in north_south:
            iso3, label = north_south[fold(surface)]
            index.add(ent, "State", label, iso3, iso3, surface)
        elif (
            ent.label_ in ("GPE", "LOC", "FAC")
            or (ent.label_ != "PERSON" and gaz.is_place(surface))
            or (ent.label_ == "PERSON" and in_place_context(ent))
            or (ent.label_ == "ORG" and in_place_context(ent, by_preposition=False))
        ):
            index.add_place(ent, surface)
        elif ent.label_ == "ORG" and _person_word(doc, surface):
            persons.append((ent, surface))  # "Haley said" after "Nikki Haley": a person
        elif ent.label_ == "ORG" and (body := _institution_state(ent, surface)) is not None:
            # "the US Congress", "Israel's Cabinet": a state's own body acts for the state
            index.add(ent, "State", body.label, body.iso3, body.iso3, surface, alias=False)
        elif ent.label_ == "ORG" and not _title_complement(ent):
            org_id = index.add(ent, "Organization", surface, slug(surface), None, surface)
            home = _state_before(doc, ent)  # "the Serbian [Workers' Union]"
            if home is not None and index.actors[org_id].based_in is None:
                index.actors[org_id].based_in = home
        elif ent.label_ == "PERSON":
            persons.append((ent, surface))
    _untagged_demonyms(doc, index)
    _untagged_organizations(doc, index)
    _resolve_persons(index, persons)
    _home_states(index)
    index.spans.sort(key=lambda item: item[0].start)
    return index


def _people_of(ent: Span) -> StateName | None:
    """The state of a group named by demonym and people ("Bosnian Serbs", "Iraqi Kurds")."""
    if len(ent) < 2 or ent[-1].tag_ not in ("NNPS", "NNS") or ent.label_ not in ("NORP", "PERSON"):
        return None
    first = gazetteer().state(ent[0].text)
    return first if first is not None and first.how == "demonym" else None


def _state_before(doc: Doc, ent: Span) -> str | None:
    """A state named right before an organisation's name, as a demonym or a name."""
    if ent.start == 0:
        return None
    token = doc[ent.start - 1]
    if (
        ent.start >= 3
        and doc[ent.start - 2].text == "-"
        and doc[ent.start - 3].lower_ in ("pro", "anti")
    ):
        return None  # "the pro-Iranian Hizbollah": a stance, not a home
    state = gazetteer().state(token.text) if token.is_title else None
    return state.iso3 if state is not None and state.how in ("demonym", "name") else None


def _person_word(doc: Doc, surface: str) -> bool:
    """A one-word name that is part of a person's full name elsewhere in the document."""
    if " " in surface or not surface[:1].isupper():
        return False
    return any(
        e.label_ == "PERSON" and len(e) > 1 and surface in {t.text for t in e} for e in doc.ents
    )


def _home_states(index: ActorIndex) -> None:
    """The state each organisation is based in: named in its name ("Serbian Workers' Union",
    "Kenya Anti-Corruption Commission") or, for well-known groups, from the lexicon."""
    gaz = gazetteer()
    homes = {
        fold(k): v for k, v in load_lexicon("organizations.json")["home_states"]["groups"].items()
    }
    for builder in list(index.actors.values()):
        if builder.kind != "Organization":
            continue
        names = [builder.label, *builder.aliases]
        code = builder.based_in or next((homes[fold(n)] for n in names if fold(n) in homes), None)
        if code is None:
            for word in re.split(r"[\s']+", builder.label):
                hit = gaz.names.get(fold(word)) if len(word) > 3 else None
                if hit is not None and hit.how in ("name", "demonym"):
                    code = hit.iso3
                    break
        if code is None:
            continue
        if code not in index.actors:
            country = pycountry.countries.get(alpha_3=code)
            label = gaz.state(country.name).label if country and gaz.state(country.name) else code  # type: ignore[union-attr]
            mention = next(iter(builder.mentions.values()))
            index.add_implied(code, "State", label, code, mention)
        builder.based_in = code


def _untagged_organizations(doc: Doc, index: ActorIndex) -> None:
    """One-word names of organisations the lexicon knows and the model left untagged
    ("Hizbollah", "Hamas", "NATO")."""
    known = _organizations()
    groups = {fold(k): k for k in load_lexicon("organizations.json")["home_states"]["groups"]}
    for token in doc:
        if token.ent_type_ or token.i in index.token_actor or not token.text[:1].isupper():
            continue
        key = fold(token.text)
        label = known.get(key) or groups.get(key)
        if label is not None and len(key) > 2:
            span = doc[token.i : token.i + 1]
            index.add(span, "Organization", label, slug(label), None, token.text)


def _untagged_demonyms(doc: Doc, index: ActorIndex) -> None:
    """Demonyms and state names the statistical model left untagged ("Ghanaian authorities",
    "Uzbekistan finally opened ...")."""
    gaz = gazetteer()
    for token in doc:
        if token.ent_type_ or not token.is_title or token.tag_ not in ("JJ", "NNP", "NNPS", "NNS"):
            continue
        state = gaz.state(token.text)
        named = state is not None and state.how == "name" and token.tag_ == "NNP" and len(token) > 3
        if (
            state is not None
            and (state.how == "demonym" or named)
            and token.i not in index.token_actor
        ):
            if token.i > 0 and doc[token.i - 1].lower_ == "ethnic":
                continue
            index.add(
                doc[token.i : token.i + 1], "State", state.label, state.iso3, state.iso3, token.text
            )


def _institution_state(ent: Span, surface: str) -> StateName | None:
    """The state a body belongs to, when the text names both ("US Congress", "Iraq's interim
    government", "the Supreme Court of Kenya"); None for anything else."""
    gaz = gazetteer()
    words = surface.split()
    institutions = _institution_words()
    states = [w for w in words if (st := gaz.state(w)) is not None and st.how != "capital"]
    rest = " ".join(w for w in words if w not in states).lower()
    if not rest or not any(rest == n or rest.endswith(" " + n) for n in institutions):
        return None
    for word in states:
        return gaz.state(word)
    root = ent.root
    neighbours = [c for c in root.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
    neighbours += [
        g for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
    ]
    for token in neighbours:
        if token.ent_type_ in ("GPE", "NORP", "ORG") and (st := gaz.state(token.text)) is not None:
            return st
        for sub in ent.doc.ents:
            if sub.start <= token.i < sub.end and (st := gaz.state(clean_surface(sub))):
                return st
    return None


@cache
def _institution_words() -> frozenset[str]:
    return frozenset(load_lexicon("organizations.json")["institutions"]["nouns"])


def _compass_states(doc: Doc) -> dict[str, tuple[str, str]]:
    """ "the North" / "the South" stand for the one state of the story named that way."""
    gaz = gazetteer()
    seen: dict[str, set[tuple[str, str]]] = {}
    for ent in doc.ents:
        if ent.label_ in ("GPE", "NORP"):
            state = gaz.state(clean_surface(ent))
            if state is not None:
                first = state.label.split()[0].lower()
                if first in ("north", "south", "east", "west") and len(state.label.split()) > 1:
                    seen.setdefault(first, set()).add((state.iso3, state.label))
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _resolve_persons(index: ActorIndex, persons: list[tuple[Span, str]]) -> None:
    """One actor per person: "Kim" is the Kim Jong-Un named before it, "Andy" is Andy Laub."""
    full: list[tuple[int, str, str]] = []  # (token position, folded name, label) of full names
    for span, surface in persons:
        if len(surface.split()) > 1 or "-" in surface:
            full.append((span.start, fold(surface), surface))
    by_fold: dict[str, str] = {}
    for _, key, label in full:
        by_fold.setdefault(key, label)
    for span, surface in persons:
        label = (
            by_fold.get(fold(surface)) or _short_name_match(span.start, surface, full) or surface
        )
        index.add(span, "Person", label, slug(label), None, surface)


def _short_name_match(position: int, surface: str, full: list[tuple[int, str, str]]) -> str | None:
    """The full name a one-word name refers to: the nearest one before it, else the only one."""
    word = fold(surface)
    candidates = [
        (pos, label)
        for pos, _, label in full
        if word in {fold(part) for part in re.split(r"[\s\-]+", label)}
    ]
    before = [c for c in candidates if c[0] < position]
    if before:
        return max(before)[1]
    labels = {label for _, label in candidates}
    return labels.pop() if len(labels) == 1 else None


def actor_of(token: Token, index: ActorIndex) -> str | None:
    return index.token_actor.get(token.i)
