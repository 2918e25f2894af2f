"""Actors who do what another just did: "X recognised Y, and Z swiftly followed (suit)".

Event data codes the follower as the initiator of an event of the same class towards the same
recipients; the text gives no trigger of its own, only the verb "follow" coordinated with the
event's verb.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.modality import date_of
from kg.extract.roles import actors_of
from kg.records import Event, Participant

#: objects that keep "follow" a verb of imitation: "followed suit", "followed its lead"
IMITATION_OBJECTS = frozenset({"suit", "lead", "example"})


def followers(ctx: Context, read: list[tuple[Token, Event]]) -> list[tuple[Token, Event]]:
    """One event per "follow" clause coordinated with a directed, asserted event's verb."""
    out: list[tuple[Token, Event]] = []
    for root, event in read:
        if root.pos_ != "VERB" or event.modality is not None or event.kind in ctx.lex.symmetric:
            continue
        for verb in (c for c in root.children if c.dep_ == "conj" and _imitates(c)):
            doers = [a for s in verb.children if s.dep_ == "nsubj" for a in actors_of(ctx, s)]
            doers = [a for a in dict.fromkeys(doers) if a not in event.actors()]
            if not doers:
                continue
            others = tuple(p for p in event.participants if p.role != "initiator")
            date = date_of(ctx, verb, verb, future=False) or event.date
            copy = replace(
                event,
                participants=tuple(Participant(a, "initiator") for a in doers) + others,
                trigger=verb.text,
                date=date,
                confidence=round(event.confidence - 0.1, 2),
                evidence=(),
            )
            out.append((verb, copy))
    return out


def _imitates(verb: Token) -> bool:
    """ "followed", "swiftly followed", "followed suit": no object of its own but imitation."""
    if verb.lemma_ != "follow":
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return all(o.lemma_.lower() in IMITATION_OBJECTS for o in objects)
