"""Trigger words + dependency parse → events with participants, roles, modality, date and place."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from kg.extract import dates
from kg.extract.actors import ActorIndex, is_agreement_name, sentence_mention
from kg.extract.arguments import (
    actors_of,
    listed_names,
    located_state,
    noun_arguments,
    speakers_of,
    verb_arguments,
)
from kg.extract.components import TRIGGERS_KEY
from kg.extract.context import Context, lexicon
from kg.extract.modality import (
    date_of,
    is_condition,
    is_hearsay,
    is_obligation,
    modality_of,
    place_of,
    topic_of,
)
from kg.extract.stance import demands, stance_events
from kg.records import Event, Participant, Post


def find_events(doc: Doc, index: ActorIndex, posts: list[Post], anchor: dt.date | None) -> tuple[list[Event], list[str]]:  # fmt: skip
    """Every event the document reports, asserted or not, and notes on what was left unresolved."""
    ctx = Context(doc, index, posts, anchor)
    events: list[Event] = []
    triggers = list(doc.spans[TRIGGERS_KEY])
    for sent in doc.sents:
        in_sent = [t for t in triggers if sent.start <= t.start < sent.end]
        read = [(t, e) for t in in_sent if (e := _event(ctx, t, in_sent)) is not None]
        found = _fold_complements(read)
        # no promise or threat is read from a condition, from hearsay, from an obligation, or
        # from a noun ("his willingness to open relations" narrates, it does not announce)
        conditions = {
            id(e)
            for t, e in read
            if is_condition(t.root)
            or _hearsay(t)
            or is_obligation(t.root, t.root)
            or _narrated(t.root)
        }
        found.extend(_named_agreements(ctx, sent))
        found.extend(demands(ctx, sent))
        found.extend(stance_events(ctx, found, conditions))
        events.extend(_carry_dates(ctx, sent, _merge(found)))
    return events, ctx.notes


#: classes whose verb takes the action as its complement: "threatened to cut", "urged X to
#: lift", "refused to join", "agreed to hold"
#: classes of things said: the speaker of a reported clause is their initiator
STATEMENTS = frozenset({"Accuse", "Reject", "Threaten", "Request", "Protest"})

STANCES = frozenset({"Threaten", "Request", "Reject", "Agree", "Agreement", "Accuse"})


def _fold_complements(read: list[tuple[Span, Event]]) -> list[Event]:
    """ "Iran threatened to cut electricity": one Threaten whose topic is the cutting, not a
    second, hypothetical event beside it."""
    by_root = {t.root.i: (t, e) for t, e in read if e.kind in STANCES}
    nouns = {t.root.i for t, e in read if t.root.pos_ != "VERB"}
    topics: dict[int, str] = {}
    kept: list[Event] = []
    for trigger, event in read:
        governor = _stance_governor(trigger.root, by_root) or _described(trigger.root, nouns)
        if governor is None:
            kept.append(event)
        else:
            topics.setdefault(governor, _phrase(trigger.root))
    out = []
    for event in kept:
        root_i = next((t.root.i for t, e in read if e is event), None)
        if root_i in topics and event.topic is None:
            event = replace(event, topic=topics[root_i])
        out.append(event)
    return out


def _stance_governor(token: Token, stances: dict[int, tuple[Span, Event]]) -> int | None:
    """The stance verb a trigger is the complement of, if any."""
    current = token
    for _ in range(3):
        if (
            current.dep_ not in ("xcomp", "ccomp", "dobj", "pobj", "prep")
            or current.head.i == current.i
        ):
            return None
        current = current.head
        if current.i in stances and current.i != token.i:
            return current.i
    return None


def _modal(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "MD" for c in token.children)


def _joint(token: Token) -> bool:
    """The subject names two parties even when only one is known ("Sudan and the SPLM agreed")."""
    return any(
        c.dep_ == "nsubj" and any(g.dep_ == "conj" for g in c.children) for c in token.children
    )


def _narrated(token: Token) -> bool:
    """A noun event with no verb of its own ("diplomatic talks"), or a clause that describes a
    noun ("his willingness to open relations"): the text narrates, nobody announces."""
    if token.pos_ in ("VERB", "AUX") or token.dep_ == "acomp":
        return token.dep_ == "acl"
    head = token.head
    return (
        not (token.dep_ in ("dobj", "nsubjpass", "attr") and head.pos_ == "VERB")
        or head.dep_ == "acl"
    )


def _hearsay(trigger: Span) -> bool:
    root = trigger.root
    return is_hearsay(root, root)


def _described(token: Token, event_nouns: set[int]) -> int | None:
    """The event noun a relative clause describes ("an agreement that allowed North Korea to
    attend"): the clause says what the event is, it is not a second event."""
    if token.dep_ in ("relcl", "acl") and token.head.i in event_nouns:
        return token.head.i
    return None


def _phrase(token: Token) -> str:
    """The words of a clause, for a topic ("cut off electricity to Nakhichevan")."""
    words = [w for w in token.subtree if not (w.i < token.i and w.dep_ in ("aux", "mark"))]
    text = token.doc[words[0].i : words[-1].i + 1].text
    return (
        text if len(words) <= 20 else token.doc[token.i : min(token.i + 12, words[-1].i + 1)].text
    )


def reclassify(kind: str, root: Token) -> str:
    """Apply the lexicon's object rules ("suspended aid" is a Sanction, "struck the city" an
    Assault)."""
    objects = [c for c in root.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [
        g
        for c in root.children
        if c.dep_ == "prep" and c.lower_ in ("of", "on")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    lemmas = {o.lemma_.lower() for o in objects} | {
        g.lemma_.lower() for o in objects for g in o.children if g.dep_ == "compound"
    }
    for rule in lexicon().reclass:
        if "lemmas" in rule and root.lemma_ in rule["lemmas"] and rule.get("when") == "object":
            if any(c.dep_ == "dobj" for c in root.children):
                return str(rule["to"])
        elif kind in rule.get("classes", ()) and lemmas & set(rule.get("objects", ())):
            return str(rule["to"] or "")
    return kind


def _event(ctx: Context, trigger: Span, siblings: list[Span]) -> Event | None:
    root = trigger.root
    kind = reclassify(trigger.label_, root)
    if not kind:
        return None  # "sent a message" is no aid
    args: tuple[tuple[str, ...], tuple[str, ...]]
    anchor_verb: Token | None
    if root.pos_ == "VERB" and root.dep_ in ("amod", "acl") and root.tag_ == "VBN":
        # "the detained Americans [, A, B and C,] held in an Iranian prison": done to the noun
        # (and the people it lists), by the state of the place where it is done
        done_to = tuple(dict.fromkeys(actors_of(ctx, root.head) + listed_names(ctx, root.head)))
        args = (tuple(a for a in located_state(ctx, root.head) if a not in done_to), done_to)
        anchor_verb = root
        confidence = 0.6
    elif root.pos_ == "VERB" or root.dep_ == "acomp":
        args = verb_arguments(ctx, root)
        anchor_verb = root
        confidence = 0.8
    else:
        anchor_verb = _eventive_governor(ctx, trigger, siblings)
        if anchor_verb is None:
            return None
        args = noun_arguments(ctx, root, anchor_verb)
        confidence = 0.7
    assert anchor_verb is not None
    initiators, recipients = args
    if kind == "Coerce" and not initiators:
        # "was arrested in Lebanon": only a state's authorities arrest, detain or deport there
        initiators = tuple(a for a in located_state(ctx, root) if a not in recipients)
    # the speaker owns what they say will (not) be done, not what the text says someone did:
    # "Haley said the US would not take the talks seriously" is Haley's; "Iran threatened ...,
    # the agency said" stays Iran's
    speakers = (
        speakers_of(ctx, root) if kind in STATEMENTS and (not initiators or _modal(root)) else []
    )
    voiced: tuple[str, ...] = ()
    if speakers:  # "Haley said the US would not take the talks seriously" is Haley's
        voiced = tuple(a for a in initiators if a not in speakers)
        initiators = tuple(speakers)
    if kind == "Agreement" and root.lemma_ == "agree" and len(set(initiators + recipients)) == 1:
        kind = "Agree"  # "the coalition agreed to postpone the rally": a commitment, not a deal
    if kind in lexicon().symmetric and not (initiators and recipients):
        everyone = tuple(dict.fromkeys(initiators + recipients))
        participants = tuple(Participant(a, "participant") for a in everyone)
    else:  # "Blinken met Kamikawa": both take part, and the text says who went to whom
        participants = tuple(
            [Participant(a, "initiator") for a in initiators]
            + [Participant(a, "recipient") for a in recipients if a not in initiators]
            + [Participant(a, "participant") for a in voiced if a not in recipients]
        )
    place = place_of(ctx, root, anchor_verb)
    if (
        place in ctx.index.place_states
        and kind in ("Meeting", "Consult")
        and len(participants) == 1
    ):
        # a visit to a capital is a meeting with its state
        iso3, label = ctx.index.place_states[place]
        ctx.index.add_implied(iso3, "State", label, iso3, sentence_mention(trigger.sent))
        if iso3 not in {p.actor for p in participants}:
            participants += (Participant(iso3, "participant"),)
    if not participants or (
        len(participants) == 1 and kind in lexicon().symmetric and not place and not _joint(root)
    ):
        return None  # a meeting or an agreement takes two, or one and a place (a visit)
    modality = modality_of(ctx, root, anchor_verb)
    date = date_of(ctx, root, anchor_verb, future=modality == "Future")
    if modality is None and date is not None and ctx.anchor and date.earliest > ctx.anchor:
        modality = "Future"
    return Event(
        kind=kind,
        participants=participants,
        mention=sentence_mention(trigger.sent),
        trigger=trigger.text,
        date=date,
        place=place,
        modality=modality,
        confidence=round(confidence, 2),
        topic=topic_of(root) if kind in ("Agreement", "Agree") else None,
    )


# -- arguments -------------------------------------------------------------------------------


def _eventive_governor(ctx: Context, trigger: Span, siblings: list[Span]) -> Token | None:
    """The verb that makes a trigger noun an event ("held talks", "talks were held", "came out
    with an agreement"), the noun itself when it has a possessor, a date or a future adjective
    ("Moon's acceptance", "the summit on Monday", "future talks"), or None for a mere reference."""
    noun = trigger.root
    head = noun.head
    lex = lexicon()
    verb_triggers = {s.root.i: s.label_ for s in siblings if s.root.pos_ == "VERB"}
    if head.i in verb_triggers and (
        verb_triggers[head.i] == trigger.label_ or head.lemma_ not in lex.light_verbs
    ):
        return None  # "signed an agreement", "lifted sanctions": one event, read from the verb
    governing = lex.light_verbs | lex.future_heads | lex.hypothetical_heads
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and head.lemma_ in governing:
        return head  # "held talks", "talks were held", "might consider sanctions"
    if noun.dep_ == "pobj" and head.dep_ in ("prep", "prt") and head.head.lemma_ in lex.light_verbs:
        return head.head
    if noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_ == "agree":
        return noun  # "agreed to future talks"
    if any(
        c.dep_ in ("poss", "amod", "compound") and c.i in ctx.index.token_actor
        for c in noun.children
    ):
        return noun  # "Moon's acceptance", "Palestinian riots", "US Predator attacks"
    if any(c.lower_ in lex.future_adjectives for c in noun.children if c.dep_ == "amod"):
        return noun
    if any(t.ent_type_ == "DATE" for t in noun.subtree if t.i != noun.i):
        return noun
    return None


# -- modality, time and place ----------------------------------------------------------------


# -- whole sentences -------------------------------------------------------------------------


def _named_agreements(ctx: Context, sent: Span) -> list[Event]:
    """ "the 1994 Agreed Framework": a named agreement, dated by a year beside it."""
    events: list[Event] = []
    for ent in ctx.doc.ents:
        if not (sent.start <= ent.start < sent.end) or not is_agreement_name(ent):
            continue
        label = ent.text.removeprefix("the ").removeprefix("The ")
        date = None
        before = ctx.doc[max(sent.start, ent.start - 2) : ent.start]
        for other in ctx.doc.ents:
            if other.label_ == "DATE" and other.start >= before.start and other.end <= ent.start:
                date = dates.resolve(other.text, ctx.anchor)
        events.append(
            Event(
                kind="Agreement",
                participants=(),
                mention=sentence_mention(sent),
                trigger=ent.text,
                label=label,
                date=date,
                confidence=0.7,
            )
        )
    return events


def _merge(events: list[Event]) -> list[Event]:
    """One event per class and participants in a sentence; the more confident report wins."""
    best: dict[tuple[Any, ...], Event] = {}
    for event in events:
        key = (event.kind, frozenset(event.actors()), event.label, event.modality)
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return list(best.values())


def _carry_dates(ctx: Context, sent: Span, events: list[Event]) -> list[Event]:
    """Narrative time: an undated event takes the day of the last dated event in its paragraph
    when they share a participant ("they met on 9 January ... both sides agreed ...")."""
    paragraph = _paragraph(ctx.doc, sent)
    out: list[Event] = []
    last = ctx.paragraph_date.get(paragraph)
    for event in events:
        if event.date is None and last is not None and not event.label and not event.modality:
            out.append(
                replace(
                    event,
                    date=last,
                    date_in_text=False,
                    confidence=round(event.confidence - 0.1, 2),
                )
            )
        else:
            out.append(event)
    for event in events:
        if event.date is not None and event.modality is None and event.date.precision == "day":
            ctx.paragraph_date[paragraph] = event.date
    return out


def _paragraph(doc: Doc, sent: Span) -> int:
    """The character offset where the sentence's paragraph begins (blank-line separated)."""
    return doc.text.rfind("\n", 0, sent.start_char)
