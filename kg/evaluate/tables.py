"""The evaluation as tables (one definition for the terminal and the markdown report), and the
targets of issue 7's "Done when" measured against them."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.evaluate.cameo import CameoResult
from kg.evaluate.cameo_data import CLASS_NAMES
from kg.evaluate.gold import DocumentResult, GoldSummary
from kg.evaluate.halves import PURPOSE, Half, half_of
from kg.evaluate.metrics import Ratio, Score
from kg.evaluate.plover import SEPARATE, PloverResult

GOLD_RULES = (
    "Scoring follows `shared/gold/README.md`: names fold case, hyphens, dots and whitespace; "
    "event classes are accepted with their subclasses; only asserted events are scored; "
    "predictions matching only optional gold events count for neither side; an asserted event "
    "matching a forbidden one is a false positive and is counted under 'forbidden asserted'. "
    "Dates and places: over matched gold events that give one, each judged on the predictions "
    "paired with it (those told in its evidence sentences, when a prediction fits several gold "
    "events). Sums over the documents (micro-averages)."
)
PLOVER_RULES = (
    "Old labels mapped: DEMAND→Request, DISAPPROVE→Accuse, FIGHT→Assault; INVESTIGATE is "
    "reported on its own, outside the accuracies. All extracted events count, whatever their "
    "modality (PLOVER codes threats and demands); a subclass counts for its class "
    "(Meeting→Consult, Agreement→Agree). Countries: over records whose gold side has an ISO "
    "3166 alpha-3 code, read from the most confident event of the gold category (else the most "
    "confident event); a person's country is the state of one of their posts."
)
CAMEO_RULES = (
    "Classes through the PLOVER category of each event: 1 = Agree, Consult, Support; "
    "2 = Cooperate, Aid, Concede, Retreat; 3 = Accuse, Reject, Threaten; 4 = Protest, Sanction, "
    "Mobilize, Coerce, Assault; a Request counts as 1 or 3 (the gold one when it is 1 or 3, "
    "else 1) and a Sanction as 4 or 3 (PLOVER's sources file SANCTION under both conflict "
    "classes, and CAMEO's 'reduce relations' is labelled 3 here: the gold one when it is 3 or 4, "
    "else 4); the strict rows (Request read as 1, Sanction as 4) look at no gold label. One "
    "label per sentence from "
    "its asserted events: the most frequent class (ties: the most confident event, then the "
    "first in reading order); 0 when none. Macro-F1: mean F1 of the five labels. Source / "
    "target: over span sentences with a gold S (or R) / T (or R) span; the chosen event is the "
    "most confident of the label's class; its initiators (recipients) and participants must "
    "include an actor whose label or alias spells a run of the span's words, or has the span's "
    "head word among its words. Span sentences are read in the class file's typography where "
    "their letters match a class sentence, else detokenized (sacremoses)."
)


@dataclass(frozen=True)
class TableData:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    wanted: str
    met: bool


@dataclass(frozen=True)
class Results:
    """Whatever was scored in one run."""

    gold: GoldSummary | None = None
    plover: PloverResult | None = None
    cameo: CameoResult | None = None


def num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def frac(r: Ratio) -> str:
    return f"{num(r.value)} ({r.correct}/{r.total})"


def halves(gold: GoldSummary) -> list[tuple[Half, GoldSummary]]:
    """The halves that have documents here, each with its documents' results."""
    found = []
    for half in Half:
        part = gold.only(d.id for d in gold.documents if half_of(d.id) is half)
        if part.documents:
            found.append((half, part))
    return found


def half_name(half: Half, part: GoldSummary) -> str:
    return f"half {half.value} ({PURPOSE[half]}, {len(part.documents)} documents)"


# --- targets (issue 7, "Done when") ------------------------------------------------------------


def floor3(value: float | None) -> str:
    """A value rounded down to 3 places, so that a target just missed never shows as met."""
    return "–" if value is None else f"{math.floor(value * 1000) / 1000:.3f}"


def _at_least(name: str, value: float | None, bound: float, counts: Ratio | None = None) -> Target:
    met = value is not None and value >= bound
    shown = floor3(value) + (f" ({counts.correct}/{counts.total})" if counts else "")
    return Target(name, shown, f"≥ {bound:.2f}", met)


def gold_targets(gold: GoldSummary) -> list[Target]:
    found = [
        _at_least(f"gold {half_name(h, part)}: event F1", part.total().events.f1, 0.80)
        for h, part in halves(gold)
    ]
    t = gold.total()
    if not found:
        found.append(_at_least("gold: event F1", t.events.f1, 0.80))
    posts = Ratio(t.posts.found, t.posts.gold)
    return [
        *found,
        _at_least("gold: dates of matched events", t.dates.value, 0.80, t.dates),
        _at_least("gold: places of matched events", t.places.value, 0.70, t.places),
        _at_least("gold: posts found (recall)", posts.value, 0.85, posts),
        Target("gold: forbidden events asserted", str(t.forbidden), "0", t.forbidden == 0),
        _at_least("gold: actor F1", t.actors.f1, 0.93),
    ]


def cameo_targets(cameo: CameoResult) -> list[Target]:
    return [
        _at_least("CAMEO: macro-F1", cameo.macro_f1, 0.72),
        _at_least("CAMEO: source accuracy", cameo.source.value, 0.80, cameo.source),
        _at_least("CAMEO: target accuracy", cameo.target.value, 0.65, cameo.target),
    ]


def plover_targets(plover: PloverResult) -> list[Target]:
    per = plover.events_per_sentence
    return [
        _at_least("PLOVER: category accuracy", plover.category.value, 0.78, plover.category),
        Target(
            "PLOVER: events per sentence",
            "–" if per is None else f"{math.ceil(per * 1000) / 1000:.3f}",
            "≤ 1.50",
            per is not None and per <= 1.5,
        ),
    ]


def targets(results: Results) -> list[Target]:
    found: list[Target] = []
    if results.gold is not None and results.gold.documents:
        found += gold_targets(results.gold)
    if results.cameo is not None:
        found += cameo_targets(results.cameo)
    if results.plover is not None:
        found += plover_targets(results.plover)
    return found


def target_table(results: Results) -> TableData:
    return TableData(
        "Targets",
        ("target", "measured", "wanted", "met"),
        tuple((t.name, t.measured, t.wanted, "yes" if t.met else "NO") for t in targets(results)),
        "Issue 7's targets. Event F1 applies to each half of the gold documents "
        "(`kg/evaluate/splits.json`); the other gold targets to all the gold documents scored.",
    )


# --- gold tables -------------------------------------------------------------------------------


def _score_row(name: str, s: Score) -> tuple[str, ...]:
    return (
        name,
        f"{s.correct}/{s.predicted}",
        f"{s.found}/{s.gold}",
        num(s.precision),
        num(s.recall),
        num(s.f1),
    )


def _prf(s: Score) -> str:
    return " / ".join(f"{v:.2f}" if v is not None else "–" for v in (s.precision, s.recall, s.f1))


def _ratio_row(name: str, r: Ratio) -> tuple[str, ...]:
    return (name, "", f"{r.correct}/{r.total}", "", num(r.value), "")


def _overall(t: DocumentResult, title: str) -> TableData:
    return TableData(
        title,
        ("measure", "correct/predicted", "found/gold", "precision", "recall/accuracy", "F1"),
        (
            _score_row("actors", t.actors),
            _score_row("events", t.events),
            _ratio_row("dates (matched events)", t.dates),
            _ratio_row("places (matched events)", t.places),
            _score_row("posts", t.posts),
            ("forbidden events asserted", str(t.forbidden), "", "", "", ""),
            ("not_actors found", str(len(t.not_actors)), "", "", "", ""),
        ),
        GOLD_RULES,
    )


def _by_half(gold: GoldSummary) -> TableData:
    parts = [(half_name(h, p), p.total()) for h, p in halves(gold)]
    parts.append((f"all ({len(gold.documents)} documents)", gold.total()))

    def row(name: str, cell: Callable[[DocumentResult], str]) -> tuple[str, ...]:
        return (name, *(cell(t) for _, t in parts))

    return TableData(
        "Gold documents: by half",
        ("measure", *(name for name, _ in parts)),
        (
            row("event F1", lambda t: num(t.events.f1)),
            row("events P / R / F1", lambda t: _prf(t.events)),
            row("actors P / R / F1", lambda t: _prf(t.actors)),
            row("dates (matched events)", lambda t: frac(t.dates)),
            row("places (matched events)", lambda t: frac(t.places)),
            row("posts found", lambda t: frac(Ratio(t.posts.found, t.posts.gold))),
            row("forbidden events asserted", lambda t: str(t.forbidden)),
            row("not_actors found", lambda t: str(len(t.not_actors))),
        ),
        "Half A is for development, half B for checking each change (`kg/evaluate/splits.json`).",
    )


def gold_tables(gold: GoldSummary) -> list[TableData]:
    tables = [_overall(gold.total(), f"Gold documents: overall ({len(gold.documents)} documents)")]
    if halves(gold):
        tables.append(_by_half(gold))
    per_doc = TableData(
        "Gold documents: per document",
        (
            "document",
            "half",
            "actors P/R/F1",
            "events P/R/F1",
            "dates",
            "places",
            "posts",
            "forbidden",
            "not_actors",
        ),
        tuple(
            (
                d.id,
                (half_of(d.id) or "–"),
                _prf(d.actors),
                _prf(d.events),
                f"{d.dates.correct}/{d.dates.total}",
                f"{d.places.correct}/{d.places.total}",
                f"{d.posts.found}/{d.posts.gold}",
                str(d.forbidden),
                ", ".join(d.not_actors) or "none",
            )
            for d in gold.documents
        ),
    )
    return [*tables, per_doc]


# --- CAMEO tables ------------------------------------------------------------------------------


def cameo_tables(cameo: CameoResult) -> list[TableData]:
    n = len(cameo.sentences)
    spans = len(cameo.spans)
    summary = TableData(
        f"CAMEO five classes ({n} sentences, {spans} with actor spans)",
        ("measure", "value", "counts"),
        (
            ("accuracy", num(cameo.accuracy.value), f"{cameo.accuracy.correct}/{n} sentences"),
            ("macro-F1", num(cameo.macro_f1), "mean F1 of the five labels"),
            (
                "accuracy, strict (Request 1, Sanction 4)",
                num(cameo.strict_accuracy.value),
                f"{cameo.strict_accuracy.correct}/{n} sentences",
            ),
            (
                "macro-F1, strict (Request 1, Sanction 4)",
                num(cameo.strict_macro_f1),
                "no look at the gold",
            ),
            (
                "any asserted event has the gold class",
                num(cameo.any_event.value),
                f"{cameo.any_event.correct}/{n} sentences",
            ),
            (
                "source accuracy",
                num(cameo.source.value),
                f"{cameo.source.correct}/{cameo.source.total} span sentences with a source",
            ),
            (
                "target accuracy",
                num(cameo.target.value),
                f"{cameo.target.correct}/{cameo.target.total} span sentences with a target",
            ),
            (
                "asserted events per sentence",
                num(cameo.events_per_sentence),
                f"{cameo.events} events / {n} sentences",
            ),
            (
                "span sentences aligned / detokenized",
                f"{cameo.aligned} / {cameo.detokenized}",
                "aligned to a class sentence with the same letters; the others detokenized",
            ),
        ),
        CAMEO_RULES,
    )
    per_class = TableData(
        "CAMEO: per class",
        ("label", "class", "gold", "labelled", "correct", "precision", "recall", "F1", "any event"),
        tuple(
            (
                str(r.label),
                r.name,
                str(r.gold),
                str(r.predicted),
                str(r.correct),
                num(r.precision),
                num(r.recall),
                num(r.f1),
                frac(Ratio(r.any_event, r.gold)),
            )
            for r in cameo.rows
        ),
        "any event: sentences of the class where some asserted event has it (for 0: none has a "
        "class).",
    )
    confusion = TableData(
        "CAMEO: confusion matrix (rows: gold label, columns: label read)",
        ("gold \\ read", *(str(k) for k in CLASS_NAMES)),
        tuple(
            (f"{g} {CLASS_NAMES[g]}", *(str(c) for c in row))
            for g, row in enumerate(cameo.confusion())
        ),
    )
    return [summary, per_class, confusion]


# --- PLOVER tables -----------------------------------------------------------------------------


def _confusion(pairs: Sequence[tuple[str, int]], top: int = 4) -> str:
    return ", ".join(f"{p} {n}" for p, n in pairs[:top])


def plover_tables(plover: PloverResult, confusions: int = 10) -> list[TableData]:
    n = len(plover.records)
    summary = TableData(
        f"PLOVER gold-standard records ({n} sentences)",
        ("measure", "value", "counts"),
        (
            (
                "category accuracy",
                num(plover.category.value),
                f"{plover.category.correct}/{plover.category.total} records",
            ),
            (
                "events per sentence",
                num(plover.events_per_sentence),
                f"{plover.events} events / {n} records",
            ),
            (
                "initiator country accuracy",
                num(plover.initiator.value),
                f"{plover.initiator.correct}/{plover.initiator.total} records with an ISO source",
            ),
            (
                "recipient country accuracy",
                num(plover.recipient.value),
                f"{plover.recipient.correct}/{plover.recipient.total} records with an ISO target",
            ),
        ),
        PLOVER_RULES,
    )
    per_category = TableData(
        "PLOVER: per category",
        (
            "category",
            "n",
            "correct",
            "accuracy",
            "predicted",
            "precision",
            "predicted on its records",
        ),
        tuple(
            (
                r.category,
                str(r.n),
                str(r.correct),
                num(r.accuracy),
                str(r.predicted),
                num(r.precision),
                _confusion(r.confusion),
            )
            for r in plover.per_category
        ),
        "accuracy: records of the category where some extracted event has it; precision: records "
        "where an extracted event has the category whose gold category it is; last column: how "
        "often each category was extracted on the category's records ((none): nothing extracted).",
    )
    confusion = TableData(
        f"PLOVER: most common confusions (top {confusions})",
        ("gold category", "extracted instead", "records"),
        tuple((g, p, str(k)) for g, p, k in plover.confusions[:confusions]),
        "Records whose gold category was not extracted, by what was extracted on them.",
    )
    separate = TableData(
        "PLOVER: reported separately (not in the accuracies)",
        ("label", "records", "with any event", "extracted"),
        tuple(
            (s.label, str(s.n), str(s.with_events), _confusion(s.predicted) or "nothing")
            for s in plover.separate
        ),
        f"{', '.join(SEPARATE)} has no class in the ontology.",
    )
    return [summary, per_category, confusion, separate]
