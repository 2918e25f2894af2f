"""The store at scale: the cost of keeping the merged default graph, and `diplokg load` into
`oxigraph serve` against Oxigraph's own bulk loader.

    python bench/load_store.py [--docs 2000] [--write bench/RESULTS.md]

1. Writes: the generated graph of `--docs` reports (`bench/generate.py`) added document by
   document through `GraphStore.add` (named graph + merge, one transaction each) against the same
   quads added to a bare pyoxigraph store (named graphs only: what the union default graph
   needed); replacing and removing a document; an update of unknown scope (a pass over the store).
2. Queries: the same SPARQL over the merge and over the bare store's union default graph.
3. Loading: `diplokg load --store` into a fresh `oxigraph serve` against `oxigraph load` of the
   same N-Quads into a fresh folder (the anchor), and the triples both hold.

Rewrites its own section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx
from pyoxigraph import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import extractions
from results import header, publish, verdict

from kg.export import export
from kg.rdf import extraction_quads
from kg.store import GraphStore

BIN = Path(sys.executable).parent
STARTED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
PREFIXES = (
    "PREFIX dip: <https://w3id.org/diplokg/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)
QUERIES = {
    "count the triples labelling the most named actor": (
        "SELECT (COUNT(*) AS ?n) WHERE {{ ?a rdfs:label {label} }}"
    ),
    "that actor's partners and their shared events": (
        "SELECT ?b (COUNT(?e) AS ?n) WHERE {{ ?a rdfs:label {label} . ?e dip:participant ?a, ?b . "
        "FILTER(?a != ?b) }} GROUP BY ?b ORDER BY DESC(?n) LIMIT 10"
    ),
    "count every triple": "SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}",
}


def timed(work: object, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def writes(work: Path, docs: int, rows: list[str]) -> tuple[Path, Path, str]:
    """Section 1; the merged store, the bare store and the most frequent actor label."""
    records = list(extractions(docs))
    merged_path, bare_path = work / "merged", work / "bare"
    store = GraphStore(merged_path)
    bare = Store(str(bare_path))
    t_merged = timed(lambda: [store.add(x, started=STARTED) for x in records])
    t_bare = timed(lambda: [bare.extend(list(extraction_quads(x, STARTED))) for x in records])
    quads = sum(1 for _ in store.quads())
    merged = sum(1 for _ in store.merged_triples())
    rows.append(f"| add {docs} documents, with the merge (GraphStore.add) | {t_merged:.1f} s | "
                f"{docs / t_merged:.0f} docs/s | {t_merged / t_bare:.2f}× |")  # fmt: skip
    rows.append(f"| the same quads, named graphs only (bare pyoxigraph, anchor) | {t_bare:.1f} s | "
                f"{docs / t_bare:.0f} docs/s | 1.00× |")  # fmt: skip
    rows.append(f"| quads in named graphs / triples in the merge | {quads:,} / {merged:,} | | |")
    sample = records[: min(50, len(records))]
    edited = [replace(x, document=replace(x.document, text=x.document.text + " ")) for x in sample]
    t_replace = timed(lambda: [store.add(x, started=STARTED) for x in edited])
    t_remove = timed(lambda: [store.remove(x.document.id) for x in sample])
    rows.append(
        f"| replace a document (merge kept) | {1000 * t_replace / len(sample):.1f} ms | | |"
    )
    rows.append(f"| remove a document (merge kept) | {1000 * t_remove / len(sample):.1f} ms | | |")
    for x in sample:
        store.add(x, started=STARTED)
    update = (
        "INSERT { GRAPH ?g { ?g <https://w3id.org/diplokg/ontology#seen> true } } "
        "WHERE { GRAPH ?g { ?g a <https://w3id.org/diplokg/ontology#Document> } }"
    )
    t_update = timed(lambda: store.update(update))  # GRAPH ?g: any graph, a pass over the store
    rows.append(f"| SPARQL update writing `GRAPH ?g` (merge redone) | {t_update:.1f} s | | |")
    top = store.select(
        "SELECT ?l (COUNT(?g) AS ?n) WHERE { GRAPH ?g { ?a dip:iso3 ?c ; rdfs:label ?l } } "
        "GROUP BY ?l ORDER BY DESC(?n) LIMIT 1"
    )[0]
    store.close()
    return merged_path, bare_path, top["l"]


def queries(merged_path: Path, bare_path: Path, label: str, rows: list[str]) -> None:
    """Section 2."""
    store = GraphStore(merged_path, read_only=True)
    bare = Store.read_only(str(bare_path))
    literal = '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'
    for name, template in QUERIES.items():
        text = PREFIXES + template.format(label=literal)
        t_m = timed(lambda text=text: list(store.run_query(text)), repeat=3)  # type: ignore[misc]
        t_u = timed(
            lambda text=text: list(bare.query(text, use_default_graph_as_union=True)), repeat=3
        )  # type: ignore[misc]
        n_m = next(iter(store.run_query(text)))[0]  # type: ignore[index]
        n_u = next(iter(bare.query(text, use_default_graph_as_union=True)))[0]  # type: ignore[index]
        rows.append(
            f"| {name} | {1000 * t_m:.1f} ms (first value {n_m.value}) | "
            f"{1000 * t_u:.1f} ms (first value {n_u.value}) | {t_u / t_m:.1f}× |"
        )
    store.close()


def loading(work: Path, merged_path: Path, rows: list[str]) -> float:
    """Section 3; the ratio."""
    store = GraphStore(merged_path, read_only=True)
    dump = work / "all.nq"
    export(store, dump)
    store.close()
    command = [
        str(BIN / "oxigraph"),
        "load",
        "--location",
        str(work / "anchor"),
        "--file",
        str(dump),
    ]
    t_anchor = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "oxigraph"), "serve", "--location", str(work / "served"),
         "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        started = time.perf_counter()
        done = subprocess.run(
            [str(BIN / "diplokg"), "load", "--store", str(merged_path), "--endpoint", base + "/store"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        t_process = time.perf_counter() - started
        said = re.search(r"in ([0-9.]+) s into", " ".join(done.stderr.split()))
        t_load = float(said[1]) if said else t_process
        count = httpx.post(
            base + "/query",
            data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"}, timeout=120,
        ).json()["results"]["bindings"][0]["n"]["value"]  # fmt: skip
    finally:
        server.kill()
        server.wait(timeout=30)
    quads = sum(1 for line in dump.open("rb") if line.strip())
    rows.append(
        f"| `oxigraph load` of the N-Quads (anchor) | {t_anchor:.1f} s | {quads:,} | 1.00 |"
    )
    rows.append(f"| `diplokg load --store` into `oxigraph serve` (its own timing) | {t_load:.1f} s | "
                f"{int(count):,} | {t_anchor / t_load:.2f} |")  # fmt: skip
    rows.append(f"| the same, the whole `diplokg` process (Python start and imports too) | "
                f"{t_process:.1f} s | | {t_anchor / t_process:.2f} |")  # fmt: skip
    return t_anchor / t_load


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="diplokg-load-store-"))
    try:
        write_rows: list[str] = []
        merged_path, bare_path, label = writes(work, args.docs, write_rows)
        print("writes done", file=sys.stderr)
        query_rows: list[str] = []
        queries(merged_path, bare_path, label, query_rows)
        load_rows: list[str] = []
        ratio = loading(work, merged_path, load_rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    body = header(
        "load_store",
        f"The generated graph of {args.docs} reports (`bench/generate.py`): what keeping the "
        "merged default graph costs and buys, and `diplokg load` into `oxigraph serve`.",
    )
    body += "\n" + "\n".join([
        "| store writes | time | rate | against the anchor |",
        "|---|---|---|---|",
        *write_rows,
        "",
        "| query (best of 3) | over the merge | over the union of the graphs | union / merge |",
        "|---|---|---|---|",
        *query_rows,
        "",
        "| into a triple store | seconds | triples held | speed against the anchor |",
        "|---|---|---|---|",
        *load_rows,
        "",
        f"`diplokg load` against `oxigraph load`: **{ratio:.2f}** (target ≥ 0.5: "
        f"{verdict(ratio >= 0.5)}).",
        "",
    ])  # fmt: skip
    publish("load_store", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
