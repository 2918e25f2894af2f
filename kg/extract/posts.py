"""Titles next to names → posts ("South Korea's President Moon-Jae In", "Senator Lindsey Graham
(R-South Carolina)", "Japan's prime minister, Shinzo Abe")."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

import pycountry
from spacy.tokens import Doc, Span

from kg.extract.actors import ActorIndex, sentence_mention
from kg.extract.components import TITLES_KEY, load_lexicon
from kg.extract.gazetteer import fold, gazetteer
from kg.records import Event, Post

_PARTY_STATE = re.compile(r"^\(\s*[RDI]\s*[-–]\s*(?P<state>[A-Za-z .]+?)\s*\)")


@cache
def _implied() -> dict[str, str]:
    """Bare titles that name their state in English-language news ("Secretary of State")."""
    return {
        e["title"]: e["implies"] for e in load_lexicon("titles.json")["titles"] if e.get("implies")
    }


def find_posts(doc: Doc, index: ActorIndex) -> list[Post]:
    """One post per (holder, title); the first mention that says where the post is wins."""
    found: dict[tuple[str, str], Post] = {}
    for title in doc.spans[TITLES_KEY]:
        holder = _holder(doc, title, index)
        if holder is None:
            continue
        where = _post_in(doc, title, index, holder)
        key = (holder, title.label_)
        if key not in found or (found[key].in_actor is None and where is not None):
            found[key] = Post(holder, title.label_, where, sentence_mention(title.sent))
    return list(found.values())


def _holder(doc: Doc, title: Span, index: ActorIndex) -> str | None:
    """The person the title belongs to: the name right after it, or the name it is in
    apposition with ("Shinzo Abe, Japan's prime minister" / "Japan's prime minister, Shinzo Abe")."""
    after = title.end
    if after < len(doc) and doc[after].lower_ in ("to", "of", "for"):
        # "Ambassador to the United Nations Nikki Haley": step over the post's organisation
        after += 1
        while after < len(doc) and doc[after].tag_ == "DT":
            after += 1
        skipped = index.token_actor.get(after)
        while skipped is not None and index.token_actor.get(after) == skipped:
            after += 1
    if after < len(doc) and doc[after].text == ",":
        after += 1
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
    """The state or organisation of the post: before the title ("U.S President", "North Korean
    Leader"), after it ("Ambassador to the United Nations"), a party-state tag for a US
    legislator, or what a bare title implies."""
    sent_start = title.sent.start
    i = title.start - 1
    # step over "'s", "the" and rank words: "Nigerian junior foreign minister", "Iraq's
    # interim prime minister"
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
    state = _party_state(doc, holder, index, title)
    if state is not None:
        return state
    implied = _implied().get(title.label_)
    if implied and not (j < len(doc) and doc[j].lower_ == "for"):
        return _ensure_state(index, implied, title)
    return None


def _party_state(doc: Doc, holder: str, index: ActorIndex, title: Span) -> str | None:
    """ "Senator Lindsey Graham (R-South Carolina)": a US party and state tag after the name."""
    for span, actor in index.spans:
        if actor != holder or span.end >= len(doc):
            continue
        tail = doc[span.end : min(span.end + 8, len(doc))].text
        match = _PARTY_STATE.match(tail)
        if match and fold(match.group("state")) in gazetteer().us_states:
            return _ensure_state(index, "USA", title)
    return None


def _ensure_state(index: ActorIndex, iso3: str, title: Span) -> str:
    """The state's actor id, added as an actor the post's sentence implies if not yet named."""
    if iso3 not in index.actors:
        country = pycountry.countries.get(alpha_3=iso3)
        label = gazetteer().state(country.name).label if country else iso3  # type: ignore[union-attr]
        index.add_implied(iso3, "State", label, iso3, sentence_mention(title.sent))
    return iso3


def story_states(doc: Doc, index: ActorIndex, posts: list[Post], events: list[Event]) -> list[Post]:
    """Posts the text gives no state for ("President Omar El Bashir ... the curfew imposed in
    Sudan") take the one state their sentence is about: named there (or through its capital)
    and not a party to any event of that sentence ("President Bush threatened Russia" gives
    Bush no state)."""
    out: list[Post] = []
    for post in posts:
        if post.in_actor is not None:
            out.append(post)
            continue
        start, end = post.mention.start, post.mention.end
        parties = {a for e in events if e.mention.start == start for a in e.actors()}
        parties |= {p.in_actor for p in posts if p.mention.start == start and p.in_actor}
        parties |= {p.in_actor for p in posts if p.holder in parties and p.in_actor}
        named = {  # named as a setting: "in Sudan", "Ugandan candidates", "Haiti's elections"
            actor
            for span, actor in index.spans
            if start <= span.start_char < end
            and index.kind(actor) == "State"
            and (
                span.root.dep_ in ("amod", "compound", "poss")
                or span.root.head.lower_ in ("in", "across", "throughout", "inside")
            )
        }
        named |= {  # "pressure by the Kenya Anti-Corruption Commission": a national body
            home
            for span, actor in index.spans
            if start <= span.start_char < end
            and actor not in parties
            and (home := index.actors[actor].based_in) is not None
        }
        named |= {
            index.place_states[place][0]
            for i, place in index.token_place.items()
            if start <= doc[i].idx < end and place in index.place_states
        }
        candidates = named - parties
        if len(candidates) == 1:
            (state,) = candidates
            label = index.actors[state].label if state in index.actors else state
            index.add_implied(state, "State", label, state, post.mention)
            post = replace(post, in_actor=state)
        out.append(post)
    return out
