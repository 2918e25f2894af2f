"""How an event class counts in the signed actor graph: its PLOVER quad class, its
cooperation–conflict score and whether it links its participants both ways.

The values are reviewed data in `scale.json` (PLOVER's own quad classes and "Schrodt scores",
documented in docs/analysis.md). A class the file does not name (Meeting, Agreement) takes what
it lacks from its nearest superclass in the ontology.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from kg.rdf import superclasses

Quad = Literal["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
QUADS: tuple[Quad, ...] = get_args(Quad)

SCALE_FILE = Path(__file__).with_name("scale.json")


@dataclass(frozen=True)
class ClassWeight:
    """What one event of a class adds to a link: its quad class, its score (PLOVER's -10..+10
    cooperation–conflict scale), and whether it links its participants both ways."""

    quad: Quad
    score: float
    symmetric: bool

    @property
    def cooperation(self) -> bool:
        return self.quad.endswith("cooperation")


@cache
def class_weights() -> dict[str, ClassWeight]:
    """Event class local name → its weight, for every event class of the ontology.

    Raises ValueError when `scale.json` leaves an event class without a quad class or a score.
    """
    raw = json.loads(SCALE_FILE.read_text(encoding="utf-8"))
    low, high = raw["scale"]["min"], raw["scale"]["max"]
    given: dict[str, dict[str, object]] = raw["classes"]
    weights: dict[str, ClassWeight] = {}
    for cls, chain in superclasses().items():
        if "Event" not in chain or cls == "Event":
            continue
        found: dict[str, object] = {}
        for ancestor in chain:  # the class itself first, then its superclasses
            for key, value in given.get(ancestor, {}).items():
                found.setdefault(key, value)
        quad, score = found.get("quad"), found.get("score")
        if quad not in QUADS or not isinstance(score, int | float) or not low <= score <= high:
            raise ValueError(f"{SCALE_FILE.name}: {cls} needs a quad class and a score")
        weights[cls] = ClassWeight(quad, float(score), bool(found.get("symmetric", False)))
    return weights


@dataclass(frozen=True)
class Tally:
    """A set of events on the scale: how many cooperate, how many conflict, their summed score
    and their count per quad class (an event of a class the scale lacks counts in neither)."""

    cooperation: int
    conflict: int
    score: float
    quads: dict[Quad, int]


def tally(counts: Mapping[str, int]) -> Tally:
    """The cooperation, conflict and score of events given as {class local name: count} (as
    REST answers count them): what colours a link from cooperation to conflict."""
    weights = class_weights()
    quads: dict[Quad, int] = dict.fromkeys(QUADS, 0)
    score = 0.0
    for cls, n in counts.items():
        weight = weights.get(cls)
        if weight is not None:
            quads[weight.quad] += n
            score += n * weight.score
    cooperation = quads["verbal_cooperation"] + quads["material_cooperation"]
    conflict = quads["verbal_conflict"] + quads["material_conflict"]
    return Tally(cooperation, conflict, round(score, 6), quads)
