"""Build a graph from inputs: read documents, extract, and write to a store and/or a file.

The CLI, the HTTP `POST /documents` route and the notebooks all go through here. A build streams:
documents are read, extracted and written one after another, and `--out` is written as it goes,
so neither the corpus nor the graph is held in memory. A document whose text and extractor
version the store holds already is not extracted again (not even parsed). New documents go
into the store a batch at a time (`GraphStore.batch`), each batch one atomic write, so a build
killed at any moment leaves whole documents only, and the next build does the rest.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from pyoxigraph import Quad

from kg.corpus import MAX_TEXT, InputError
from kg.export.rdf import RdfFile, chunks
from kg.extract import extract_all
from kg.nlp import load_pipeline
from kg.rdf import extraction_quads
from kg.records import Document, Extraction
from kg.store import DocumentBatch, GraphStore, Status

Extractor = Callable[[Iterator[Document]], Iterator[Extraction]]


@dataclass
class BuildReport:
    """What a build did: per-document status, errors and notes, in input order."""

    statuses: dict[str, Status] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quads: int = 0
    extracted: int = 0  # documents the pipeline read (unchanged ones are not)

    @property
    def ok(self) -> bool:
        return not self.errors


def build(
    items: Iterable[Document | InputError],
    *,
    store: GraphStore | None = None,
    out: Path | None = None,
    model: str | None = None,
    on_document: Callable[[Document | InputError], None] | None = None,
    extractor: Extractor | None = None,
    started: dt.datetime | None = None,
) -> BuildReport:
    """Extract every document; each one goes into the store as one transaction.

    A bad input is recorded and skipped: nothing of it is written. `extractor` turns documents
    into extractions (default: this process's pipeline, loaded when the first document needs it;
    `kg.parallel` has process pools and Dask).
    """
    report = BuildReport()
    started = started or dt.datetime.now(dt.UTC).replace(microsecond=0)
    sink = OutFile(out) if out is not None else None
    notify = on_document or (lambda _: None)
    writer = store.batch(started=started) if store is not None else None
    try:
        todo = _admit(items, report, store, sink, notify)
        for extraction in (extractor or local_extractor(model))(todo):
            _take(extraction, report, writer, sink, started)
            notify(extraction.document)
        if sink is not None:
            report.quads = sink.close()
            sink = None
    finally:
        if sink is not None:
            sink.abort()
        if store is not None and writer is not None:
            writer.flush()
            store.flush()
    if store is not None and wrote_most_of(report, store):
        store.optimize()
    return report


def wrote_most_of(report: BuildReport, store: GraphStore) -> bool:
    """Whether the build wrote at least half of the store's documents (a new store, or one it
    doubled): then the store is compacted. Compaction costs time in proportion to the store, so
    running it only once the store has doubled keeps the cost of many builds linear."""
    written = sum(1 for status in report.statuses.values() if status != "unchanged")
    return written > 0 and 2 * written >= store.graph_count()


def local_extractor(model: str | None = None) -> Extractor:
    """Extraction in this process; the pipeline is loaded only if a document needs it."""

    def extract(documents: Iterator[Document]) -> Iterator[Extraction]:
        first = next(documents, None)
        if first is None:
            return
        yield from extract_all(chain([first], documents), load_pipeline(model))

    return extract


def _admit(
    items: Iterable[Document | InputError],
    report: BuildReport,
    store: GraphStore | None,
    sink: OutFile | None,
    notify: Callable[[Document | InputError], None],
) -> Iterator[Document]:
    """The documents that need extracting; errors, duplicates, texts over the limit and
    documents the store holds already are dealt with here."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Document):
            problem = _problem(item, seen)
            if problem is None:
                seen[item.id] = item.origin
                if store is not None and store.is_current(item.id, item.text):
                    report.statuses[item.id] = "unchanged"
                    report.events[item.id] = store.event_count(item.id)
                    if sink is not None:
                        sink.write(store.document_quads(item.id))
                    notify(item)
                    continue
                yield item
                continue
            item = problem
        report.errors.append(item)
        notify(item)


def _problem(document: Document, seen: dict[str, str]) -> InputError | None:
    where = document.origin or document.id
    if document.id in seen:
        return InputError(
            where, f"duplicate document id {document.id!r} (first at {seen[document.id]})"
        )
    if len(document.text) > MAX_TEXT:
        return InputError(
            where,
            f"the text is {len(document.text):,} characters long, over the pipeline's limit of "
            f"{MAX_TEXT:,}: split it into smaller documents",
        )
    return None


def _take(
    extraction: Extraction,
    report: BuildReport,
    store: DocumentBatch | None,
    sink: OutFile | None,
    started: dt.datetime,
) -> None:
    doc = extraction.document
    report.extracted += 1
    report.events[doc.id] = len(extraction.events)
    report.notes.extend(f"{doc.origin or doc.id}: {note}" for note in extraction.notes)
    if store is not None:
        report.statuses[doc.id] = store.add(extraction)
    if sink is not None:
        sink.write(list(extraction_quads(extraction, started)))


class OutFile:
    """`build --out`: dataset formats are written document by document; triple formats (the
    merge, each triple once) gather the quads in a temporary on-disk store beside the file and
    write its merge at the end, so memory stays flat either way."""

    def __init__(self, path: Path) -> None:
        self.file = RdfFile(path)
        self._scratch: GraphStore | None = None
        self._folder: Path | None = None
        if not self.file.format.supports_datasets:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folder = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
            self._scratch = GraphStore(self._folder / "store")

    def write(self, quads: list[Quad]) -> None:
        if self._scratch is not None:
            self._scratch.add_quads(quads)
        else:
            self.file.write(quads)

    def close(self) -> int:
        """Finish the file; how many quads (or, for a triple format, triples) it holds."""
        if self._scratch is not None:
            count = 0
            for batch in chunks(
                Quad(t.subject, t.predicate, t.object) for t in self._scratch.merged_triples()
            ):
                self.file.write(batch)
                count += len(batch)
            self._drop_scratch()
            self.file.close()
            return count
        self.file.close()
        return self.file.count

    def abort(self) -> None:
        self.file.abort()
        self._drop_scratch()

    def _drop_scratch(self) -> None:
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
