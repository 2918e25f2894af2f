"""Measuring the extractor: gold documents (`shared/gold/`, in two fixed halves), the PLOVER
gold-standard records and the CAMEO five-class sentences.

Scoring takes plain records (Extraction, gold dicts or records) and gives frozen results, so it can
be tested without spaCy; `kg.evaluate.run` runs the extractor, `kg.evaluate.tables` and
`kg.evaluate.report` render the tables (terminal, markdown, JSON), `kg.evaluate.command` is
`diplokg eval`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.evaluate.cameo import (
        CameoResult,
        choose_label,
        score_cameo,
    )
    from kg.evaluate.cameo_data import (
        CameoData,
        CameoError,
        load_cameo,
    )
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
    from kg.evaluate.halves import (
        Half,
        half_of,
    )
    from kg.evaluate.metrics import (
        Miss,
        Ratio,
        Score,
        fold,
    )
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

#: where each name lives: the package is read lazily, so that the command line (which needs
#: only `Half`) does not import the scorers and what they import
_WHERE = {
    "CameoResult": "kg.evaluate.cameo",
    "choose_label": "kg.evaluate.cameo",
    "score_cameo": "kg.evaluate.cameo",
    "CameoData": "kg.evaluate.cameo_data",
    "CameoError": "kg.evaluate.cameo_data",
    "load_cameo": "kg.evaluate.cameo_data",
    "DocumentResult": "kg.evaluate.gold",
    "Gold": "kg.evaluate.gold",
    "GoldError": "kg.evaluate.gold",
    "GoldSummary": "kg.evaluate.gold",
    "load_gold": "kg.evaluate.gold",
    "parse_gold": "kg.evaluate.gold",
    "score_document": "kg.evaluate.gold",
    "score_documents": "kg.evaluate.gold",
    "Half": "kg.evaluate.halves",
    "half_of": "kg.evaluate.halves",
    "Miss": "kg.evaluate.metrics",
    "Ratio": "kg.evaluate.metrics",
    "Score": "kg.evaluate.metrics",
    "fold": "kg.evaluate.metrics",
    "PloverError": "kg.evaluate.plover",
    "PloverRecord": "kg.evaluate.plover",
    "PloverResult": "kg.evaluate.plover",
    "RecordResult": "kg.evaluate.plover",
    "load_plover": "kg.evaluate.plover",
    "plover_record": "kg.evaluate.plover",
    "score_plover": "kg.evaluate.plover",
    "score_record": "kg.evaluate.plover",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


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
