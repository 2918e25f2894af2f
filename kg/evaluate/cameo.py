"""Scoring against the CAMEO five-class benchmark (ConfliBERT's training split, GPL-3.0).

The rules (issue 7), and the choices they leave open:

* Classes: each ontology class counts for one CAMEO class through its PLOVER category (a Meeting
  is a Consult): 1 verbal cooperation = Agree, Consult, Support; 2 material cooperation =
  Cooperate, Aid, Concede, Retreat; 3 verbal conflict = Accuse, Reject, Threaten; 4 material
  conflict = Protest, Sanction, Mobilize, Coerce, Assault. The ontology does not tell an appeal
  from a demand, so a Request counts as 1 or 3: it takes the gold class when that is 1 or 3,
  else 1 (an appeal). The report also gives the figures with every Request read as 1, which look
  at no gold label.
* One label per sentence, from its asserted events (no `dip:modality`): the class with the most
  events; a tie goes to the class with the most confident event, then to the class whose first
  event comes first (by sentence, then in the extractor's order). No asserted event: 0.
* Macro-F1: the mean F1 of the five labels (a label never predicted has F1 0).
* "Any event": the share of sentences where some asserted event has the gold class (for gold 0:
  where no asserted event has a class).
* Source / target: over span sentences with a gold source (S or R) or target (T or R) span. The
  chosen event is the most confident asserted event of the sentence's label (first in reading
  order on a tie); its initiators are its `initiator` and `participant` actors, its recipients
  its `recipient` and `participant` actors (a symmetric event's participants count for both).
  Right when one of them matches one of the gold spans. An actor matches a span when one of its
  names (label or alias, folded as gold names are, punctuation aside) spells a run of the span's
  whole tokens (as the text read writes them), or when one word of one of its names is the span's head word: the
  root of the span in the parse, or its last noun when the root is no noun or pronoun ("Lavrov"
  in "Sergei Lavrov", "Council" in "the Security Council"); a span not found in the parse takes
  its last token. No asserted event: wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.evaluate.cameo_data import CLASS_NAMES, ActorSpan, CameoData, SpanSentence
from kg.evaluate.metrics import Miss, Ratio, describe_event, fold, ratio
from kg.evaluate.plover import event_category
from kg.records import Actor, Event, Extraction

LABELS = tuple(CLASS_NAMES)
#: PLOVER category → CAMEO class; Request is either verbal class (REQUEST_CLASSES).
CAMEO_CLASS = {
    "Agree": 1,
    "Consult": 1,
    "Support": 1,
    "Cooperate": 2,
    "Aid": 2,
    "Concede": 2,
    "Retreat": 2,
    "Accuse": 3,
    "Reject": 3,
    "Threaten": 3,
    "Protest": 4,
    "Sanction": 4,
    "Mobilize": 4,
    "Coerce": 4,
    "Assault": 4,
}
REQUEST_CLASSES = (1, 3)  # an appeal (verbal cooperation) or a demand (verbal conflict)

SpanKey = tuple[int, int]  # (span sentence number, index of the span in it)


def event_classes(event: Event) -> tuple[int, ...]:
    """The CAMEO classes an event may count for: one, two for a Request, none for others."""
    category = event_category(event)
    if category == "Request":
        return REQUEST_CLASSES
    return (CAMEO_CLASS[category],) if category in CAMEO_CLASS else ()


def _resolve(classes: tuple[int, ...], gold: int | None) -> int:
    return gold if gold in classes else classes[0]


@dataclass(frozen=True)
class Choice:
    """A sentence's label and the event it was read from (None for 0)."""

    label: int
    event: Event | None


def asserted(events: Sequence[Event]) -> list[Event]:
    """The events that count: asserted, and of some CAMEO class."""
    return [e for e in events if e.modality is None and event_classes(e)]


def choose_label(events: Sequence[Event], gold: int | None = None) -> Choice:
    """The most frequent class among the asserted events (ties: confidence, then reading order).

    `gold` only decides which verbal class a Request counts for; None reads it as 1."""
    order = {id(e): (e.mention.start, i) for i, e in enumerate(events)}
    groups: dict[int, list[Event]] = {}
    for event in asserted(events):
        groups.setdefault(_resolve(event_classes(event), gold), []).append(event)
    if not groups:
        return Choice(0, None)

    def first(evs: list[Event]) -> tuple[int, int]:
        return min(order[id(e)] for e in evs)

    def rank(item: tuple[int, list[Event]]) -> tuple[int, float, tuple[int, int]]:
        _, evs = item
        start, index = first(evs)
        return (len(evs), max(e.confidence for e in evs), (-start, -index))

    label, evs = max(groups.items(), key=rank)
    best = max(e.confidence for e in evs)
    chosen = min((e for e in evs if e.confidence == best), key=lambda e: order[id(e)])
    return Choice(label, chosen)


def any_has_class(events: Sequence[Event], gold: int) -> bool:
    """Some asserted event has the gold class (for 0: no asserted event has any class)."""
    counted = asserted(events)
    if gold == 0:
        return not counted
    return any(gold in event_classes(e) for e in counted)


# --- actors against spans ----------------------------------------------------------------------


def _names(actor: Actor) -> tuple[str, ...]:
    return tuple(n for n in (actor.label, *actor.aliases) if _key(n))


def _key(text: str) -> str:
    """A name or token folded as gold names are, and without apostrophes or other punctuation."""
    return "".join(c for c in fold(text) if c.isalnum())


def spells_run(name: str, tokens: Sequence[str]) -> bool:
    """True when the folded name equals a run of whole tokens, folded and joined."""
    want = _key(name)
    keys = [_key(t) for t in tokens]
    for i in range(len(keys)):
        if not keys[i]:
            continue
        got = ""
        for key in keys[i:]:
            got += key
            if got == want:
                return True
            if not want.startswith(got):
                break
    return False


def actor_matches(actor: Actor, words: Sequence[str], head: str) -> bool:
    """The rule of the module docstring: a name spelled by a run of the span's words (as the text
    writes them), or the span's head word among a name's words."""
    head_key = _key(head)
    for name in _names(actor):
        if spells_run(name, words):
            return True
        if head_key and head_key in {_key(w) for w in name.split()}:
            return True
    return False


def side_actors(event: Event, role: str) -> tuple[str, ...]:
    """Actor ids on one side of an event: that role, and `participant` for either side."""
    return tuple(
        dict.fromkeys(p.actor for p in event.participants if p.role in (role, "participant"))
    )


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceResult:
    """One labelled sentence: its gold class, the chosen label and what was extracted."""

    line: int
    text: str
    gold: int
    label: int
    strict_label: int  # every Request read as 1
    any_event: bool
    events: tuple[str, ...]  # the asserted events of a class, described
    chosen: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "text": self.text,
            "gold": self.gold,
            "label": self.label,
            "strict_label": self.strict_label,
            "any_event": self.any_event,
            "events": list(self.events),
            "chosen": self.chosen,
        }


@dataclass(frozen=True)
class SpanResult:
    """One span sentence: whether the chosen event's sides match its gold spans."""

    number: int
    line: int
    class_line: int | None
    text: str
    chosen: str | None
    source: bool | None  # None: no gold source span
    target: bool | None
    initiators: tuple[str, ...]  # actor labels
    recipients: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "line": self.line,
            "class_line": self.class_line,
            "text": self.text,
            "chosen": self.chosen,
            "source_correct": self.source,
            "target_correct": self.target,
            "initiators": list(self.initiators),
            "recipients": list(self.recipients),
        }


@dataclass(frozen=True)
class ClassRow:
    label: int
    gold: int  # sentences of this gold class
    predicted: int  # sentences labelled with it
    correct: int
    any_event: int  # of its gold sentences, those where some asserted event has it

    @property
    def name(self) -> str:
        return CLASS_NAMES[self.label]

    @property
    def precision(self) -> float | None:
        return ratio(self.correct, self.predicted)

    @property
    def recall(self) -> float | None:
        return ratio(self.correct, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "name": self.name,
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "any_event": self.any_event,
        }


def class_rows(pairs: Sequence[tuple[int, int]], hits: Sequence[bool] = ()) -> tuple[ClassRow, ...]:
    """Per-label counts of (gold, predicted) pairs; `hits` the any-event flags, same order."""
    flags = list(hits) or [False] * len(pairs)
    return tuple(
        ClassRow(
            label=k,
            gold=sum(1 for g, _ in pairs if g == k),
            predicted=sum(1 for _, p in pairs if p == k),
            correct=sum(1 for g, p in pairs if g == p == k),
            any_event=sum(1 for (g, _), hit in zip(pairs, flags, strict=True) if g == k and hit),
        )
        for k in LABELS
    )


def macro_f1(rows: Sequence[ClassRow]) -> float | None:
    return sum(r.f1 for r in rows) / len(rows) if rows else None


@dataclass(frozen=True)
class CameoResult:
    sentences: tuple[SentenceResult, ...]
    spans: tuple[SpanResult, ...]
    rows: tuple[ClassRow, ...]
    strict_rows: tuple[ClassRow, ...]
    aligned: int
    detokenized: int
    events: int  # asserted events of a class, over the labelled sentences
    misses: tuple[Miss, ...]

    @property
    def accuracy(self) -> Ratio:
        return Ratio(sum(1 for s in self.sentences if s.label == s.gold), len(self.sentences))

    @property
    def strict_accuracy(self) -> Ratio:
        return Ratio(
            sum(1 for s in self.sentences if s.strict_label == s.gold), len(self.sentences)
        )

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(self.rows)

    @property
    def strict_macro_f1(self) -> float | None:
        return macro_f1(self.strict_rows)

    @property
    def any_event(self) -> Ratio:
        return Ratio(sum(1 for s in self.sentences if s.any_event), len(self.sentences))

    @property
    def source(self) -> Ratio:
        scored = [s for s in self.spans if s.source is not None]
        return Ratio(sum(1 for s in scored if s.source), len(scored))

    @property
    def target(self) -> Ratio:
        scored = [s for s in self.spans if s.target is not None]
        return Ratio(sum(1 for s in scored if s.target), len(scored))

    @property
    def events_per_sentence(self) -> float | None:
        return ratio(self.events, len(self.sentences))

    def confusion(self) -> tuple[tuple[int, ...], ...]:
        """Rows: gold label 0-4; columns: predicted label 0-4."""
        counts = Counter((s.gold, s.label) for s in self.sentences)
        return tuple(tuple(counts[(g, p)] for p in LABELS) for g in LABELS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sentences": len(self.sentences),
            "span_sentences": len(self.spans),
            "aligned": self.aligned,
            "detokenized": self.detokenized,
            "accuracy": self.accuracy.as_dict(),
            "macro_f1": self.macro_f1,
            "strict_accuracy": self.strict_accuracy.as_dict(),
            "strict_macro_f1": self.strict_macro_f1,
            "any_event": self.any_event.as_dict(),
            "source_accuracy": self.source.as_dict(),
            "target_accuracy": self.target.as_dict(),
            "events_per_sentence": self.events_per_sentence,
            "per_class": [r.as_dict() for r in self.rows],
            "confusion": [list(row) for row in self.confusion()],
            "misses": [m.as_dict() for m in self.misses],
            "details": [s.as_dict() for s in self.sentences],
            "span_details": [s.as_dict() for s in self.spans],
        }


# --- scoring -----------------------------------------------------------------------------------


def _label_text(label: int) -> str:
    return f"{label} {CLASS_NAMES[label]}"


def score_sentence(line: int, text: str, gold: int, extraction: Extraction) -> SentenceResult:
    events = extraction.events
    choice = choose_label(events, gold)
    return SentenceResult(
        line=line,
        text=text,
        gold=gold,
        label=choice.label,
        strict_label=choose_label(events).label,
        any_event=any_has_class(events, gold),
        events=tuple(describe_event(e) for e in asserted(events)),
        chosen=describe_event(choice.event) if choice.event else None,
    )


def score_spans(
    sentence: SpanSentence,
    extraction: Extraction,
    gold: int | None,
    heads: Mapping[SpanKey, str],
) -> tuple[SpanResult, list[Miss]]:
    """Source and target of one span sentence, and the misses with the spans they missed."""
    choice = choose_label(extraction.events, gold)
    by_id = {a.id: a for a in extraction.actors}
    misses: list[Miss] = []
    where = f"sentence {sentence.number} (line {sentence.line})"

    def head(i: int, span: ActorSpan) -> str:
        return heads.get((sentence.number, i)) or sentence.words(span)[-1]

    def side(role: str, wanted: str) -> tuple[bool | None, tuple[str, ...]]:
        spans = [
            (i, s)
            for i, s in enumerate(sentence.spans)
            if (s.is_source if wanted == "source" else s.is_target)
        ]
        ids = side_actors(choice.event, role) if choice.event else ()
        actors = [by_id[a] for a in ids if a in by_id]
        labels = tuple(a.label for a in actors)
        if not spans:
            return None, labels
        right = any(
            actor_matches(a, sentence.words(s), head(i, s)) for a in actors for i, s in spans
        )
        if not right:
            heads_text = ", ".join(f"{s.role} span, head «{head(i, s)}»" for i, s in spans)
            got = (
                f"{role}s: {', '.join(f'{a.id} ({a.label})' for a in actors) or 'none'}"
                f" of {describe_event(choice.event)}"
                if choice.event
                else "no asserted event"
            )
            quote = " | ".join(s.text for _, s in spans)
            misses.append(Miss(wanted, where, heads_text, sentence.text, got, quote))
        return right, labels

    source, initiators = side("initiator", "source")
    target, recipients = side("recipient", "target")
    result = SpanResult(
        number=sentence.number,
        line=sentence.line,
        class_line=sentence.class_line,
        text=sentence.text,
        chosen=describe_event(choice.event) if choice.event else None,
        source=source,
        target=target,
        initiators=initiators,
        recipients=recipients,
    )
    return result, misses


def score_cameo(
    data: CameoData,
    extractions: Mapping[str, Extraction],
    heads: Mapping[SpanKey, str] | None = None,
) -> CameoResult:
    """Score the extractions (by text) of the benchmark's sentences.

    `heads` gives each span's head word from the parse; a span without one takes its last token.
    """
    heads = heads or {}
    sentences = tuple(
        score_sentence(c.line, c.text, c.label, extractions[c.text]) for c in data.classes
    )
    misses: list[Miss] = []
    for s in sentences:
        if s.label != s.gold:
            detail = "; ".join(s.events) if s.events else "no asserted event"
            what = f"gold {_label_text(s.gold)}, labelled {_label_text(s.label)}"
            misses.append(Miss("class", f"line {s.line}", what, s.text, detail))
    gold_of = {c.line: c.label for c in data.classes}
    span_results: list[SpanResult] = []
    for sentence in data.spans:
        gold = gold_of.get(sentence.class_line) if sentence.class_line is not None else None
        result, found = score_spans(sentence, extractions[sentence.text], gold, heads)
        span_results.append(result)
        misses += found
    order = {"class": 0, "source": 1, "target": 2}
    pairs = [(s.gold, s.label) for s in sentences]
    return CameoResult(
        sentences=sentences,
        spans=tuple(span_results),
        rows=class_rows(pairs, [s.any_event for s in sentences]),
        strict_rows=class_rows([(s.gold, s.strict_label) for s in sentences]),
        aligned=data.aligned,
        detokenized=data.detokenized,
        events=sum(len(s.events) for s in sentences),
        misses=tuple(sorted(misses, key=lambda m: order[m.kind])),
    )
