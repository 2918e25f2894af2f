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
from dataclasses import replace

from spacy.tokens import Doc, Span

from kg.extract.actors import ActorIndex, sentence_mention, state_label
from kg.extract.components import TITLES_KEY
from kg.extract.gazetteer import gazetteer
from kg.extract.sentences import sentence_of
from kg.extract.vocabulary import Lexicon, Office, fold
from kg.ids import slug
from kg.records import Post

_PARTY_STATE = re.compile(r"^\(\s*[RDI]\s*[-–]\s*(?P<state>[A-Za-z .]+?)\s*\)")
_ABBREVIATION = re.compile(r"^(?:[A-Z]{1,4}|\w+\.)$")


def find_posts(doc: Doc, index: ActorIndex, lex: Lexicon, day: dt.date | None) -> list[Post]:
    """One post per (holder, title); the first mention that says where the post is wins."""
    found: dict[tuple[str, str], Post] = {}
    starts = {t.start: t for t in doc.spans[TITLES_KEY]}
    for title in doc.spans[TITLES_KEY]:
        for holder, given in _holders(doc, title, index, starts):
            written = title_as_written(title, lex)
            where = (
                given
                or _post_in(doc, title, index, holder)
                or _of_someone(doc, title, index, lex, day, starts)
                or _known_office(index, lex, holder, title, day, former=_former(title))
            )
            if where is None and not (title.end < len(doc) and doc[title.end].lower_ == "for"):
                implied = lex.implied_state(title.label_)
                where = _state_actor(index, implied, title) if implied else None
            key = (holder, fold(written))
            if key not in found or (found[key].in_actor is None and where is not None):
                found[key] = Post(
                    holder, written, where, sentence_mention(sentence_of(doc, title.start))
                )
    posts = _shared_states(list(found.values()), index)
    return [_nationality(p, index, lex, day) for p in posts]


def _holders(
    doc: Doc, title: Span, index: ActorIndex, starts: dict[int, Span]
) -> list[tuple[str, str | None]]:
    """Who holds the title, with the state the phrase gives each of them: one holder, or,
    for a plural title, several ("the foreign ministers of A, B and C, X, Y and Z": in order)."""
    plural = title.text.lower().endswith("s") and not title.label_.lower().endswith("s")
    if plural and (states := _states_after(doc, title, index)):
        first = _first_person_after(doc, title.end, index)
        if first is not None:
            people = [index.token_actor[first.start]] + [
                index.token_actor[s.start] for s in _following_names(doc, first, index)
            ]
            if len(people) == len(states):
                return list(zip(people, states, strict=True))
    holder = _holder(doc, title, index, starts)
    if holder is None:
        return []
    if not plural:
        return [(holder, None)]
    people = [holder] + [
        index.token_actor[t.start]
        for span in index.spans_by_actor.get(holder, [])
        if sentence_of(doc, span.start).start == sentence_of(doc, title.start).start
        for t in _following_names(doc, span, index)
    ]
    people = list(dict.fromkeys(people))
    states = _states_after(doc, title, index)
    if len(states) == len(people):
        return list(zip(people, states, strict=True))
    return [(p, None) for p in people]


def _first_person_after(doc: Doc, start: int, index: ActorIndex) -> Span | None:
    """The first person named within a few words after a position."""
    for i in range(start, min(start + 14, len(doc))):
        actor = index.token_actor.get(i)
        if actor is not None and index.kind(actor) == "Person":
            end = i
            while end < len(doc) and index.token_actor.get(end) == actor:
                end += 1
            return doc[i:end]
    return None


def _following_names(doc: Doc, span: Span, index: ActorIndex) -> list[Span]:
    """Persons listed after a name ("A, B and C")."""
    out: list[Span] = []
    i = span.end
    while i < len(doc) and doc[i].text in (",", "and") and i + 1 < len(doc):
        j = i + 1
        while j < len(doc) and doc[j].text in (",", "and"):
            j += 1
        actor = index.token_actor.get(j)
        if actor is None or index.kind(actor) != "Person":
            break
        end = j
        while end < len(doc) and index.token_actor.get(end) == actor:
            end += 1
        out.append(doc[j:end])
        i = end
    return out


def _states_after(doc: Doc, title: Span, index: ActorIndex) -> list[str]:
    """The states a plural title's "of" phrase lists ("ministers of A, B and C")."""
    if title.end >= len(doc) or doc[title.end].lower_ != "of":
        return []
    states: list[str] = []
    i = title.end + 1
    while i < len(doc) and doc[i].text != ",":
        actor = index.token_actor.get(i)
        if actor is not None and index.kind(actor) == "State" and actor not in states:
            states.append(actor)
        elif doc[i].text not in ("and", "the") and actor is None:
            break
        i += 1
        if (
            i < len(doc)
            and doc[i].text == ","
            and i + 1 < len(doc)
            and index.kind(index.token_actor.get(i + 1, "")) == "State"
        ):
            i += 1
    return states


def _former(title: Span) -> bool:
    doc = title.doc
    return title.start > 0 and doc[title.start - 1].lower_ in ("former", "ex", "late")


def _of_someone(
    doc: Doc,
    title: Span,
    index: ActorIndex,
    lex: Lexicon,
    day: dt.date | None,
    starts: dict[int, Span],
) -> str | None:
    """ "an adviser to President X", "spokesman for Prime Minister Y": the post is in the state
    of the post of the person it serves."""
    j = title.end
    if j >= len(doc) or doc[j].lower_ not in ("to", "for"):
        return None
    other = starts.get(j + 1) or starts.get(j + 2)
    if other is None:
        return None
    boss = _holder(doc, other, index, starts)
    if boss is None:
        return None
    return _post_in(doc, other, index, boss) or _known_office(index, lex, boss, other, day)


def _shared_states(posts: list[Post], index: ActorIndex) -> list[Post]:
    """Two titles of one holder in one sentence ("China's chief negotiator, Vice Foreign
    Minister X") are posts of the same state."""
    by: dict[tuple[str, int], str] = {}
    for p in posts:
        if p.in_actor and index.kind(p.in_actor) == "State":
            by.setdefault((p.holder, p.mention.start), p.in_actor)
    return [
        replace(p, in_actor=by.get((p.holder, p.mention.start))) if p.in_actor is None else p
        for p in posts
    ]


def _nationality(post: Post, index: ActorIndex, lex: Lexicon, day: dt.date | None) -> Post:
    """A post the text gives no state for, held by someone the dictionary knows in office for
    one state only on that day ("General X", head of that state's junta): that state."""
    if post.in_actor is not None:
        return post
    states = {o.of for o in lex.offices_of(index.label(post.holder), day) if len(o.of) == 3}
    if len(states) != 1:
        return post
    (iso3,) = states
    if iso3 not in index.actors:
        index.add_latent(iso3, "State", state_label(iso3), iso3, post.mention)
    return replace(post, in_actor=iso3)


def title_as_written(title: Span, lex: Lexicon) -> str:
    """The title the text uses ("Premier", "Defence Minister"), capitalised; abbreviations
    ("Sen.", "PM") and the lexicon's own spellings give the canonical form."""
    text = " ".join(title.text.split())
    if _ABBREVIATION.match(text) or text.lower() == title.label_.lower():
        return title.label_
    if text.lower().endswith("s") and not title.label_.lower().endswith("s"):
        return title.label_  # "the foreign ministers of A and B": each one's title
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in text.split())


def _holder(doc: Doc, title: Span, index: ActorIndex, starts: dict[int, Span]) -> str | None:
    """The person the title belongs to: the name right after it, or the name it is in
    apposition with ("Taro Yamada, Japan's prime minister" / "the emir of Qatar, Sheikh X")."""
    after = title.end
    if after < len(doc) and doc[after].lower_ in ("to", "of", "for"):
        # "Ambassador to the United Nations Jane Roe": step over the post's organisation
        after += 1
        while after < len(doc) and doc[after].tag_ == "DT":
            after += 1
        skipped = index.token_actor.get(after) or index.token_place.get(after)
        if skipped is not None and index.kind(skipped) == "Person":
            skipped = None  # "adviser to President X": X is whom the post serves, not its holder
            after = len(doc)
        while skipped is not None and (
            index.token_actor.get(after) == skipped or index.token_place.get(after) == skipped
        ):
            after += 1
    if after < len(doc) and doc[after].text == ",":
        after += 1
        # another title between ("the emir of Qatar, Sheikh Tamim"): the name comes after it
        if after in starts and after > title.start:
            after = starts[after].end
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
    sent_start = sentence_of(doc, title.start).start
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
        if doc[i].lower_ in ("its", "their"):
            return _possessor(doc, i, index)  # "the party ..., and its leader, X"
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
    """ "President Ana Roe of Chile", "Senator John Doe of Ohio": the state named right after
    the holder's name (a US state: the United States)."""
    i = title.end
    while i < len(doc) and index.token_actor.get(i) == holder:
        i += 1
    if i == title.end or i + 1 >= len(doc) or doc[i].lower_ != "of":
        return None
    actor = index.token_actor.get(i + 1) or index.token_actor.get(i + 2)
    if actor is not None and index.kind(actor) in ("State", "Organization"):
        return actor
    if (
        fold(doc[i + 1 : i + 3].text) in gazetteer().us_states
        or fold(doc[i + 1].text) in gazetteer().us_states
    ):
        return _state_actor(index, "USA", title)
    return None


def _possessor(doc: Doc, i: int, index: ActorIndex) -> str | None:
    """What "its" before a title stands for: the organisation or state named last before it."""
    sent = sentence_of(doc, i)
    start = sentence_of(doc, sent.start - 1).start if sent.start > 0 else sent.start
    for j in range(i - 1, start - 1, -1):
        actor = index.token_actor.get(j)
        if actor is not None and index.kind(actor) in ("Organization", "State"):
            return actor
    return None


def _party_state(doc: Doc, holder: str, index: ActorIndex, title: Span) -> str | None:
    """ "Senator John Doe (R-Ohio)": a US party and state tag after the name."""
    for span in index.spans_by_actor.get(holder, []):
        if span.end >= len(doc) or span.start < title.start:
            continue
        tail = doc[span.end : min(span.end + 8, len(doc))].text
        match = _PARTY_STATE.match(tail)
        if match and fold(match.group("state")) in gazetteer().us_states:
            return _state_actor(index, "USA", title)
        break
    return None


def _known_office(
    index: ActorIndex,
    lex: Lexicon,
    holder: str,
    title: Span,
    day: dt.date | None,
    *,
    former: bool = False,
) -> str | None:
    """The state or organisation of the holder's office of this title on the document's date
    (before it, for a "former" title), from the office holders' dictionary."""
    if former:
        offices = tuple(
            o
            for o in lex.offices_of(index.label(holder), None)
            if day is None or (o.until is not None and o.until < day)
        )
    else:
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
    mention = sentence_mention(sentence_of(title.doc, title.start))
    return index.add_latent(org_id, "Organization", label, None, mention)


def _same_title(office: Office, title: str) -> bool:
    a, b = fold(office.title), fold(title)
    return a == b or a.endswith(b) or b.endswith(a)


def _state_actor(index: ActorIndex, iso3: str, title: Span) -> str:
    """The state's actor id, latent if the text does not name it."""
    if iso3 in index.actors:
        return iso3
    mention = sentence_mention(sentence_of(title.doc, title.start))
    return index.add_latent(iso3, "State", state_label(iso3), iso3, mention)
