"""Memory of the server under load: RSS of `diplokg serve` (with its query workers) and of
`oxigraph serve` on the same quads, idle and under 50 concurrent clients.

    python bench/server_memory.py [--triples 200000] [--requests 2000] [--clients 50]
                                  [--write bench/RESULTS.md]

The load is `bench/load_http.py`'s driver and SPARQL mix; the REST part asks about actors of the
generated graph. diplokg gets the mixed REST + SPARQL load, `oxigraph serve` the same SPARQL.
The RSS of each server's process tree is sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_http import drive, sparql_plan
from procs import BIN, MiB, TreeSampler, free_port, serving
from query_scale import prepare
from results import header, publish, table

Plan = list[tuple[str, str, str | None]]


def mixed(requests: int, rest: list[str]) -> Plan:
    """Half SPARQL (load_http's mix), half REST, interleaved."""
    sparql = sparql_plan(requests // 2, "/sparql")
    plan: Plan = []
    for i in range(requests):
        plan.append(
            sparql[i // 2]
            if i % 2 == 0 and i // 2 < len(sparql)
            else ("GET", rest[i % len(rest)], None)
        )
    return plan


def measure(pid: int, base: str, plan: Plan, clients: int) -> dict[str, float]:
    """Idle RSS after a warm-up, then the peak while `plan` runs."""
    asyncio.run(drive("warm-up", base, plan[:50], 10))
    time.sleep(1)
    idle = TreeSampler(pid).rss()
    with TreeSampler(pid) as sampler:
        result = asyncio.run(drive("load", base, plan, clients))
    return {
        "idle": idle / MiB,
        "peak": sampler.peak / MiB,
        "failures": result.failures,
        "p50": result.quantile(0.5),
        "p99": result.quantile(0.99),
        "requests": result.requests,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="diplokg-bench-memory-"))
    try:
        store_dir, anchor, quads, merged, cast = prepare(workdir, args.triples, args.seed)
        rest = [
            f"/actors/{cast.top}",
            f"/actors/{cast.middle}/relations",
            f"/events?actor={cast.middle}",
            f"/actors?q={cast.needle}",
            f"/paths?a={cast.path_from}&b={cast.path_to}",
        ]
        ours, theirs = free_port(), free_port()
        diplokg = [str(BIN / "diplokg"), "serve", "--store", str(store_dir), "--port", str(ours)]
        oxigraph = [str(BIN / "oxigraph"), "serve", "--location", str(anchor), "--bind",
                    f"127.0.0.1:{theirs}", *([] if merged else ["--union-default-graph"])]  # fmt: skip
        with serving(diplokg, f"http://127.0.0.1:{ours}/docs", workdir / "diplokg.log") as pid:
            ours_m = measure(
                pid, f"http://127.0.0.1:{ours}", mixed(args.requests, rest), args.clients
            )
        with serving(oxigraph, f"http://127.0.0.1:{theirs}/", workdir / "oxigraph.log") as pid:
            theirs_m = measure(
                pid,
                f"http://127.0.0.1:{theirs}",
                sparql_plan(args.requests, "/query"),
                args.clients,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows = [
        (name, f"{m['idle']:.0f}", f"{m['peak']:.0f}", f"{m['requests']:.0f}", f"{m['failures']:.0f}",
         f"{m['p50']:.1f}", f"{m['p99']:.1f}")
        for name, m in (("diplokg serve: REST + SPARQL", ours_m), ("oxigraph serve: SPARQL (anchor)", theirs_m))
    ]  # fmt: skip
    body = "\n".join(
        [
            header(
                f"Server memory under load ({args.triples:,} triples)",
                f"{quads} quads (generated, seed {args.seed}); {args.clients} concurrent clients, "
                f"{args.requests} requests; RSS of the server's whole process tree, MiB.",
            ),
            table(
                ("server", "idle MiB", "peak MiB", "requests", "failed", "p50 ms", "p99 ms"), rows
            ),
            f"Peak RSS ratio diplokg / oxigraph serve: **{ours_m['peak'] / theirs_m['peak']:.2f}**.",
        ]
    )
    publish(f"server_memory {args.triples}", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
