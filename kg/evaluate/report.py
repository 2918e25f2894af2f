"""The evaluation rendered: the terminal (rich, misses with their sentences), the committed markdown
report (tables and misses without any evaluation text) and JSON (every number and every miss)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.evaluate.metrics import Miss
from kg.evaluate.tables import (
    Results,
    TableData,
    cameo_tables,
    gold_tables,
    half_name,
    halves,
    plover_tables,
    target_table,
    targets,
)

PLOVER_ATTRIBUTION = (
    "The PLOVER gold-standard records are by the Open Event Data Alliance (© 2016 OEDA), "
    "licensed under Creative Commons Attribution-ShareAlike 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/); source: openeventdata/PLOVER, "
    "`gold_standard_records/PLOVER_GSR_CAMEO.txt`, converted to JSON Lines."
)
CAMEO_ATTRIBUTION = (
    "The CAMEO five-class sentences and actor spans are the training split of the ConfliBERT "
    "project (eventdata/ConfliBERT, `data/cameo_class` and `data/cameo_ner`, GPL-3.0), from "
    'Parolin et al., "Multi-CoPED: A Multilingual Multi-Task Approach for Coding Political Event '
    'Data on Conflict and Mediation Domain", AIES 2022 (doi 10.1145/3514094.3534178). They are '
    "used to measure the extractor only; no sentence of theirs is reproduced here."
)
#: Words as the project's verbatim check counts them; runs this long of evaluation text are cut.
WORD = re.compile(r"[A-Za-z0-9]+")
RUN = 7
#: Trigger words shown in the committed report («...»), at most this many.
TRIGGER_WORDS = 3


# --- misses ------------------------------------------------------------------------------------


def grouped_misses(misses: Sequence[Miss]) -> list[tuple[str, list[Miss]]]:
    """Misses by kind, kinds in first-seen order."""
    order: dict[str, int] = {}
    for m in misses:
        order.setdefault(m.kind, len(order))
    ranked = sorted(misses, key=lambda m: order[m.kind])
    return [(k, list(g)) for k, g in groupby(ranked, key=lambda m: m.kind)]


def miss_sections(results: Results) -> list[tuple[str, list[Miss]]]:
    sections: list[tuple[str, list[Miss]]] = []
    if results.gold is not None:
        sections += [(f"gold: {k}", ms) for k, ms in grouped_misses(results.gold.total().misses)]
    if results.cameo is not None:
        sections += [(f"CAMEO: {k}", ms) for k, ms in grouped_misses(results.cameo.misses)]
    if results.plover is not None:
        sections += [(f"PLOVER: {k}", ms) for k, ms in grouped_misses(results.plover.misses)]
    return sections


def all_tables(results: Results) -> list[TableData]:
    tables = [target_table(results)]
    if results.gold is not None:
        tables += gold_tables(results.gold)
    if results.cameo is not None:
        tables += cameo_tables(results.cameo)
    if results.plover is not None:
        tables += plover_tables(results.plover)
    return tables


# --- keeping evaluation text out of the committed report ---------------------------------------


@dataclass(frozen=True)
class Redactor:
    """Cuts every run of RUN words that also stands in an evaluation text (the sentences scored).

    The markdown report is committed: it shows ids, classes and actors, never the sentences; this
    is the guard for what slips through (a long trigger, an actor named by a long phrase)."""

    runs: frozenset[tuple[str, ...]]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Redactor:
        runs: set[tuple[str, ...]] = set()
        for text in texts:
            words = [w.lower() for w in WORD.findall(text)]
            runs.update(tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))
        return cls(frozenset(runs))

    def line(self, line: str) -> str:
        found = list(WORD.finditer(line))
        words = [m.group().lower() for m in found]
        cut = [False] * len(found)
        for i in range(len(words) - RUN + 1):
            if tuple(words[i : i + RUN]) in self.runs:
                cut[i : i + RUN] = [True] * RUN
        if not any(cut):
            return line
        out, pos, i = [], 0, 0
        while i < len(found):
            if not cut[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(found) and cut[j + 1]:
                j += 1
            out += [line[pos : found[i].start()], "…"]
            pos = found[j].end()
            i = j + 1
        out.append(line[pos:])
        return "".join(out)

    def __call__(self, text: str) -> str:
        return "\n".join(self.line(line) for line in text.split("\n"))


def _short_triggers(text: str) -> str:
    """«the trigger words» of described events, cut to TRIGGER_WORDS words."""

    def cut(m: re.Match[str]) -> str:
        words = m.group(1).split()
        return (
            "«"
            + " ".join(words[:TRIGGER_WORDS])
            + ("…" if len(words) > TRIGGER_WORDS else "")
            + "»"
        )

    return re.sub(r"«([^»]*)»", cut, text)


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


def _inline(text: str) -> str:
    text = _short_triggers(" ".join(text.split()))
    return text.replace("*", "\\*").replace("_", "\\_")


def markdown(
    *,
    command: str,
    model: dict[str, Any],
    results: Results,
    misses: int | None,
    texts: Iterable[str] = (),
    date: dt.date | None = None,
) -> str:
    """The quality report: generated header, command, model, every table and the first misses.

    No evaluation text: misses show ids, classes and actors only, and `texts` (the sentences
    and documents scored) are cut out of whatever else would quote seven words of them."""
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
        markdown_table(target_table(results), "##"),
    ]
    if results.gold is not None:
        out.append("## Gold documents\n")
        out += [markdown_table(t) for t in gold_tables(results.gold)]
    if results.cameo is not None:
        out += ["## CAMEO five-class sentences", "", CAMEO_ATTRIBUTION, ""]
        out += [markdown_table(t) for t in cameo_tables(results.cameo)]
    if results.plover is not None:
        out += ["## PLOVER gold-standard records", "", PLOVER_ATTRIBUTION, ""]
        out += [markdown_table(t) for t in plover_tables(results.plover)]
    limit = "All misses" if misses is None else f"The first {misses} misses"
    out += [
        "## Misses",
        "",
        f"{limit} per kind, by document id, benchmark line or record id, without their "
        "sentences (evaluation text stays out of the repository): the command prints them with "
        "their sentences, and `--json FILE` lists every one.",
        "",
    ]
    for title, ms in miss_sections(results):
        shown = ms if misses is None else ms[:misses]
        out += [f"### {title} ({len(ms)})", ""]
        for m in shown:
            detail = f" — {_inline(m.detail)}" if m.detail else ""
            out.append(f"- **{_inline(m.what)}** [{m.source}]{detail}")
        out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    return Redactor.of(texts)(text)


# --- JSON --------------------------------------------------------------------------------------


def to_json(
    *,
    command: str,
    model: dict[str, Any],
    results: Results,
    date: dt.date | None = None,
) -> dict[str, Any]:
    """Every number and every miss, with its sentence."""
    gold = results.gold
    half_totals: dict[str, Any] = {}
    if gold is not None:
        for half, part in halves(gold):
            total = part.total(half_name(half, part)).as_dict()
            del total["misses"]
            half_totals[half.value] = {"documents": [d.id for d in part.documents], **total}
    return {
        "command": command,
        "date": (date or dt.date.today()).isoformat(),
        "model": model,
        "targets": [t.__dict__ for t in targets(results)],
        "gold": gold.as_dict() if gold is not None else None,
        "halves": half_totals,
        "gold_misses": [m.as_dict() for m in gold.total().misses] if gold is not None else [],
        "cameo": results.cameo.as_dict() if results.cameo is not None else None,
        "plover": results.plover.as_dict() if results.plover is not None else None,
    }


# --- terminal ----------------------------------------------------------------------------------


def print_report(console: Console, results: Results, misses: int | None) -> None:
    """The tables, then the first `misses` misses of each kind (None: all) with their sentence."""
    for table in all_tables(results):
        rich_table = Table(*table.headers, title=table.title, title_justify="left")
        for row in table.rows:
            rich_table.add_row(*(escape(c) for c in row))
        console.print(rich_table)
        if table.title.startswith("PLOVER gold-standard"):
            console.print(f"[dim]{escape(PLOVER_ATTRIBUTION)}[/]", soft_wrap=True)
        if table.title.startswith("CAMEO five classes"):
            console.print(f"[dim]{escape(CAMEO_ATTRIBUTION)}[/]", soft_wrap=True)
    if misses == 0:
        return
    for title, ms in miss_sections(results):
        shown = ms if misses is None else ms[:misses]
        console.print(
            f"\n[bold]{escape(title)}[/] misses: {len(shown)} of {len(ms)}", highlight=False
        )
        for m in shown:
            detail = f" [dim]— {escape(m.detail)}[/]" if m.detail else ""
            where = escape(f"[{m.source}]")
            console.print(f"  [bold]{escape(m.what)}[/] {where}{detail}", highlight=False)
            if m.quote:
                console.print(f"    gold: {escape(m.quote)}", highlight=False)
            console.print(
                f"    [italic]{escape(m.sentence) or '(sentence not found)'}[/]", highlight=False
            )
