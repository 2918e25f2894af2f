"""Statements about actions that have not happened, coded as what they are when said.

Event coding (CAMEO, PLOVER) records the saying itself: "Chile is willing to withdraw" is an
Agree (intent to cooperate) now, "the alliance will tighten the blockade" a Threaten, "Japan will
not accept more refugees" a Reject, and "Peru said Bolivia must return the aircraft" a Request.
The action itself stays in the graph with its modality; these are extra, asserted events. Only
the doer's own announcement counts: what critics or analysts say someone might do is nobody's
stance.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from spacy.tokens import Span, Token

from kg.extract.actors import sentence_mention
from kg.extract.context import Context
from kg.extract.modality import (
    clause_chain,
    is_content,
    is_refusal,
    open_question,
    under_terms,
)
from kg.extract.roles import actors_of, reporting_subject
from kg.records import Event, Participant


def stance_events(
    ctx: Context, events: list[tuple[Token, Event]], explicit: set[str]
) -> list[Event]:
    """The promises, threats and refusals that the sentence's non-asserted events express.

    `events` leaves out conditions ("if ..."), hearsay, obligations and narrated nouns, which
    nobody announces. Only one of each kind per sentence, none where the sentence says it in so
    many words (`explicit`: "threatened to cut" is already a Threaten), and none where someone
    other than the doer says what the doer might do.
    """
    lex = ctx.lex
    derived: list[Event] = []
    explicit = set(explicit)
    for trigger, event in events:
        doers = event.actors("initiator") or event.actors("participant")
        if not doers or event.label:
            continue
        kind: str | None = None
        chain = clause_chain(ctx, trigger, trigger)
        if under_terms(ctx, chain):
            continue  # "under the deal, X will withdraw": a term of the deal, not X's stance
        if any(w.lemma_ in lex.schedule_heads for w in chain[1:]):
            continue  # "were due to sign": the report's schedule, nobody's announcement
        if any(w.lemma_ in lex.object_control for w in chain[1:]):
            continue  # "invited X to join": the inviter's request, not X's promise
        if open_question(ctx, chain) or any(
            is_content(lex, w, chain[i]) for i, w in enumerate(chain[1:])
        ):
            continue  # "unclear whether X would withdraw", "the demands included closing X"
        if event.modality == "Negated" and event.kind in lex.cooperative:
            if is_refusal(ctx, trigger, trigger):
                kind = "Reject"  # "will not accept", "refused to attend"
        elif event.modality in ("Future", "Hypothetical") and event.kind in lex.said:
            kind = event.kind  # "would reject the talks" rejects them now
        elif event.modality in ("Future", "Hypothetical") and any(
            w.lemma_ in lex.offer_heads for w in chain[1:]
        ):
            kind = "Agree"  # "offered to send troops to help": an offer, whatever it sends
        elif event.modality in ("Future", "Hypothetical", "Conditional"):
            if event.kind in lex.hostile or (
                event.modality == "Conditional" and event.kind == "Retreat"
            ):
                kind = "Threaten"  # "would boycott", "will withdraw unless ..."
            elif event.kind in lex.cooperative:
                kind = "Agree"  # "will support", "is ready to contribute", "offered to talk"
        if kind is None or (kind == event.kind and kind not in lex.said) or kind in explicit:
            continue
        if event.modality in ("Hypothetical", "Conditional") and not _said_by_doer(
            ctx, trigger, doers
        ):
            continue  # "critics warned that X might resume attacks": nobody's stance
        if not _noun_of_the_doer(ctx, chain, doers):
            continue  # "fears that X might strike": whoever fears it, not X's threat
        explicit.add(kind)
        others = [a for a in event.actors() if a not in doers]
        participants = tuple(Participant(a, "initiator") for a in doers) + tuple(
            Participant(a, "recipient") for a in others
        )
        if kind == "Reject" and not event.actors("initiator") and len(doers) > 1:
            # "A and B failed to reach an agreement": each side refused the other
            participants = tuple(Participant(a, "participant") for a in doers)
        derived.append(
            replace(
                event,
                kind=kind,
                participants=participants,
                modality=None,
                date=None,
                confidence=round(max(event.confidence - 0.2, 0.3), 2),
                topic=None,
            )
        )
    return derived


def _noun_of_the_doer(ctx: Context, chain: list[Token], doers: tuple[str, ...]) -> bool:
    """A clause that is the content of a noun ("the warning that X might strike", "its
    demand that Y withdraw") is the stance of whoever the noun names as its owner, if any."""
    for below, word in pairwise(chain):
        if word.pos_ != "NOUN" or below.dep_ not in ("acl", "ccomp", "relcl"):
            continue
        owners = [a for c in word.children if c.dep_ == "poss" for a in actors_of(ctx, c)]
        owners += [
            a
            for c in word.children
            if c.dep_ == "prep" and c.lower_ in ("from", "by")
            for g in c.children
            if g.dep_ == "pobj"
            for a in actors_of(ctx, g)
        ]
        return bool(set(owners) & set(doers))
    return True


def _said_by_doer(ctx: Context, trigger: Token, doers: tuple[str, ...]) -> bool:
    """No one else reports it: no reporting verb above the event, or one whose subject is the
    doer (its pronoun, or a person or body of the doer)."""
    subject = reporting_subject(ctx, trigger)
    if subject is None:
        return True
    if subject.lemma_.lower() in ctx.lex.media:
        return True  # "..., the agency said": a reporter passes it on
    speakers = actors_of(ctx, subject)
    if not speakers:
        return subject.lemma_.lower() not in ctx.lex.unnamed_sources and subject.pos_ == "PRON"
    return bool(set(speakers) & set(doers)) or any(
        ctx.index.based_in(s) in doers or ctx.state_of(s) in doers for s in speakers
    )


def demands(ctx: Context, sent: Span) -> list[Event]:
    """ "X said Y must (should) do Z": a Request by the speaker to the one who must act."""
    lex = ctx.lex
    found: list[Event] = []
    for token in sent:
        if token.dep_ != "aux" or token.lower_ not in ("must", "should"):
            continue
        verb = token.head
        if verb.dep_ == "ccomp" and verb.head.lemma_ in lex.reporting | lex.object_control:
            speaker_head = verb.head  # "Peru said Bolivia must return the aircraft"
        elif verb.dep_ in ("acl", "ccomp") and verb.head.lemma_ in lex.demand_nouns:
            speaker_head = verb.head.head  # "Peru issued a reminder to Chile that it must ..."
        else:
            continue
        speakers = [
            a for c in speaker_head.children if c.dep_ == "nsubj" for a in actors_of(ctx, c)
        ]
        addressees = [
            a for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for a in actors_of(ctx, c)
        ]
        addressees = [a for a in addressees if a not in speakers]
        if not speakers:
            continue
        found.append(
            Event(
                kind="Request",
                participants=tuple(Participant(a, "initiator") for a in speakers)
                + tuple(Participant(a, "recipient") for a in addressees),
                mention=sentence_mention(sent),
                trigger=f"{token.text} {verb.text}",
                confidence=0.6,
            )
        )
    return found
