"""Latency under load: 50 clients for 60 s against a live `diplokg serve`, with Oxigraph's own
server (`oxigraph serve`, same quads, same SPARQL queries) measured in the same run as the anchor.

    python bench/load_http.py [--docs 300] [--seconds 60] [--clients 50] [--write bench/RESULTS.md]

The store is a generated corpus's graph (bench/generate.py, no spaCy). Each load runs for
`--seconds` with `--clients` connections each sending its next request as soon as the last one
is answered: issue 9's mix (SPARQL and `/actors?q=`, half each), the other REST routes, SPARQL
alone, and the anchor. It reports, per load, requests, failures, throughput and p50 / p99 latency,
and the CPU seconds of diplokg's server process against those of its query workers (the REST work
belongs in the workers). Exits non-zero if a request failed or the mix's p99 is 1 s or more.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import RUN_STARTED, extractions
from procs import BIN, free_port, serving
from pyoxigraph import RdfFormat, serialize
from results import header, publish, quantile, table

from kg.rdf import extraction_quads
from kg.store import GraphStore

PREFIX = (
    "PREFIX dip: <https://w3id.org/diplokg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
SPARQL = [
    PREFIX + "SELECT ?e ?date WHERE { ?e a dip:Meeting ; dip:date ?date } ORDER BY ?date LIMIT 100",
    PREFIX + "SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dip:participant ?a } "
    "GROUP BY ?a ORDER BY DESC(?n) LIMIT 10",
    # one pattern over actor facts: Oxigraph's union default graph repeats a triple once per
    # document graph that holds it, so a join of actor facts would multiply there (a 50 MB answer)
    PREFIX + "SELECT DISTINCT ?s ?iso WHERE { ?s dip:iso3 ?iso } ORDER BY ?iso",
    PREFIX + "ASK { ?e a dip:Agreement }",
    PREFIX + "CONSTRUCT { ?e dip:participant ?a } WHERE { ?e a dip:Meeting ; dip:participant ?a } "
    "LIMIT 200",
]
#: what users type into a search box: parts of names, in any case
SEARCHES = ["a", "korea", "min", "UNI", "pres", "ch", "sta", "e", "rus", "na"]

Request = tuple[str, str, str | None]  # method, path (with query string), body


@dataclass(frozen=True)
class Result:
    name: str
    latencies: list[float]
    failures: int
    seconds: float
    reasons: dict[str, int]
    server_cpu: float | None = None  # CPU seconds of diplokg's server process
    worker_cpu: float | None = None  # CPU seconds of its query workers

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def p(self, q: float) -> float:
        return quantile(self.latencies, q) * 1000

    def row(self) -> list[object]:
        cpu = (
            f"{self.server_cpu:.0f} / {self.worker_cpu:.0f}"
            if self.server_cpu is not None and self.worker_cpu is not None
            else "–"
        )
        return [
            self.name,
            self.requests,
            self.failures,
            f"{self.requests / self.seconds:.0f}",
            f"{statistics.median(self.latencies) * 1000:.0f}",
            f"{self.p(0.99):.0f}",
            cpu,
        ]


def sparql_requests(path: str) -> list[Request]:
    found: list[Request] = []
    for query in SPARQL:
        found.append(("POST", path, query))
        found.append(("GET", str(httpx.URL(path, params={"query": query})), None))
    return found


def mix(path: str) -> list[Request]:
    """Issue 9's load: SPARQL queries and actor searches, half each."""
    searches = [("GET", f"/actors?q={q}", None) for q in SEARCHES]
    queries = sparql_requests(path)
    return [r for pair in zip(itertools.cycle(queries), searches, strict=False) for r in pair]


def rest(actors: list[str]) -> list[Request]:
    """The other REST routes, on the most connected actors."""
    found: list[Request] = []
    for actor in actors:
        found += [
            ("GET", f"/actors/{actor}", None),
            ("GET", f"/actors/{actor}/relations?limit=10", None),
            ("GET", f"/events?actor={actor}&since=2015-01-01&until=2019-12-31&limit=20", None),
        ]
    return [*found, ("GET", "/events?limit=20", None), ("GET", "/actors?type=Person", None)]


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds so far of a process, and of its descendants."""
    root = psutil.Process(pid)
    own = sum(root.cpu_times()[:2])
    children = 0.0
    for child in root.children(recursive=True):
        try:
            children += sum(child.cpu_times()[:2])
        except psutil.Error:
            continue
    return own, children


async def drive(
    name: str, base: str, plan: list[Request], clients: int, seconds: float, pid: int | None
) -> Result:
    """`clients` connections sending the plan's requests in turn for `seconds`; time each.

    The client is aiohttp, not httpx: on these 2 cores httpx's pool spent about 12 ms of CPU per
    request at 50 connections (against 0.9 ms for aiohttp), more than diplokg's server and
    workers together, so the load generator itself made the tail it was measuring."""
    latencies: list[float] = []
    reasons: Counter[str] = Counter()
    turn = itertools.count()
    before = cpu_seconds(pid) if pid else None
    started = time.perf_counter()
    deadline = started + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:

        async def client() -> None:
            while time.perf_counter() < deadline:
                method, path, body = plan[next(turn) % len(plan)]
                sent = time.perf_counter()
                headers = {"Content-Type": "application/sparql-query"} if body else None
                try:
                    async with http.request(method, path, data=body, headers=headers) as answer:
                        await answer.read()
                        status = answer.status
                    if status != 200:
                        reasons[f"{status} {method} {path.split('?')[0]}"] += 1
                except (aiohttp.ClientError, TimeoutError) as err:
                    reasons[f"{type(err).__name__} {method} {path.split('?')[0]}"] += 1
                latencies.append(time.perf_counter() - sent)

        await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    cpu = None
    if pid and before:
        after = cpu_seconds(pid)
        cpu = (after[0] - before[0], after[1] - before[1])
    return Result(
        name,
        latencies,
        sum(reasons.values()),
        elapsed,
        dict(reasons),
        cpu[0] if cpu else None,
        cpu[1] if cpu else None,
    )


def build(workdir: Path, docs: int) -> tuple[Path, Path, int]:
    """The generated corpus's graph in a diplokg store and, loaded by Oxigraph's own loader,
    the same quads for the anchor; returns the two and the quad count."""
    store_path, dump = workdir / "store", workdir / "graph.nq"
    store = GraphStore(store_path)
    quads = 0
    with dump.open("wb") as out:
        for extraction in extractions(docs):
            store.add(extraction, started=RUN_STARTED)
            batch = list(dict.fromkeys(extraction_quads(extraction, RUN_STARTED)))
            out.write(serialize(batch, format=RdfFormat.N_QUADS) or b"")
            quads += len(batch)
    store.close()
    anchor = workdir / "oxigraph"
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(anchor), "--file", str(dump)],
        check=True, capture_output=True,
    )  # fmt: skip
    return store_path, anchor, quads


def top_actors(base: str, n: int = 5) -> list[str]:
    query = SPARQL[1]
    answer = httpx.get(f"{base}/sparql", params={"query": query}, timeout=120).json()
    return [b["a"]["value"].rsplit("/", 1)[1] for b in answer["results"]["bindings"]][:n]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=300, help="generated documents in the store")
    parser.add_argument("--seconds", type=float, default=60, help="length of each load")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--write", type=Path, help="rewrite this section of the results file")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="diplokg-load-"))
    try:
        store, anchor, quads = build(workdir, args.docs)
        ours, theirs = free_port(), free_port()
        base, anchor_base = f"http://127.0.0.1:{ours}", f"http://127.0.0.1:{theirs}"
        serve = [str(BIN / "diplokg"), "serve", "--store", str(store), "--port", str(ours)]
        oxigraph = [
            str(BIN / "oxigraph"), "serve", "--location", str(anchor),
            "--bind", f"127.0.0.1:{theirs}", "--union-default-graph",
        ]  # fmt: skip
        with serving(serve, f"{base}/actors?limit=1") as pid, serving(oxigraph, anchor_base):
            actors = top_actors(base)
            for warm_base, warm in ((base, mix("/sparql") + rest(actors)), (anchor_base, [])):
                if warm:
                    asyncio.run(drive("warm-up", warm_base, warm, 4, 5, None))
            runs = [
                ("diplokg: SPARQL + /actors?q= (issue 9)", base, mix("/sparql"), pid),
                ("diplokg: other REST routes", base, rest(actors), pid),
                ("diplokg: SPARQL", base, sparql_requests("/sparql"), pid),
                ("oxigraph serve: SPARQL (anchor)", anchor_base, sparql_requests("/query"), None),
            ]
            results = [
                asyncio.run(drive(name, url, plan, args.clients, args.seconds, server))
                for name, url, plan, server in runs
            ]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    issue, _, sparql, anchor_run = results
    body = header(
        "HTTP load (load_http)",
        f"{args.clients} clients for {args.seconds:g} s per load on a store of {args.docs} "
        f"generated documents ({quads} quads); diplokg with its defaults (one query worker per "
        "core). CPU is seconds used during the load by diplokg's server process / its workers.",
    )
    body += "\n" + table(
        ["load", "requests", "failed", "req/s", "p50 ms", "p99 ms", "CPU server / workers"],
        [r.row() for r in results],
    )
    ratio = (sparql.requests / sparql.seconds) / (anchor_run.requests / anchor_run.seconds)
    target = issue.failures == 0 and issue.p(0.99) < 1000
    body += (
        f"\nSPARQL throughput diplokg / oxigraph serve: **{ratio:.2f}**. Issue 9's target (0 "
        f"failures, p99 under 1 s for SPARQL + `/actors?q=`): **{'met' if target else 'not met'}**"
        f" ({issue.failures} failures, p99 {issue.p(0.99):.0f} ms).\n"
    )
    for r in results:
        if r.reasons:
            body += f"\nFailures of {r.name}: {r.reasons}\n"
    publish("load_http", body, args.write)
    return 0 if target and not any(r.failures for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
