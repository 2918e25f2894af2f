"""Corpora and graphs of any size for the benchmarks, deterministic by seed.

    python bench/generate.py corpus --docs 2000 --out corpus.jsonl [--seed 0]
    python bench/generate.py graph --triples 1000000 --out graph.nq [--store DIR] [--seed 0]

`corpus` writes JSONL reports (`id`, `date`, `title`, `url`, `text`) for `diplokg build`.
`graph` writes the graph those reports state, document by document, through the project's own
RDF mapping (`kg.rdf`), without running spaCy: as N-Quads, and/or into a store through
`GraphStore.add`. It stops at the first document boundary at or past `--triples` quads.
From Python: `documents(n)`, `extractions(n)`, `write_corpus`, `write_graph` (import this file
with `bench/` on `sys.path`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import Story, story
from world import World, world

from kg.rdf import extraction_quads
from kg.records import Document, Extraction

#: The extraction run every generated graph records, so that the same seed gives the same bytes.
RUN_STARTED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def stories(n: int | None, seed: int = 0, *, cast: World | None = None) -> Iterator[Story]:
    """Reports 0 .. n-1 of `seed` (endless when n is None)."""
    cast = cast or world(seed)
    index = 0
    while n is None or index < n:
        yield story(cast, seed, index)
        index += 1


def documents(n: int, seed: int = 0) -> Iterator[Document]:
    """The first `n` generated reports."""
    return (s.document for s in stories(n, seed))


def extractions(n: int | None, seed: int = 0) -> Iterator[Extraction]:
    """What the first `n` reports state, as the extractor's records."""
    return (s.extraction for s in stories(n, seed))


def record(document: Document) -> dict[str, str]:
    """A report as one JSONL record of the corpus format `diplokg build` reads."""
    assert document.date is not None
    return {
        "id": document.id,
        "date": document.date.isoformat(),
        "title": document.title or "",
        "url": document.url or "",
        "text": document.text,
    }


def write_corpus(out: Path, docs: int, seed: int = 0) -> int:
    """Write `docs` reports as JSONL; returns the number of words written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    words = 0
    with out.open("w", encoding="utf-8") as stream:
        for document in documents(docs, seed):
            stream.write(json.dumps(record(document), ensure_ascii=False) + "\n")
            words += len(document.text.split())
    return words


def write_graph(
    triples: int, seed: int = 0, *, out: Path | None = None, store: Path | None = None
) -> tuple[int, int]:
    """Write whole document graphs until `triples` quads; returns (documents, quads)."""
    from pyoxigraph import RdfFormat, serialize

    from kg.store import GraphStore

    graph_store = GraphStore(store) if store is not None else None
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
    stream = out.open("wb") if out is not None else None
    docs = quads = 0
    try:
        for extraction in extractions(None, seed):
            if quads >= triples:
                break
            if graph_store is not None:
                graph_store.add(extraction, started=RUN_STARTED)
            batch = list(dict.fromkeys(extraction_quads(extraction, RUN_STARTED)))
            if stream is not None:
                stream.write(serialize(batch, format=RdfFormat.N_QUADS) or b"")
            docs, quads = docs + 1, quads + len(batch)
        if graph_store is not None:
            graph_store.optimize()  # as `diplokg build` does for a store it wrote most of
    finally:
        if stream is not None:
            stream.close()
        if graph_store is not None:
            graph_store.close()
    return docs, quads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    corpus = commands.add_parser("corpus", help="JSONL reports for `diplokg build`")
    corpus.add_argument("--docs", type=int, required=True)
    corpus.add_argument("--out", type=Path, required=True)
    corpus.add_argument("--seed", type=int, default=0)
    graph = commands.add_parser("graph", help="the graph of the reports, as N-Quads or a store")
    graph.add_argument("--triples", type=int, required=True)
    graph.add_argument("--out", type=Path, help="N-Quads file to write")
    graph.add_argument("--store", type=Path, help="store folder to add the documents to")
    graph.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "corpus":
        words = write_corpus(args.out, args.docs, args.seed)
        print(f"wrote {args.docs} reports ({words} words) to {args.out}", file=sys.stderr)
        return 0
    if args.out is None and args.store is None:
        parser.error("graph: give --out FILE.nq and/or --store DIR")
    if args.out is not None and args.out.suffix != ".nq":
        parser.error(f"graph: --out must be an N-Quads file (.nq), not {args.out}")
    docs, quads = write_graph(args.triples, args.seed, out=args.out, store=args.store)
    where = " and ".join(str(p) for p in (args.out, args.store) if p is not None)
    print(f"wrote {quads} quads of {docs} documents to {where}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
