"""The plain numbers every evaluation reports: counts with their ratios, and misses with their sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.records import Event

_FOLD = re.compile(r"[\s.\-\u2010\u2011]+")  # whitespace, dots, hyphens (ASCII and Unicode hyphen)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*")


def fold(name: str) -> str:
    """A name as the gold compares it: case, hyphens, dots and whitespace folded away."""
    return _FOLD.sub("", name).casefold()


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Ratio:
    """`correct` out of `total` (an accuracy, or a recall such as posts found)."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return ratio(self.correct, self.total)

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.correct + other.correct, self.total + other.total)

    def as_dict(self) -> dict[str, object]:
        return {"correct": self.correct, "total": self.total, "value": self.value}


@dataclass(frozen=True)
class Score:
    """Precision over what was predicted and recall over what the gold requires.

    The two numerators differ: `correct` predicted items (precision) and `found` gold items (recall).
    """

    correct: int = 0
    predicted: int = 0
    found: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return ratio(self.correct, self.predicted)

    @property
    def recall(self) -> float | None:
        return ratio(self.found, self.gold)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.correct + other.correct,
            self.predicted + other.predicted,
            self.found + other.found,
            self.gold + other.gold,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "correct": self.correct,
            "predicted": self.predicted,
            "found": self.found,
            "gold": self.gold,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Miss:
    """One thing the extractor got wrong, with the sentence that shows why.

    `sentence` and `quote` are evaluation text: the committed report never shows them.
    """

    kind: str  # "actor", "spurious actor", "event", "false event", "date", "place", ...
    source: str  # document or record id
    what: str  # the item, in a few words
    sentence: str
    detail: str = ""  # what was predicted instead
    quote: str = ""  # more words of the evaluation text (a gold span): terminal and JSON only

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "source": self.source,
            "what": self.what,
            "sentence": self.sentence,
            "detail": self.detail,
            "quote": self.quote,
        }


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    """The sentence of `text` around the span start..end (a plain-text guess at the boundaries)."""
    end = start if end is None else end
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    after = _SENTENCE_END.search(text, end)
    stop = after.start() if after else len(text)
    return " ".join(text[begin:stop].split())


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """`phrase` as a regex that lets whitespace, apostrophes and hyphens vary as typography does."""
    parts: list[str] = []
    for char in phrase.strip():
        if char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in "'’‘":
            parts.append("['’‘]")
        elif char in "-‐‑–":
            parts.append("[-‐‑–]")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE)


def find_span(text: str, *phrases: str) -> tuple[int, int] | None:
    """Offsets of the first of `phrases` found in `text` (case-insensitive, typography-tolerant)."""
    for phrase in phrases:
        if phrase and phrase.strip():
            m = _phrase_pattern(phrase).search(text)
            if m:
                return m.start(), m.end()
    return None


def find_sentence(text: str, *phrases: str) -> str:
    """The sentence holding the first of `phrases` found in `text`, else ""."""
    span = find_span(text, *phrases)
    return sentence_at(text, *span) if span else ""


def describe_event(event: Event) -> str:
    """An event in a few words: `Meeting(participant: KOR, PRK) [Future] «met»`."""
    roles: dict[str, list[str]] = {}
    for p in event.participants:
        roles.setdefault(p.role, []).append(p.actor)
    who = "; ".join(f"{role}: {', '.join(ids)}" for role, ids in roles.items())
    text = f"{event.kind}({who})"
    if event.modality:
        text += f" [{event.modality}]"
    if event.trigger:
        text += f" «{event.trigger}»"
    return text
