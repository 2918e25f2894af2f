"""Measuring the extractor: gold documents (`shared/gold/`, in two fixed halves), the PLOVER
gold-standard records and the CAMEO five-class sentences.

Scoring takes plain records (Extraction, gold dicts or records) and gives frozen results, so it can
be tested without spaCy; `kg.evaluate.run` runs the extractor, `kg.evaluate.tables` and
`kg.evaluate.report` render the tables (terminal, markdown, JSON), `kg.evaluate.command` is
`diplokg eval`.
"""

from kg.evaluate.cameo import CameoResult, choose_label, score_cameo
from kg.evaluate.cameo_data import CameoData, CameoError, load_cameo
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
from kg.evaluate.halves import Half, half_of
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
    "CameoData",
    "CameoError",
    "CameoResult",
    "DocumentResult",
    "Gold",
    "GoldError",
    "GoldSummary",
    "Half",
    "Miss",
    "PloverError",
    "PloverRecord",
    "PloverResult",
    "Ratio",
    "RecordResult",
    "Score",
    "choose_label",
    "fold",
    "half_of",
    "load_cameo",
    "load_gold",
    "load_plover",
    "parse_gold",
    "plover_record",
    "score_cameo",
    "score_document",
    "score_documents",
    "score_plover",
    "score_record",
]
