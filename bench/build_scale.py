"""Build throughput and memory at scale: 1 and 2 worker processes, a Dask local cluster, and the
peak memory of a build at two corpus sizes (it must stay flat: a build streams), and the
relations, network and centrality routes of `diplokg serve` on the store built.

    python bench/build_scale.py [--docs 2000] [--small 500] [--repeat 3] [--write bench/RESULTS.md]
    python bench/build_scale.py --memory-only [--docs 2000] [--small 500] [--repeat 1]

Each build is a real `diplokg build` process on a generated corpus (`bench/generate.py`) into a
fresh store; its wall time includes starting Python and loading the model, and its peak memory is
the largest resident set of the process tree (`procs.run`). Each of the builds runs `--repeat`
times (in rotating order), figures are medians (min–max) and the ratios are taken within a
round. A second build of the same corpus (nothing to extract) is timed once. Then `diplokg serve` on that store answers `--requests`
sequential requests per route about the actor in most events (the first, cold one apart).
Rewrites its own section of RESULTS.md. `--memory-only` runs just the two 1-process builds and
prints their peaks and ratio (a quick check while working on memory; it writes nothing).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_corpus
from procs import BIN, Run, free_port, run, serving
from results import Spread, header, publish, quantile, table, verdict

from kg.rdf import local_id
from kg.store import GraphStore

#: p99 target of /actors/{id}/relations, milliseconds (issue 8)
RELATIONS_TARGET_MS = 100.0


def build(corpus: Path, store: Path, *extra: str) -> Run:
    shutil.rmtree(store, ignore_errors=True)
    return run([str(BIN / "diplokg"), "build", str(corpus), "--store", str(store), *extra])


def top_actor(store: Path) -> str:
    graph = GraphStore(store, read_only=True)
    try:
        rows = graph.select(
            "SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dip:participant ?a } "
            "GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1"
        )
    finally:
        graph.close()
    return local_id(rows[0]["a"])


def route_times(store: Path, requests: int) -> tuple[str, list[tuple[str, float, list[float]]]]:
    """The actor asked about, and per route: the first answer's ms and the others' ms."""
    actor = top_actor(store)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    routes = [
        f"/actors/{actor}/relations",
        f"/actors/{actor}/network",
        "/analysis/centrality",
    ]
    found = []
    command = [str(BIN / "diplokg"), "serve", "--store", str(store), "--port", str(port)]
    with serving(command, base + "/actors?limit=1"), httpx.Client(timeout=120) as client:
        for route in routes:
            times = []
            for _ in range(requests + 1):
                started = time.perf_counter()
                answer = client.get(base + route)
                times.append(1000 * (time.perf_counter() - started))
                if answer.status_code != 200:
                    raise SystemExit(f"{route}: {answer.status_code} {answer.text[:200]}")
            found.append((route, times[0], times[1:]))
    return actor, found


KINDS = {
    "one": ("1 process", ()),
    "small": ("1 process", ()),
    "two": ("`--workers 2`", ("--workers", "2")),
    "dask": ("`--dask local --workers 2` (a LocalCluster)", ("--dask", "local", "--workers", "2")),
}


def rounds(
    corpus: Path, small: Path, work: Path, repeat: int, kinds: Sequence[str] = tuple(KINDS)
) -> dict[str, list[Run]]:
    """Every kind of build `repeat` times, the order rotating from one round to the next; each
    kind into its own store (`work/store-KIND`, the last one kept)."""
    done: dict[str, list[Run]] = {kind: [] for kind in kinds}
    order = list(kinds)
    for number in range(repeat):
        for kind in order[number % len(order) :] + order[: number % len(order)]:
            source = small if kind == "small" else corpus
            done[kind].append(build(source, work / f"store-{kind}", *KINDS[kind][1]))
            print(f"round {number + 1}: {kind} {done[kind][-1].seconds:.1f} s", file=sys.stderr)
    return done


def memory_only(docs: int, small: int, repeat: int) -> int:
    """The peak memory of 1-process builds at two corpus sizes, and their ratio within a round."""
    work = Path(tempfile.mkdtemp(prefix="diplokg-build-memory-"))
    try:
        write_corpus(work / "corpus.jsonl", docs)
        write_corpus(work / "small.jsonl", small)
        done = rounds(work / "corpus.jsonl", work / "small.jsonl", work, repeat, ("one", "small"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mb = 2**20
    for kind, n in (("one", docs), ("small", small)):
        peaks = Spread.of([r.tree_peak / mb for r in done[kind]]).show(".0f")
        seconds = Spread.of([r.seconds for r in done[kind]]).show(".1f")
        print(f"1 process, {n} documents: peak memory {peaks} MB, {seconds} s")
    growth = Spread.of(
        [a.tree_peak / b.tree_peak for a, b in zip(done["one"], done["small"], strict=True)]
    )
    print(
        f"peak memory of {docs} against {small} documents: {growth.show()} "
        f"(target ≤ 1.2: {verdict(growth.median <= 1.2)})"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", type=Path)
    parser.add_argument(
        "--memory-only", action="store_true",
        help="only the 1-process builds at --docs and --small: their peak memory and its ratio",
    )  # fmt: skip
    args = parser.parse_args()
    if args.memory_only:
        if args.write is not None:
            parser.error("--memory-only prints a check; it does not write RESULTS.md")
        return memory_only(args.docs, args.small, args.repeat)
    work = Path(tempfile.mkdtemp(prefix="diplokg-build-scale-"))
    try:
        corpus, small = work / "corpus.jsonl", work / "small.jsonl"
        write_corpus(corpus, args.docs)
        write_corpus(small, args.small)
        done = rounds(corpus, small, work, args.repeat)
        store = work / "store-one"  # the routes are timed on the 1-process build's store
        again = run([str(BIN / "diplokg"), "build", str(corpus), "--store", str(store)])
        built = GraphStore(store, read_only=True)
        quads = sum(1 for _ in built.quads())
        built.close()
        actor, routes = route_times(store, args.requests)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mb = 2**20
    ones = done["one"]

    def within(kind: str) -> str:
        return Spread.of(
            [a.seconds / b.seconds for a, b in zip(ones, done[kind], strict=True)]
        ).show()

    rows = []
    for kind, (name, _) in KINDS.items():
        n = args.small if kind == "small" else args.docs
        seconds = Spread.of([r.seconds for r in done[kind]])
        rows.append((
            name, n, seconds.show(".1f"), f"{n / seconds.median:.1f}",
            within(kind) if n == args.docs else "",
            Spread.of([r.cpu for r in done[kind]]).show(".1f"),
            f"{Spread.of([r.cpu / r.seconds for r in done[kind]]).median:.2f}",
            Spread.of([r.tree_peak / mb for r in done[kind]]).show(".0f"),
        ))  # fmt: skip
    rows.append(
        ("1 process, the same corpus again (nothing to extract)", args.docs,
         f"{again.seconds:.1f} (1 run)", f"{args.docs / again.seconds:.1f}", "",
         f"{again.cpu:.1f}", f"{again.cpu / again.seconds:.2f}", f"{again.tree_peak / mb:.0f}")
    )  # fmt: skip
    body = header(
        "build_scale",
        f"`diplokg build` of {args.docs} and {args.small} generated reports (`bench/generate.py`), "
        "each into a fresh store, a separate process timed from its start (Python, imports and "
        f"the model included); {args.repeat} rounds.",
    )
    body += "\n" + table(
        ["build", "documents", "seconds: median (min–max)", "docs/s", "speed-up on 1 process",
         "CPU seconds (all processes)", "cores busy (CPU / wall)", "peak memory MB"],
        rows,
    )  # fmt: skip
    speedup = Spread.of([a.seconds / b.seconds for a, b in zip(ones, done["two"], strict=True)])
    on_dask = Spread.of([a.seconds / b.seconds for a, b in zip(ones, done["dask"], strict=True)])
    growth = Spread.of(
        [a.tree_peak / b.tree_peak for a, b in zip(ones, done["small"], strict=True)]
    )
    body += (
        f"\n2 workers against 1: **{speedup.median:.2f}×** (target ≥ 1.6: "
        f"{verdict(speedup.median >= 1.6)}); the Dask LocalCluster with 2 workers against 1 "
        f"process: **{on_dask.median:.2f}×**; peak memory of {args.docs} against {args.small} "
        f"documents: **{growth.median:.2f}×** (target ≤ 1.2: {verdict(growth.median <= 1.2)}).\n"
    )
    cores = os.cpu_count() or 1
    bound = Spread.of([cores * a.seconds / b.cpu for a, b in zip(ones, done["two"], strict=True)])
    body += (
        f"\nOn {cores} cores a build can be at most cores × (1-process wall time) / (its own CPU "
        f"time) faster than the 1-process one: for `--workers 2`, **{bound.median:.2f}×** "
        "(the 1-process build already keeps more than one core busy: the store's writer thread "
        "and the bulk loader's own threads run beside the extraction).\n"
    )
    body += (
        f"\nRoutes of `diplokg serve` on the store of the 1-process build ({args.docs} documents, "
        f"{quads:,} quads in named graphs), about `{actor}` (the actor in most events), "
        f"{args.requests} sequential requests each after a first, cold one:\n\n"
    )
    body += table(
        ["route", "first request ms", "p50 ms", "p99 ms", "max ms"],
        [
            (f"`{route.replace(actor, '{id}')}`", f"{first:.0f}", f"{quantile(rest, 0.5):.1f}",
             f"{quantile(rest, 0.99):.1f}", f"{max(rest):.1f}")
            for route, first, rest in routes
        ],
    )  # fmt: skip
    relations = quantile(routes[0][2], 0.99)
    body += (
        f"\np99 of the relations route: **{relations:.1f} ms** (target < {RELATIONS_TARGET_MS:.0f}"
        f" ms: {verdict(relations < RELATIONS_TARGET_MS)}).\n"
    )
    publish("build_scale", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
