"""The fixed halves of the gold documents (kg/evaluate/splits.json)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from kg.evaluate.halves import Half, assignments, half_of, in_half, parse_splits

SHARED = Path(os.environ.get("DIPLOKG_SHARED", Path(__file__).resolve().parents[4] / "shared"))
GOLD = SHARED / "gold"


def gold_files() -> dict[str, dict[str, object]]:
    files = sorted(GOLD.glob("*.json"))
    assert files, f"gold files expected in {GOLD} (set DIPLOKG_SHARED)"
    return {d["id"]: d for d in (json.loads(p.read_text(encoding="utf-8")) for p in files)}


def test_every_gold_document_has_exactly_one_half_and_nothing_else_has_one() -> None:
    assert set(assignments()) == set(gold_files())


def test_the_halves_are_even_and_the_sample_article_is_in_a() -> None:
    counts = Counter(a.half for a in assignments().values())
    assert counts == {Half.A: 11, Half.B: 11}
    assert half_of("korea-olympics-2018") is Half.A
    assert half_of("not-a-gold-document") is None
    assert in_half(["korea-olympics-2018", "helsinki-2018", "x"], Half.B) == ["helsinki-2018"]


@pytest.mark.parametrize("attribute", ["decade", "topic"])
def test_the_halves_are_balanced_by_decade_and_topic(attribute: str) -> None:
    by_half = {
        h: Counter(getattr(a, attribute) for a in assignments().values() if a.half is h)
        for h in Half
    }
    for value in set(by_half[Half.A]) | set(by_half[Half.B]):
        assert abs(by_half[Half.A][value] - by_half[Half.B][value]) <= 1, value


def test_the_years_are_those_of_the_gold_documents() -> None:
    for doc_id, gold in gold_files().items():
        assert assignments()[doc_id].year == int(str(gold["date"])[:4]), doc_id


def test_a_bad_splits_file_is_refused() -> None:
    with pytest.raises(ValueError, match="half"):
        parse_splits({"documents": {"d": {"half": "C", "year": 2000, "topic": "t"}}})
    with pytest.raises(ValueError, match="year"):
        parse_splits({"documents": {"d": {"half": "A", "topic": "t"}}})
    with pytest.raises(ValueError, match="documents"):
        parse_splits({})
