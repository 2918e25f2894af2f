"""NER spans + rules → actors and places, with one identity per real actor in a document.

Resolution is one pass over the document, before any event is read: every entity becomes an
actor, a place or nothing. States that the text implies without naming them (the state of a
capital named as a place, the home of an organisation) are resolved in the same pass as *latent*
actors; they enter the output only if an event or a post refers to them, so the actor set never
depends on the order in which events are read.

Places (a village, a city, a building) are never actors; a capital stands for its state only where
it acts ("Washington said"); demonyms act for their state ("North Korean officials").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pycountry
from spacy.attrs import ENT_TYPE, IS_LOWER, IS_TITLE, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from kg.extract.components import DATELINE_KEY, LAYOUT_KEY
from kg.extract.gazetteer import StateName, gazetteer
from kg.extract.sentences import sentence_of
from kg.extract.vocabulary import Lexicon, fold
from kg.ids import slug
from kg.records import Actor, ActorKind, Mention, Place

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_STANCE = re.compile(r"(?i)(pro|anti)\s*-")


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
    """Who and where each entity token of a document refers to, resolved once."""

    actors: dict[str, _ActorBuilder] = field(default_factory=dict)
    latent: dict[str, _ActorBuilder] = field(default_factory=dict)  # implied, not named
    places: dict[str, Place] = field(default_factory=dict)
    token_actor: dict[int, str] = field(default_factory=dict)
    token_place: dict[int, str] = field(default_factory=dict)
    spans: list[tuple[Span, str]] = field(default_factory=list)  # (span, actor id), in text order
    place_states: dict[str, str] = field(default_factory=dict)  # place id → state actor id
    dateline_place: str | None = None
    spans_by_actor: dict[str, list[Span]] = field(default_factory=dict)  # in text order

    def add(self, span: Span, kind: ActorKind, label: str, actor_id: str, iso3: str | None,
            surface: str, *, alias: bool = True) -> str:  # fmt: skip
        builder = self.actors.get(actor_id)
        if builder is None:
            builder = self.latent.pop(actor_id, None) or _ActorBuilder(actor_id, kind, label, iso3)
            self.actors[actor_id] = builder
        if alias:
            builder.aliases.add(surface)
        sent = sentence_of(span.doc, span.start)
        builder.mentions[sent.start_char] = sentence_mention(sent)
        for token in span:
            self.token_actor[token.i] = actor_id
        self.spans.append((span, actor_id))
        return actor_id

    def add_latent(self, actor_id: str, kind: ActorKind, label: str, iso3: str | None,
                   mention: Mention) -> str:  # fmt: skip
        """An actor the text implies without naming it (the state of a capital, of a group)."""
        builder = self.actors.get(actor_id) or self.latent.get(actor_id)
        if builder is None:
            builder = self.latent[actor_id] = _ActorBuilder(actor_id, kind, label, iso3)
        builder.mentions.setdefault(mention.start, mention)
        return actor_id

    def add_place(self, span: Span, label: str) -> str:
        place_id = slug(label)
        old = self.places.get(place_id)
        mention = sentence_mention(sentence_of(span.doc, span.start))
        mentions = tuple(dict.fromkeys((*(old.mentions if old else ()), mention)))
        self.places[place_id] = Place(place_id, old.label if old else label, mentions)
        for token in span:
            self.token_place[token.i] = place_id
        return place_id

    def records(self, used: Iterable[str] = ()) -> tuple[tuple[Actor, ...], tuple[Place, ...]]:
        """Named actors, the latent ones that `used` refers to, and the places."""
        wanted = set(used)
        builders = [*self.actors.values(), *(b for k, b in self.latent.items() if k in wanted)]
        return tuple(b.record() for b in builders), tuple(self.places.values())

    def kind(self, actor_id: str) -> ActorKind | None:
        builder = self.actors.get(actor_id) or self.latent.get(actor_id)
        return builder.kind if builder else None

    def label(self, actor_id: str) -> str:
        builder = self.actors.get(actor_id) or self.latent.get(actor_id)
        return builder.label if builder else actor_id

    def based_in(self, actor_id: str) -> str | None:
        builder = self.actors.get(actor_id)
        return builder.based_in if builder else None

    def capital_state(self, token: Token) -> str | None:
        """The state of a capital named as a place ("in Baghdad", "the Khartoum government")."""
        place = self.token_place.get(token.i)
        return self.place_states.get(place) if place else None


#: `Doc.user_data` key of the sentence mentions made so far (a sentence is cited many times)
MENTIONS_KEY = "diplokg_mentions"


def sentence_mention(sent: Span) -> Mention:
    """The sentence as evidence: character offsets into the document text."""
    made: dict[tuple[int, int], Mention] = sent.doc.user_data.setdefault(MENTIONS_KEY, {})
    key = (sent.start, sent.end)
    mention = made.get(key)
    if mention is None:
        text = sent.text
        start = sent.start_char
        mention = made[key] = Mention(start=start, end=start + len(text), text=text)
    return mention


def clean_surface(span: Span) -> str:
    """The entity's words without a leading article or a trailing possessive."""
    text = span.text.strip()
    if text.lower().startswith("the "):
        text = text[4:]
    return _POSSESSIVE.sub("", text).strip()


def is_agreement_name(span: Span, lex: Lexicon) -> bool:
    """A named agreement ("the 1994 Framework Accord", "the Geneva Conventions")."""
    if span.label_ not in ("FAC", "LAW", "EVENT", "WORK_OF_ART", "ORG", "PRODUCT"):
        return False
    words = {t.lower_ for t in span}
    return bool(words & lex.agreement_words) and any(t.is_title for t in span)


def in_place_context(span: Span, lex: Lexicon, *, by_preposition: bool = True) -> bool:
    """True where the syntax says the span names a location.

    "at Camp X", "the village of X", "the border town X": the statistical model's person or
    organisation labels are overruled there. Organisations are overruled only by a place noun
    ("at Acme Consulting" is still an organisation).
    """
    root = span.root
    head = root.head
    preps = lex.locative_preps - {"from", "into"}
    if by_preposition and root.dep_ == "pobj" and head.lower_ in preps:
        return True
    if root.dep_ in ("pobj", "conj") and _under_place_noun(root, lex):
        return True  # "the area between X and Y"
    if root.dep_ in ("compound", "nmod") and head.lemma_.lower() in lex.venue_nouns:
        return True  # "the Lima summit" (but "Lima's talks" are Peru's)
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in lex.place_nouns:
        return True
    if root.dep_ in ("compound", "nmod") and head.lemma_.lower() in lex.place_nouns:
        return True
    return (
        span.label_ != "PERSON" and root.dep_ == "appos" and head.lemma_.lower() in lex.place_nouns
    )


def _under_place_noun(token: Token, lex: Lexicon) -> bool:
    """A name in a phrase of a place noun ("the area between X and Y", "the border at X")."""
    current = token
    for _ in range(3):
        if current.dep_ not in ("pobj", "conj", "prep"):
            return False
        current = current.head
        if current.pos_ == "NOUN" and current.lemma_.lower() in lex.place_nouns:
            return True
    return False


def _located_name(ent: Span, lex: Lexicon) -> bool:
    """An organisation-tagged name that is a location: its last word is a place noun ("X Air
    Force Base"), or a single unknown name in a locative phrase ("pulled out of X")."""
    if ent[-1].lemma_.lower() in lex.place_nouns:
        return True
    root = ent.root
    head = root.head
    return (
        len(ent) == 1
        and not ent.text.isupper()
        and lex.organization(ent.text) is None
        and fold(ent.text) not in lex.based_in
        and root.dep_ == "pobj"
        and (
            head.lower_ in lex.locative_preps - {"from"}
            or (head.lower_ == "of" and head.head.lower_ == "out")
        )
    )


def _destination(span: Span, lex: Lexicon) -> bool:
    """The object of a verb of movement ("visited Ottawa", "arrived in Lima")."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in ("to", "for"):
        return root.head.head.lemma_ in lex.movement_verbs
    return root.dep_ == "dobj" and root.head.lemma_ in lex.movement_verbs


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


def skipped_tokens(doc: Doc) -> set[int]:
    """Tokens of blocks that are not news (bylines, biographies, the page's furniture)."""
    return {t.i for span in doc.spans.get(LAYOUT_KEY, ()) if span.label_ == "skip" for t in span}


def build_index(doc: Doc, lex: Lexicon, day: dt.date | None = None) -> ActorIndex:
    """Resolve every entity of the document to an actor, a place or nothing."""
    index = ActorIndex()
    skipped = skipped_tokens(doc)
    _dateline_places(doc, index)
    persons: list[tuple[Span, str]] = []
    north_south = _compass_states(doc)
    full_person_words = {t.text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    for ent in doc.ents:
        if ent.start in skipped or ent.start in index.token_place:
            continue
        _resolve(ent, index, lex, persons, north_south, full_person_words)
    _untagged_demonyms(doc, index, skipped)
    _untagged_organizations(doc, index, lex, skipped)
    persons += _untagged_office_holders(doc, index, lex, skipped)
    persons.sort(key=lambda item: item[0].start)
    _resolve_persons(index, persons, lex, day)
    _home_states(index, lex)
    index.spans.sort(key=lambda item: item[0].start)
    for span, actor in index.spans:
        index.spans_by_actor.setdefault(actor, []).append(span)
    return index


def _resolve(ent: Span, index: ActorIndex, lex: Lexicon, persons: list[tuple[Span, str]],
             north_south: dict[str, tuple[str, str]], full_person_words: set[str]) -> None:  # fmt: skip
    """One entity → an actor, a place, a person to resolve later, or nothing."""
    gaz = gazetteer()
    doc = ent.doc
    surface = clean_surface(ent)
    if (
        ent.label_ in _MISTAKEN_LABELS
        and _office_holder(surface, lex)
        and gaz.state(surface) is None
    ):
        persons.append((ent, surface))  # "called Erdogan", tagged a place or a product
        return
    if ent.label_ not in ACTOR_LABELS or is_agreement_name(ent, lex):
        return
    if not surface or not any(c.isalpha() for c in surface) or _STANCE.match(surface):
        return  # "pro-Iranian" is a stance, not Iran
    if _hazard(surface, lex):
        return  # "victims of Typhoon X", "the fight against COVID-19": no actor
    org = lex.organization(surface)
    # states, their capitals and demonyms are proper names: "the valley" is no capital
    state = gaz.state(surface) if any(c.isupper() for c in surface) else None
    if org is not None and state is not None and fold(state.label) != fold(surface):
        state = None  # "United Russia", "Tehrik-i-Taliban Pakistan": the lexicon knows the party
    if state is not None and ent.start > 0 and doc[ent.start - 1].lower_ == "ethnic":
        return  # "ethnic Albanians" are a people, not Albania
    if (people := _people_of(ent)) is not None:
        # "Bosnian Serbs", "Iraqi Kurds": a people acting for its state
        index.add(ent, "State", people.label, people.iso3, people.iso3, ent[0].text)
        return
    if ent.label_ == "PERSON" and (
        state is None
        or state.how == "demonym"
        or (len(ent) > 1 and fold(state.label) != fold(surface))
    ):
        state = None  # the model calls a capital or a state a person now and then
    if state is not None and state.how == "capital":
        if in_place_context(ent, lex) or _destination(ent, lex):
            place_id = index.add_place(ent, surface)
            mention = sentence_mention(sentence_of(doc, ent.start))
            index.place_states[place_id] = index.add_latent(
                state.iso3, "State", state.label, state.iso3, mention
            )
        else:  # "Washington said", "accused Beijing": the capital stands for its state
            index.add(ent, "State", state.label, state.iso3, state.iso3, surface)
    elif state is not None and (state.how == "name" or ent.label_ in ("NORP", "GPE", "ORG")):
        if ent.label_ in ("GPE", "LOC") and _after_place(ent, index):
            index.add_place(ent, surface)  # "in Hanoi, Vietnam": where, not who
        else:
            index.add(ent, "State", state.label, state.iso3, state.iso3, surface)
    elif org is not None and not in_place_context(ent, lex, by_preposition=False):
        index.add(ent, "Organization", org, slug(org), None, surface)
    elif ent.label_ == "LOC" and fold(surface) in north_south:
        iso3, label = north_south[fold(surface)]
        index.add(ent, "State", label, iso3, iso3, surface)
    elif (
        ent.label_ in ("GPE", "LOC", "FAC")
        or (ent.label_ != "PERSON" and gaz.is_place(surface))
        or (ent.label_ == "PERSON" and in_place_context(ent, lex))
        or (ent.label_ == "ORG" and in_place_context(ent, lex, by_preposition=False))
        or (ent.label_ == "ORG" and _located_name(ent, lex))
    ):
        index.add_place(ent, surface)
    elif ent.label_ == "ORG" and _person_word(surface, full_person_words):
        persons.append((ent, surface))  # "Roe said" after "Jane Roe": a person
    elif ent.label_ == "ORG" and (body := _institution_state(ent, surface, lex)) is not None:
        # "the US Congress", "Israel's Cabinet": a state's own body acts for the state
        word = _state_word(ent)  # "British" of "the British Government" is a name of the state
        index.add(ent, "State", body.label, body.iso3, body.iso3, word or surface, alias=bool(word))
    elif ent.label_ == "ORG" and not _title_complement(ent):
        org_id = index.add(ent, "Organization", surface, slug(surface), None, surface)
        home = _state_before(doc, ent)  # "the Serbian [Workers' Union]"
        if home is not None and index.actors[org_id].based_in is None:
            index.actors[org_id].based_in = home
    elif ent.label_ == "PERSON":
        persons.append((ent, surface))


def _office_holder(surface: str, lex: Lexicon) -> bool:
    """A name of the office holders' dictionary: a full name, or a surname it knows, that the
    model has tagged as something other than a person."""
    if not surface or not surface[0].isupper() or lex.organization(surface) is not None:
        return False
    if surface.lower() in _CALENDAR:
        return False  # "in May"
    return fold(surface) in lex.office_names or _surname(surface, lex)


def _hazard(surface: str, lex: Lexicon) -> bool:
    """A storm's, a quake's or a disease's name ("Hurricane Maria", "Ebola")."""
    words = surface.lower().split()
    if " ".join(words) in lex.diseases:
        return True
    if len(words) == 2 and words[0] in lex.diseases and words[1] in _OUTBREAK:
        return True  # "the Ebola virus", "the COVID-19 pandemic"
    return len(words) > 1 and any(" ".join(words[:n]) in lex.hazard_words for n in (1, 2))


_OUTBREAK = frozenset({"virus", "outbreak", "epidemic", "pandemic"})


def _state_word(ent: Span) -> str | None:
    """The word of an entity that names a state ("British" in "British Government")."""
    for token in ent:
        state = gazetteer().state(token.text) if token.is_title or token.is_upper else None
        if state is not None and state.how in ("name", "demonym"):
            return token.text
    return None


def _after_place(ent: Span, index: ActorIndex) -> bool:
    """A state named after a place and a comma ("Hanoi, Vietnam"): the place's country."""
    start = ent.start
    return start >= 2 and ent.doc[start - 1].text == "," and start - 2 in index.token_place


def _dateline_places(doc: Doc, index: ActorIndex) -> None:
    """The dateline's place (and its region) are where the report comes from: places."""
    spans = {s.label_: s for s in doc.spans.get(DATELINE_KEY, ())}
    place = spans.get("place")
    if place is None:
        return
    label = place.text.strip()
    if label.isupper():
        label = "-".join(part.capitalize() for part in label.title().split("-"))
    index.dateline_place = index.add_place(place, label)
    gaz = gazetteer()
    region = spans.get("region")
    state = gaz.state(region.text) if region is not None else gaz.state(label)
    if region is not None:
        index.add_place(region, region.text.strip())
    if state is None and region is not None and fold(region.text) in gaz.us_states:
        state = gaz.state("United States")
    if state is not None:
        sent = sentence_mention(sentence_of(doc, place.start))
        index.place_states[index.dateline_place] = index.add_latent(
            state.iso3, "State", state.label, state.iso3, sent
        )


def _people_of(ent: Span) -> StateName | None:
    """The state of a group named by demonym and people ("Bosnian Serbs", "Iraqi Kurds")."""
    if len(ent) < 2 or ent.label_ not in ("NORP", "PERSON"):
        return None
    if ent[-1].tag_ not in ("NNPS", "NNS") and not (
        ent.label_ == "NORP" and gazetteer().state(ent[-1].text) is not None
    ):
        return None  # "Bosnian Serbs", and "Bosnian Serb" before a noun ("Bosnian Serb units")
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
        return None  # "the pro-Iranian militia": a stance, not a home
    state = gazetteer().state(token.text) if token.is_title else None
    return state.iso3 if state is not None and state.how in ("demonym", "name") else None


def _person_word(surface: str, full_person_words: set[str]) -> bool:
    """A one-word name that is part of a person's full name elsewhere in the document."""
    return " " not in surface and surface[:1].isupper() and surface in full_person_words


def _home_states(index: ActorIndex, lex: Lexicon) -> None:
    """The state each organisation is based in: named in its name ("Serbian Workers' Union",
    "Kenya Anti-Corruption Commission") or, for well-known groups, from the lexicon."""
    gaz = gazetteer()
    for builder in list(index.actors.values()):
        if builder.kind != "Organization":
            continue
        names = [builder.label, *builder.aliases]
        code = builder.based_in or next(
            (lex.based_in[fold(n)] for n in names if fold(n) in lex.based_in), None
        )
        if code is None:
            for word in re.split(r"[\s']+", builder.label):
                hit = gaz.names.get(fold(word)) if len(word) > 3 else None
                if hit is not None and hit.how in ("name", "demonym"):
                    code = hit.iso3
                    break
        if code is None:
            continue
        if code not in index.actors:
            index.add_latent(
                code, "State", state_label(code), code, next(iter(builder.mentions.values()))
            )
        builder.based_in = code


def state_label(iso3: str) -> str:
    """The usual short name of a state from its ISO code ("PRK" → "North Korea")."""
    country = pycountry.countries.get(alpha_3=iso3) or pycountry.historic_countries.get(
        alpha_3=iso3
    )
    if country is None:
        return iso3
    state = gazetteer().state(country.name)
    return state.label if state is not None else str(country.name)


#: which of a document's token columns (entity type, tag id, title case, lower case) hold a
#: name an untagged-name pass may look at: numpy arrays in, a boolean array out
Columns = Callable[[Any, Any, Any], Any]


def _untagged(doc: Doc, wanted: Columns) -> Iterator[Token]:
    """The tokens outside every entity that `wanted` takes by their tag id, title case and
    lower case, in order: read from the document's arrays, so that only these become Token
    objects (the callers test the rest)."""
    if not len(doc):
        return
    ent_type, tag, title, lower = doc.to_array([ENT_TYPE, TAG, IS_TITLE, IS_LOWER]).T
    for i in ((ent_type == 0) & wanted(tag, title, lower)).nonzero()[0].tolist():
        yield doc[i]


def _untagged_organizations(doc: Doc, index: ActorIndex, lex: Lexicon, skipped: set[int]) -> None:
    """One-word names of organisations the lexicon knows and the model left untagged."""
    for token in _untagged(doc, lambda tag, title, lower: lower == 0):  # capitalised: not lower
        if (
            token.ent_type_
            or token.i in index.token_actor
            or token.i in skipped
            or not token.text[:1].isupper()
        ):
            continue
        key = fold(token.text)
        label = lex.organizations.get(key)
        if label is None and key in lex.based_in:
            label = token.text
        if label is not None and len(key) > 2:
            span = doc[token.i : token.i + 1]
            index.add(span, "Organization", label, slug(label), None, token.text)


#: labels the model gives to names of people now and then
_MISTAKEN_LABELS = frozenset({"GPE", "LOC", "NORP", "ORG", "FAC", "PRODUCT", "WORK_OF_ART"})

#: capitalised words that are names of time, never of office holders ("in May")
_CALENDAR = frozenset(
    w.lower() for w in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name) if w
)


def _untagged_office_holders(
    doc: Doc, index: ActorIndex, lex: Lexicon, skipped: set[int]
) -> list[tuple[Span, str]]:
    """Surnames of the office holders' dictionary, tagged as proper nouns, that the model left
    untagged ("Trump and Putin agreed"): persons to resolve with the others."""
    gaz = gazetteer()
    found = []
    nnp = get_string_id("NNP")
    for token in _untagged(doc, lambda tag, title, lower: (tag == nnp) & (title == 1)):
        if (
            token.ent_type_
            or token.i in skipped
            or token.i in index.token_actor
            or token.i in index.token_place
            or token.tag_ != "NNP"
            or not token.is_title
            or token.lower_ in _CALENDAR
        ):
            continue
        beside = [doc[j] for j in (token.i - 1, token.i + 1) if 0 <= j < len(doc)]
        if any(t.tag_ == "NNP" and t.is_title for t in beside):
            continue  # part of a longer name the model missed
        if (
            _surname(token.text, lex)
            and gaz.state(token.text) is None
            and lex.organization(token.text) is None
        ):
            found.append((doc[token.i : token.i + 1], token.text))
    return found


def _surname(word: str, lex: Lexicon) -> bool:
    """The last name of an office holder of the dictionary ("Putin", not "Vladimir")."""
    key = fold(word)
    return len(key) > 2 and any(fold(name.split()[-1]) == key for name in lex.surnames.get(key, ()))


def _untagged_demonyms(doc: Doc, index: ActorIndex, skipped: set[int]) -> None:
    """Demonyms and state names the statistical model left untagged ("Ghanaian authorities",
    "Uzbekistan finally opened ...")."""
    gaz = gazetteer()
    jj, nnp, nnps, nns = (get_string_id(t) for t in ("JJ", "NNP", "NNPS", "NNS"))

    def wanted(tag: Any, title: Any, lower: Any) -> Any:
        return (title == 1) & ((tag == jj) | (tag == nnp) | (tag == nnps) | (tag == nns))

    for token in _untagged(doc, wanted):
        if (
            token.ent_type_
            or token.i in skipped
            or token.i in index.token_place
            or not token.is_title
            or token.tag_ not in ("JJ", "NNP", "NNPS", "NNS")
        ):
            continue
        state = gaz.state(token.text)
        named = (
            state is not None
            and state.how == "name"
            and len(token) > 3
            # "with Seychelles": a state's name read as a plural noun, inside a sentence
            and (token.tag_ in ("NNP", "NNPS") or not token.is_sent_start)
        )
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


def _institution_state(ent: Span, surface: str, lex: Lexicon) -> StateName | None:
    """The state a body belongs to, when the text names both ("US Congress", "Iraq's interim
    government", "the Supreme Court of Kenya"); None for anything else."""
    gaz = gazetteer()
    words = surface.split()
    states = [w for w in words if (st := gaz.state(w)) is not None and st.how != "capital"]
    rest = " ".join(w for w in words if w not in states).lower()
    if not rest or not any(rest == n or rest.endswith(" " + n) for n in lex.institutions):
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
        inner = _entity_at(ent.doc, token)
        if inner is not None and (st := gaz.state(clean_surface(inner))) is not None:
            return st  # "the Ivory Coast's Supreme Court"
    return None


def _entity_at(doc: Doc, token: Token) -> Span | None:
    """The entity span a token is part of."""
    if not token.ent_type_:
        return None
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


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


def _resolve_persons(index: ActorIndex, persons: list[tuple[Span, str]], lex: Lexicon,
                     day: dt.date | None) -> None:  # fmt: skip
    """One actor per person: "Roe" is the Jane Roe named before it; a full name the office
    holders' dictionary knows takes its usual spelling, and so does a surname it knows only
    one office holder of at the document's date."""
    by_fold: dict[str, str] = {}
    by_part: dict[str, list[tuple[int, str]]] = {}  # a part of a full name → (position, label)
    for span, surface in persons:
        if len(surface.split()) > 1 or "-" in surface:
            label = lex.office_names.get(fold(surface), surface)
            by_fold.setdefault(fold(surface), label)
            for part in {fold(p) for p in re.split(r"[\s\-]+", label) if p}:
                by_part.setdefault(part, []).append((span.start, label))
    for span, surface in persons:
        label = (
            by_fold.get(fold(surface))
            or _short_name_match(span.start, surface, by_part)
            or _known_surname(surface, lex, day, _title_before(span, lex))
            or surface
        )
        index.add(span, "Person", label, slug(label), None, surface)


def _title_before(span: Span, lex: Lexicon) -> str | None:
    """The canonical title written right before a name ("King Hamad": King)."""
    doc = span.doc
    for width in (3, 2, 1):
        if span.start - width >= 0:
            words = doc[span.start - width : span.start].text.lower()
            if words in lex.title_forms:
                return lex.title_forms[words]
    return None


def _known_surname(
    surface: str, lex: Lexicon, day: dt.date | None, title: str | None = None
) -> str | None:
    """The one office holder of the dictionary with this surname in office on `day` (holding
    the title written before the name, when there is one: "King Hussein", "President Hussein")."""
    if " " in surface or "-" in surface or day is None:
        return None
    found = {name for name in lex.surnames.get(fold(surface), ()) if lex.offices_of(name, day)}
    if len(found) > 1 and title is not None:
        found = {n for n in found if any(o.title == title for o in lex.offices_of(n, day))}
    return found.pop() if len(found) == 1 else None


def _short_name_match(
    position: int, surface: str, by_part: dict[str, list[tuple[int, str]]]
) -> str | None:
    """The full name a one-word name refers to: the nearest one before it, else the only one."""
    candidates = by_part.get(fold(surface), [])
    before = [c for c in candidates if c[0] < position]
    if before:
        return max(before)[1]
    labels = {label for _, label in candidates}
    return labels.pop() if len(labels) == 1 else None
