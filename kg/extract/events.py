"""Trigger words + dependency parse → events with participants, roles, modality, date and place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from kg.extract import dates
from kg.extract.actors import ActorIndex, is_agreement_name, sentence_mention
from kg.extract.components import TITLES_KEY, TRIGGERS_KEY, load_lexicon
from kg.records import Event, Modality, Participant, Post, TimeValue

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
CLAUSE_UP = ("xcomp", "conj", "advcl", "acl", "pcomp", "relcl")
OBJECT_PREPS = ("with", "to", "against", "on", "from", "toward", "towards", "for", "at", "into")
COMPLEMENTS = ("xcomp", "dobj", "ccomp", "pobj", "prep", "nsubjpass")
REPORTING = {"say", "tell", "state", "announce", "declare", "claim", "add", "report", "insist"}


@dataclass(frozen=True)
class Lexicon:
    symmetric: frozenset[str]
    light_verbs: frozenset[str]
    negating_heads: frozenset[str]
    hypothetical: frozenset[str]
    future_modals: frozenset[str]
    future_heads: frozenset[str]
    hypothetical_heads: frozenset[str]
    future_adjectives: frozenset[str]
    conditional_marks: frozenset[str]
    group_nouns: frozenset[str]


@cache
def lexicon() -> Lexicon:
    data = load_lexicon("triggers.json")
    mod = data["modality"]
    groups = load_lexicon("organizations.json")["group_subjects"]["nouns"]
    return Lexicon(
        symmetric=frozenset(c for c, e in data["classes"].items() if e.get("symmetric")),
        light_verbs=frozenset(data["light_verbs"]),
        negating_heads=frozenset(mod["negating_heads"]),
        hypothetical=frozenset(mod["hypothetical_modals"]),
        future_modals=frozenset(mod["future_modals"]),
        future_heads=frozenset(mod["future_heads"]),
        hypothetical_heads=frozenset(mod["hypothetical_heads"]),
        future_adjectives=frozenset(mod["future_adjectives"]),
        conditional_marks=frozenset(mod["conditional_marks"]),
        group_nouns=frozenset(w.lower() for w in groups),
    )


@dataclass
class Context:
    """What the reading of one document carries from sentence to sentence."""

    doc: Doc
    index: ActorIndex
    posts: list[Post]
    anchor: dt.date | None
    pair: tuple[str, ...] = ()  # the two parties "both sides" stands for, last resolved
    paragraph_date: dict[int, TimeValue] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def state_of(self, actor: str) -> str | None:
        """The state a person's post is in (for "the two sides" read from two leaders)."""
        for post in self.posts:
            if post.holder == actor and post.in_actor and self.index.kind(post.in_actor) == "State":
                return post.in_actor
        return None


def find_events(doc: Doc, index: ActorIndex, posts: list[Post], anchor: dt.date | None) -> tuple[list[Event], list[str]]:  # fmt: skip
    """Every event the document reports, asserted or not, and notes on what was left unresolved."""
    ctx = Context(doc, index, posts, anchor)
    events: list[Event] = []
    triggers = list(doc.spans[TRIGGERS_KEY])
    for sent in doc.sents:
        in_sent = [t for t in triggers if sent.start <= t.start < sent.end]
        found = [e for t in in_sent if (e := _event(ctx, t, in_sent)) is not None]
        found.extend(_named_agreements(ctx, sent))
        events.extend(_carry_dates(ctx, sent, _merge(found)))
    return events, ctx.notes


def _event(ctx: Context, trigger: Span, siblings: list[Span]) -> Event | None:
    root = trigger.root
    kind = trigger.label_
    args: tuple[tuple[str, ...], tuple[str, ...]]
    anchor_verb: Token | None
    if root.pos_ == "VERB" and root.dep_ in ("amod", "acl") and root.tag_ == "VBN":
        # "the detained Americans": the modified noun is the one it is done to
        args = ((), tuple(_actors(ctx, root.head)))
        anchor_verb = root
        confidence = 0.6
    elif root.pos_ == "VERB":
        args = _verb_arguments(ctx, root)
        anchor_verb = root
        confidence = 0.8
    else:
        anchor_verb = _eventive_governor(ctx, trigger, siblings)
        if anchor_verb is None:
            return None
        args = _noun_arguments(ctx, root, anchor_verb)
        confidence = 0.7
    assert anchor_verb is not None
    initiators, recipients = args
    if kind in lexicon().symmetric:
        everyone = tuple(dict.fromkeys(initiators + recipients))
        participants = tuple(Participant(a, "participant") for a in everyone)
    else:
        participants = tuple(
            [Participant(a, "initiator") for a in initiators]
            + [Participant(a, "recipient") for a in recipients if a not in initiators]
        )
    place = _place(ctx, root, anchor_verb)
    if place in ctx.index.place_states and kind in ("Meeting", "Consult"):
        # a visit to a capital is a meeting with its state
        iso3, label = ctx.index.place_states[place]
        ctx.index.add_implied(iso3, "State", label, iso3, sentence_mention(trigger.sent))
        if iso3 not in {p.actor for p in participants}:
            participants += (Participant(iso3, "participant"),)
    if not participants or (len(participants) == 1 and kind in lexicon().symmetric and not place):
        return None  # a meeting or an agreement takes two, or one and a place (a visit)
    modality = _modality(ctx, root, anchor_verb)
    date = _date(ctx, root, anchor_verb, future=modality == "Future")
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
        topic=_topic(root) if kind in ("Agreement", "Agree") else None,
    )


# -- arguments -------------------------------------------------------------------------------


def _verb_arguments(ctx: Context, verb: Token) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(initiators, recipients) of a verb: its subject (or the subject it inherits from the
    clause it depends on) and its objects; passive subjects are recipients, "by" agents initiators."""
    subjects: list[str] = []
    objects: list[str] = []
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            subjects += _actors(ctx, child)
        elif child.dep_ == "nsubjpass":
            objects += _actors(ctx, child)
        elif child.dep_ == "agent":
            subjects += [a for g in child.children for a in _actors(ctx, g)]
        elif child.dep_ in ("dobj", "dative", "attr"):
            objects += _actors(ctx, child)
            if verb.lemma_ in lexicon().light_verbs:
                objects += [  # "held talks with Egyptian officials": hung on the noun
                    a
                    for p in child.children
                    if p.dep_ == "prep" and p.lower_ in ("with", "between", "to", "against")
                    for g in p.children
                    if g.dep_ == "pobj"
                    for a in _actors(ctx, g)
                ]
        elif child.dep_ == "prep" and child.lower_ in (*OBJECT_PREPS, "between", "of"):
            objects += [a for g in child.children if g.dep_ == "pobj" for a in _actors(ctx, g)]
        elif child.dep_ == "prt":
            pass
    if not subjects:
        subjects = _inherited_subject(ctx, verb)
    if not objects:  # "threatened to strike the United States", "urged Iran to stop"
        for child in verb.children:
            if child.dep_ in ("xcomp", "ccomp") and child.pos_ == "VERB":
                objects += [
                    a
                    for g in child.children
                    if g.dep_ in ("dobj", "nsubj")
                    for a in _actors(ctx, g)
                ]
    return tuple(dict.fromkeys(subjects)), tuple(dict.fromkeys(objects))


def _inherited_subject(ctx: Context, token: Token) -> list[str]:
    """The subject of the clause a subjectless verb or noun hangs from ("X decided to suspend",
    "X made the decision to suspend", "X came out with an agreement and agreed")."""
    current = token
    if token.dep_ == "xcomp":  # "urged Beijing to lift": the one urged does the lifting
        for child in token.head.children:
            if child.dep_ == "dobj" and (found := _actors(ctx, child)):
                return found
    for _ in range(6):
        if current.dep_ in ("ROOT",) or current.head.i == current.i:
            break
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            for child in current.children:
                if child.dep_ in ("nsubj", "csubj"):
                    found = _actors(ctx, child)
                    if found:
                        return found
                if child.dep_ == "agent":
                    return [a for g in child.children for a in _actors(ctx, g)]
            if current.lemma_ in REPORTING:
                break
    return []


def _actors(ctx: Context, token: Token) -> list[str]:
    """The actors a noun phrase stands for: its named entity, its conjuncts, a demonym or a
    possessor inside it ("North Korean officials", "South Korea's government"), or the pair
    "both sides" refers to."""
    out: list[str] = []
    for head in (token, *_conjuncts(token)):
        actor = ctx.index.token_actor.get(head.i)
        if actor is not None:
            out.append(actor)
            continue
        person = _titled_person(ctx, head)
        if person is not None:
            out.append(person)
            continue
        inner = [
            ctx.index.token_actor[c.i]
            for c in head.children
            if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i in ctx.index.token_actor
        ]
        inner += [
            ctx.index.token_actor[g.i]
            for c in head.children
            if c.dep_ == "poss"
            for g in c.subtree
            if g.i in ctx.index.token_actor
        ]
        inner += [  # "the foreign ministers of France and Germany"
            a
            for c in head.children
            if c.dep_ == "prep" and c.lower_ == "of" and head.pos_ in ("NOUN", "PROPN")
            for g in c.children
            if g.dep_ == "pobj"
            for a in _actors(ctx, g)
        ]
        if inner:
            out.extend(dict.fromkeys(inner))
        elif _is_group(head):
            out.extend(_pair(ctx, head))
    return out


def _titled_person(ctx: Context, head: Token) -> str | None:
    """The person a title phrase names ("the U.S Ambassador to the United Nations Nikki Haley")."""
    if not any(t.start <= head.i < t.end for t in ctx.doc.spans[TITLES_KEY]):
        return None
    for t in head.subtree:
        actor = ctx.index.token_actor.get(t.i)
        if actor is not None and ctx.index.kind(actor) == "Person":
            return actor
    return None


def _conjuncts(token: Token) -> list[Token]:
    found: list[Token] = []
    for child in token.children:
        if child.dep_ == "conj":
            found.append(child)
            found.extend(_conjuncts(child))
    return found


def _is_group(token: Token) -> bool:
    """ "the two sides", "both countries", "the two Koreas"."""
    if token.lemma_.lower() not in lexicon().group_nouns or token.tag_ not in ("NNS", "NNPS"):
        return False
    return any(c.lower_ in ("two", "both") for c in token.children) or token.lower_ == "koreas"


def _pair(ctx: Context, token: Token) -> list[str]:
    """The two parties of a bilateral story: named in the same sentence (leaders count for
    their states), else the last pair resolved, else the two states the document names most."""
    sent = token.sent
    parties: list[str] = []
    for span, actor in ctx.index.spans:
        if sent.start <= span.start < sent.end:
            state = ctx.state_of(actor) if ctx.index.kind(actor) == "Person" else actor
            if state and state not in parties:
                parties.append(state)
    if len(parties) == 2:
        ctx.pair = tuple(parties)
    elif not ctx.pair and (joined := _last_conjoined_pair(ctx, sent.start)):
        ctx.pair = joined
    elif not ctx.pair:
        counts: dict[str, int] = {}
        for span, actor in ctx.index.spans:
            if span.start < sent.start and ctx.index.kind(actor) == "State":
                counts[actor] = counts.get(actor, 0) + 1
        top = sorted(counts, key=lambda a: -counts[a])[:2]
        if len(top) == 2:
            ctx.pair = tuple(top)
    return list(ctx.pair)


def _last_conjoined_pair(ctx: Context, before: int) -> tuple[str, str] | None:
    """The last two states named together ("North Korea and South Korea's dialogues")."""
    found: tuple[str, str] | None = None
    for span, actor in ctx.index.spans:
        if span.start >= before or ctx.index.kind(actor) != "State":
            continue
        for conj in _conjuncts(span.root):
            other = ctx.index.token_actor.get(conj.i)
            if other and other != actor and ctx.index.kind(other) == "State":
                found = (actor, other)
    return found


def _eventive_governor(ctx: Context, trigger: Span, siblings: list[Span]) -> Token | None:
    """The verb that makes a trigger noun an event ("held talks", "talks were held", "came out
    with an agreement"), the noun itself when it has a possessor, a date or a future adjective
    ("Moon's acceptance", "the summit on Monday", "future talks"), or None for a mere reference."""
    noun = trigger.root
    head = noun.head
    lex = lexicon()
    verb_triggers = {s.root.i: s.label_ for s in siblings if s.root.pos_ == "VERB"}
    if head.i in verb_triggers:
        return None  # "signed an agreement", "lifted sanctions": one event, read from the verb
    governing = lex.light_verbs | lex.future_heads | lex.hypothetical_heads
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and head.lemma_ in governing:
        return head  # "held talks", "talks were held", "might consider sanctions"
    if noun.dep_ == "pobj" and head.dep_ in ("prep", "prt") and head.head.lemma_ in lex.light_verbs:
        return head.head
    if noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_ == "agree":
        return noun  # "agreed to future talks"
    if any(c.dep_ == "poss" and c.i in ctx.index.token_actor for c in noun.children):
        return noun
    if any(c.lower_ in lex.future_adjectives for c in noun.children if c.dep_ == "amod"):
        return noun
    if any(t.ent_type_ == "DATE" for t in noun.subtree if t.i != noun.i):
        return noun
    return None


def _noun_arguments(ctx: Context, noun: Token, governor: Token) -> tuple[tuple[str, ...], tuple[str, ...]]:  # fmt: skip
    """Arguments of a nominal event: its possessor and "between/with/to/of" phrases, then the
    governing verb's subject."""
    subjects: list[str] = []
    objects: list[str] = []
    for child in noun.children:
        if child.dep_ == "poss" or (
            child.dep_ in ("compound", "amod") and child.i in ctx.index.token_actor
        ):
            subjects += _actors(ctx, child)
        elif child.dep_ == "prep" and child.lower_ in (*OBJECT_PREPS, "between", "of", "by"):
            for pobj in (g for g in child.children if g.dep_ == "pobj"):
                target = subjects if child.lower_ == "by" else objects
                target += _actors(ctx, pobj)
    if governor.i != noun.i:
        gov_subjects, gov_objects = _verb_arguments(ctx, governor)
        subjects = list(gov_subjects) + subjects
        objects += [a for a in gov_objects if a not in objects]
    elif not subjects:
        subjects = _inherited_subject(ctx, noun)
    return tuple(dict.fromkeys(subjects)), tuple(dict.fromkeys(objects))


# -- modality, time and place ----------------------------------------------------------------


def _clause_chain(token: Token, governor: Token) -> list[Token]:
    """The trigger, its governing verb and the verbs above them up to the clause that reports it."""
    chain = [token] if token.i == governor.i else [token, governor]
    current = governor
    for _ in range(5):
        if (
            current.dep_ not in (*CLAUSE_UP, "dobj", "pobj", "prep", "acomp")
            or current.head.i == current.i
        ):
            break
        current = current.head
        chain.append(current)
        if current.lemma_ in REPORTING:
            break
    return chain


def _modality(ctx: Context, token: Token, governor: Token) -> Modality | None:
    """Negated ("failed to reach", "did not attend"), Conditional ("if ..."), Hypothetical
    ("might", "should"), Future ("will hold", "plans to", "future talks"), else asserted (None)."""
    lex = lexicon()
    chain = _clause_chain(token, governor)
    result: Modality | None = None
    for i, word in enumerate(chain):
        children = list(word.children)
        if any(c.dep_ == "neg" for c in children) or any(
            c.lower_ in ("no", "never") and c.dep_ == "det" for c in children if word.pos_ == "NOUN"
        ):
            return "Negated"
        if i > 0 and word.lemma_ in lex.negating_heads and chain[i - 1].dep_ in COMPLEMENTS:
            return "Negated"  # "failed to reach", "refused to join the talks"
        if any(c.dep_ == "advcl" and _has_mark(c, lex.conditional_marks) for c in children):
            result = result or "Conditional"
        if _has_mark(word, lex.conditional_marks):
            result = result or "Conditional"
        auxes = [c.lower_ for c in children if c.dep_ == "aux" and c.tag_ == "MD"]
        if any(a in lex.hypothetical for a in auxes):
            result = result or "Hypothetical"
        if any(a in lex.future_modals for a in auxes):
            result = result or "Future"
        if i > 0 and word.lemma_ in lex.future_heads and chain[i - 1].dep_ in COMPLEMENTS:
            result = result or "Future"
        if i > 0 and word.lemma_ in lex.hypothetical_heads and chain[i - 1].dep_ in COMPLEMENTS:
            result = result or "Hypothetical"  # "willing to talk", "ready to sign"
        if word.pos_ == "NOUN" and any(
            c.dep_ == "amod" and c.lower_ in lex.future_adjectives for c in children
        ):
            result = result or "Future"
    return result


def _has_mark(token: Token, marks: frozenset[str]) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in marks for c in token.children)


def _date(ctx: Context, token: Token, governor: Token, *, future: bool) -> TimeValue | None:
    """The date phrase attached to the trigger or its governing verb (not one inside another
    clause), resolved against the document date."""
    for span in _attached(ctx.doc.ents, token, governor, labels=("DATE",)):
        value = dates.resolve(span.text, ctx.anchor, prefer="future" if future else "past")
        if value is not None:
            return value
    return None


def _attached(spans: Iterable[Span], token: Token, governor: Token, labels: tuple[str, ...]) -> list[Span]:  # fmt: skip
    """Entity spans whose head path reaches the trigger or its governor without crossing a verb."""
    targets = {token.i, governor.i}
    out: list[Span] = []
    for span in spans:
        if span.label_ not in labels:
            continue
        current = span.root
        for _ in range(6):
            if current.i in targets:
                out.append(span)
                break
            if current.head.i == current.i or (current.pos_ == "VERB" and current.i not in targets):
                break
            current = current.head
    return out


def _place(ctx: Context, token: Token, governor: Token) -> str | None:
    """The most specific place in a locative phrase of the trigger ("at the DMZ village of
    Panmunjom" → Panmunjom)."""
    best: tuple[int, str] | None = None
    heads = {token.i: token, governor.i: governor}
    for head in list(heads.values()):
        for child in head.children:
            if child.dep_ == "dobj" and child.i in ctx.index.token_place:
                return ctx.index.token_place[child.i]  # "visited Washington"
            if child.dep_ in ("dobj", "attr"):
                heads[child.i] = child
    for head in heads.values():
        for child in head.children:
            if child.dep_ != "prep" or child.lower_ not in ("in", "at", "near", "on"):
                continue
            for t in child.subtree:
                place = ctx.index.token_place.get(t.i)
                if place is not None and (best is None or t.i > best[0]):
                    best = (t.i, place)
    return best[1] if best else None


def _topic(token: Token) -> str | None:
    """What an agreement is about: its "on/to/over ..." phrase or its clause."""
    for child in token.children:
        if child.dep_ in ("prep",) and child.lower_ in ("on", "to", "over", "about", "for"):
            words = [t for t in child.subtree if t.i != child.i]
            if words:
                text = token.doc[words[0].i : words[-1].i + 1].text
                return text if len(words) <= 20 else None
        if child.dep_ in ("xcomp", "relcl", "acl", "ccomp"):
            words = list(child.subtree)
            text = token.doc[words[0].i : words[-1].i + 1].text
            return text if len(words) <= 20 else None
    return None


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
