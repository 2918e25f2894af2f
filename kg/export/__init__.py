"""Exports of a store, chosen by the output file's extension: RDF (`kg.export.rdf`), the event
table (`kg.export.table`: .csv, .tsv) and the actor network (`kg.export.network`: .graphml, .gexf).

Every export streams from the store and writes `FILE.tmp`, renamed to FILE when complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.export.rdf import FORMATS, RdfError, RdfFile, chunks
from kg.store import GraphStore

#: What each extension exports.
KINDS: dict[str, str] = {
    **{suffix: "RDF" for suffix in FORMATS},
    ".csv": "table",
    ".tsv": "table",
    ".graphml": "network",
    ".gexf": "network",
}


class ExportError(Exception):
    """An export that cannot be written, with a one-line reason."""


@dataclass(frozen=True)
class Exported:
    """What an export wrote: how many items of which kind."""

    count: int
    unit: str  # "quads", "triples", ...


def check_output(path: Path) -> None:
    """ExportError unless `path`'s extension names an export."""
    if path.suffix.lower() not in KINDS:
        known = ", ".join(KINDS)
        raise ExportError(f"{path}: unknown export format {path.suffix!r} (use one of {known})")


def export(store: GraphStore, out: Path) -> Exported:
    """Write the store to `out` in the format its extension names."""
    check_output(out)
    kind = KINDS[out.suffix.lower()]
    try:
        if kind == "table":
            from kg.export.table import write_table

            delimiter = "\t" if out.suffix.lower() == ".tsv" else ","
            return Exported(write_table(store, out, delimiter), "event reports")
        if kind == "network":
            from kg.export.network import write_network

            nodes, edges = write_network(store, out)
            return Exported(nodes, f"actors and {edges:,} links")
        return export_rdf(store, out)
    except (RdfError, OSError) as err:
        raise ExportError(f"cannot write {out}: {err}") from None


def export_rdf(store: GraphStore, out: Path) -> Exported:
    """Datasets get every named graph (not the merge, which a reader rebuilds); triple formats
    get the merge, each triple once."""
    with RdfFile(out) as file:
        if file.format.supports_datasets:
            for batch in chunks(store.quads()):
                file.write(batch)
            return Exported(file.count, "quads")
        count = 0
        batch_size = 5000
        triples = []
        for triple in store.merged_triples():
            triples.append(triple)
            if len(triples) >= batch_size:
                file.write_raw(triples)
                count += len(triples)
                triples = []
        file.write_raw(triples)
        return Exported(count + len(triples), "triples")
