"""Statements about actions that have not happened, coded as what they are when said.

Event coding (CAMEO, PLOVER) records the saying itself: "Syria is willing to withdraw" is an
Agree (intent to cooperate) now, "NATO will tighten the blockade" a Threaten, "Israel will not
accept more refugees" a Reject, and "Russia said Sudan must return the helicopter" a Request. The
action itself stays in the graph with its modality; these are extra, asserted events.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span

from kg.extract.actors import sentence_mention
from kg.extract.arguments import actors_of
from kg.extract.context import Context, lexicon
from kg.records import Event, Participant

#: actions whose announcement is a promise (Agree) ...
COOPERATIVE = frozenset(
    {
        "Agree",
        "Agreement",
        "Support",
        "Concede",
        "Cooperate",
        "Aid",
        "Retreat",
        "Meeting",
        "Consult",
    }
)
#: ... and actions whose announcement is a threat
HOSTILE = frozenset({"Sanction", "Coerce", "Assault", "Mobilize", "Protest"})
#: ... and what is done by saying it: announcing a rejection rejects
SAID = frozenset({"Reject", "Accuse"})


def stance_events(ctx: Context, events: list[Event], conditions: set[int]) -> list[Event]:
    """The promises, threats and refusals that the sentence's non-asserted events express.

    Only one of each kind per sentence, none where the sentence says it in so many words
    ("threatened to cut" is already a Threaten), and none for the condition of an "if" or
    "unless" clause (`conditions`: ids of those events), which nobody announced.
    """
    derived: list[Event] = []
    explicit = {e.kind for e in events if e.modality is None}
    for event in events:
        doers = event.actors("initiator") or event.actors("participant")
        if not doers or event.label or id(event) in conditions:
            continue
        kind: str | None = None
        if event.modality == "Negated" and event.kind in COOPERATIVE:
            kind = "Reject"  # "will not accept", "failed to reach agreement", "did not attend"
        elif event.modality in ("Future", "Hypothetical") and event.kind in SAID:
            kind = event.kind  # "would reject the talks" rejects them now
        elif event.modality in ("Future", "Hypothetical", "Conditional"):
            if event.kind in HOSTILE or (
                event.modality == "Conditional" and event.kind == "Retreat"
            ):
                kind = "Threaten"  # "would boycott", "will withdraw unless ..."
            elif event.kind in COOPERATIVE:
                kind = "Agree"  # "will support", "is ready to contribute", "offered to talk"
        if kind is None or (kind == event.kind and kind not in SAID) or kind in explicit:
            continue
        explicit.add(kind)
        others = [a for a in event.actors() if a not in doers]
        participants = tuple(Participant(a, "initiator") for a in doers) + tuple(
            Participant(a, "recipient") for a in others
        )
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


def demands(ctx: Context, sent: Span) -> list[Event]:
    """ "X said Y must (should) do Z": a Request by the speaker to the one who must act."""
    found: list[Event] = []
    for token in sent:
        if token.dep_ != "aux" or token.lower_ not in ("must", "should"):
            continue
        verb = token.head
        lex = lexicon()
        if verb.dep_ == "ccomp" and verb.head.lemma_ in lex.reporting | lex.object_control:
            speaker_head = verb.head  # "Russia said Sudan must return the helicopter"
        elif verb.dep_ in ("acl", "ccomp") and verb.head.lemma_ in lex.demand_nouns:
            speaker_head = verb.head.head  # "Chirac issued a reminder to Iraq that it must ..."
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
