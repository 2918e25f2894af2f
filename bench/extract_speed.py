"""Extraction throughput against its anchor, raw spaCy, measured in the same run.

    python bench/extract_speed.py [--repeat 3] [--write bench/RESULTS.md]

The anchor parses the texts with the same spaCy pipeline (`nlp.pipe`, our components disabled);
diplokg then parses, extracts and writes the graph of each document into an on-disk store, and
Oxigraph's own bulk loader loads the same quads as the anchor for the store step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.extract import extract_all
from kg.nlp import load_pipeline
from kg.rdf import extraction_quads
from kg.records import Document
from kg.store import GraphStore, write_quads

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DIPLOKG_SHARED", ROOT.parent / "shared"))
BIN = Path(sys.executable).parent


def corpus() -> list[Document]:
    """The bundled examples and the PLOVER sentences (as separate short documents)."""
    docs = [
        Document(id=r["id"], text=r["text"], date=dt.date.fromisoformat(r["date"]))
        for r in map(json.loads, (ROOT / "examples" / "reports.jsonl").read_text().splitlines())
        if r
    ]
    plover = SHARED / "benchmarks" / "plover_gsr" / "gsr.jsonl"
    if plover.is_file():
        for line in plover.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            docs.append(Document(id=record["id"], text=record["text"], date=dt.date(2000, 1, 1)))
    return docs


def best_of(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    docs = corpus()
    texts = [d.text for d in docs]
    nlp = load_pipeline()
    words = sum(len(t.split()) for t in texts)

    def raw_spacy() -> None:
        with nlp.select_pipes(disable=["diplokg_entity_fixes", "diplokg_triggers"]):
            for _ in nlp.pipe(texts, batch_size=16):
                pass

    def extraction() -> None:
        for _ in extract_all(docs, nlp):
            pass

    workdir = Path(tempfile.mkdtemp(prefix="diplokg-bench-"))
    extractions = list(extract_all(docs, nlp))

    def store_write() -> None:
        target = workdir / f"store-{time.perf_counter_ns()}"
        store = GraphStore(target)
        for x in extractions:
            store.add(x)
        store.close()

    dump = workdir / "all.nq"
    write_quads([q for x in extractions for q in extraction_quads(x)], dump)

    def oxigraph_load() -> None:
        target = workdir / f"ox-{time.perf_counter_ns()}"
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(target), "--file", str(dump)],
                       check=True, capture_output=True)  # fmt: skip

    try:
        t_spacy = best_of(args.repeat, raw_spacy)
        t_extract = best_of(args.repeat, extraction)
        t_store = best_of(args.repeat, store_write)
        t_load = best_of(args.repeat, oxigraph_load)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    report = "\n".join([
        f"### extract_speed — {dt.date.today().isoformat()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "",
        f"`python bench/extract_speed.py --repeat {args.repeat}` — {len(docs)} documents, {words} words, best of {args.repeat}",
        "",
        "| step | seconds | docs/s | ratio to anchor |",
        "|---|---|---|---|",
        f"| raw spaCy `nlp.pipe` (anchor) | {t_spacy:.2f} | {len(docs) / t_spacy:.0f} | 1.00 |",
        f"| diplokg parse + extract | {t_extract:.2f} | {len(docs) / t_extract:.0f} | {t_extract / t_spacy:.2f} |",
        f"| oxigraph load of the same quads (anchor) | {t_load:.2f} | {len(docs) / t_load:.0f} | 1.00 |",
        f"| diplokg store writes (one transaction per document) | {t_store:.2f} | {len(docs) / t_store:.0f} | {t_store / t_load:.2f} |",
        "",
    ])  # fmt: skip
    print(report)
    if args.write:
        with args.write.open("a", encoding="utf-8") as out:
            out.write("\n" + report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
