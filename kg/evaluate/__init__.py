"""Measuring the extractor: gold documents (`shared/gold/`) and the PLOVER gold-standard records.

Scoring takes plain records (Extraction, gold dicts or records) and gives frozen results, so it can
be tested without spaCy; `kg.evaluate.run` runs the extractor, `kg.evaluate.report` renders the
tables (terminal, markdown, JSON). `diplokg eval` ties them together.
"""

from kg.evaluate.gold import (
    DocumentResult,
    Gold,
    GoldError,
    GoldSummary,
    load_gold,
    parse_gold,
    score_document,
    score_documents,
)
from kg.evaluate.metrics import Miss, Ratio, Score, fold
from kg.evaluate.plover import (
    PloverError,
    PloverRecord,
    PloverResult,
    RecordResult,
    load_plover,
    plover_record,
    score_plover,
    score_record,
)

__all__ = [
    "DocumentResult",
    "Gold",
    "GoldError",
    "GoldSummary",
    "Miss",
    "PloverError",
    "PloverRecord",
    "PloverResult",
    "Ratio",
    "RecordResult",
    "Score",
    "fold",
    "load_gold",
    "load_plover",
    "parse_gold",
    "plover_record",
    "score_document",
    "score_documents",
    "score_plover",
    "score_record",
]
