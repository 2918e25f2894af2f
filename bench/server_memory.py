"""Memory of the server under load: RSS of `diplokg serve` (with its query workers) and of
`oxigraph serve` on the same quads, idle and under 50 concurrent clients.

    python bench/server_memory.py [--triples 200000] [--seconds 60] [--clients 50]
                                  [--write bench/RESULTS.md]

The load is `bench/load_http.py`'s driver and mix (SPARQL and actor searches), plus its actor
routes on actors of the generated graph. diplokg gets the mixed REST + SPARQL load, `oxigraph serve` the same SPARQL.
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

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_http import Request, drive, mix, rest, sparql_requests
from procs import BIN, MiB, TreeSampler, free_port, serving
from query_scale import prepare
from results import header, publish, table


def measure(
    pid: int, base: str, plan: list[Request], clients: int, seconds: float
) -> dict[str, float]:
    """Idle RSS after a short warm-up, then the peak while `clients` send `plan` for `seconds`."""
    asyncio.run(drive("warm-up", base, plan, 10, 5, None))
    time.sleep(1)
    idle, idle_pss = TreeSampler(pid).rss(), TreeSampler(pid, pss=True).rss()
    with TreeSampler(pid) as sampler, TreeSampler(pid, 0.5, pss=True) as proportional:
        result = asyncio.run(drive("load", base, plan, clients, seconds, None))
    return {
        "idle": idle / MiB,
        "peak": sampler.peak / MiB,
        "idle_pss": idle_pss / MiB,
        "peak_pss": proportional.peak / MiB,
        "processes": 1 + len(psutil.Process(pid).children(recursive=True)),
        "failures": result.failures,
        "p50": result.p(0.5),
        "p99": result.p(0.99),
        "requests": result.requests,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=60, help="length of each load")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="diplokg-bench-memory-"))
    try:
        store_dir, anchor, quads, merged, cast = prepare(workdir, args.triples, args.seed)
        plan = mix("/sparql") + rest([cast.top, cast.middle])
        ours, theirs = free_port(), free_port()
        diplokg = [str(BIN / "diplokg"), "serve", "--store", str(store_dir), "--port", str(ours)]
        oxigraph = [str(BIN / "oxigraph"), "serve", "--location", str(anchor), "--bind",
                    f"127.0.0.1:{theirs}", *([] if merged else ["--union-default-graph"])]  # fmt: skip
        with serving(diplokg, f"http://127.0.0.1:{ours}/docs", workdir / "diplokg.log") as pid:
            ours_m = measure(pid, f"http://127.0.0.1:{ours}", plan, args.clients, args.seconds)
        with serving(oxigraph, f"http://127.0.0.1:{theirs}/", workdir / "oxigraph.log") as pid:
            theirs_m = measure(
                pid,
                f"http://127.0.0.1:{theirs}",
                sparql_requests("/query"),
                args.clients,
                args.seconds,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows = [
        (name, m["processes"], f"{m['idle']:.0f}", f"{m['peak']:.0f}", f"{m['idle_pss']:.0f}",
         f"{m['peak_pss']:.0f}", f"{m['requests']:.0f}", f"{m['failures']:.0f}", f"{m['p50']:.1f}",
         f"{m['p99']:.1f}")
        for name, m in (("diplokg serve: REST + SPARQL", ours_m), ("oxigraph serve: SPARQL (anchor)", theirs_m))
    ]  # fmt: skip
    body = "\n".join(
        [
            header(
                f"Server memory under load ({args.triples:,} triples)",
                f"{quads} quads (generated, seed {args.seed}); {args.clients} concurrent clients "
                f"for {args.seconds:.0f} s each (`bench/load_http.py`'s driver: its SPARQL and "
                "search mix plus the actor routes for diplokg, the same SPARQL for the anchor). Memory "
                "of the server's whole process tree in MiB: RSS summed (counts pages a forked "
                "worker shares with its parent once per process) and PSS (shares split).",
            ),
            table(
                (
                    "server",
                    "processes",
                    "idle RSS",
                    "peak RSS",
                    "idle PSS",
                    "peak PSS",
                    "requests",
                    "failed",
                    "p50 ms",
                    "p99 ms",
                ),
                rows,
            ),
            f"Peak ratio diplokg / oxigraph serve: RSS **{ours_m['peak'] / theirs_m['peak']:.1f}**, "
            f"PSS **{ours_m['peak_pss'] / theirs_m['peak_pss']:.1f}**.",
        ]
    )
    publish(f"server_memory {args.triples}", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
