"""Running the extractor over gold documents and PLOVER sentences (the only part that needs spaCy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kg.evaluate.gold import Gold, GoldSummary, score_documents
from kg.evaluate.plover import PloverRecord, PloverResult, plover_document, score_plover
from kg.records import Document

if TYPE_CHECKING:
    from spacy.language import Language


def run_gold(golds: Sequence[tuple[Gold, Document]], nlp: Language) -> GoldSummary:
    """Extract each gold file's document (in nlp.pipe batches) and score it."""
    from kg.extract import extract_all

    extractions = extract_all((doc for _, doc in golds), nlp)
    return score_documents(zip((g for g, _ in golds), extractions, strict=True))


def run_plover(records: Sequence[PloverRecord], nlp: Language) -> PloverResult:
    """Extract every record's sentence (in nlp.pipe batches) and score the lot."""
    from kg.extract import extract_all

    extractions = list(extract_all((plover_document(r) for r in records), nlp, batch_size=64))
    return score_plover(records, extractions)


def model_info(nlp: Language) -> dict[str, Any]:
    """What produced the numbers: the spaCy pipeline, spaCy and diplokg versions."""
    import spacy

    from kg import __version__

    meta = nlp.meta
    return {
        "name": f"{meta.get('lang', '')}_{meta.get('name', '')}".strip("_"),
        "version": str(meta.get("version", "")),
        "spacy": spacy.__version__,
        "diplokg": __version__,
        "pipes": list(nlp.pipe_names),
    }
