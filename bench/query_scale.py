"""Queries at scale: five SPARQL queries on diplokg's `/sparql` and on `oxigraph serve` (same data),
and the REST routes under 8 concurrent clients.

    python bench/query_scale.py [--triples 1000000] [--repeat 30] [--rest-requests 200]
                                [--clients 8] [--write bench/RESULTS.md]
                                [--workdir DIR] [--no-rest]

With `--workdir`, the two stores are kept in DIR and reused by the next run with the same
`--triples` and `--seed` (building the 1M-triple store takes minutes); `--no-rest` times only the
SPARQL queries.

The graph comes from `bench/generate.py`, written through `GraphStore.add` (the store's own
write path); Oxigraph's loader loads the store's own export, so both servers hold the same quads.
Each SPARQL query runs `--repeat` times from one client, alternating between the two servers,
and the ratio of p50 and of p99 is taken in the same run. diplokg is started with a result limit
high enough for every query's full answer (`DIPLOKG_MAX_RESULTS`), as one would for these queries.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import httpx
from pyoxigraph import DefaultGraph, RdfFormat, Store

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_graph
from procs import BIN, free_port, serving
from results import header, publish, quantile, table, verdict

from kg.namespaces import DIPR
from kg.store import GraphStore

SPARQL_JSON = "application/sparql-results+json"
PREFIXES = (
    "PREFIX dip: <https://w3id.org/diplokg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
SPARQL_TARGET, REST_TARGET_MS = 1.3, 50.0


@dataclass(frozen=True)
class Cast:
    """The actors the queries ask about, chosen from the data."""

    top: str  # the actor in most events
    middle: str  # an actor of middle rank, for the two-hop query
    path_from: str
    path_to: str
    needle: str  # a piece of label to search for


def queries(cast: Cast) -> dict[str, str]:
    top, mid = f"<{DIPR}actor/{cast.top}>", f"<{DIPR}actor/{cast.middle}>"
    return {
        "events of one actor": f"SELECT DISTINCT ?e ?class ?date WHERE {{ ?e dip:participant {top} ; a ?class . "
        "OPTIONAL { ?e dip:date ?date } }",
        "every meeting, participants, date": "SELECT DISTINCT ?e ?a ?date WHERE { ?e a dip:Meeting ; "
        "dip:participant ?a . OPTIONAL { ?e dip:date ?date } }",
        "events by class and year": "SELECT ?class ?year (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?class ; "
        "dip:date ?d . BIND(SUBSTR(STR(?d), 1, 4) AS ?year) } GROUP BY ?class ?year",
        # the first hop made distinct before the second: the flat join repeats the second hop for
        # every event the two share, and runs for minutes on both servers at 1M triples
        "counterparts of counterparts": "SELECT DISTINCT ?c2 WHERE { { SELECT DISTINCT ?c1 WHERE { "
        f"?e1 dip:participant {mid}, ?c1 . FILTER(?c1 != {mid}) }} }} "
        f"?e2 dip:participant ?c1, ?c2 . FILTER(?c2 != ?c1 && ?c2 != {mid}) }}",
        "actors whose label contains": "SELECT DISTINCT ?a ?label WHERE { ?a a dip:Actor ; rdfs:label ?label . "
        f'FILTER(CONTAINS(LCASE(?label), "{cast.needle}")) }}',
    }


def rest_routes(cast: Cast) -> dict[str, str]:
    return {
        "/actors/{id}/relations": f"/actors/{cast.top}/relations",
        "/events?actor=": f"/events?actor={cast.top}",
        "/paths": f"/paths?a={cast.path_from}&b={cast.path_to}",
        "/analysis/centrality": "/analysis/centrality",
    }


def choose_cast(store: GraphStore) -> Cast:
    ranked = store.select(
        "SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dip:participant ?a } "
        "GROUP BY ?a ORDER BY DESC(?n) ?a"
    )
    ids = [row["a"].rsplit("/", 1)[-1] for row in ranked]
    people = [
        i for i in ids if i.islower() and "-" in i and not i.startswith(("united-", "north-"))
    ]
    return Cast(
        top=ids[0],
        middle=ids[len(ids) // 20],
        path_from=people[len(people) // 2],
        path_to=ids[len(ids) // 10],
        needle="ar",
    )


def prepare(workdir: Path, triples: int, seed: int) -> tuple[Path, Path, int, bool, Cast]:
    """The diplokg store; the anchor's Oxigraph store, loaded by `oxigraph load` from a dump of
    every quad of it; the quad count; whether the store keeps a default graph of its own.
    Stores that a finished earlier run left in `workdir` for the same size and seed are reused."""
    store_dir, dump, anchor = workdir / "store", workdir / "dump.nq", workdir / "oxigraph"
    made = workdir / "made.json"
    wanted = {"triples": triples, "seed": seed}
    if made.exists() and json.loads(made.read_text()) == wanted:
        print(f"store: reused from {workdir}", file=sys.stderr)
        return _reuse(store_dir, anchor)
    for old in (made, dump):
        old.unlink(missing_ok=True)
    for old_dir in (store_dir, anchor):
        shutil.rmtree(old_dir, ignore_errors=True)
    started = time.perf_counter()
    docs, _ = write_graph(triples, seed, store=store_dir)
    print(f"store: {docs} documents in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    quads, merged, cast = _described(store_dir)
    raw = Store.read_only(str(store_dir))
    raw.dump(str(dump), format=RdfFormat.N_QUADS)
    del raw
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(anchor), "--file", str(dump)],
        check=True,
        capture_output=True,
    )
    dump.unlink()
    made.write_text(json.dumps(wanted))
    return store_dir, anchor, quads, merged, cast


def _reuse(store_dir: Path, anchor: Path) -> tuple[Path, Path, int, bool, Cast]:
    return (store_dir, anchor, *_described(store_dir))


def _described(store_dir: Path) -> tuple[int, bool, Cast]:
    """A built store's quad count, whether it keeps the merged default graph, and the actors
    the queries ask about."""
    store = GraphStore(store_dir)
    try:
        cast = choose_cast(store)
    finally:
        store.close()
    raw = Store.read_only(str(store_dir))
    quads = len(raw)
    merged = next(raw.quads_for_pattern(None, None, None, DefaultGraph()), None) is not None
    del raw
    return quads, merged, cast


def sparql_latencies(
    bases: dict[str, str], query: str, repeat: int
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Alternate the servers `repeat` times; latency in ms and the rows each answered."""
    times: dict[str, list[float]] = {name: [] for name in bases}
    rows: dict[str, int] = {}
    with httpx.Client(timeout=120) as http:
        for number in range(repeat + 2):
            for name, url in bases.items() if number % 2 else reversed(bases.items()):
                started = time.perf_counter()
                response = http.post(
                    url,
                    content=query.encode(),
                    headers={"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON},
                )
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise SystemExit(f"{name}: {response.status_code} {response.text[:300]}")
                if number >= 2:  # two warm-up rounds
                    times[name].append(elapsed)
                rows[name] = len(response.json()["results"]["bindings"])
    return times, rows


async def rest_latencies(
    base: str, path: str, requests: int, clients: int
) -> tuple[list[float], int, int]:
    """`requests` GETs of one route from `clients` concurrent clients; ms each, failures, and
    the size of the last answer in bytes."""
    latencies: list[float] = []
    failures = size = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)
    # aiohttp, as in load_http.py: httpx's pool costs more CPU per request than the server
    # measured, on the same two cores
    limits = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(base, connector=limits, timeout=timeout) as http:

        async def client() -> None:
            nonlocal failures, size
            while not queue.empty():
                queue.get_nowait()
                started = time.perf_counter()
                async with http.get(path) as response:
                    body = await response.read()
                latencies.append((time.perf_counter() - started) * 1000)
                failures += response.status != 200
                size = len(body)

        await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, failures, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--rest-requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--workdir", type=Path, help="keep the stores here, reuse them next time")
    parser.add_argument("--no-rest", action="store_true", help="time the SPARQL queries only")
    args = parser.parse_args()

    keep = args.workdir is not None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="diplokg-bench-query-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        store_dir, anchor, quads, merged, cast = prepare(workdir, args.triples, args.seed)
        union = not merged  # without a merged default graph, diplokg queries the union
        ours, theirs = free_port(), free_port()
        diplokg = [str(BIN / "diplokg"), "serve", "--store", str(store_dir), "--port", str(ours)]
        oxigraph = [
            str(BIN / "oxigraph"),
            "serve",
            "--location",
            str(anchor),
            "--bind",
            f"127.0.0.1:{theirs}",
            *(["--union-default-graph"] if union else []),
        ]
        limits = {"DIPLOKG_MAX_RESULTS": "10000000", "DIPLOKG_QUERY_TIMEOUT": "120"}
        sparql_rows, rest_rows = [], []
        with (
            serving(diplokg, f"http://127.0.0.1:{ours}/docs", workdir / "diplokg.log", limits),
            serving(oxigraph, f"http://127.0.0.1:{theirs}/", workdir / "oxigraph.log"),
        ):
            bases = {
                "diplokg": f"http://127.0.0.1:{ours}/sparql",
                "oxigraph": f"http://127.0.0.1:{theirs}/query",
            }
            for name, query in queries(cast).items():
                times, rows = sparql_latencies(bases, PREFIXES + query, args.repeat)
                p50 = {k: quantile(v, 0.5) for k, v in times.items()}
                p99 = {k: quantile(v, 0.99) for k, v in times.items()}
                r50, r99 = p50["diplokg"] / p50["oxigraph"], p99["diplokg"] / p99["oxigraph"]
                same = (
                    "" if rows["diplokg"] == rows["oxigraph"] else f" (oxigraph {rows['oxigraph']})"
                )
                sparql_rows.append(
                    (
                        name,
                        f"{rows['diplokg']}{same}",
                        f"{p50['diplokg']:.1f}",
                        f"{p99['diplokg']:.1f}",
                        f"{p50['oxigraph']:.1f}",
                        f"{p99['oxigraph']:.1f}",
                        f"{r50:.2f}",
                        f"{r99:.2f}",
                        verdict(max(r50, r99) <= SPARQL_TARGET),
                    )
                )
                print(sparql_rows[-1], file=sys.stderr)
            base = f"http://127.0.0.1:{ours}"
            for path in [] if args.no_rest else rest_routes(cast).values():
                # one client first (warm-up, then the cost of one request alone)
                alone, _, size = asyncio.run(rest_latencies(base, path, 5, 1))
                # then one untimed round from every client, so that each query worker has read
                # the route once (its first read is the cold one reported)
                asyncio.run(rest_latencies(base, path, args.clients, args.clients))
                latencies, failures, _ = asyncio.run(
                    rest_latencies(base, path, args.rest_requests, args.clients)
                )
                p99 = quantile(latencies, 0.99)
                rest_rows.append(
                    (
                        f"`{path}`",
                        f"{size / 1024:.0f}",
                        f"{alone[0]:.1f}",
                        f"{quantile(alone[1:], 0.5):.1f}",
                        len(latencies),
                        failures,
                        f"{quantile(latencies, 0.5):.1f}",
                        f"{p99:.1f}",
                        verdict(p99 < REST_TARGET_MS and not failures),
                    )
                )
                print(rest_rows[-1], file=sys.stderr)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)

    body = "\n".join(
        [
            header(
                f"Queries at {args.triples:,} triples: diplokg `/sparql` against `oxigraph serve`, and REST",
                f"{quads} quads in the store (generated, seed {args.seed}); the anchor serves "
                f"the store's own export{' as the union of its graphs' if union else ''}. "
                f"Actors asked about: `{cast.top}` (most events), `{cast.middle}` (rank 1/20) "
                f"for the two-hop query, paths `{cast.path_from}` → `{cast.path_to}`, labels "
                f'containing "{cast.needle}".',
            ),
            f"SPARQL: one client, {args.repeat} runs per query and server after "
            "2 warm-up rounds, alternating servers; ms.",
            "",
            table(
                (
                    "query",
                    "rows",
                    "diplokg p50",
                    "diplokg p99",
                    "oxigraph p50",
                    "oxigraph p99",
                    "p50 ratio",
                    "p99 ratio",
                    f"≤ {SPARQL_TARGET}×",
                ),
                sparql_rows,
            ),
            f"REST: first 5 requests from one client ('first' is the first, cold one; 'alone' the "
            f"median of the other 4), one untimed round from {args.clients} clients (so every "
            f"query worker has read the route once), then {args.rest_requests} requests per route "
            f"from {args.clients} concurrent clients; ms.",
            "",
            table(
                (
                    "route",
                    "answer KiB",
                    "first",
                    "alone p50",
                    "requests",
                    "failed",
                    "p50",
                    "p99",
                    f"p99 < {REST_TARGET_MS:.0f} ms",
                ),
                rest_rows,
            ),
        ]
    )
    publish(f"query_scale {args.triples}", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
