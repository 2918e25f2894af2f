"""Wire-style reports composed from sentence templates, with the extraction they state.

Each template is modelled on a sentence of `examples/reports.jsonl` (the project's own texts) and
knows the event it reports, so one draw gives both the text (for extraction benchmarks) and the
graph a perfect extractor would read from it (for store and query benchmarks). Report `i` of a
seed depends on nothing but the seed and `i`: a corpus of 500 is the first 500 of 2,000.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from world import Official, Principal, World

from kg.ids import slug
from kg.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Mention,
    Participant,
    Place,
    Post,
    TimeValue,
)

FIRST_DAY = dt.date(2019, 1, 1)
DAYS = 7 * 365  # reports dated 2019-2025


@dataclass(frozen=True)
class Template:
    """A sentence with slots: {a} {b} actors (`A`/`B` when the slot must name the state or body
    itself), {place}, {when}, and the word lists below. `roles` is "sym" (both participants) or
    "dir" (a initiates, b receives)."""

    kind: str
    text: str
    roles: str = "dir"
    weight: float = 1.0
    trigger: str = ""
    future: bool = False


TEMPLATES = (
    Template("Meeting", "{a} met {b} in {place}{when}, the latest in a run of high-level contacts between the two governments.", "sym", 3, "met"),
    Template("Meeting", "{a} held talks with {b} in {place}{when}.", "sym", 3, "held talks"),
    Template("Meeting", "{a} and {b} met in {place}{when} to discuss {topic}.", "sym", 2, "met"),
    Template("Meeting", "{a} will meet {b} again next month in {place}.", "sym", 1, "meet", future=True),
    Template("Consult", "{a} spoke by telephone with {b}{when} about {topic}.", "sym", 1, "spoke"),
    Template("Agreement", "{A} and {B} signed a memorandum on {topic} in {place}{when}, officials said.", "sym", 2, "signed"),
    Template("Agree", "{a} agreed{when} to {cooperation} with {b}.", "dir", 1, "agreed"),
    Template("Cooperate", "{A} and {B} agreed{when} to step up cooperation on {topic}.", "sym", 1, "step up cooperation"),
    Template("Accuse", "{a} accused {b} of {offence}{when}.", "dir", 2, "accused"),
    Template("Reject", "{a} rejected the criticism from {b}{when}, saying the decision on {topic} was final.", "dir", 1, "rejected"),
    Template("Protest", "{A} lodged a formal protest with {B}{when} over {topic}.", "dir", 1, "lodged a formal protest"),
    Template("Sanction", "{A} imposed new sanctions on {B}{when}, targeting {n} officials and {m} companies.", "dir", 1, "imposed new sanctions"),
    Template("Threaten", "{A} threatened{when} to impose sanctions on {B} over {topic}.", "dir", 1, "threatened"),
    Template("Aid", "{A} pledged {amount} in humanitarian aid to {B}{when}.", "dir", 1, "pledged"),
    Template("Request", "{a} urged {b}{when} to {ask}.", "dir", 1, "urged"),
    Template("Coerce", "{A} expelled {n} {demonym_b} diplomats{when}, accusing {B} of {offence}.", "dir", 1, "expelled"),
    Template("Support", "{a} voiced support{when} for the plan of {b} on {topic}.", "dir", 1, "voiced support"),
)  # fmt: skip

FILLERS = (
    "Officials said further talks were planned for later in the year.",
    "Analysts in {city} said the talks could take months to bear fruit.",
    "The statement gave no further details.",
    "Diplomats said the issue would be raised again at the next summit.",
    "Several hundred people gathered outside the ministry in {city} as the talks went on.",
)

WORDS: dict[str, tuple[str, ...]] = {
    "topic": ("critical minerals", "maritime security", "energy supplies", "grain exports",
              "border demarcation", "visa rules", "nuclear safety", "climate finance",
              "fishing rights", "cyber security", "refugee returns", "arms control"),
    "offence": ("violating the ceasefire", "interfering in its elections", "harassing its fishing boats",
                "spreading disinformation", "breaking a trade agreement", "shipping drones to armed groups"),
    "ask": ("release detained journalists", "reopen the border crossing", "allow aid convoys through",
            "withdraw its troops", "resume grain deliveries"),
    "cooperation": ("expand joint patrols", "share intelligence on smuggling networks",
                    "open a new consulate", "ease visa rules for students"),
    "amount": ("$150 million", "200 million euros", "$2 billion", "$75 million", "40 million euros"),
    "n": ("two", "three", "four", "six"),
    "m": ("two", "three", "five"),
}  # fmt: skip

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HEADLINES = {
    "Meeting": "hold talks", "Consult": "speak by telephone", "Agreement": "sign memorandum",
    "Agree": "agree on next steps", "Cooperate": "step up cooperation", "Accuse": "trade accusations",
    "Reject": "at odds", "Protest": "row deepens", "Sanction": "sanctions widen",
    "Threaten": "sanctions threat", "Aid": "aid pledged", "Request": "appeal made",
    "Coerce": "diplomats expelled", "Support": "plan backed",
}  # fmt: skip


@dataclass(frozen=True)
class Story:
    """One generated report and the extraction its sentences state."""

    document: Document
    extraction: Extraction


@dataclass
class _Draft:
    """The report being written: its text so far and what it has said."""

    date: dt.date
    text: str = ""
    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    named: set[str] = field(default_factory=set)  # officials already given their full name

    def note_actor(self, actor: Actor, mention: Mention) -> None:
        known = self.actors.get(actor.id, actor)
        aliases = tuple(dict.fromkeys((*known.aliases, *actor.aliases)))
        mentions = tuple(dict.fromkeys((*known.mentions, mention)))
        self.actors[actor.id] = Actor(
            known.id, known.kind, known.label, aliases, known.iso3, mentions, known.based_in
        )

    def note_place(self, city: str, mention: Mention) -> str:
        place_id = slug(city)
        known = self.places.get(place_id, Place(place_id, city))
        self.places[place_id] = Place(
            place_id, city, tuple(dict.fromkeys((*known.mentions, mention)))
        )
        return place_id


def _pick(rng: random.Random, world: World, principal: Principal) -> Principal | Official:
    """The principal itself or one of its officials, by the officials' shares."""
    roll = rng.random()
    for official, share in principal.officials:
        if roll < share:
            return official
        roll -= share
    return principal


def _phrase(
    draft: _Draft, world: World, who: Principal | Official, rng: random.Random, *, start: bool
) -> str:
    """How the sentence names an actor: a title and name, a short name, or the state or body."""
    if isinstance(who, Principal):
        return who.surface
    home = world.get(who.org)
    if who.id in draft.named and rng.random() < 0.6:
        return who.name.split()[-1]
    draft.named.add(who.id)
    if start and home.kind == "State" and rng.random() < 0.3:
        return f"{home.surface}'s {who.title.lower()}, {who.name},"
    prefix = home.demonym if home.kind == "State" else home.surface.removeprefix("the ")
    return f"{prefix} {who.title} {who.name}"


def _when(draft: _Draft, rng: random.Random) -> tuple[str, TimeValue | None]:
    """A weekday of the week before the report, a day of the month before, or no date."""
    roll = rng.random()
    if roll < 0.5:
        back = rng.randint(1, 6)
        day = draft.date - dt.timedelta(days=back)
        words = WEEKDAYS[day.weekday()]
    elif roll < 0.9:
        day = draft.date - dt.timedelta(days=rng.randint(1, 20))
        words = f"{day:%B} {day.day}"
    else:
        return "", None
    return f" on {words}", TimeValue(day.isoformat(), "day", day, day, words)


def _next_month(day: dt.date) -> TimeValue:
    first = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return TimeValue(f"{first:%Y-%m}", "month", first, last, "next month")


def _sentence(
    draft: _Draft,
    world: World,
    rng: random.Random,
    template: Template,
    a: Principal,
    b: Principal,
) -> None:
    """Write one event sentence and record the event, its actors, posts and place."""
    who_a = a if "{A}" in template.text else _pick(rng, world, a)
    who_b = b if "{B}" in template.text else _pick(rng, world, b)
    when, date = _when(draft, rng)
    if template.future:
        when, date = "", _next_month(draft.date)
    city = rng.choice(a.cities if rng.random() < 0.6 else b.cities)
    slots = {key: rng.choice(words) for key, words in WORDS.items()}
    first_slot = "A" if template.text.startswith("{A}") else "a"
    phrase_a = _phrase(draft, world, who_a, rng, start=first_slot == "a")
    phrase_b = _phrase(draft, world, who_b, rng, start=False)
    text = template.text.format(
        a=phrase_a, A=phrase_a, b=phrase_b, B=phrase_b, place=city, city=city, when=when,
        demonym_b=b.demonym or b.label, **slots,
    )  # fmt: skip
    text = text[0].upper() + text[1:]
    mention = _append(draft, text)
    for who in (who_a, who_b):
        _note(draft, world, who, mention)
    place = draft.note_place(city, mention) if "{place}" in template.text else None
    roles = (
        ("participant", "participant") if template.roles == "sym" else ("initiator", "recipient")
    )
    participants = tuple(
        Participant(who.id, role)  # type: ignore[arg-type]
        for who, role in ((who_a, roles[0]), (who_b, roles[1]))
    )
    draft.events.append(
        Event(
            kind=template.kind,
            participants=participants,
            mention=mention,
            trigger=template.trigger,
            date=date,
            place=place,
            modality="Future" if template.future else None,
            confidence=0.8,
            topic=slots["topic"] if "{topic}" in template.text else None,
            date_in_text=date is not None,
        )
    )


def _note(draft: _Draft, world: World, who: Principal | Official, mention: Mention) -> None:
    home = who if isinstance(who, Principal) else world.get(who.org)
    draft.note_actor(
        Actor(home.id, home.kind, home.label, (home.surface,), home.iso3),  # type: ignore[arg-type]
        mention,
    )
    if isinstance(who, Official):
        last = who.name.split()[-1]
        draft.note_actor(Actor(who.id, "Person", who.name, (last,)), mention)
        key = f"{who.id}-{who.title}"
        if key not in draft.posts:
            draft.posts[key] = Post(who.id, who.title, home.id, mention)


def _append(draft: _Draft, sentence: str) -> Mention:
    if draft.text and not draft.text.endswith(" — "):
        draft.text += " "
    start = len(draft.text)
    draft.text += sentence
    return Mention(start, len(draft.text), sentence)


def story(world: World, seed: int, index: int) -> Story:
    """Report `index` of `seed`: 3-7 event sentences about one pair and their partners."""
    rng = random.Random(f"story-{seed}-{index}")
    a = world.draw(rng)
    b = world.draw(rng, frozenset({a.id}))
    draft = _Draft(date=FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS)))
    draft.text = f"{rng.choice(a.cities).upper()} — "
    weights = [t.weight for t in TEMPLATES]
    first_kind = ""
    for number in range(rng.randint(3, 7)):
        x, y = (a, b) if rng.random() < 0.5 else (b, a)
        if number and rng.random() < 0.4:
            y = world.draw(rng, frozenset({x.id}))
        template = rng.choices(TEMPLATES, weights)[0]
        if "{demonym_b}" in template.text and y.kind != "State":
            template = TEMPLATES[0]
        _sentence(draft, world, rng, template, x, y)
        first_kind = first_kind or template.kind
        if rng.random() < 0.25:
            _append(draft, rng.choice(FILLERS).format(city=rng.choice(x.cities)))
    doc_id = f"gen{seed}-{index:06d}"
    document = Document(
        id=doc_id,
        text=draft.text,
        date=draft.date,
        title=f"{a.label} and {b.label}: {HEADLINES[first_kind]}",
        url=f"https://example.org/generated/{doc_id}",
        origin=f"generated:{seed}:{index}",
    )
    extraction = Extraction(
        document=document,
        actors=tuple(draft.actors.values()),
        places=tuple(draft.places.values()),
        posts=tuple(draft.posts.values()),
        events=tuple(draft.events),
    )
    return Story(document, extraction)
