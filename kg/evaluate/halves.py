"""The two fixed halves of the gold documents (`splits.json`): A to develop on, B to check on.

Issue 7's discipline: a change is developed on half A and checked on half B; a change that helps
only the documents it was written for shows as a gap between the halves. The assignment is
reviewed data, balanced by decade and topic, and never changes to flatter a score.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any


class Half(StrEnum):
    A = "A"
    B = "B"


#: What each half is for, as the report names it.
PURPOSE = {Half.A: "development", Half.B: "check"}


@dataclass(frozen=True)
class Assignment:
    """One gold document's half, with what the balance is judged on."""

    id: str
    half: Half
    year: int
    topic: str

    @property
    def decade(self) -> str:
        return f"{self.year // 10 * 10}s"


def parse_splits(data: Mapping[str, Any]) -> dict[str, Assignment]:
    """The JSON of a splits file → document id → its assignment (checked)."""
    documents = data.get("documents")
    if not isinstance(documents, dict) or not documents:
        raise ValueError("splits: expected a non-empty `documents` object")
    found: dict[str, Assignment] = {}
    for doc_id, entry in documents.items():
        if not isinstance(entry, dict) or entry.get("half") not in {h.value for h in Half}:
            raise ValueError(f"splits: {doc_id}: `half` must be A or B")
        if not isinstance(entry.get("year"), int) or not isinstance(entry.get("topic"), str):
            raise ValueError(f"splits: {doc_id}: expected an integer `year` and a `topic`")
        found[doc_id] = Assignment(doc_id, Half(entry["half"]), entry["year"], entry["topic"])
    return found


@cache
def assignments() -> dict[str, Assignment]:
    """The project's reviewed halves (kg/evaluate/splits.json)."""
    text = resources.files("kg.evaluate").joinpath("splits.json").read_text(encoding="utf-8")
    return parse_splits(json.loads(text))


def half_of(doc_id: str) -> Half | None:
    """The half a gold document belongs to; None for a document outside the split."""
    entry = assignments().get(doc_id)
    return entry.half if entry else None


def in_half(ids: Iterable[str], half: Half) -> list[str]:
    return [i for i in ids if half_of(i) is half]
