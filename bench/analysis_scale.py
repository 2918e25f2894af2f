"""The network analysis at scale: 10,000 actors, 200,000 events, in a real on-disk store.

    python bench/analysis_scale.py [--actors 10000] [--events 200000] [--repeat 3]
                                   [--write bench/RESULTS.md]

Generates documents of 20 events each whose participants are drawn with a realistic skew (a
Zipf-like law: a few actors in many events), writes them through kg.rdf into a store with
Oxigraph's bulk loader (not timed), then times, `--repeat` times: the projection (the SPARQL
reads and the signed actor graph), degree and strength, PageRank, Louvain and betweenness
sampled from 100 sources, as the HTTP API computes them on a cold cache. `--write` rewrites this
script's own section of RESULTS.md (medians, with min and max).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from results import verdict, write_section

from kg import analysis
from kg.rdf import extraction_quads
from kg.records import Actor, Document, Event, Extraction, Mention, Participant, Role, TimeValue
from kg.store import GraphStore

#: (class, share of events, two-way): meetings and talks most, violence least
CLASSES = [
    ("Meeting", 0.25, True),
    ("Consult", 0.08, True),
    ("Agreement", 0.06, True),
    ("Agree", 0.05, False),
    ("Support", 0.08, False),
    ("Cooperate", 0.05, True),
    ("Aid", 0.04, False),
    ("Concede", 0.02, False),
    ("Retreat", 0.01, False),
    ("Request", 0.08, False),
    ("Accuse", 0.09, False),
    ("Reject", 0.04, False),
    ("Threaten", 0.04, False),
    ("Protest", 0.02, False),
    ("Sanction", 0.03, False),
    ("Mobilize", 0.02, False),
    ("Coerce", 0.02, False),
    ("Assault", 0.02, False),
]
EVENTS_PER_DOCUMENT = 20
START = dt.date(2015, 1, 1)
DAYS = 3650


def actors(n: int) -> list[Actor]:
    kinds = ("State", "Organization", "Person")
    return [Actor(f"a{i:05d}", kinds[i % 3], f"Actor {i}") for i in range(n)]  # type: ignore[arg-type]


def documents(people: list[Actor], events: int, seed: int) -> Iterator[Extraction]:
    """Documents of generated events; participants drawn by a Zipf-like law over the actors."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, len(people) + 1, dtype=float)
    weights = 1 / ranks**1.1
    weights /= weights.sum()
    shares = np.array([share for _, share, _ in CLASSES])
    kinds = rng.choice(len(CLASSES), size=events, p=shares / shares.sum())
    pairs = rng.choice(len(people), size=(events, 3), p=weights)
    days = rng.integers(0, DAYS, size=events)
    negated = rng.random(events) < 0.05
    third = rng.random(events) < 0.1
    by_id = {a.id: a for a in people}
    for start in range(0, events, EVENTS_PER_DOCUMENT):
        sentences: list[str] = []
        found: list[Event] = []
        offset = 0
        for i in range(start, min(start + EVENTS_PER_DOCUMENT, events)):
            cls, _, two_way = CLASSES[kinds[i]]
            ids = list(dict.fromkeys(int(x) for x in pairs[i][: 3 if third[i] else 2]))
            if len(ids) < 2:
                ids.append((ids[0] + 1) % len(people))
            text = f"{people[ids[0]].label} and {people[ids[1]].label}: {cls.lower()} number {i}."
            roles: list[Role] = (
                ["participant"] * len(ids)
                if two_way
                else ["initiator", "recipient", *["participant"] * (len(ids) - 2)]
            )
            day = START + dt.timedelta(days=int(days[i]))
            found.append(
                Event(
                    cls,
                    tuple(Participant(people[a].id, r) for a, r in zip(ids, roles, strict=True)),
                    Mention(offset, offset + len(text), text),
                    trigger=cls.lower(),
                    date=TimeValue(day.isoformat(), "day", day, day),
                    modality="Negated" if negated[i] else None,
                    confidence=0.8,
                )
            )
            sentences.append(text)
            offset += len(text) + 1
        named = {p.actor: e.mention for e in found for p in e.participants}
        yield Extraction(
            document=Document(f"gen-{start // EVENTS_PER_DOCUMENT:06d}", " ".join(sentences)),
            actors=tuple(
                Actor(a.id, a.kind, a.label, (), None, (named[a.id],))
                for a in (by_id[i] for i in sorted(named))
            ),
            events=tuple(found),
        )


def build(path: Path, n_actors: int, n_events: int, seed: int) -> tuple[int, float]:
    """The generated store at `path`: how many quads, and the seconds it took."""
    started = time.perf_counter()
    store = GraphStore(path)
    people = actors(n_actors)
    when = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    batch: list[Any] = []
    for extraction in documents(people, n_events, seed):
        batch.extend(extraction_quads(extraction, when))
        if len(batch) > 500_000:
            store.bulk_add(batch)
            batch = []
    store.bulk_add(batch)
    quads = len(store)
    store.close()
    return quads, time.perf_counter() - started


def _size(path: Path) -> int:
    store = GraphStore(path, read_only=True)
    try:
        return len(store)
    finally:
        store.close()


def measure(path: Path) -> dict[str, float | int]:
    """One cold run: each step's seconds, and the graph's size."""
    store = GraphStore(path, read_only=True)
    times: dict[str, float | int] = {}
    load = os.getloadavg()[0]

    def step(name: str, run: Callable[[], Any]) -> Any:
        started, cpu = time.perf_counter(), time.process_time()
        value = run()
        times[name] = time.perf_counter() - started
        times[f"{name} (cpu)"] = time.process_time() - cpu
        return value

    try:
        projection = step(
            "projection (SPARQL reads + signed graph)", lambda: analysis.read_projection(store)
        )
        step("degree, weighted degree, in/out strength", lambda: (analysis.degree(projection), analysis.weighted_degree(projection), analysis.in_strength(projection), analysis.out_strength(projection)))  # fmt: skip
        step("PageRank (scipy)", lambda: analysis.pagerank(projection))
        step("Louvain (seed 42)", lambda: analysis.louvain_communities(projection))
        broker = step(
            "betweenness, k=100 sampled (seed 42)", lambda: analysis.brokerage(projection)
        )
        if projection.graph.number_of_nodes() > analysis.EXACT_BETWEENNESS_UP_TO:
            assert broker.approximate and broker.k == analysis.BETWEENNESS_SAMPLE
    finally:
        store.close()
    times["total (cpu)"] = sum(v for k, v in times.items() if k.endswith("(cpu)"))
    times["total"] = sum(v for k, v in times.items() if not k.endswith("(cpu)"))
    times["nodes"] = projection.graph.number_of_nodes()
    times["edges"] = projection.graph.number_of_edges()
    times["pairs"] = projection.undirected.number_of_edges()
    times["asserted"] = len(projection.events)
    times["load"] = load
    return times


def report(
    runs: list[dict[str, float | int]], args: argparse.Namespace, quads: int, built: float
) -> str:
    first = runs[0]
    skip = {"nodes", "edges", "pairs", "asserted", "load"}
    steps = [k for k in first if k not in skip and not k.endswith("(cpu)")]
    rows = []
    for name in steps:
        wall = [float(r[name]) for r in runs]
        cpu = [float(r[f"{name} (cpu)"]) for r in runs]
        label = f"**{name}**" if name == "total" else name
        rows.append(
            f"| {label} | {statistics.median(wall):.2f} | {min(wall):.2f} | {max(wall):.2f} "
            f"| {statistics.median(cpu):.2f} | {min(cpu):.2f} | {max(cpu):.2f} |"
        )
    loads = ", ".join(f"{float(r['load']):.1f}" for r in runs)
    made = "reused from `--store`" if math.isnan(built) else f"built in {built:.0f} s, not timed"
    total = statistics.median(float(r["total"]) for r in runs)
    command = f"python bench/analysis_scale.py --actors {args.actors} --events {args.events} --repeat {args.repeat}"
    return "\n".join([
        f"### analysis_scale — {dt.date.today().isoformat()}, {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "",
        f"`{command}` — {args.actors} actors, {args.events} generated events ({first['asserted']} asserted "
        f"once same-day reports merge), a store of {quads} quads (named graphs and their merge; {made}); "
        f"the signed graph has {first['nodes']} actors, {first['edges']} directed links, {first['pairs']} linked pairs. "
        f"Seconds over {args.repeat} cold runs (wall clock, and this process's CPU time; the 1-minute "
        f"load average on the 2 shared cores at the start of each run: {loads}):",
        "",
        "| step | wall median | min | max | CPU median | min | max |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Target (issue 10): projection plus these measures under a minute: {total:.0f} s "
        f"(wall median), {verdict(total < 60)}.",
        "",
    ])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path)
    parser.add_argument(
        "--store", type=Path, help="Keep the generated store here (reused when it exists)."
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="diplokg-analysis-"))
    target = args.store or workdir / "store"
    try:
        if args.store and args.store.exists():
            quads, built = _size(args.store), float("nan")
        else:
            quads, built = build(target, args.actors, args.events, args.seed)
        print(f"{quads} quads, built in {built:.1f} s", file=sys.stderr)
        runs = []
        for n in range(args.repeat):
            runs.append(measure(target))
            steps = ", ".join(f"{k} {v:.1f}" for k, v in runs[-1].items() if isinstance(v, float))
            print(f"run {n + 1}: {steps}", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    section = report(runs, args, quads, built)
    print(section)
    if args.write:
        write_section("analysis_scale", section, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
