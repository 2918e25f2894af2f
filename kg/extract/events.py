"""Trigger words + dependency patterns → the events of each sentence: class, roles, modality,
date and place.

Only sentences of the report's body are read (not the headline, a byline or the page around
it). A verb trigger is an event; a noun trigger is one when something makes it an event: a verb
that governs it ("held talks"), its own participants ("talks between A and B", "A–B talks",
"Moscow's talks with Kyiv"), a date or a place of its own ("the summit in Hanoi").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Span, Token

from kg.extract import dates
from kg.extract.actors import is_agreement_name, sentence_mention
from kg.extract.components import TRIGGERS_KEY
from kg.extract.context import Context
from kg.extract.following import followers
from kg.extract.modality import (
    date_of,
    in_main_clause,
    is_condition,
    is_hearsay,
    is_obligation,
    modality_of,
    place_of,
    topic_of,
)
from kg.extract.roles import Roles, actors_of, speakers_of, trigger_roles
from kg.extract.sentences import sentence_of
from kg.extract.stance import demands, stance_events
from kg.records import Event, Participant, Role


def sentence_events(
    ctx: Context, sent: Span, triggers: list[Span]
) -> list[tuple[Token | None, Event]]:
    """Every event one sentence reports, asserted or not, with the word it was read from."""
    read = [(t.root, e) for t in triggers if (e := _event(ctx, t, triggers)) is not None]
    read += followers(ctx, read)
    kept = _conjoined_targets(_fold_complements(ctx, _fold_participles(read)))
    # no promise or threat is read from a condition, from hearsay, from an obligation, or
    # from a noun ("his willingness to open relations" narrates, it does not announce)
    said = [
        (root, e)
        for root, e in kept
        if not (
            is_condition(ctx, root)
            or is_hearsay(ctx, root, root)
            or is_obligation(ctx, root, root)
            or _narrated(root)
        )
    ]
    found: list[tuple[Token | None, Event]] = list(kept)
    found.extend((None, e) for e in _named_agreements(ctx, sent))
    found.extend((None, e) for e in demands(ctx, sent))
    explicit = {e.kind for _, e in found if e.modality is None}
    found.extend((None, e) for e in stance_events(ctx, said, explicit))
    return _merge(found)


def triggers_by_sentence(ctx: Context) -> dict[int, list[Span]]:
    """The trigger spans of each news sentence, by the sentence's first token."""
    out: dict[int, list[Span]] = {}
    for trigger in ctx.doc.spans[TRIGGERS_KEY]:
        start = sentence_of(ctx.doc, trigger.start).start
        if start in ctx.news:
            out.setdefault(start, []).append(trigger)
    return out


def _fold_complements(ctx: Context, read: list[tuple[Token, Event]]) -> list[tuple[Token, Event]]:
    """ "Iran threatened to cut gas supplies": one Threaten whose topic is the cutting, not a
    second, hypothetical event beside it; likewise what an agreement or a demand says is to be
    done ("agreed to stop the broadcasts", "in exchange for a pledge to cut ties")."""
    stances = {root.i for root, e in read if e.kind in ctx.lex.governing}
    nouns = {root.i for root, e in read if root.pos_ != "VERB"}
    topics: dict[int, str] = {}
    targets: dict[int, tuple[str, ...]] = {}
    own: dict[int, set[str]] = {}
    kept: list[tuple[Token, Event]] = []
    for root, event in read:
        governor = _stance_governor(root, stances, ctx.lex.measure_nouns) or _described(root, nouns)
        if governor is None:
            kept.append((root, event))
        else:
            topics.setdefault(governor, _phrase(root))
            targets.setdefault(governor, event.actors("recipient"))
            # "Iraqi fighters agreed to lay down arms in Iraq": a target the act itself
            # names as its own doer's state stays the stance's too
            own.setdefault(
                governor, set(event.actors("recipient")) & set(event.actors("initiator"))
            )
    out = []
    for root, event in kept:
        if root.i in topics and event.topic is None:
            event = replace(event, topic=topics[root.i])
        if event.kind in ctx.lex.governing and not event.actors("recipient", "participant"):
            # "agreed to a ceasefire in X", "refused to lift sanctions on X": whom the action
            # agreed to, refused or demanded is done to is whom the stance is about
            doers = set(event.actors("initiator"))
            inherited = [
                a for a in targets.get(root.i, ()) if a not in doers or a in own.get(root.i, ())
            ]
            event = replace(event, participants=event.participants + _as("recipient", inherited))
        out.append((root, event))
    return out


def _conjoined_targets(read: list[tuple[Token, Event]]) -> list[tuple[Token, Event]]:
    """ "X suspended aid to Y and threatened to cut trade": the second of two conjoined acts of
    one doer that names no one it is done to is done to whom the first was."""
    out = []
    for root, event in read:
        doers = event.actors("initiator")
        if root.dep_ == "conj" and doers and not event.actors("recipient", "participant"):
            first = root.head
            for other_root, other in read:
                near = other_root.i == first.i or (
                    other_root.head.i == first.i and other_root.dep_ == "dobj"
                )
                if near and other is not event and other.actors("initiator") == doers:
                    inherited = [a for a in other.actors("recipient") if a not in doers]
                    event = replace(
                        event, participants=event.participants + _as("recipient", inherited)
                    )
                    break
        out.append((root, event))
    return out


def _as(role: Role, actors: Iterable[str]) -> tuple[Participant, ...]:
    return tuple(Participant(a, role) for a in actors)


def _fold_participles(read: list[tuple[Token, Event]]) -> list[tuple[Token, Event]]:
    """ "talks between A and B, hosted by C": a participle of the same class inside the phrase
    of an event tells more of that event (C takes part), not a second one."""
    nouns = [(root, e) for root, e in read if root.dep_ != "acl"]
    merged: dict[int, Event] = {}
    folded: set[int] = set()
    for root, event in read:
        if root.pos_ != "VERB" or root.dep_ != "acl":
            continue
        for noun, other in nouns:
            if other.kind == event.kind and root in noun.subtree:
                base = merged.get(noun.i, other)
                known = set(base.actors())
                extra = tuple(
                    Participant(a, "participant") for a in event.actors() if a not in known
                )
                merged[noun.i] = replace(base, participants=base.participants + extra)
                folded.add(root.i)
                break
    return [(r, merged.get(r.i, e)) for r, e in read if r.i not in folded]


#: prepositions that set a scene ("after an appeal", "despite threats"), not a complement
CIRCUMSTANTIAL = frozenset(
    [
        "after",
        "before",
        "following",
        "during",
        "despite",
        "amid",
        "amidst",
        "since",
        "until",
        "as",
        "while",
        "because",
        "without",
        "instead",
    ]
)


def _stance_governor(token: Token, stances: set[int], measures: frozenset[str]) -> int | None:
    """The stance verb or noun a trigger is the complement of, if any: not one it is only
    measured or timed by ("signed the pact at the close of the talks")."""
    current = token
    for _ in range(4):
        if (
            current.dep_ not in ("xcomp", "ccomp", "dobj", "pobj", "prep", "acl", "pcomp")
            or current.head.i == current.i
            or (current.dep_ == "prep" and current.lower_ in CIRCUMSTANTIAL)
            or (current.i != token.i and current.lemma_.lower() in measures)
        ):
            return None
        current = current.head
        if current.i in stances and current.i != token.i:
            return current.i
    return None


def _described(token: Token, event_nouns: set[int]) -> int | None:
    """The event noun a relative clause describes ("an agreement that allows X to attend"):
    the clause says what the event is, it is not a second event."""
    if token.dep_ in ("relcl", "acl") and token.head.i in event_nouns:
        return token.head.i
    return None


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


def _phrase(token: Token) -> str:
    """The words of a clause, for a topic ("cut off gas supplies to Armenia")."""
    words = [w for w in token.subtree if not (w.i < token.i and w.dep_ in ("aux", "mark"))]
    text = token.doc[words[0].i : words[-1].i + 1].text
    return (
        text if len(words) <= 20 else token.doc[token.i : min(token.i + 12, words[-1].i + 1)].text
    )


def reclassify(ctx: Context, kind: str, root: Token) -> str:
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
    if any(o.lower_ in ctx.lex.diseases for o in objects):
        lemmas.add("disease")  # "to fight Ebola": a disease by its name
    # a complement's verb counts as an object ("declined to comment")
    complements = {c.lemma_.lower() for c in root.children if c.dep_ == "xcomp"}
    lemmas |= complements
    # "declined comment", not "rejected Chile's comments": no determiner, possessor or modifier
    bare = complements | {
        o.lemma_.lower()
        for o in objects
        if not any(g.dep_ in ("det", "poss", "amod", "compound") for g in o.children)
    }
    modifiers = {c.lemma_.lower() for c in root.children if c.dep_ in ("compound", "amod")}
    for rule in ctx.lex.reclass:
        if rule.modifiers:
            if kind in rule.classes and modifiers & rule.modifiers:
                return rule.to or ""
        elif rule.lemmas and rule.naming:
            if root.lemma_ in rule.lemmas and _names_its_object(root):
                return rule.to or ""
        elif rule.lemmas and rule.unless:
            if root.lemma_ in rule.lemmas and not any(c.dep_ == rule.unless for c in root.children):
                return rule.to or ""
        elif rule.lemmas:
            if (
                root.lemma_ in rule.lemmas
                and (not rule.classes or kind in rule.classes)
                and any(c.dep_ == "dobj" for c in root.children)
            ):
                return rule.to or ""
        elif kind in rule.classes and (bare if rule.bare else lemmas) & rule.objects:
            return rule.to or ""
    return kind


def _names_its_object(verb: Token) -> bool:
    """ "called the plan a provocation", "which Chile calls the Altos": a verb of naming with a
    predicate or a second object."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    return any(c.dep_ == "oprd" for c in verb.children) or len(objects) >= 2


def _plural_read_as_verb(token: Token) -> bool:
    """ "..., charges it denies": a finite present verb with no subject of its own, just after
    a comma, is a plural noun the small model took for a verb: an apposition, no new event."""
    return (
        token.tag_ == "VBZ"
        and token.i > 0
        and token.doc[token.i - 1].text == ","
        and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)
    )


def _event(ctx: Context, trigger: Span, siblings: list[Span]) -> Event | None:
    root = trigger.root
    kind = reclassify(ctx, trigger.label_, root)
    if not kind or _plural_read_as_verb(root):
        return None  # "sent a message" is no aid
    lex = ctx.lex
    if root.pos_ == "VERB" or root.dep_ == "acomp":
        governor = root
        confidence = 0.8 if not (root.dep_ in ("amod", "acl") and root.tag_ == "VBN") else 0.6
    else:
        found = _eventive_governor(ctx, trigger, siblings)
        if found is None:
            return None
        governor = found
        confidence = 0.7
    roles = trigger_roles(ctx, root, kind)
    direct = root.head.i == governor.i or (
        root.head.dep_ in ("prep", "prt")
        and root.head.lower_ not in CIRCUMSTANTIAL
        and root.head.head.i == governor.i
    )  # "held talks", "engaged in talks"; not "signed after talks"
    if (
        governor.i != root.i
        and not (direct and governor.lemma_ in lex.light_verbs)
        and kind in lex.symmetric
    ):
        # an event noun told inside a clause ("after hours of talks") is the clause subject's
        subjects = tuple(a for doer in _doers(governor) for a in actors_of(ctx, doer))
        roles = replace(roles, participants=tuple(dict.fromkeys(roles.participants + subjects)))
    if (
        kind in lex.need_speaker
        and not roles.initiators
        and roles.subject_not_actor
        and not roles.recipients
    ):
        # "critics warned that ...": a statement needs a speaker who is an actor, or an actor
        # it is aimed at ("a rights group urged Chile to ...")
        return None
    if kind == "Threaten" and _about_others(ctx, root, roles):
        return None  # "X warned that Y might attack": a warning about Y, no threat by anyone
    roles = _speakers(ctx, root, kind, roles)
    if kind in ("Coerce", "Protest") and not roles.initiators:
        # "was arrested in Lima": only a state's authorities arrest, detain or deport there;
        # event data codes a protest by unnamed people under the state where it is held
        where = root.head if root.dep_ in ("amod", "acl") else governor
        located = tuple(a for a in _located_state(ctx, where) if a not in roles.recipients)
        roles = replace(roles, initiators=located)
    if root.dep_ in ("amod", "acl") and root.tag_ == "VBN":
        if root.head.dep_ == "nsubj" and any(
            s.root.i == root.head.head.i and reclassify(ctx, s.label_, s.root) == kind
            for s in siblings
        ):
            return None  # "the missiles fired by X struck ...": one attack, read from "struck"
        if not roles.initiators:
            return None  # "a captured pilot": a state the noun is in, unless the text says by whom
        listed = tuple(a for a in listed_names(ctx, root.head) if a not in roles.recipients)
        roles = replace(roles, recipients=roles.recipients + listed)
    if kind in lex.located_targets and roles.initiators and not roles.recipients:
        # "bombed a camp near X, in Peru", "a state of emergency in X": an action that lands
        # on a state's territory is done to that state
        attacked = tuple(a for a in _located_state(ctx, root) if a not in roles.initiators)
        if not attacked and governor.i != root.i:
            # "troops remained on alert in X", "launched raids on Monday in X": the verb that
            # governs the event noun says where it happens
            attacked = tuple(a for a in _located_state(ctx, governor) if a not in roles.initiators)
        subject = _heading_measure(root)
        if not attacked and subject.dep_ in ("nsubj", "nsubjpass") and subject.head.pos_ == "VERB":
            # "(a unit of) Chinese peacekeepers arrived in X": the verb the noun is the subject of
            landed = _located_state(ctx, subject.head)
            attacked = tuple(a for a in landed if a not in roles.initiators)
        matrix = _purpose_matrix(governor)
        if not attacked and matrix is not None:
            # "troops arrived in X to help deliver aid": a purpose is served where its verb is
            attacked = tuple(a for a in _located_state(ctx, matrix) if a not in roles.initiators)
        if not attacked and kind == "Retreat":
            # "the coalition fighting rebels in X declared a truce": a truce in the war it fights
            fought = _fought(ctx, governor, siblings)
            attacked = tuple(a for a in fought if a not in roles.initiators)
        roles = replace(roles, recipients=attacked)
    if kind == "Protest" and roles.initiators and not roles.recipients:
        # "Chilean farmers went on strike": a people's protest with no target named is aimed
        # at its own state, as event data codes domestic protest
        people = _protesting_people(ctx, governor, roles.initiators)
        roles = replace(roles, own_targets=roles.own_targets or people)
    if kind in lex.helped_classes and roles.initiators and not roles.recipients:
        # "sent aid to help A recover", "promised troops to assist B": given to whom it helps
        helped = _purpose_objects(ctx, root, governor, lex.help_verbs) or _receivers(ctx, root)
        roles = replace(roles, recipients=tuple(a for a in helped if a not in roles.initiators))
    if kind in lex.pressed_classes and roles.initiators and not roles.recipients:
        # "refused to lift sanctions to get A to the table": aimed at whom it is to move
        pressed = _purpose_objects(ctx, root, governor, lex.press_verbs)
        roles = replace(roles, recipients=tuple(a for a in pressed if a not in roles.initiators))
    if kind in lex.symmetric and any(t.lemma_.lower() in lex.mediation for t in trigger):
        # "launched a mediation effort to settle the quarrel between A and B": a go-between
        # meets the parties of the dispute it works on
        named = set(roles.initiators + roles.recipients + roles.participants)
        parties = tuple(a for a in _disputants(ctx, governor) if a not in named)
        if len(named) < 2 and parties:
            roles = replace(roles, participants=roles.participants + parties)
    if kind == "Agreement" and root.lemma_ == "agree":
        everyone = set(roles.initiators + roles.recipients + roles.participants)
        if len(everyone) == 1 and not _joint(root):
            kind = "Agree"  # "the coalition agreed to postpone the rally": a commitment
    if _breaks_shared_pact(ctx, root, kind) and len(roles.initiators) > 1:
        # "A and B violated the truce in X": they broke it against each other; X is where
        roles = replace(roles, recipients=())
    participants = _participants(ctx, kind, roles, reciprocal=_reciprocal(ctx, root, kind))
    place = place_of(ctx, root, governor)
    if (
        place in ctx.index.place_states
        and kind in ("Meeting", "Consult")
        and len(participants) == 1
    ):
        # a visit to a capital is a meeting with its state
        state = ctx.index.place_states[place]
        if state not in {p.actor for p in participants}:
            participants += (Participant(state, "participant"),)
    if not participants or (
        len(participants) == 1 and kind in lex.symmetric and not place and not _joint(root)
    ):
        return None  # a meeting or an agreement takes two, or one and a place (a visit)
    if (
        all(p.role == "recipient" for p in participants)
        and root.pos_ not in ("VERB", "ADJ")
        and not _done_by_a_subject(ctx, governor, root)
    ):
        return None  # "the war with X": a noun nobody the text names does
    modality = modality_of(ctx, root, governor, threat=kind == "Threaten")
    date = date_of(ctx, root, governor, future=modality == "Future")
    if modality is None and date is not None and ctx.anchor and date.earliest > ctx.anchor:
        modality = "Future"
    # what the sentence's main clause tells is told more surely than a clause inside it
    confidence += 0.1 if in_main_clause(governor) else -0.1
    return Event(
        kind=kind,
        participants=participants,
        mention=sentence_mention(sentence_of(ctx.doc, trigger.start)),
        trigger=trigger.text,
        date=date,
        place=place,
        modality=modality,
        confidence=round(confidence, 2),
        topic=topic_of(root) if kind in ("Agreement", "Agree") else None,
    )


def _doers(verb: Token) -> list[Token]:
    """The subject of a clause, or the agent of a passive one ("was signed by A and B")."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return subjects + agents


def _about_others(ctx: Context, root: Token, roles: Roles) -> bool:
    """A warning whose clause says what someone else may do ("warned that its rivals might
    strike"): the subject of the warned clause names actors, none of them the speaker."""
    speakers = set(roles.initiators)
    for clause in (c for c in root.children if c.dep_ == "ccomp"):
        for subject in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
            named = set(actors_of(ctx, subject))
            states = {ctx.state_of(a) or a for a in named}
            mine = speakers | {ctx.state_of(a) or a for a in speakers}
            if named and not (named & speakers or states & mine):
                return True
            if not named and subject.lemma_.lower() in ctx.lex.people_groups:
                return True  # "warned that gunmen might strike": about others, unnamed
    return False


def listed_names(ctx: Context, head: Token) -> list[str]:
    """People a plural noun lists after a comma ("three sailors, A, B and C")."""
    if head.tag_ not in ("NNS", "NNPS"):
        return []
    doc = ctx.doc
    i = max(t.i for t in head.subtree) + 1
    if i >= len(doc) or doc[i].text != ",":
        return []
    found: list[str] = []
    i += 1
    end = sentence_of(doc, head.i).end
    while i < len(doc) and i < end:
        actor = ctx.index.token_actor.get(i)
        if actor is not None and ctx.index.kind(actor) == "Person":
            if actor not in found:
                found.append(actor)
        elif doc[i].text not in (",", "and") or not found:
            break
        i += 1
    return found if len(found) >= 2 else []


def _speakers(ctx: Context, root: Token, kind: str, roles: Roles) -> Roles:
    """The speaker owns what they say will (not) be done, not what the text says someone did:
    "Roe said Chile would not take the talks seriously" is Roe's; "Peru threatened ..., the
    agency said" stays Peru's."""
    if kind not in ctx.lex.statements or (roles.initiators and not _modal(root)):
        return roles
    speakers = speakers_of(ctx, root)
    if not speakers:
        return roles
    voiced = tuple(a for a in roles.initiators if a not in speakers)
    return replace(
        roles,
        initiators=tuple(speakers),
        participants=tuple(dict.fromkeys(roles.participants + voiced)),
    )


def _participants(
    ctx: Context, kind: str, roles: Roles, *, reciprocal: bool = False
) -> tuple[Participant, ...]:
    """Roles → participants; two-sided classes without both sides named make everyone a
    participant ("A and B met"), as does a joint action of several doers ("A and B held joint
    drills"); otherwise the text says who went to whom."""
    initiators, recipients = roles.initiators, roles.recipients
    between = roles.participants
    if kind in ctx.lex.symmetric and not (initiators and recipients):
        everyone = tuple(dict.fromkeys(initiators + recipients + between))
        return tuple(Participant(a, "participant") for a in everyone)
    if len(initiators) > 1 and not recipients and reciprocal:
        everyone = tuple(dict.fromkeys(initiators + between))
        return tuple(Participant(a, "participant") for a in everyone)
    if between and not initiators and kind not in ctx.lex.symmetric:
        initiators = between[:1]
        recipients = tuple(dict.fromkeys(between[1:] + recipients))
        between = ()
    return tuple(
        [Participant(a, "initiator") for a in initiators]
        + [Participant(a, "recipient") for a in recipients if a not in initiators]
        + [Participant(a, "recipient") for a in roles.own_targets if not recipients]
        + [
            Participant(a, "participant")
            for a in between
            if a not in initiators and a not in recipients
        ]
    )


def _done_by_a_subject(ctx: Context, governor: Token, noun: Token) -> bool:
    """An event noun a light verb with a subject of its own says was done ("a gunman carried
    out an attack on X"), even when the subject names no actor."""
    return (
        governor.i != noun.i
        and governor.pos_ == "VERB"
        and governor.lemma_ in ctx.lex.light_verbs
        and any(c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") for c in governor.children)
    )


def _reciprocal(ctx: Context, root: Token, kind: str = "") -> bool:
    """A trigger marked as done together ("joint drills", "patrolled together", "fought each
    other", "fired across the border"), a pact its doers share broken ("A and B violated the
    truce"), or a relation that exists only between its doers ("A and B upgraded their ties")."""
    if root.pos_ == "NOUN" and root.lemma_.lower() in ctx.lex.mutual_relations:
        return True
    if _breaks_shared_pact(ctx, root, kind):
        return True
    if any(
        c.dep_ == "prep"
        and c.lower_ == "across"
        and any(g.lemma_.lower() in ctx.lex.dividing_lines for g in c.children)
        for c in root.children
    ):
        return True  # "A and B fired across the border"
    words = ctx.lex.reciprocal
    near = [c for c in root.children if c.dep_ in ("amod", "advmod", "dobj", "npadvmod")]
    near += [g for c in root.children if c.dep_ == "prep" for g in c.children if g.dep_ == "advmod"]
    return any(" ".join(w.lower_ for w in c.subtree) in words for c in near)


def _breaks_shared_pact(ctx: Context, root: Token, kind: str) -> bool:
    """ "violated the truce", "breached the accord": a pact that binds all its parties."""
    return kind == "Reject" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in ctx.lex.shared_pacts for c in root.children
    )


def _modal(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "MD" for c in token.children)


def _joint(token: Token) -> bool:
    """The subject names two parties even when only one is known ("Sudan and the SPLM agreed")."""
    return any(
        c.dep_ == "nsubj" and any(g.dep_ == "conj" for g in c.children) for c in token.children
    )


#: the links of a verb's subject or agent, whose phrase describes the doer, not the deed's place
_DOER_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})


def _located_state(ctx: Context, head: Token) -> list[str]:
    """A state named in a locative phrase of the trigger ("arrested in a Chilean port"), or by
    the place a "where" clause tells of ("Chilean-held territory, where he was captured")."""
    if head.dep_ == "relcl" and any(c.lower_ == "where" for c in head.children):
        place = head.head
        found = [
            a
            for t in place.subtree
            if t.i < head.i
            for a in ([ctx.index.token_actor[t.i]] if t.i in ctx.index.token_actor else [])
            if ctx.index.kind(a) == "State"
        ]
        if found:
            return found[:1]
    # "a group based in X claimed the attack": where the doer is based is not where it acts
    doers = {t.i for c in head.children if c.dep_ in _DOER_DEPS for t in c.subtree}
    for token in head.subtree:
        if token.i in doers:
            continue
        if token.dep_ == "prep" and token.lower_ in ("in", "at", "inside"):
            for t in token.subtree:
                actor = ctx.index.token_actor.get(t.i)
                if actor is not None and ctx.index.kind(actor) == "State":
                    return [actor]
                state = ctx.index.capital_state(t)
                if state is not None:
                    return [state]
    return []


def _protesting_people(ctx: Context, verb: Token, doers: tuple[str, ...]) -> tuple[str, ...]:
    """The doers' states when the verb's subject is a group of people of a state ("Chilean
    workers", "farmers in Chile"), not the state or its institutions."""
    if any(c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB" for c in verb.children):
        return ()  # "went on strike to protest X": the purpose clause names the target
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    people = ctx.lex.people_groups
    groups = [
        s for s in map(_counted_noun, subjects) if s.lower_ in people or s.lemma_.lower() in people
    ]
    if not groups or any(ctx.index.kind(a) != "State" for a in doers):
        return ()
    return doers


def _counted_noun(noun: Token) -> Token:
    """The counted noun of a measure ("thousands of workers" → "workers")."""
    of = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
    counted = [g for c in of for g in c.children if g.dep_ == "pobj"]
    if counted and (noun.like_num or noun.lemma_ in ("thousand", "hundred", "dozen", "million")):
        return counted[0]
    return noun


def _fought(ctx: Context, verb: Token, siblings: list[Span]) -> list[str]:
    """Where, or whom, the subject of a verb is described as fighting ("the coalition fighting
    rebels in X"): the state of the clause's locative, else its object's actors."""
    attacks = {s.root.i for s in siblings if s.label_ == "Assault"}
    for subject in (c for c in verb.children if c.dep_ == "nsubj"):
        for clause in (c for c in subject.children if c.dep_ in ("acl", "relcl")):
            if clause.i not in attacks:
                continue
            where = _located_state(ctx, clause)
            if where:
                return where
            return [a for c in clause.children if c.dep_ == "dobj" for a in actors_of(ctx, c)]
    return []


def _purpose_matrix(verb: Token) -> Token | None:
    """The verb a chain of purpose clauses ("to help deliver aid") serves, or None."""
    head = verb
    while head.dep_ in ("xcomp", "advcl") and head.head.pos_ == "VERB":
        if head.dep_ == "advcl" and not any(c.lower_ == "to" for c in head.children):
            break  # "after arriving", "as they fought": a scene, not a purpose
        head = head.head
    return head if head.i != verb.i else None


def _heading_measure(noun: Token) -> Token:
    """The noun that a measure of this one heads ("a unit of peacekeepers" → "unit")."""
    while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        noun = noun.head.head
    return noun


def _receivers(ctx: Context, root: Token) -> list[str]:
    """Who a relative clause on the thing given says got it ("supplied most of the arms A
    has bought"): the subject of a receiving verb."""
    things = [c for c in root.children if c.dep_ == "dobj"]
    things += [g for t in things for p in t.children if p.lower_ == "of" for g in p.children]
    for thing in things:
        for clause in thing.children:
            if clause.dep_ == "relcl" and clause.lemma_ in ctx.lex.receiving_verbs:
                found = [a for c in clause.children if c.dep_ == "nsubj" for a in actors_of(ctx, c)]
                if found:
                    return found
    return []


def _purpose_objects(
    ctx: Context, root: Token, governor: Token, verbs: frozenset[str]
) -> list[str]:
    """The actors a purpose clause of the trigger or its verb helps or presses ("to help A
    cope", "to force B to talk"): the object of its verb, or the subject of the clause below."""
    heads = (root, governor, *(c for c in root.children if c.dep_ == "xcomp"))
    for head in dict.fromkeys(heads):
        for clause in head.children:
            if clause.dep_ not in ("xcomp", "advcl", "acl", "relcl") or clause.lemma_ not in verbs:
                continue
            if not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
                continue  # "aid helping A" is told, not a purpose
            for c in clause.children:
                who = [c] if c.dep_ == "dobj" else []
                if c.dep_ in ("ccomp", "xcomp"):
                    who = [g for g in c.children if g.dep_ == "nsubj"]
                found = [a for w in who for a in actors_of(ctx, w)]
                if found:
                    return list(dict.fromkeys(found))
    return []


def _owned_deed(ctx: Context, noun: Token) -> Token | None:
    """The verb whose subject owns up to the deed a noun names: "claimed responsibility for
    the attack" (claimed), "was responsible for the killings" (was)."""
    nouns, verbs, adjectives = ctx.lex.responsibility
    head = noun.head
    if noun.dep_ != "pobj" or head.lower_ != "for":
        return None
    owned = head.head
    if owned.lemma_ in nouns and owned.dep_ == "dobj" and owned.head.lemma_ in verbs:
        return owned.head
    if owned.lemma_ in adjectives and owned.dep_ == "acomp" and owned.head.lemma_ == "be":
        return owned.head
    return None


def _disputants(ctx: Context, head: Token) -> list[str]:
    """The actors of a "between" phrase in the clause below a verb ("to end the feud between
    A and B"), outside its subject."""
    doers = {t.i for c in head.children if c.dep_ in _DOER_DEPS for t in c.subtree}
    for token in head.subtree:
        if token.i in doers or token.dep_ != "prep" or token.lower_ != "between":
            continue
        found = [a for c in token.children if c.dep_ == "pobj" for a in actors_of(ctx, c)]
        if found:
            return list(dict.fromkeys(found))
    return []


def _eventive_governor(ctx: Context, trigger: Span, siblings: list[Span]) -> Token | None:
    """The verb that makes a trigger noun an event ("held talks", "talks were held"), the noun
    itself when it has participants, a date or a place of its own, or a future adjective
    ("Ankara's talks with Baku", "A–B talks", "the summit on Monday", "future talks"), or None
    for a mere reference ("the issue of sanctions")."""
    noun = trigger.root
    head = noun.head
    lex = ctx.lex
    if noun.dep_ == "appos":
        return None  # "..., charges it denies": an apposition names what was told before it
    if noun.lemma_ in lex.time_limits and _point_in_time(noun):
        return None  # "the talks ran past their midnight deadline": a time, no request told
    if (
        noun.dep_ == "pobj"
        and head.lower_ in ("to", "with")
        and head.head.lemma_ in lex.response_verbs
    ):
        return None  # "48 hours to respond to their demands": demands told before, not here
    verb_triggers = {s.root.i: s.label_ for s in siblings if s.root.pos_ == "VERB"}
    if head.i in verb_triggers and (
        verb_triggers[head.i] == trigger.label_ or head.lemma_ not in lex.light_verbs
    ):
        return None  # "signed an agreement", "lifted sanctions": one event, read from the verb
    if (
        noun.dep_ == "pobj"
        and head.dep_ == "prep"
        and verb_triggers.get(head.head.i) == trigger.label_
    ):
        return None  # "met X for talks": one meeting, read from the verb
    governing = lex.light_verbs | lex.future_heads | lex.hypothetical_heads
    amount = _amount_of(noun)
    if amount is not None and amount.dep_ in ("dobj", "nsubjpass"):
        # "announced $40 million in assistance": the event of the amount's verb
        if verb_triggers.get(amount.head.i) == trigger.label_:
            return None  # "provided $5 million in aid": one event, read from the verb
        if amount.head.lemma_ in governing:
            return amount.head
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and (
        head.lemma_ in governing or phrasal(head) in lex.light_verbs
    ):
        return head  # "held talks", "talks were held", "might consider sanctions"
    if noun.dep_ == "pobj" and head.dep_ in ("prep", "prt") and head.head.lemma_ in lex.light_verbs:
        return head.head
    if noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_ == "agree":
        return noun  # "agreed to future talks"
    owner = _owned_deed(ctx, noun)
    if owner is not None:
        return owner  # "X claimed responsibility for the attack", "X was responsible for it"
    clause = _clause_of_measured(ctx, noun)
    if clause is not None:
        return clause  # "reached the deal after four hours of talks"
    if any(
        c.dep_ in ("poss", "amod", "compound", "nmod") and _names_actor(ctx, c)
        for c in noun.children
    ):
        return noun  # "Chile's acceptance", "Palestinian riots", "Japan-Korea talks"
    if any(c.dep_ == "prep" and c.lower_ in ("between", "among") for c in noun.children):
        return noun  # "a summit between A and B"
    if any(
        c.dep_ in ("prep", "agent")
        and c.lower_ in ("from", "by")
        and any(g.dep_ == "pobj" and _names_actor(ctx, g) for g in c.children)
        for c in noun.children
    ):
        return noun  # "a warning from X", "the attack by Y": a noun whose doer is named
    if any(c.lower_ in lex.future_adjectives for c in noun.children if c.dep_ == "amod"):
        return noun
    if any(t.ent_type_ == "DATE" for t in noun.subtree if t.i != noun.i):
        return noun
    if any(
        c.dep_ == "prep"
        and c.lower_ in ("in", "at")
        and any(g.i in ctx.index.token_place for g in c.children)
        for c in noun.children
    ):
        return noun  # "the meeting in Hanoi"
    return None


#: prepositions that take a time limit as a point in time ("past the deadline", "ahead of it")
TIME_PREPOSITIONS = frozenset(
    ["past", "beyond", "before", "after", "by", "until", "till", "at", "near", "within", "ahead"]
)


def _point_in_time(noun: Token) -> bool:
    """A noun a preposition of time takes ("past their deadline", "ahead of the deadline")."""
    head = noun.head
    if noun.dep_ != "pobj" or head.dep_ != "prep":
        return False
    if head.lower_ == "of" and head.head.lower_ in ("ahead", "short"):
        return True
    return head.lower_ in TIME_PREPOSITIONS


def phrasal(verb: Token) -> str:
    """A verb with its particle ("stepped up" → "step up"), or its lemma alone."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    return f"{verb.lemma_} {particle}" if particle else verb.lemma_


def _clause_of_measured(ctx: Context, noun: Token) -> Token | None:
    """The verb of the clause a measured or timed event noun is told in: "after hours of
    talks", "capping three weeks of negotiations", "following talks with Chile"."""
    current = noun
    for _ in range(3):  # "at the close of a second round of talks"
        if not (current.dep_ == "pobj" and current.head.lower_ == "of"):
            break
        measure = current.head.head
        if measure.lemma_.lower() not in ctx.lex.measure_nouns:
            return None
        current = measure
    if current.dep_ in ("dobj", "npadvmod") and current.head.pos_ == "VERB":
        return current.head if current.i != noun.i else None
    if current.dep_ == "pobj" and current.head.lower_ in (
        "after",
        "following",
        "during",
        "before",
        "at",
    ):
        verb = current.head.head
        return verb if verb.pos_ in ("VERB", "AUX") else None
    return None


def _amount_of(noun: Token) -> Token | None:
    """The sum or number a noun is counted in ("$40 million in aid", "two million doses of
    vaccine"), or None."""
    head = noun.head
    if noun.dep_ != "pobj" or head.lower_ not in ("in", "of"):
        return None
    amount = head.head
    if amount.ent_type_ in ("MONEY", "QUANTITY", "CARDINAL") or amount.lemma_ in (
        "million",
        "billion",
    ):
        return amount
    return None


def _names_actor(ctx: Context, token: Token) -> bool:
    return token.i in ctx.index.token_actor or bool(actors_of(ctx, token))


def _named_agreements(ctx: Context, sent: Span) -> list[Event]:
    """ "the 1994 Framework Accord": a named agreement, dated by a year beside it."""
    events: list[Event] = []
    ents = ctx.sentence_ents(sent)
    for ent in ents:
        if not is_agreement_name(ent, ctx.lex):
            continue
        label = ent.text.removeprefix("the ").removeprefix("The ")
        date = None
        before = max(sent.start, ent.start - 2)
        for other in ents:
            if other.label_ == "DATE" and other.start >= before and other.end <= ent.start:
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


def _merge(events: list[tuple[Token | None, Event]]) -> list[tuple[Token | None, Event]]:
    """One event per class, participants and time in a sentence; the more confident report
    wins. Two dates the text gives that do not overlap are two happenings ("X, which walked
    out in July, refused on Friday")."""
    best: dict[tuple[object, ...], list[tuple[Token | None, Event]]] = {}
    for root, event in events:
        key = (event.kind, frozenset(event.actors()), event.label, event.modality)
        kept = best.setdefault(key, [])
        for i, (_, other) in enumerate(kept):
            if _same_time(event, other):
                if event.confidence > other.confidence:
                    kept[i] = (root, event)
                break
        else:
            kept.append((root, event))
    return [item for kept in best.values() for item in kept]


def _same_time(a: Event, b: Event) -> bool:
    if a.date is None or b.date is None:
        return True
    return a.date.earliest <= b.date.latest and b.date.earliest <= a.date.latest
