"""Running the extractor over the gold documents and the benchmarks (the only part that needs spaCy).

Every text is parsed once, in `nlp.pipe` batches; `on_done` is called after each text (progress).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kg.evaluate.cameo import CameoResult, SpanKey, score_cameo
from kg.evaluate.cameo_data import CameoData
from kg.evaluate.gold import Gold, GoldSummary, score_documents
from kg.evaluate.plover import PloverRecord, PloverResult, plover_document, score_plover
from kg.records import Document, Extraction

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

Progress = Callable[[], None] | None
HEAD_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


def _parsed(
    documents: Iterable[Document], nlp: Language, batch_size: int, on_done: Progress
) -> Iterator[tuple[Doc, Extraction]]:
    """Each document's parse and extraction, in order."""
    from kg.extract import extract_doc

    pairs = ((d.text, d) for d in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield doc, extract_doc(document, doc)
        if on_done is not None:
            on_done()


def run_gold(
    golds: Sequence[tuple[Gold, Document]], nlp: Language, on_done: Progress = None
) -> GoldSummary:
    """Extract each gold file's document and score it."""
    extractions = [x for _, x in _parsed((doc for _, doc in golds), nlp, 16, on_done)]
    return score_documents(zip((g for g, _ in golds), extractions, strict=True))


def run_plover(
    records: Sequence[PloverRecord], nlp: Language, on_done: Progress = None
) -> PloverResult:
    """Extract every record's sentence and score the lot."""
    docs = (plover_document(r) for r in records)
    return score_plover(records, [x for _, x in _parsed(docs, nlp, 64, on_done)])


def run_cameo(data: CameoData, nlp: Language, on_done: Progress = None) -> CameoResult:
    """Extract every distinct sentence of the benchmark once; read the spans' heads in its parse."""
    texts = data.texts()
    documents = (Document(id=f"cameo-{i}", text=t) for i, t in enumerate(texts, 1))
    extractions: dict[str, Extraction] = {}
    heads: dict[SpanKey, str] = {}
    by_text: dict[str, list[int]] = {}
    for n, s in enumerate(data.spans):
        by_text.setdefault(s.text, []).append(n)
    for doc, extraction in _parsed(documents, nlp, 64, on_done):
        text = extraction.document.text
        extractions[text] = extraction
        for n in by_text.get(text, ()):
            sentence = data.spans[n]
            for i, span in enumerate(sentence.spans):
                offsets = sentence.char_span(span)
                found = doc.char_span(*offsets, alignment_mode="expand") if offsets else None
                if found is not None and len(found):
                    heads[(sentence.number, i)] = head_word(found)
    return score_cameo(data, extractions, heads)


def head_word(span: Span) -> str:
    """The span's root, or its last noun or proper noun when the root is no noun or pronoun."""
    root = span.root
    if root.pos_ in HEAD_POS:
        return str(root.text)
    nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN")]
    return str((nouns[-1] if nouns else root).text)


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
