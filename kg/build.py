"""Build a graph from inputs: read documents, extract, and write to a store and/or a file.

The CLI, the HTTP `POST /documents` route and the notebooks all go through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Quad

from kg.corpus import InputError
from kg.extract import extract_all
from kg.nlp import load_pipeline
from kg.rdf import extraction_quads
from kg.records import Document, Extraction
from kg.store import GraphStore, Status, write_quads


@dataclass
class BuildReport:
    """What a build did: per-document status, errors and notes, in input order."""

    statuses: dict[str, Status] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quads: int = 0

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
) -> BuildReport:
    """Extract every document; each one goes into the store as one transaction.

    A bad input is recorded and skipped: nothing of it is written.
    """
    report = BuildReport()
    nlp = load_pipeline(model)
    collected: list[Quad] = []
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)

    documents: list[Document] = []
    for item in items:
        if isinstance(item, InputError):
            report.errors.append(item)
            if on_document:
                on_document(item)
        else:
            documents.append(item)
    seen: dict[str, str] = {}
    unique: list[Document] = []
    for document in documents:
        if document.id in seen:
            report.errors.append(
                InputError(
                    document.origin,
                    f"duplicate document id {document.id!r} (first at {seen[document.id]})",
                )
            )
            continue
        seen[document.id] = document.origin
        unique.append(document)

    for extraction in extract_all(unique, nlp):
        _take(extraction, report, store, collected if out else None, started)
        if on_document:
            on_document(extraction.document)
    if out is not None:
        write_quads(collected, out)
        report.quads = len(collected)
    if store is not None:
        store.flush()
    return report


def _take(
    extraction: Extraction,
    report: BuildReport,
    store: GraphStore | None,
    collected: list[Quad] | None,
    started: dt.datetime,
) -> None:
    doc = extraction.document
    report.events[doc.id] = len(extraction.events)
    report.notes.extend(f"{doc.origin or doc.id}: {note}" for note in extraction.notes)
    if store is not None:
        report.statuses[doc.id] = store.add(extraction, started=started)
    if collected is not None:
        collected.extend(extraction_quads(extraction, started))
