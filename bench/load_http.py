"""Load test: 50 concurrent clients against a live `diplokg serve`, with Oxigraph's own server
(`oxigraph serve`, same data, same SPARQL queries) measured in the same run as the anchor.

    python bench/load_http.py [--requests 3000] [--clients 50] [--write bench/RESULTS.md]

Reports throughput and p50/p99 latency for the mixed REST + SPARQL load, the SPARQL-only load,
and the anchor; exits non-zero if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SHARED = Path(os.environ.get("DIPLOKG_SHARED", ROOT.parent / "shared"))

PREFIX = "PREFIX dip: <https://w3id.org/diplokg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SPARQL = [
    PREFIX + "SELECT ?e ?date WHERE { ?e a dip:Meeting ; dip:date ?date } ORDER BY ?date",
    PREFIX
    + "SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dip:participant ?a } GROUP BY ?a ORDER BY DESC(?n) LIMIT 10",
    PREFIX + "SELECT ?label ?iso WHERE { ?s a dip:State ; rdfs:label ?label ; dip:iso3 ?iso }",
    PREFIX + "ASK { ?e a dip:Agreement }",
    PREFIX
    + "CONSTRUCT { ?e dip:participant ?a } WHERE { ?e a dip:Event ; dip:participant ?a } LIMIT 200",
]
REST = [
    "/actors?q=korea",
    "/actors/USA",
    "/actors/PRK/relations",
    "/actors?type=Person&limit=20",
    "/events?type=Meeting",
]


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    failures: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def row(self) -> str:
        return (
            f"| {self.name} | {self.requests} | {self.failures} | {self.throughput:.0f} | "
            f"{statistics.median(self.latencies) * 1000:.1f} | {self.quantile(0.99):.1f} |"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


@contextmanager
def running(cmd: list[str], probe: str) -> Iterator[None]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(probe)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def build_data(workdir: Path) -> tuple[Path, Path]:
    """The diplokg store and, loaded by Oxigraph's own loader, the same quads for the anchor."""
    store, dump = workdir / "store", workdir / "graph.nq"
    inputs = [str(ROOT / "examples" / "reports.jsonl")]
    sample = SHARED / "corpus" / "korea-olympics-2018.txt"
    if sample.is_file():
        inputs.append(str(sample))
    subprocess.run(
        [str(BIN / "diplokg"), "build", *inputs, "--store", str(store), "--out", str(dump), "--date", "2018-01-12"],
        check=True, capture_output=True,
    )  # fmt: skip
    anchor = workdir / "oxigraph"
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(anchor), "--file", str(dump)],
        check=True, capture_output=True,
    )  # fmt: skip
    return store, anchor


async def drive(
    name: str, base: str, plan: list[tuple[str, str, str | None]], clients: int
) -> Result:
    """Send the planned requests with `clients` concurrent connections; time each one."""
    queue: asyncio.Queue[tuple[str, str, str | None]] = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    latencies: list[float] = []
    failures = 0
    reasons: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:

        async def worker() -> None:
            nonlocal failures
            while not queue.empty():
                method, path, body = queue.get_nowait()
                started = time.perf_counter()
                try:
                    if method == "GET":
                        response = await http.get(path)
                    else:
                        response = await http.post(
                            path, content=body, headers={"Content-Type": "application/sparql-query"}
                        )
                    ok = response.status_code == 200
                    if not ok:
                        reasons[f"{response.status_code} {method} {path.split('?')[0]}"] += 1
                except httpx.HTTPError as err:
                    ok = False
                    reasons[type(err).__name__] += 1
                latencies.append(time.perf_counter() - started)
                failures += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        seconds = time.perf_counter() - started
    if reasons:
        print(f"{name}: failures {dict(reasons)}", file=sys.stderr)
    return Result(name, len(plan), failures, seconds, latencies)


def sparql_plan(n: int, path: str) -> list[tuple[str, str, str | None]]:
    plan: list[tuple[str, str, str | None]] = []
    for i in range(n):
        query = SPARQL[i % len(SPARQL)]
        if i % 2:
            plan.append(("POST", path, query))
        else:
            plan.append(("GET", str(httpx.URL(path, params={"query": query})), None))
    return plan


def mixed_plan(n: int) -> list[tuple[str, str, str | None]]:
    plan = sparql_plan(n // 2, "/sparql")
    plan += [("GET", REST[i % len(REST)], None) for i in range(n - len(plan))]
    return [plan[i] for i in sorted(range(len(plan)), key=lambda i: (i * 7919) % len(plan))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--write", type=Path, help="append the results table to this markdown file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="diplokg-bench-"))
    try:
        store, anchor = build_data(workdir)
        ours, theirs = free_port(), free_port()
        with (
            running(
                [str(BIN / "diplokg"), "serve", "--store", str(store), "--port", str(ours)],
                f"http://127.0.0.1:{ours}/docs",
            ),
            running(
                [str(BIN / "oxigraph"), "serve", "--location", str(anchor), "--bind", f"127.0.0.1:{theirs}",
                 "--union-default-graph"],
                f"http://127.0.0.1:{theirs}/",
            ),
        ):  # fmt: skip
            base, anchor_base = f"http://127.0.0.1:{ours}", f"http://127.0.0.1:{theirs}"
            warm = sparql_plan(50, "/sparql")
            asyncio.run(drive("warm-up", base, warm, 10))
            asyncio.run(drive("warm-up", anchor_base, sparql_plan(50, "/query"), 10))
            mixed = asyncio.run(
                drive("diplokg: REST + SPARQL", base, mixed_plan(args.requests), args.clients)
            )
            sparql = asyncio.run(
                drive("diplokg: SPARQL", base, sparql_plan(args.requests, "/sparql"), args.clients)
            )
            oxigraph = asyncio.run(
                drive(
                    "oxigraph serve: SPARQL (anchor)",
                    anchor_base,
                    sparql_plan(args.requests, "/query"),
                    args.clients,
                )
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    results = [mixed, sparql, oxigraph]
    table = [
        "| load | requests | failed | req/s | p50 ms | p99 ms |",
        "|---|---|---|---|---|---|",
        *(r.row() for r in results),
        "",
        f"SPARQL throughput ratio diplokg / oxigraph serve: **{sparql.throughput / oxigraph.throughput:.2f}**; "
        f"p50 latency ratio: **{statistics.median(sparql.latencies) / statistics.median(oxigraph.latencies):.2f}**.",
    ]
    header = (
        f"### load_http — {dt.date.today().isoformat()}, {args.clients} clients, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}\n\n"
        f"`python bench/load_http.py --requests {args.requests} --clients {args.clients}`\n"
    )
    report = header + "\n" + "\n".join(table) + "\n"
    print(report)
    if args.write:
        with args.write.open("a", encoding="utf-8") as out:
            out.write("\n" + report)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
