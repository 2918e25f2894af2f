"""The evaluation as tables: one definition, rendered to the terminal (rich), markdown and JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.evaluate.gold import GoldSummary
from kg.evaluate.metrics import Miss, Ratio, Score
from kg.evaluate.plover import SEPARATE, PloverResult

PLOVER_ATTRIBUTION = (
    "The PLOVER gold-standard records are by the Open Event Data Alliance (© 2016 OEDA), "
    "licensed under Creative Commons Attribution-ShareAlike 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/); source: openeventdata/PLOVER, "
    "`gold_standard_records/PLOVER_GSR_CAMEO.txt`, converted to JSON Lines."
)
GOLD_RULES = (
    "Scoring follows `shared/gold/README.md`: names fold case, hyphens, dots and whitespace; "
    "event classes are accepted with their subclasses; only asserted events are scored; "
    "predictions matching only optional gold events count for neither side. "
    "Dates and places: over matched gold events that give one."
)
PLOVER_RULES = (
    "Old labels mapped: DEMAND→Request, DISAPPROVE→Accuse, FIGHT→Assault; INVESTIGATE is "
    "reported on its own, outside the accuracies. All extracted events count, whatever their "
    "modality (PLOVER codes threats and demands); a subclass counts for its class "
    "(Meeting→Consult, Agreement→Agree). Countries: over records whose gold side has an ISO "
    "3166 alpha-3 code, read from the most confident event of the gold category (else the most "
    "confident event); a person's country is the state of one of their posts."
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


def num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def frac(r: Ratio) -> str:
    return f"{num(r.value)} ({r.correct}/{r.total})"


# --- targets (from the issue) ------------------------------------------------------------------


def _at_least(value: float | None, bound: float) -> bool:
    return value is not None and value >= bound


def targets(gold: GoldSummary | None, plover: PloverResult | None) -> list[Target]:
    found: list[Target] = []
    if gold is not None and gold.documents:
        t = gold.total()
        found += [
            Target("gold: actor F1", num(t.actors.f1), "≥ 0.95", _at_least(t.actors.f1, 0.95)),
            Target(
                "gold: required-event recall",
                num(t.events.recall),
                "≥ 0.90",
                _at_least(t.events.recall, 0.9),
            ),
            Target(
                "gold: event precision",
                num(t.events.precision),
                "≥ 0.80",
                _at_least(t.events.precision, 0.8),
            ),
            Target(
                "gold: dates of matched events",
                frac(t.dates),
                "≥ 0.90",
                _at_least(t.dates.value, 0.9),
            ),
            Target(
                "gold: posts found",
                f"{t.posts.found}/{t.posts.gold}",
                "all",
                t.posts.found == t.posts.gold,
            ),
            Target(
                "gold: not_actors found",
                str(len(t.not_actors)),
                "0",
                not t.not_actors,
            ),
        ]
    if plover is not None:
        per = plover.events_per_sentence
        found += [
            Target(
                "PLOVER: category accuracy",
                frac(plover.category),
                "≥ 0.70",
                _at_least(plover.category.value, 0.7),
            ),
            Target(
                "PLOVER: events per sentence",
                num(per),
                "≤ 1.5",
                per is not None and per <= 1.5,
            ),
            Target(
                "PLOVER: initiator country accuracy",
                frac(plover.initiator),
                "≥ 0.80",
                _at_least(plover.initiator.value, 0.8),
            ),
        ]
    return found


def target_table(gold: GoldSummary | None, plover: PloverResult | None) -> TableData:
    return TableData(
        "Targets",
        ("target", "measured", "wanted", "met"),
        tuple(
            (t.name, t.measured, t.wanted, "yes" if t.met else "NO") for t in targets(gold, plover)
        ),
        "Gold targets apply to the sum over the gold documents given.",
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


def gold_tables(gold: GoldSummary) -> list[TableData]:
    t = gold.total()
    overall = TableData(
        f"Gold documents: overall ({len(gold.documents)} document(s))",
        ("measure", "correct/predicted", "found/gold", "precision", "recall/accuracy", "F1"),
        (
            _score_row("actors", t.actors),
            _score_row("events", t.events),
            _ratio_row("dates (matched events)", t.dates),
            _ratio_row("places (matched events)", t.places),
            _score_row("posts", t.posts),
            ("not_actors found", str(len(t.not_actors)), "", "", "", ""),
        ),
        GOLD_RULES,
    )
    per_doc = TableData(
        "Gold documents: per document",
        (
            "document",
            "actors P/R/F1",
            "events P/R/F1",
            "dates",
            "places",
            "posts",
            "not_actors",
        ),
        tuple(
            (
                d.id,
                _prf(d.actors),
                _prf(d.events),
                f"{d.dates.correct}/{d.dates.total}",
                f"{d.places.correct}/{d.places.total}",
                f"{d.posts.found}/{d.posts.gold}",
                ", ".join(d.not_actors) or "none",
            )
            for d in gold.documents
        ),
    )
    return [overall, per_doc]


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


# --- misses ------------------------------------------------------------------------------------


def grouped_misses(misses: Sequence[Miss]) -> list[tuple[str, list[Miss]]]:
    """Misses by kind, kinds in first-seen order."""
    order: dict[str, int] = {}
    for m in misses:
        order.setdefault(m.kind, len(order))
    ranked = sorted(misses, key=lambda m: order[m.kind])
    return [(k, list(g)) for k, g in groupby(ranked, key=lambda m: m.kind)]


def all_tables(gold: GoldSummary | None, plover: PloverResult | None) -> list[TableData]:
    tables = [target_table(gold, plover)]
    if gold is not None:
        tables += gold_tables(gold)
    if plover is not None:
        tables += plover_tables(plover)
    return tables


def _miss_sections(
    gold: GoldSummary | None, plover: PloverResult | None
) -> list[tuple[str, list[Miss]]]:
    sections: list[tuple[str, list[Miss]]] = []
    if gold is not None:
        sections += [(f"gold: {k}", ms) for k, ms in grouped_misses(gold.total().misses)]
    if plover is not None:
        sections += [(f"PLOVER: {k}", ms) for k, ms in grouped_misses(plover.misses)]
    return sections


# --- markdown ----------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: TableData, level: str = "###") -> str:
    lines = [f"{level} {table.title}", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
    lines.append("|" + "|".join("---" for _ in table.headers) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", table.note]
    return "\n".join(lines) + "\n"


def markdown(
    *,
    command: str,
    model: dict[str, Any],
    gold: GoldSummary | None,
    plover: PloverResult | None,
    misses: int | None,
    date: dt.date | None = None,
) -> str:
    """The quality report: generated header, command, model, every table and the first misses."""
    day = (date or dt.date.today()).isoformat()
    out = [
        "# Extraction quality",
        "",
        "<!-- Generated by `diplokg eval`: do not edit by hand, re-run the command below. -->",
        "",
        "*This file is generated by `diplokg eval`; do not edit it by hand.* "
        "It was produced, from the repository root, by:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"- date: {day}",
        f"- model: {model.get('name')} {model.get('version')} (spaCy {model.get('spacy')}), "
        f"diplokg {model.get('diplokg')}",
        "",
    ]
    tables = all_tables(gold, plover)
    out.append(markdown_table(tables[0], "##"))
    if gold is not None:
        out.append("## Gold documents\n")
        out += [markdown_table(t) for t in gold_tables(gold)]
    if plover is not None:
        out += ["## PLOVER gold-standard records", "", PLOVER_ATTRIBUTION, ""]
        out += [markdown_table(t) for t in plover_tables(plover)]
    limit = "All misses" if misses is None else f"The first {misses} misses"
    out += ["## Misses", "", f"{limit} per kind; `--json` lists every one.", ""]
    for title, ms in _miss_sections(gold, plover):
        shown = ms if misses is None else ms[:misses]
        out += [f"### {title} ({len(ms)})", ""]
        for m in shown:
            detail = f" — {_inline(m.detail)}" if m.detail else ""
            out.append(f"- **{_inline(m.what)}** [{m.source}]{detail}  ")
            out.append(f"  > {_inline(m.sentence) or '(sentence not found)'}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _inline(text: str) -> str:
    return " ".join(text.split()).replace("*", "\\*").replace("_", "\\_")


# --- JSON --------------------------------------------------------------------------------------


def to_json(
    *,
    command: str,
    model: dict[str, Any],
    gold: GoldSummary | None,
    plover: PloverResult | None,
    date: dt.date | None = None,
) -> dict[str, Any]:
    """Every number and every miss."""
    return {
        "command": command,
        "date": (date or dt.date.today()).isoformat(),
        "model": model,
        "targets": [t.__dict__ for t in targets(gold, plover)],
        "gold": gold.as_dict() if gold is not None else None,
        "gold_misses": [m.as_dict() for m in gold.total().misses] if gold is not None else [],
        "plover": plover.as_dict() if plover is not None else None,
    }


# --- terminal ----------------------------------------------------------------------------------


def print_report(
    console: Console,
    gold: GoldSummary | None,
    plover: PloverResult | None,
    misses: int | None,
) -> None:
    """The tables, then the first `misses` misses of each kind (None: all) with their sentence."""
    for table in all_tables(gold, plover):
        rich_table = Table(*table.headers, title=table.title, title_justify="left")
        for row in table.rows:
            rich_table.add_row(*(escape(c) for c in row))
        console.print(rich_table)
        if table.title.startswith("PLOVER gold-standard"):
            console.print(f"[dim]{escape(PLOVER_ATTRIBUTION)}[/]", soft_wrap=True)
    if misses == 0:
        return
    for title, ms in _miss_sections(gold, plover):
        shown = ms if misses is None else ms[:misses]
        console.print(
            f"\n[bold]{escape(title)}[/] misses: {len(shown)} of {len(ms)}", highlight=False
        )
        for m in shown:
            detail = f" [dim]— {escape(m.detail)}[/]" if m.detail else ""
            where = escape(f"[{m.source}]")
            console.print(f"  [bold]{escape(m.what)}[/] {where}{detail}", highlight=False)
            console.print(
                f"    [italic]{escape(m.sentence) or '(sentence not found)'}[/]", highlight=False
            )
