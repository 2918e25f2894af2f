"""Titles next to names → posts ("Chile's President Ana Roe", "Senator John Doe (R-Ohio)",
"Japan's prime minister, Taro Yamada", "the foreign minister of Peru, Luis Soto").

The state or organisation of a post comes from the text where the text gives it (a demonym or a
possessive before the title, "of"/"to" after it, a US party-state tag). Where it does not, the
office holders' dictionary of the lexicon (who held which office when) gives it for the
document's date; a bare title that names one state in English-language news ("Secretary of
State") gives that state. Otherwise the post has no state: a story about one country does not
make every president in it that country's president.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Span

from kg.extract.actors import ActorIndex, sentence_mention, state_label
from kg.extract.components import TITLES_KEY
from kg.extract.gazetteer import gazetteer
from kg.extract.vocabulary import Lexicon, Office, fold
from kg.ids import slug
from kg.records import Post

_PARTY_STATE = re.compile(r"^\(\s*[RDI]\s*[-–]\s*(?P<state>[A-Za-z .]+?)\s*\)")
_ABBREVIATION = re.compile(r"^(?:[A-Z]{1,4}|\w+\.)$")


def find_posts(doc: Doc, index: ActorIndex, lex: Lexicon, day: dt.date | None) -> list[Post]:
    """One post per (holder, title); the first mention that says where the post is wins."""
    found: dict[tuple[str, str], Post] = {}
    for title in doc.spans[TITLES_KEY]:
        holder = _holder(doc, title, index)
        if holder is None:
            continue
        written = title_as_written(title, lex)
        where = _post_in(doc, title, index, holder) or _known_office(
            index, lex, holder, title, day
        )
        if where is None and not (title.end < len(doc) and doc[title.end].lower_ == "for"):
            implied = lex.implied_state(title.label_)
            where = _state_actor(index, implied, title) if implied else None
        key = (holder, fold(written))
        if key not in found or (found[key].in_actor is None and where is not None):
            found[key] = Post(holder, written, where, sentence_mention(title.sent))
    return list(found.values())


def title_as_written(title: Span, lex: Lexicon) -> str:
    """The title the text uses ("Premier", "Defence Minister"), capitalised; abbreviations
    ("Sen.", "PM") and the lexicon's own spellings give the canonical form."""
    text = " ".join(title.text.split())
    if _ABBREVIATION.match(text) or text.lower() == title.label_.lower():
        return title.label_
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in text.split())


def _holder(doc: Doc, title: Span, index: ActorIndex) -> str | None:
    """The person the title belongs to: the name right after it, or the name it is in
    apposition with ("Taro Yamada, Japan's prime minister" / "the emir of Qatar, Sheikh X")."""
    after = title.end
    if after < len(doc) and doc[after].lower_ in ("to", "of", "for"):
        # "Ambassador to the United Nations Jane Roe": step over the post's organisation
        after += 1
        while after < len(doc) and doc[after].tag_ == "DT":
            after += 1
        skipped = index.token_actor.get(after) or index.token_place.get(after)
        while skipped is not None and (
            index.token_actor.get(after) == skipped or index.token_place.get(after) == skipped
        ):
            after += 1
    if after < len(doc) and doc[after].text == ",":
        after += 1
    # another title between ("the emir of Qatar, Sheikh Tamim"): the name comes after it
    for other in doc.spans[TITLES_KEY]:
        if other.start == after and other.start > title.start:
            after = other.end
    actor = index.token_actor.get(after)
    if actor is not None and index.kind(actor) == "Person":
        return actor
    root = title.root
    for token in (root.head, *root.children):
        actor = index.token_actor.get(token.i)
        linked = root.dep_ == "appos" or token.dep_ == "appos"
        if actor is not None and linked and index.kind(actor) == "Person":
            return actor
    return None


def _post_in(doc: Doc, title: Span, index: ActorIndex, holder: str) -> str | None:
    """The state or organisation the text gives for a post: before the title ("U.S. President",
    "North Korean leader", "Iraq's interim prime minister"), after it ("Ambassador to the
    United Nations", "President of Peru"), or a party-state tag of a US legislator."""
    sent_start = title.sent.start
    i = title.start - 1
    # step over "'s", "the" and rank words: "Nigerian junior foreign minister"
    while i >= sent_start and (
        doc[i].tag_ in ("POS", "DT", "HYPH")
        or doc[i].text in ("’s", "'s", "'", "’")
        or (doc[i].tag_ == "JJ" and doc[i].is_lower and i not in index.token_actor)
    ):
        i -= 1
    if i >= sent_start:
        actor = index.token_actor.get(i)
        if actor is not None and index.kind(actor) in ("State", "Organization"):
            return actor
    j = title.end
    if j < len(doc) and doc[j].lower_ in ("to", "of", "for") and j + 1 < len(doc):
        k = j + 1
        while k < len(doc) and doc[k].tag_ == "DT":
            k += 1
        actor = index.token_actor.get(k)
        if actor is not None and index.kind(actor) in ("State", "Organization"):
            return actor
    return _party_state(doc, holder, index, title) or _after_name(doc, title, index, holder)


def _after_name(doc: Doc, title: Span, index: ActorIndex, holder: str) -> str | None:
    """ "President Ana Roe of Chile": the state named right after the holder's name."""
    i = title.end
    while i < len(doc) and index.token_actor.get(i) == holder:
        i += 1
    if i == title.end or i + 1 >= len(doc) or doc[i].lower_ != "of":
        return None
    actor = index.token_actor.get(i + 1) or index.token_actor.get(i + 2)
    return actor if actor is not None and index.kind(actor) in ("State", "Organization") else None


def _party_state(doc: Doc, holder: str, index: ActorIndex, title: Span) -> str | None:
    """ "Senator John Doe (R-Ohio)": a US party and state tag after the name."""
    for span, actor in index.spans:
        if actor != holder or span.end >= len(doc) or span.start < title.start:
            continue
        tail = doc[span.end : min(span.end + 8, len(doc))].text
        match = _PARTY_STATE.match(tail)
        if match and fold(match.group("state")) in gazetteer().us_states:
            return _state_actor(index, "USA", title)
        break
    return None


def _known_office(
    index: ActorIndex, lex: Lexicon, holder: str, title: Span, day: dt.date | None
) -> str | None:
    """The state or organisation of the holder's office of this title on the document's date,
    from the office holders' dictionary."""
    offices = lex.offices_of(index.label(holder), day)
    places = {o.of for o in offices if _same_title(o, title.label_)}
    if len(places) != 1:
        return None
    (where,) = places
    if len(where) == 3 and where.isupper():
        return _state_actor(index, where, title)
    label = lex.organization(where) or where
    org_id = slug(label)
    if org_id in index.actors:
        return org_id
    return index.add_latent(org_id, "Organization", label, None, sentence_mention(title.sent))


def _same_title(office: Office, title: str) -> bool:
    a, b = fold(office.title), fold(title)
    return a == b or a.endswith(b) or b.endswith(a)


def _state_actor(index: ActorIndex, iso3: str, title: Span) -> str:
    """The state's actor id, latent if the text does not name it."""
    if iso3 in index.actors:
        return iso3
    return index.add_latent(iso3, "State", state_label(iso3), iso3, sentence_mention(title.sent))
