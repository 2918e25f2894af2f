"""Scoring one document's Extraction against its hand-made gold file (`shared/gold/README.md`).

The rules, as the gold README states them, and the choices it leaves open:

* Names fold case, hyphens, dots and whitespace. A predicted actor matches a gold actor when its
  label or any alias folds equal to one of the gold names (types are not compared).
  Actor recall counts required gold actors; actor precision counts predicted actors matching any
  gold actor, required or not.
* A predicted event matches a gold event when its class or one of its superclasses (from the
  ontology: a `Meeting` is a `Consult`) is among the gold `types`, and every participant slot
  holds a gold actor that one of its participants (any role) matches.
* Only asserted predicted events (no `dip:modality`) take part. A required gold event is found
  when any of them matches it (several predictions may find the same gold event), unless that
  prediction also matches a forbidden event. A predicted event is a false positive when it
  matches a `forbidden` event (also counted on its own: issue 7 wants none); else correct when
  it matches a required gold event; else left out when it matches an optional one only; else a
  false positive.
* Dates and places are checked for every matched gold event, required or optional, that gives
  one: right when some predicted event paired with it has the gold `date` (its
  `TimeValue.value`), or a place whose label folds equal to one of the gold places. A prediction
  is paired with the gold events it matches that are told in its own sentences (the gold
  `evidence`), of its very class first; when it is told in none of theirs, with all it matches.
  A gold event no prediction is paired with has no date or place to judge.
* A gold post is found when a predicted post has a holder matching the gold holder, a title
  containing the gold title (case-insensitive) and an `in_actor` matching one of `of`. Posts
  also get a precision: predicted posts matching some gold post / predicted posts.
* `not_actors` are reported when one folds equal to a predicted actor's label or alias.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.evaluate.metrics import (
    Miss,
    Ratio,
    Score,
    describe_event,
    find_sentence,
    find_span,
    fold,
)
from kg.rdf import superclasses
from kg.records import Actor, Document, Event, Extraction

#: The kinds of miss a document reports, in the order they are listed.
MISS_KINDS = (
    "actor",
    "spurious actor",
    "not actor",
    "event",
    "forbidden event",
    "false event",
    "date",
    "place",
    "post",
    "false post",
)


class GoldError(ValueError):
    """A gold file that cannot be read or does not follow the gold format."""


@dataclass(frozen=True)
class GoldActor:
    key: str
    kind: str
    names: tuple[str, ...]
    iso3: str | None = None
    required: bool = True


@dataclass(frozen=True)
class GoldEvent:
    key: str
    types: tuple[str, ...]
    participants: tuple[tuple[str, ...], ...]
    date: str | None = None
    places: tuple[str, ...] = ()
    required: bool = True
    evidence: str = ""
    why: str = ""  # forbidden events: why it did not happen


@dataclass(frozen=True)
class GoldPost:
    holder: str
    title: str
    of: tuple[str, ...]


@dataclass(frozen=True)
class Gold:
    id: str
    file: str | None
    date: dt.date | None
    actors: tuple[GoldActor, ...]
    events: tuple[GoldEvent, ...]
    forbidden: tuple[GoldEvent, ...] = ()
    posts: tuple[GoldPost, ...] = ()
    not_actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentResult:
    """The scores of one document, and every miss."""

    id: str
    actors: Score
    events: Score
    dates: Ratio
    places: Ratio
    posts: Score
    not_actors: tuple[str, ...]  # gold not_actors that became actors
    misses: tuple[Miss, ...]
    forbidden: int = 0  # asserted events matching a forbidden gold event

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "actors": self.actors.as_dict(),
            "events": self.events.as_dict(),
            "dates": self.dates.as_dict(),
            "places": self.places.as_dict(),
            "posts": self.posts.as_dict(),
            "forbidden": self.forbidden,
            "not_actors": list(self.not_actors),
            "misses": [m.as_dict() for m in self.misses],
        }


@dataclass(frozen=True)
class GoldSummary:
    """The documents' results and their sums (micro-averages)."""

    documents: tuple[DocumentResult, ...]

    def only(self, ids: Iterable[str]) -> GoldSummary:
        """The results of the documents with these ids (a half), in their order here."""
        wanted = set(ids)
        return GoldSummary(tuple(d for d in self.documents if d.id in wanted))

    def total(self, name: str = "overall") -> DocumentResult:
        docs = self.documents
        return DocumentResult(
            id=name,
            actors=sum((d.actors for d in docs), Score()),
            events=sum((d.events for d in docs), Score()),
            dates=sum((d.dates for d in docs), Ratio()),
            places=sum((d.places for d in docs), Ratio()),
            posts=sum((d.posts for d in docs), Score()),
            not_actors=tuple(n for d in docs for n in d.not_actors),
            misses=tuple(m for d in docs for m in d.misses),
            forbidden=sum(d.forbidden for d in docs),
        )

    def as_dict(self) -> dict[str, Any]:
        overall = self.total().as_dict()
        del overall["misses"]
        return {"documents": [d.as_dict() for d in self.documents], "overall": overall}


# --- reading gold files ------------------------------------------------------------------------


def event_classes() -> frozenset[str]:
    """Local names of the ontology's event classes."""
    return frozenset(c for c, sup in superclasses().items() if "Event" in sup)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GoldError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def _event(data: Any, where: str, keys: set[str], *, forbidden: bool) -> GoldEvent:
    if not isinstance(data, dict):
        raise GoldError(f"{where}: expected an object")
    types = _strings(data.get("types", []), f"{where}.types")
    if not types:
        raise GoldError(f"{where}: no types")
    unknown = [t for t in types if t not in event_classes()]
    if unknown:
        raise GoldError(f"{where}: unknown event class(es) {', '.join(unknown)}")
    slots = data.get("participants", [])
    if not isinstance(slots, list):
        raise GoldError(f"{where}.participants: expected a list of slots")
    participants = tuple(
        _strings(slot, f"{where}.participants[{i}]") for i, slot in enumerate(slots)
    )
    for i, slot in enumerate(participants):
        if not slot:
            raise GoldError(f"{where}.participants[{i}]: empty slot")
        missing = [k for k in slot if k not in keys]
        if missing:
            raise GoldError(f"{where}.participants[{i}]: unknown actor key(s) {', '.join(missing)}")
    date = data.get("date")
    if date is not None and not isinstance(date, str):
        raise GoldError(f"{where}.date: expected a string")
    return GoldEvent(
        key=str(data.get("key", where)),
        types=types,
        participants=participants,
        date=date,
        places=_strings(data.get("place", []), f"{where}.place"),
        required=False if forbidden else bool(data.get("required", True)),
        evidence=str(data.get("evidence", "")),
        why=str(data.get("why", "")),
    )


def parse_gold(data: Mapping[str, Any], where: str = "gold") -> Gold:
    """A gold dict (the JSON of a gold file) → a checked Gold record."""
    if not isinstance(data, Mapping):
        raise GoldError(f"{where}: expected a JSON object")
    actors = []
    for i, a in enumerate(data.get("actors", [])):
        at = f"{where}: actors[{i}]"
        if not isinstance(a, dict) or not isinstance(a.get("key"), str):
            raise GoldError(f"{at}: expected an object with a key")
        actors.append(
            GoldActor(
                key=a["key"],
                kind=str(a.get("type", "")),
                names=_strings(a.get("names", []), f"{at}.names"),
                iso3=a.get("iso3"),
                required=bool(a.get("required", True)),
            )
        )
    keys = {a.key for a in actors}
    events = tuple(
        _event(e, f"{where}: events[{i}]", keys, forbidden=False)
        for i, e in enumerate(data.get("events", []))
    )
    forbidden = tuple(
        _event(e, f"{where}: forbidden[{i}]", keys, forbidden=True)
        for i, e in enumerate(data.get("forbidden", []))
    )
    posts = []
    for i, p in enumerate(data.get("posts", [])):
        at = f"{where}: posts[{i}]"
        if not isinstance(p, dict) or p.get("holder") not in keys:
            raise GoldError(f"{at}: holder must be an actor key")
        of = _strings(p.get("of", []), f"{at}.of")
        if any(k not in keys for k in of):
            raise GoldError(f"{at}.of: unknown actor key")
        posts.append(GoldPost(holder=p["holder"], title=str(p.get("title", "")), of=of))
    date = data.get("date")
    try:
        day = dt.date.fromisoformat(date) if date else None
    except (TypeError, ValueError):
        raise GoldError(f"{where}: date {date!r} is not YYYY-MM-DD") from None
    return Gold(
        id=str(data.get("id", where)),
        file=data.get("file"),
        date=day,
        actors=tuple(actors),
        events=events,
        forbidden=forbidden,
        posts=tuple(posts),
        not_actors=_strings(data.get("not_actors", []), f"{where}.not_actors"),
    )


def load_gold(path: Path) -> tuple[Gold, Document]:
    """A gold file and the document it annotates (its `file`, relative to the gold file)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise GoldError(f"cannot read gold file {path}: {err.strerror or err}") from None
    except json.JSONDecodeError as err:
        raise GoldError(f"{path}: not JSON ({err.msg}, line {err.lineno})") from None
    gold = parse_gold(data, str(path))
    if not gold.file:
        raise GoldError(f"{path}: no `file` naming the document's text")
    text_path = path.parent / gold.file
    try:
        text = text_path.read_text(encoding="utf-8")
    except OSError as err:
        raise GoldError(
            f"{path}: cannot read its text {text_path}: {err.strerror or err}"
        ) from None
    return gold, Document(id=gold.id, text=text, date=gold.date, origin=str(text_path))


# --- scoring -----------------------------------------------------------------------------------


def _names(actor: Actor) -> set[str]:
    return {fold(n) for n in (actor.label, *actor.aliases)}


def actor_keys(extraction: Extraction, gold: Gold) -> dict[str, frozenset[str]]:
    """Predicted actor id → the gold actor keys it matches (by folded label or alias)."""
    folded = {a.key: {fold(n) for n in a.names} for a in gold.actors}
    return {
        actor.id: frozenset(k for k, names in folded.items() if names & _names(actor))
        for actor in extraction.actors
    }


def accepts(event: Event, gold_event: GoldEvent, keys: Callable[[str], frozenset[str]]) -> bool:
    """True when the predicted event's class and participants fit the gold event."""
    kinds = superclasses().get(event.kind, (event.kind,))
    if not set(kinds) & set(gold_event.types):
        return False
    matched: set[str] = set()
    for actor_id in event.actors():
        matched |= keys(actor_id)
    return all(matched & set(slot) for slot in gold_event.participants)


def _overlaps(event: Event, span: tuple[int, int] | None) -> bool:
    return span is not None and event.mention.start < span[1] and span[0] < event.mention.end


def _gold_event_text(e: GoldEvent) -> str:
    slots = " + ".join("/".join(slot) for slot in e.participants) or "no participants"
    return f"{e.key}: {'|'.join(e.types)} ({slots})"


def score_document(gold: Gold | Mapping[str, Any], extraction: Extraction) -> DocumentResult:
    """Score one document's extraction against its gold (a Gold record or the gold file's dict)."""
    if not isinstance(gold, Gold):
        gold = parse_gold(gold)
    text = extraction.document.text
    doc = gold.id
    misses: list[Miss] = []
    by_id = {a.id: a for a in extraction.actors}
    mapping = actor_keys(extraction, gold)

    def keys(actor_id: str) -> frozenset[str]:
        return mapping.get(actor_id, frozenset())

    def actor_sentence(actor: Actor) -> str:
        if actor.mentions:
            return actor.mentions[0].text
        return find_sentence(text, actor.label, *actor.aliases)

    # actors
    matched_keys = set().union(*mapping.values()) if mapping else set()
    required = [a for a in gold.actors if a.required]
    for a in required:
        if a.key not in matched_keys:
            misses.append(
                Miss("actor", doc, f"{a.key} ({a.names[0]})", find_sentence(text, *a.names))
            )
    for actor in extraction.actors:
        if not mapping[actor.id]:
            aliases = f"aliases: {', '.join(actor.aliases)}" if actor.aliases else ""
            misses.append(
                Miss(
                    "spurious actor",
                    doc,
                    f"{actor.label} ({actor.kind}, id {actor.id})",
                    actor_sentence(actor),
                    aliases,
                )
            )
    actors = Score(
        correct=sum(1 for actor in extraction.actors if mapping[actor.id]),
        predicted=len(extraction.actors),
        found=sum(1 for a in required if a.key in matched_keys),
        gold=len(required),
    )
    not_actors = []
    for name in gold.not_actors:
        hits = [actor for actor in extraction.actors if fold(name) in _names(actor)]
        if hits:
            not_actors.append(name)
            misses.append(
                Miss(
                    "not actor",
                    doc,
                    name,
                    actor_sentence(hits[0]),
                    f"became actor {hits[0].id} ({hits[0].kind})",
                )
            )

    # events
    asserted = [e for e in extraction.events if e.modality is None]
    allowed = [e for e in asserted if not any(accepts(e, f, keys) for f in gold.forbidden)]
    matches = [[e for e in allowed if accepts(e, g, keys)] for g in gold.events]
    correct = predicted = forbidden_hits = 0
    for event in asserted:
        forbidden = [g for g in gold.forbidden if accepts(event, g, keys)]
        fits = [g for g in gold.events if accepts(event, g, keys)]
        kind, why = "false event", ""
        if forbidden:
            why = f"why forbidden: {forbidden[0].why}" if forbidden[0].why else ""
            detail = f"matches forbidden {_gold_event_text(forbidden[0])}"
            kind = "forbidden event"
            forbidden_hits += 1
        elif any(g.required for g in fits):
            correct += 1
            predicted += 1
            continue
        elif fits:
            continue  # matches optional gold events only: counts for neither side
        else:
            detail = _why_no_match(event, gold, keys)
        predicted += 1
        misses.append(Miss(kind, doc, describe_event(event), event.mention.text, detail, why))
    found = 0
    for g, found_by in zip(gold.events, matches, strict=True):
        if not g.required:
            continue
        if found_by:
            found += 1
            continue
        span = find_span(text, g.evidence)
        here = [describe_event(e) for e in extraction.events if _overlaps(e, span)]
        detail = (
            "predicted here: " + "; ".join(here) if here else "nothing predicted in this sentence"
        )
        sentence = find_sentence(text, g.evidence) or g.evidence
        misses.append(Miss("event", doc, _gold_event_text(g), sentence, detail))
    events = Score(correct, predicted, found, sum(1 for g in gold.events if g.required))

    # dates and places of the matched gold events, each judged on the predictions paired with it
    places = {p.id: p.label for p in extraction.places}
    date_ok = date_n = place_ok = place_n = 0
    for g, found_by in zip(gold.events, paired(gold, text, matches, keys), strict=True):
        if not found_by:
            continue
        if g.date:
            date_n += 1
            got = [e.date.value if e.date else None for e in found_by]
            if g.date in got:
                date_ok += 1
            else:
                seen = ", ".join(dict.fromkeys(v or "none" for v in got))
                misses.append(
                    Miss(
                        "date",
                        doc,
                        f"{g.key}: {g.date}",
                        found_by[0].mention.text,
                        f"predicted: {seen}",
                    )
                )
        if g.places:
            place_n += 1
            wanted = {fold(p) for p in g.places}
            got_places = [places.get(e.place, e.place) if e.place else None for e in found_by]
            if any(p and fold(p) in wanted for p in got_places):
                place_ok += 1
            else:
                seen = ", ".join(dict.fromkeys(p or "none" for p in got_places))
                misses.append(
                    Miss(
                        "place",
                        doc,
                        f"{g.key}: {' | '.join(g.places)}",
                        found_by[0].mention.text,
                        f"predicted: {seen}",
                    )
                )

    # posts
    def post_fits(post_holder: str, title: str, in_actor: str | None, gp: GoldPost) -> bool:
        return (
            gp.holder in keys(post_holder)
            and gp.title.casefold() in title.casefold()
            and in_actor is not None
            and bool(keys(in_actor) & set(gp.of))
        )

    found_posts = 0
    for gp in gold.posts:
        if any(post_fits(p.holder, p.title, p.in_actor, gp) for p in extraction.posts):
            found_posts += 1
            continue
        holder = next(a for a in gold.actors if a.key == gp.holder)
        theirs = [
            f"{p.title} of {p.in_actor or 'none'}"
            for p in extraction.posts
            if gp.holder in keys(p.holder)
        ]
        detail = (
            "predicted posts: " + "; ".join(theirs)
            if theirs
            else "no post predicted for the holder"
        )
        misses.append(
            Miss(
                "post",
                doc,
                f"{gp.holder}: {gp.title} of {' | '.join(gp.of)}",
                find_sentence(text, *holder.names),
                detail,
            )
        )
    right_posts = 0
    for p in extraction.posts:
        if any(post_fits(p.holder, p.title, p.in_actor, gp) for gp in gold.posts):
            right_posts += 1
        else:
            who = by_id[p.holder].label if p.holder in by_id else p.holder
            misses.append(
                Miss(
                    "false post", doc, f"{who}: {p.title} of {p.in_actor or 'none'}", p.mention.text
                )
            )
    posts = Score(right_posts, len(extraction.posts), found_posts, len(gold.posts))

    order = {k: i for i, k in enumerate(MISS_KINDS)}
    return DocumentResult(
        id=doc,
        actors=actors,
        events=events,
        dates=Ratio(date_ok, date_n),
        places=Ratio(place_ok, place_n),
        posts=posts,
        not_actors=tuple(not_actors),
        misses=tuple(sorted(misses, key=lambda m: order.get(m.kind, len(order)))),
        forbidden=forbidden_hits,
    )


def _evidence_spans(text: str, g: GoldEvent) -> list[tuple[int, int]]:
    """Where the gold event's evidence is in the text: each of its parts ("A ... B")."""
    parts = re.split(r"\s*(?:\.\.\.|…)\s*", g.evidence)
    return [span for part in parts if (span := find_span(text, part)) is not None]


def paired(
    gold: Gold,
    text: str,
    matches: list[list[Event]],
    keys: Callable[[str], frozenset[str]],
) -> list[list[Event]]:
    """For each gold event, the predictions that tell it: of those it accepts, the ones whose
    best gold event it is. A prediction that fits several gold events is paired with the ones
    told in its own sentences first, then those of its very class, then those whose slots
    hold most of its actors: the invitation of one sentence is not the application another
    sentence recalls, and its date is judged against the invitation's alone."""
    spans = [_evidence_spans(text, g) for g in gold.events]

    def rank(event: Event, i: int) -> tuple[bool, bool]:
        mentions = (event.mention, *event.evidence)
        here = any(m.start < end and start < m.end for m in mentions for start, end in spans[i])
        return here, here and event.kind in gold.events[i].types

    fits: dict[int, tuple[Event, list[int]]] = {}  # id of a prediction -> the gold it fits
    for i, found_by in enumerate(matches):
        for event in found_by:
            fits.setdefault(id(event), (event, []))[1].append(i)
    best: dict[int, set[int]] = {}  # id of a prediction -> indexes of its best gold events
    for event_id, (event, indexes) in fits.items():
        ranks = {i: rank(event, i) for i in indexes}
        top = max(ranks.values())
        best[event_id] = {i for i, r in ranks.items() if r == top}
    return [[e for e in found_by if i in best[id(e)]] for i, found_by in enumerate(matches)]


def _why_no_match(event: Event, gold: Gold, keys: Callable[[str], frozenset[str]]) -> str:
    kinds = set(superclasses().get(event.kind, (event.kind,)))
    same_type = [g for g in gold.events if kinds & set(g.types)]
    mapped = sorted({k for a in event.actors() for k in keys(a)})
    who = ", ".join(mapped) if mapped else "no gold actor"
    if not same_type:
        return f"no gold event accepts {event.kind}; participants match {who}"
    wanted = "; ".join(_gold_event_text(g) for g in same_type[:3])
    return f"participants match {who}; gold events of this class: {wanted}"


def score_documents(pairs: Iterable[tuple[Gold, Extraction]]) -> GoldSummary:
    return GoldSummary(tuple(score_document(g, x) for g, x in pairs))
