"""The store at scale: the cost of keeping the merged default graph, and `diplokg load` into
`oxigraph serve` against Oxigraph's own bulk loader.

    python bench/load_store.py [--docs 2000] [--repeat 3] [--write bench/RESULTS.md]

1. Writes: the generated graph of `--docs` reports (`bench/generate.py`) added document by
   document through `GraphStore.add` (named graph + merge, one transaction each: what
   `POST /documents` does) and in a build's batches (`GraphStore.batch`: one bulk ingest per
   batch), against the same quads added to a bare pyoxigraph store one document per `extend`
   (named graphs only: what the union default graph needed); replacing and removing a document;
   an update of unknown scope (a pass over the store). Each time includes making the quads.
2. Queries: the same SPARQL over the merge and over the bare store's union default graph.
3. Loading: `diplokg load --store` into a fresh `oxigraph serve`, and the embedded store's own
   write path (section 1), in quads per second against `oxigraph load` of the same N-Quads into a
   fresh folder (the anchor), and the triples both hold.

Writes and loads run `--repeat` times, each into fresh stores; times are medians (min–max).

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
from functools import partial
from pathlib import Path

import httpx
from pyoxigraph import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import extractions
from results import Spread, header, publish, verdict

from kg.export import export
from kg.rdf import extraction_quads
from kg.records import Extraction
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


def add_all(store: GraphStore, records: list[Extraction]) -> None:
    for x in records:
        store.add(x, started=STARTED)


def batch_all(store: GraphStore, records: list[Extraction]) -> None:
    with store.batch(started=STARTED) as writer:
        for x in records:
            writer.add(x)


def extend_all(bare: Store, records: list[Extraction]) -> None:
    for x in records:
        bare.extend(list(extraction_quads(x, STARTED)))


def writes(
    work: Path, docs: int, repeat: int, rows: list[str]
) -> tuple[Path, Path, str, tuple[Spread, Spread, int]]:
    """Section 1; the merged store, the bare store, the most frequent actor label, and the
    seconds `GraphStore.batch` and `GraphStore.add` took over every document, with the quads
    they wrote."""
    records = list(extractions(docs))
    t_merged, t_batched, t_bare = [], [], []
    for number in range(repeat):  # fresh stores each time; the last ones are kept
        merged_path, bare_path = work / f"merged-{number}", work / f"bare-{number}"
        for old in (work / f"merged-{number - 1}", work / f"bare-{number - 1}"):
            shutil.rmtree(old, ignore_errors=True)
        one_by_one = GraphStore(work / f"one-{number}")
        t_merged.append(timed(partial(add_all, one_by_one, records)))
        one_by_one.close()
        shutil.rmtree(work / f"one-{number}", ignore_errors=True)
        store = GraphStore(merged_path)
        t_batched.append(timed(partial(batch_all, store, records)))
        if number < repeat - 1:
            store.close()
        t_bare.append(timed(partial(extend_all, Store(str(bare_path)), records)))
    merged_t, batched_t, bare_t = Spread.of(t_merged), Spread.of(t_batched), Spread.of(t_bare)
    ratio = Spread.of([m / b for m, b in zip(t_merged, t_bare, strict=True)])
    ratio_b = Spread.of([m / b for m, b in zip(t_batched, t_bare, strict=True)])
    quads = sum(1 for _ in store.quads())
    merged = sum(1 for _ in store.merged_triples())
    rows.append(f"| add {docs} documents one by one, with the merge (GraphStore.add) | "
                f"{merged_t.show('.1f', ' s')} | {docs / merged_t.median:.0f} docs/s | {ratio.show()}× |")  # fmt: skip
    rows.append(f"| the same in a build's batches, with the merge (GraphStore.batch) | "
                f"{batched_t.show('.1f', ' s')} | {docs / batched_t.median:.0f} docs/s | {ratio_b.show()}× |")  # fmt: skip
    rows.append(f"| the same quads, named graphs only (bare pyoxigraph, anchor) | "
                f"{bare_t.show('.1f', ' s')} | {docs / bare_t.median:.0f} docs/s | 1.00× |")  # fmt: skip
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
    return merged_path, bare_path, top["l"], (batched_t, merged_t, quads)


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


def served_load(work: Path, merged_path: Path, number: int) -> tuple[float, float, int]:
    """`diplokg load --store` into a fresh `oxigraph serve`: its own seconds, the whole process's
    seconds, and the quads the server then holds."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "oxigraph"), "serve", "--location", str(work / f"served-{number}"),
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
    shutil.rmtree(work / f"served-{number}", ignore_errors=True)
    return t_load, t_process, int(count)


def loading(
    work: Path, merged_path: Path, written: tuple[Spread, Spread, int], repeat: int,
    rows: list[str],
) -> tuple[Spread, float]:  # fmt: skip
    """Section 3; the ratios of `diplokg load` and of the embedded store to `oxigraph load`."""
    store = GraphStore(merged_path, read_only=True)
    dump = work / "all.nq"
    export(store, dump)
    store.close()
    quads = sum(1 for line in dump.open("rb") if line.strip())
    anchor, own, whole, held = [], [], [], 0
    for number in range(repeat):  # the anchor and diplokg alternate, each into a fresh folder
        command = [str(BIN / "oxigraph"), "load", "--location", str(work / f"anchor-{number}"),
                   "--file", str(dump)]  # fmt: skip
        if number % 2:
            t_load, t_process, held = served_load(work, merged_path, number)
        anchor.append(timed(partial(subprocess.run, command, check=True, capture_output=True)))
        shutil.rmtree(work / f"anchor-{number}", ignore_errors=True)
        if not number % 2:
            t_load, t_process, held = served_load(work, merged_path, number)
        own.append(t_load)
        whole.append(t_process)
    a, o, w = Spread.of(anchor), Spread.of(own), Spread.of(whole)
    ratio = Spread.of([x / y for x, y in zip(anchor, own, strict=True)])
    # the embedded store's writes were timed in section 1, the anchor here: medians against medians
    embedded, one_by_one, added = written
    into_store = (added / embedded.median) / (quads / a.median)  # quads per second, both sides
    singly = (added / one_by_one.median) / (quads / a.median)
    rate = quads / a.median
    rows.append(f"| `oxigraph load` of the N-Quads (anchor) | {a.show('.1f', ' s')} | "
                f"{rate:,.0f} | {quads:,} | 1.00 |")  # fmt: skip
    rows.append(f"| `diplokg load --store` into `oxigraph serve` (its own timing) | "
                f"{o.show('.1f', ' s')} | {quads / o.median:,.0f} | {held:,} | {ratio.show()} |")  # fmt: skip
    rows.append(f"| the same, the whole `diplokg` process (Python start and imports too) | "
                f"{w.show('.1f', ' s')} | {quads / w.median:,.0f} | | {a.median / w.median:.2f} |")  # fmt: skip
    rows.append(f"| the embedded store: a build's batches of every document (section 1, merge kept) | "
                f"{embedded.show('.1f', ' s')} | {added / embedded.median:,.0f} | {added:,} | "
                f"{into_store:.2f} |")  # fmt: skip
    rows.append(f"| the embedded store: `GraphStore.add` document by document (section 1) | "
                f"{one_by_one.show('.1f', ' s')} | {added / one_by_one.median:,.0f} | {added:,} | "
                f"{singly:.2f} |")  # fmt: skip
    return ratio, into_store


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="writes and loads, each fresh")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="diplokg-load-store-"))
    try:
        write_rows: list[str] = []
        merged_path, bare_path, label, written = writes(work, args.docs, args.repeat, write_rows)
        print("writes done", file=sys.stderr)
        query_rows: list[str] = []
        queries(merged_path, bare_path, label, query_rows)
        load_rows: list[str] = []
        ratio, into_store = loading(work, merged_path, written, args.repeat, load_rows)
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
        "| into a triple store | seconds, median (min–max) | quads/s | quads held | "
        "speed against the anchor |",
        "|---|---|---|---|---|",
        *load_rows,
        "",
        f"`diplokg load` against `oxigraph load`: **{ratio.median:.2f}** (median of the "
        f"{ratio.runs} paired runs; target ≥ 0.5: {verdict(ratio.median >= 0.5)}); the embedded "
        f"store's write path in a build against `oxigraph load`: **{into_store:.2f}** in quads per "
        f"second, medians (target ≥ 0.5: {verdict(into_store >= 0.5)}).",
        "",
    ])  # fmt: skip
    publish("load_store", body, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
