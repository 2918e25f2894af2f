"""What the story as a whole says about its events: one happening is one event, narrative time,
and the place of the lead event.

News tells one happening several times: "signed an agreement", then "the deal was signed by",
then "the Brasilia Declaration". A definite or repeated mention of an event class ("the deal",
"the talks", "the summit", a named agreement) is the earlier event of its class, unless its
participants, day or modality say otherwise; the merged event keeps every sentence as evidence.
An event without a date of its own takes the day of the passage that just gave one, and an event
of the lead paragraph without a place of its own happened where the dateline says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from spacy.tokens import Token

from kg.extract.context import Context
from kg.extract.dates import of_this_week, offset_days, story_shift, time_value
from kg.extract.modality import in_main_clause
from kg.extract.sentences import sentence_of
from kg.records import Event, Participant, TimeValue

#: classes whose repeated mentions are one happening, by family
FAMILIES = {"Meeting": "talks", "Consult": "talks", "Agreement": "deal"}
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
#: sentences a narrative date stays in force for, when no other date comes
NARRATIVE_REACH = 6
#: how many earlier events of a family a mention may refer back to (and sentences, for deals):
#: a definite mention points to the recent past of the story, and the look-up stays linear
LOOK_BACK = 40


@dataclass(frozen=True)
class Told:
    """An event as one sentence tells it, with the trigger word it was read from."""

    event: Event
    root: Token | None
    sentence: int  # position of the sentence in the document


def one_event_per_happening(ctx: Context, told: list[Told]) -> list[Told]:
    """Merge each definite or repeated mention into the earlier event it refers to."""
    out: list[Told] = []
    by_family: dict[str, list[int]] = {}  # asserted events told so far, by family
    for item in told:
        target = (
            _antecedent_event(ctx, item, out, by_family) if item.event.modality is None else None
        )
        if target is None:
            out.append(item)
            if item.event.modality is None:
                by_family.setdefault(_family(item.event.kind), []).append(len(out) - 1)
        else:
            out[target] = replace(out[target], event=_merged(out[target].event, item.event))
    return out


def _family(kind: str) -> str:
    return FAMILIES.get(kind, kind)


def commitments_in_deals(ctx: Context, told: list[Told]) -> list[Told]:
    """ "X agreed to stop its offensive" in a story of an agreement X is a party to, on the
    same day, told near it: the commitment is that agreement's, told from one side."""
    events = [t.event for t in told]
    deals = [i for i, e in enumerate(events) if e.kind == "Agreement" and e.modality is None]
    absorbed: set[int] = set()
    for i, event in enumerate(events):
        if event.kind != "Agree" or event.modality is not None:
            continue
        # the side that commits; whom the promised action is done to need be no party
        doers = [p for p in event.participants if p.role != "recipient"] or list(event.participants)
        mine = frozenset(ctx.state_of(p.actor) or p.actor for p in doers)
        near = [d for d in deals if abs(told[d].sentence - told[i].sentence) <= LOOK_BACK]
        for d in near:
            if mine and mine <= _sides(ctx, events[d]) and _same_days(event.date, events[d].date):
                events[d] = _merged(events[d], replace(event, participants=tuple(doers)))
                absorbed.add(i)
                break
    return [replace(t, event=events[i]) for i, t in enumerate(told) if i not in absorbed]


def _antecedent_event(
    ctx: Context, item: Told, earlier: list[Told], by_family: dict[str, list[int]]
) -> int | None:
    event = item.event
    anaphoric = event.label is not None or _definite(item.root)
    if event.kind not in FAMILIES and not anaphoric:
        return None
    candidates = by_family.get(_family(event.kind), [])
    if (
        anaphoric
        and len(candidates) == 1
        and _compatible_times(ctx, event, earlier[candidates[0]].event)
    ):
        return candidates[0]  # "the deal": the story has told of one
    for i in reversed(candidates[-LOOK_BACK:]):
        other = earlier[i].event
        if not _compatible_times(ctx, event, other, slack=2 if anaphoric else 0) or (
            event.label and other.label
        ):
            continue
        mine, theirs = _sides(ctx, event), _sides(ctx, other)
        if anaphoric and (not mine or mine <= theirs or theirs <= mine):
            return i
        if anaphoric and _names_the_doer(event, other):
            return i  # "X rammed a truck into a patrol of Y. The attack was claimed by Z"
        if not anaphoric and mine and mine == theirs and item.sentence - earlier[i].sentence <= 2:
            return i  # "agreed ... and signed": the same parties, told again
    return None


def _names_the_doer(event: Event, other: Event) -> bool:
    """A later mention that names only who did it, of an event told without its doer ("the
    attack was claimed by X" after an attack by an unnamed bomber)."""
    doers = set(event.actors("initiator"))
    return bool(doers) and doers == set(event.actors()) and not other.actors("initiator")


def _definite(root: Token | None) -> bool:
    """A mention that points back: "the deal", "this summit", "their talks", "the treaty was
    signed"."""
    if root is None:
        return False
    if root.pos_ == "VERB":
        return any(c.dep_ in ("dobj", "nsubjpass") and _definite(c) for c in root.children)
    if root.pos_ not in ("NOUN", "PROPN"):
        return False
    return any(
        (c.dep_ == "det" and c.lower_ in DEFINITE) or c.dep_ == "poss" for c in root.children
    )


def _compatible_times(ctx: Context, a: Event, b: Event, slack: int = 0) -> bool:
    """Two tellings may be one happening: their dates overlap (within `slack` days: "announced
    the release on Thursday" may date the announcement), and an undated one is not set against
    one dated far from the story's own time (the 1994 accord a 2018 story recalls)."""
    if a.date is not None and b.date is not None:
        return (
            a.date.earliest - dt.timedelta(days=slack) <= b.date.latest
            and b.date.earliest - dt.timedelta(days=slack) <= a.date.latest
        )
    dated = a.date or b.date
    if dated is None or ctx.anchor is None:
        return True
    return (
        abs((ctx.anchor - dated.earliest).days) <= 366
        or dated.earliest <= ctx.anchor <= dated.latest
    )


def _same_days(a: TimeValue | None, b: TimeValue | None) -> bool:
    return a is None or b is None or (a.earliest <= b.latest and b.earliest <= a.latest)


def _sides(ctx: Context, event: Event) -> frozenset[str]:
    """The parties of an event, a person standing for the state of their post."""
    return frozenset(ctx.state_of(a) or a for a in event.actors())


def _merged(first: Event, later: Event) -> Event:
    """One event from two tellings: every participant, the first date and place the text gives,
    the name, and both sentences as evidence."""
    roles = {p.actor: p.role for p in first.participants}
    for p in later.participants:
        if roles.get(p.actor) in (None, "participant"):
            roles[p.actor] = p.role
    kind = first.kind if first.kind == later.kind or first.kind != "Consult" else later.kind
    date, in_text = first.date, first.date_in_text
    if later.date is not None and (date is None or (later.date_in_text and not in_text)):
        date, in_text = later.date, later.date_in_text
    evidence = tuple(
        m
        for m in dict.fromkeys((*first.evidence, later.mention, *later.evidence))
        if m != first.mention
    )
    return replace(
        first,
        kind=kind,
        participants=tuple(Participant(a, r) for a, r in roles.items()),
        label=first.label or later.label,
        date=date,
        date_in_text=in_text,
        place=first.place or later.place,
        topic=first.topic or later.topic,
        confidence=max(first.confidence, later.confidence),
        evidence=evidence,
    )


def narrative_dates(ctx: Context, told: list[Told]) -> list[Told]:
    """Narrative time: an asserted event without a date takes the day of the last dated event
    told shortly before it ("on 9 May ... they met ... at the end of the day they signed"); an
    event of the lead paragraph with none takes the document's date."""
    out: list[Told] = []
    last: tuple[TimeValue, int] | None = None
    for item in told:
        event = item.event
        shift = _offset(ctx, event)
        story = story_shift(event.date) if event.date is not None else None
        if story is not None and last is not None and item.sentence - last[1] <= NARRATIVE_REACH:
            if story == 0:
                event = replace(event, date=last[0], date_in_text=False)
            elif last[0].precision == "day":  # "a day after X", counted from the story's day
                day = last[0].earliest + dt.timedelta(days=story)
                event = replace(event, date=time_value(day, "day", ""), date_in_text=False)
        elif event.date is None and shift is not None and last is not None:
            day = last[0].earliest + dt.timedelta(days=shift)
            event = replace(event, date=time_value(day, "day", ""), date_in_text=False)
        elif event.date is None and not event.label and event.modality is None:
            if last is not None and item.sentence - last[1] <= NARRATIVE_REACH:
                event = replace(event, date=last[0], date_in_text=False)
            elif ctx.anchor is not None and event.mention.start in ctx.lead_chars:
                today = _day(ctx)
                event = replace(event, date=today, date_in_text=False)
                last = (today, item.sentence)  # the lead tells of the story's day
        elif (
            event.date is not None
            and event.modality is None
            and event.date_in_text
            and event.date.precision == "day"
            and _tells_the_story(ctx, item)
        ):
            last = (event.date, item.sentence)
        out.append(replace(item, event=event))
    return out


def _offset(ctx: Context, event: Event) -> int | None:
    """A narrative offset in the event's sentence ("a day later", "the previous evening")."""
    doc = ctx.doc
    span = doc.char_span(event.mention.start, event.mention.end, alignment_mode="expand")
    if span is None:
        return None
    for ent in ctx.sentence_ents(sentence_of(doc, span.start)):
        if ent.label_ in ("DATE", "TIME") and (shift := offset_days(ent.text)) is not None:
            return shift
    return None


def _tells_the_story(ctx: Context, item: Told) -> bool:
    """An event told by a sentence's main clause, not recalled in a subordinate one or only by
    the name of an accord ("the Lima Declaration of 25 July"): it moves the story's time."""
    if item.root is None:
        return not item.event.label
    root = item.root
    # "X announced on Wednesday that Y was breaking ties": what the main clause reports
    reported = (
        root.dep_ == "ccomp" and root.head.lemma_ in ctx.lex.reporting and in_main_clause(root.head)
    )
    return in_main_clause(root) or reported


def _day(ctx: Context) -> TimeValue:
    assert ctx.anchor is not None
    return time_value(ctx.anchor, "day", "")


def dateline_place(ctx: Context, told: list[Told]) -> list[Told]:
    """Events with no place of their own happened at the dateline when they are the story's
    lead (its first paragraph) or of the days it reports (on or just before its date)."""
    place = ctx.index.dateline_place
    if place is None:
        return told
    return [
        replace(t, event=replace(t.event, place=place))
        if t.event.place is None and t.event.modality is None and _of_the_day(ctx, t.event)
        else t
        for t in told
    ]


def _of_the_day(ctx: Context, event: Event) -> bool:
    if event.mention.start in ctx.lead_chars:
        return True
    date, anchor = event.date, ctx.anchor
    if date is None or anchor is None:
        return False
    if date.precision != "day":
        return of_this_week(date.text)  # "held talks with both sides for most of the week"
    return 0 <= (anchor - date.earliest).days <= 2
