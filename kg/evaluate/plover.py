"""Scoring against the PLOVER gold-standard records (Open Event Data Alliance, CC BY-SA 4.0).

Each record is one sentence coded with one event: a category and source/target actors with codes.
The choices made here:

* Old PLOVER 0.5b1 labels are mapped to the current classes: DEMAND→Request, DISAPPROVE→Accuse,
  FIGHT→Assault; the others keep their name (AGREE→Agree). INVESTIGATE has no class in the
  ontology: its records are reported on their own and left out of every accuracy.
* All extracted events of a sentence count, whatever their modality: PLOVER codes threats,
  demands and offers, which the extractor marks Future, Hypothetical or Conditional.
* A predicted event counts for its PLOVER class through the ontology (Meeting is a Consult,
  Agreement is an Agree). Category accuracy: records where some predicted event has the gold class.
  Events per sentence: all predicted events / all records.
* Country accuracy is over records whose gold source (target) has at least one ISO 3166 alpha-3
  code (checked with pycountry: IGO, NGO, JAP, ITL are not). The chosen event is the most
  confident one of the gold class if any, else the most confident of all, preferring asserted
  events with participants. Its initiators
  (recipients) are its participants in that role, or all its participants when it only has
  `participant` roles (a symmetric event). An actor's countries: its iso3 (states), and for a
  person the iso3 of every state one of their posts is in. The record is right when one of
  these is among the gold codes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pycountry

from kg.evaluate.metrics import Miss, Ratio, describe_event
from kg.rdf import superclasses
from kg.records import Document, Event, Extraction

#: The 16 PLOVER categories, as ontology classes, in the PLOVER manual's order.
CATEGORIES = (
    "Agree",
    "Consult",
    "Support",
    "Concede",
    "Cooperate",
    "Aid",
    "Retreat",
    "Request",
    "Accuse",
    "Reject",
    "Threaten",
    "Protest",
    "Sanction",
    "Mobilize",
    "Coerce",
    "Assault",
)
#: Labels of the PLOVER 0.5b1 gold records renamed since.
OLD_LABELS = {"DEMAND": "Request", "DISAPPROVE": "Accuse", "FIGHT": "Assault"}
#: Labels reported on their own, outside the accuracies.
SEPARATE = ("INVESTIGATE",)
NONE = "(none)"

Side = Literal["initiator", "recipient"]


class PloverError(ValueError):
    """A PLOVER records file that cannot be read."""


@dataclass(frozen=True)
class PloverRecord:
    id: str
    text: str
    date: str
    label: str  # as coded: "DEMAND"
    category: str | None  # the ontology class, None for INVESTIGATE and unknown labels
    source: tuple[str, ...]  # the actors' codes as given ("USA", "IGO", "JAP")
    target: tuple[str, ...]
    source_text: tuple[str, ...] = ()
    target_text: tuple[str, ...] = ()

    @property
    def source_iso(self) -> tuple[str, ...]:
        return tuple(c for c in self.source if is_iso3(c))

    @property
    def target_iso(self) -> tuple[str, ...]:
        return tuple(c for c in self.target if is_iso3(c))


@cache
def is_iso3(code: str) -> bool:
    """True for an ISO 3166-1 alpha-3 country code (JPN is, JAP and IGO are not)."""
    return len(code) == 3 and code.isupper() and pycountry.countries.get(alpha_3=code) is not None


def category_of(label: str) -> str | None:
    """A PLOVER label as coded → its ontology class (None for INVESTIGATE)."""
    label = label.strip().upper()
    if label in OLD_LABELS:
        return OLD_LABELS[label]
    name = label.capitalize()
    return name if name in CATEGORIES else None


def event_category(event: Event) -> str | None:
    """The PLOVER category a predicted event counts for (its class or the nearest superclass)."""
    return next((c for c in superclasses().get(event.kind, (event.kind,)) if c in CATEGORIES), None)


def _actors(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [a for a in value if isinstance(a, dict) and isinstance(a.get("code"), str)]


def plover_record(data: Mapping[str, Any]) -> PloverRecord:
    """One line of gsr.jsonl → a record (its first event)."""
    events = data.get("events") or [{}]
    event = events[0] if isinstance(events[0], dict) else {}
    label = str(event.get("code", ""))
    source, target = _actors(event.get("source")), _actors(event.get("target"))
    return PloverRecord(
        id=str(data.get("id", "")),
        text=str(data.get("text", "")),
        date=str(data.get("date", "")),
        label=label,
        category=category_of(label),
        source=tuple(a["code"] for a in source),
        target=tuple(a["code"] for a in target),
        source_text=tuple(str(a.get("actorText", "")) for a in source),
        target_text=tuple(str(a.get("actorText", "")) for a in target),
    )


def load_plover(path: Path) -> list[PloverRecord]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise PloverError(f"cannot read PLOVER records {path}: {err.strerror or err}") from None
    records = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            raise PloverError(f"{path}:{n}: not JSON ({err.msg})") from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise PloverError(f"{path}:{n}: expected an object with a text")
        record = plover_record(data)
        try:
            plover_document(record)
        except ValueError:
            raise PloverError(f"{path}:{n}: date {record.date!r} is not YYYY-MM-DD") from None
        records.append(record)
    if not records:
        raise PloverError(f"{path}: no records")
    return records


def plover_document(record: PloverRecord) -> Document:
    """The record's sentence as a document dated by the record."""
    date = dt.date.fromisoformat(record.date) if record.date else None
    return Document(id=record.id, text=record.text, date=date, origin=record.id)


# --- scoring -----------------------------------------------------------------------------------


def actor_countries(extraction: Extraction) -> dict[str, frozenset[str]]:
    """Actor id → its country codes: a state's iso3; for a person, the states of their posts;
    for an organisation, the state it is based in."""
    by_id = {a.id: a for a in extraction.actors}
    codes: dict[str, set[str]] = {a.id: {a.iso3} if a.iso3 else set() for a in extraction.actors}
    for actor in extraction.actors:
        home = by_id.get(actor.based_in) if actor.based_in else None
        if home is not None and home.iso3:
            codes[actor.id].add(home.iso3)
    for post in extraction.posts:
        state = by_id.get(post.in_actor) if post.in_actor else None
        if state is not None and state.kind == "State" and state.iso3:
            holder = by_id.get(post.holder)
            if holder is not None and holder.kind == "Person":
                codes[holder.id].add(state.iso3)
    return {k: frozenset(v) for k, v in codes.items()}


def side(event: Event, role: Side) -> tuple[str, ...]:
    """The event's actors in `role`; all its participants when it only has `participant` roles."""
    if all(p.role == "participant" for p in event.participants):
        return event.actors()
    return event.actors(role)


def choose_event(events: Sequence[Event], category: str | None) -> Event | None:
    """The most confident event of the category if there is one, else the most confident event;
    asserted events with participants first (what the sentence codes happened or was said; a
    named agreement mentioned in passing codes no act)."""
    fitting = [e for e in events if category and event_category(e) == category]
    pool = (
        [e for e in fitting if e.participants and e.modality is None]
        or [e for e in fitting if e.participants]
        or fitting
        or [e for e in events if e.participants]
        or list(events)
    )
    if not pool:
        return None
    best = max(e.confidence for e in pool)
    return next(e for e in pool if e.confidence == best)


@dataclass(frozen=True)
class RecordResult:
    """How the extraction of one record's sentence compares with its coding."""

    id: str
    text: str
    label: str
    category: str | None
    predicted: tuple[str, ...]  # PLOVER categories of the predicted events, one per event
    events: tuple[str, ...]  # the predicted events, described
    chosen: str | None  # the event the countries were read from
    gold_source: tuple[str, ...]  # ISO codes only
    gold_target: tuple[str, ...]
    initiators: tuple[str, ...]  # country codes of the chosen event's initiators
    recipients: tuple[str, ...]

    @property
    def category_correct(self) -> bool:
        return self.category is not None and self.category in self.predicted

    @property
    def initiator_correct(self) -> bool | None:
        """None when the record is not scored (no ISO code in its gold source)."""
        return bool(set(self.initiators) & set(self.gold_source)) if self.gold_source else None

    @property
    def recipient_correct(self) -> bool | None:
        return bool(set(self.recipients) & set(self.gold_target)) if self.gold_target else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "label": self.label,
            "category": self.category,
            "predicted": list(self.predicted),
            "events": list(self.events),
            "chosen": self.chosen,
            "gold_source": list(self.gold_source),
            "gold_target": list(self.gold_target),
            "initiators": list(self.initiators),
            "recipients": list(self.recipients),
            "category_correct": self.category_correct if self.category else None,
            "initiator_correct": self.initiator_correct,
            "recipient_correct": self.recipient_correct,
        }


def score_record(record: PloverRecord, extraction: Extraction) -> RecordResult:
    events = extraction.events
    countries = actor_countries(extraction)
    chosen = choose_event(events, record.category)

    def codes(role: Side) -> tuple[str, ...]:
        if chosen is None:
            return ()
        found: dict[str, None] = {}
        for actor_id in side(chosen, role):
            found.update(dict.fromkeys(sorted(countries.get(actor_id, ()))))
        return tuple(found)

    return RecordResult(
        id=record.id,
        text=record.text,
        label=record.label,
        category=record.category,
        predicted=tuple(event_category(e) or e.kind for e in events),
        events=tuple(describe_event(e) for e in events),
        chosen=describe_event(chosen) if chosen else None,
        gold_source=record.source_iso,
        gold_target=record.target_iso,
        initiators=codes("initiator"),
        recipients=codes("recipient"),
    )


@dataclass(frozen=True)
class CategoryRow:
    category: str
    n: int  # gold records of the category
    correct: int  # ... where some predicted event has it
    predicted: int  # records (of the 16 categories) where some predicted event has the category
    predicted_correct: int  # ... whose gold category it is
    confusion: tuple[
        tuple[str, int], ...
    ]  # predicted categories on its records, most frequent first

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n if self.n else None

    @property
    def precision(self) -> float | None:
        return self.predicted_correct / self.predicted if self.predicted else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "n": self.n,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "predicted": self.predicted,
            "predicted_correct": self.predicted_correct,
            "precision": self.precision,
            "confusion": dict(self.confusion),
        }


@dataclass(frozen=True)
class SeparateRow:
    """A label outside the accuracies (INVESTIGATE): how often the extractor reads anything."""

    label: str
    n: int
    with_events: int
    predicted: tuple[tuple[str, int], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "n": self.n,
            "with_events": self.with_events,
            "predicted": dict(self.predicted),
        }


@dataclass(frozen=True)
class PloverResult:
    records: tuple[RecordResult, ...]
    category: Ratio
    events: int  # predicted events over all records
    initiator: Ratio
    recipient: Ratio
    per_category: tuple[CategoryRow, ...]
    separate: tuple[SeparateRow, ...]
    confusions: tuple[tuple[str, str, int], ...]  # (gold, predicted, records) on missed records
    misses: tuple[Miss, ...]

    @property
    def events_per_sentence(self) -> float | None:
        return self.events / len(self.records) if self.records else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": len(self.records),
            "category_accuracy": self.category.as_dict(),
            "events": self.events,
            "events_per_sentence": self.events_per_sentence,
            "initiator_accuracy": self.initiator.as_dict(),
            "recipient_accuracy": self.recipient.as_dict(),
            "per_category": [r.as_dict() for r in self.per_category],
            "separate": [s.as_dict() for s in self.separate],
            "confusions": [
                {"gold": g, "predicted": p, "records": n} for g, p, n in self.confusions
            ],
            "misses": [m.as_dict() for m in self.misses],
            "details": [r.as_dict() for r in self.records],
        }


def _counts(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def _codes(codes: Sequence[str], texts: Sequence[str]) -> str:
    return ", ".join(f"{c} ({t})" if t else c for c, t in zip(codes, texts, strict=False)) or "none"


def score_plover(
    records: Sequence[PloverRecord], extractions: Sequence[Extraction]
) -> PloverResult:
    """Score the extractions of the records' sentences (same order) against their codings."""
    if len(records) != len(extractions):
        raise ValueError("one extraction per record is needed")
    results = tuple(score_record(r, x) for r, x in zip(records, extractions, strict=True))
    scored = [r for r in results if r.category is not None]
    rows = []
    for cat in CATEGORIES:
        mine = [r for r in scored if r.category == cat]
        claimed = [r for r in scored if cat in r.predicted]
        rows.append(
            CategoryRow(
                category=cat,
                n=len(mine),
                correct=sum(1 for r in mine if r.category_correct),
                predicted=len(claimed),
                predicted_correct=sum(1 for r in claimed if r.category == cat),
                confusion=_counts(p for r in mine for p in (set(r.predicted) or {NONE})),
            )
        )
    separate = []
    for label in sorted({r.label for r in results if r.category is None}):
        theirs = [r for r in results if r.label == label]
        separate.append(
            SeparateRow(
                label=label,
                n=len(theirs),
                with_events=sum(1 for r in theirs if r.predicted),
                predicted=_counts(p for r in theirs for p in set(r.predicted)),
            )
        )
    confusions = Counter(
        (r.category or "", p)
        for r in scored
        if not r.category_correct
        for p in (set(r.predicted) or {NONE})
    )
    misses: list[Miss] = []
    by_id = {r.id: r for r in records}
    for r in scored:
        if not r.category_correct:
            what = r.category if r.label.capitalize() == r.category else f"{r.category} ({r.label})"
            detail = "predicted: " + "; ".join(r.events) if r.events else "nothing extracted"
            misses.append(Miss("category", r.id, str(what), r.text, detail))
    for kind, flag, gold_side, got in (
        ("initiator", "initiator_correct", "source", "initiators"),
        ("recipient", "recipient_correct", "target", "recipients"),
    ):
        for r in scored:
            if getattr(r, flag) is False:
                rec = by_id[r.id]
                gold = ", ".join(getattr(rec, gold_side)) or "none"
                quote = _codes(getattr(rec, gold_side), getattr(rec, f"{gold_side}_text"))
                codes = ", ".join(getattr(r, got)) or "none"
                detail = f"predicted {codes} from {r.chosen}" if r.chosen else "nothing extracted"
                what = f"gold {gold_side}: {gold}"
                misses.append(Miss(kind, r.id, what, r.text, detail, f"{gold_side}: {quote}"))
    return PloverResult(
        records=results,
        category=Ratio(sum(1 for r in scored if r.category_correct), len(scored)),
        events=sum(len(r.predicted) for r in results),
        initiator=Ratio(
            sum(1 for r in scored if r.initiator_correct),
            sum(1 for r in scored if r.initiator_correct is not None),
        ),
        recipient=Ratio(
            sum(1 for r in scored if r.recipient_correct),
            sum(1 for r in scored if r.recipient_correct is not None),
        ),
        per_category=tuple(rows),
        separate=tuple(separate),
        confusions=tuple(
            (g, p, n) for (g, p), n in sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        misses=tuple(misses),
    )
