"""A generated corpus for the notebooks and the screenshots: short reports of a made-up year.

Two camps of states deal mostly among themselves, in cooperation; across the camps only a few
frontline pairs deal directly, mostly in conflict; Turkey, India and the United Nations deal with
both sides (brokers); India and China move from conflict to cooperation during the year (a
warming pair), the United States and Turkey the other way (a cooling pair).
Every sentence comes from the templates below, written for this project; the diplokg extractor
reads them like any other text. `reports(seed)` is deterministic.

    python notebooks/scenario.py out.jsonl     # write the reports as JSONL (diplokg build input)
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

WEST = ["the United States", "the United Kingdom", "France", "Germany", "Japan", "Poland"]
EAST = ["Russia", "China", "Iran", "Belarus"]
BROKERS = ["Turkey", "India", "the United Nations"]
CITIES = ["Geneva", "Vienna", "Ankara", "New Delhi", "Brussels", "Beijing", "Istanbul", "Oslo"]
YEAR = 2023

#: Sentences by PLOVER class; {a} acts towards {b}, {when} is "on March 14".
COOPERATION = {
    "Meeting": [
        "{A} and {b} held talks in {city} {when}.",
        "Officials from {a} met their counterparts from {b} in {city} {when}.",
    ],
    "Agreement": ["{A} and {b} signed an agreement on {topic} {when}."],
    "Agree": ["{A} agreed {when} to expand trade with {b}."],
    "Support": ["{A} praised {b} {when} for its part in the {topic} talks."],
    "Aid": ["{A} sent humanitarian aid to {b} {when}."],
}
CONFLICT = {
    "Accuse": ["{A} accused {b} {when} of violating the {topic} accord."],
    "Reject": ["{A} rejected a proposal from {b} on {topic} {when}."],
    "Threaten": ["{A} threatened {when} to impose sanctions on {b}."],
    "Sanction": ["{A} imposed sanctions on {b} {when}.", "{A} expelled diplomats of {b} {when}."],
    "Request": ["{A} demanded {when} that {b} withdraw its troops from the border."],
}
TOPICS = ["grain exports", "nuclear safety", "fisheries", "energy supplies", "border trade"]


def _capital(name: str) -> str:
    return name[0].upper() + name[1:]


def _sentence(rng: random.Random, table: dict[str, list[str]], a: str, b: str, day: dt.date) -> str:
    kind = rng.choice(sorted(table))
    template = rng.choice(table[kind])
    when = f"on {day.strftime('%B')} {day.day}"
    return template.format(
        A=_capital(a), a=a, b=b, when=when, city=rng.choice(CITIES), topic=rng.choice(TOPICS)
    )


#: The few pairs across the camps that deal with each other directly, mostly in conflict.
FRONTLINE = [
    ("the United States", "Russia"),
    ("Poland", "Belarus"),
    ("Japan", "China"),
    ("the United Kingdom", "Iran"),
]
WARMING = ("India", "China")  # from conflict to cooperation through the year
COOLING = ("the United States", "Turkey")  # the other way


def _tone(a: str, b: str, month: int) -> float:
    """The chance that an event between a and b in `month` is cooperation."""
    pair = {a, b}
    if pair == set(WARMING):
        return 0.1 + 0.8 * (month - 1) / 11
    if pair == set(COOLING):
        return 0.9 - 0.8 * (month - 1) / 11
    if any(pair == set(front) for front in FRONTLINE):
        return 0.1
    if a in BROKERS or b in BROKERS:
        return 0.75
    return 0.9  # inside a camp


def _pair(rng: random.Random) -> tuple[str, str]:
    """Who acts towards whom: mostly inside a camp, else a broker, a frontline or a trend pair."""
    roll = rng.random()
    if roll < 0.08:
        chosen = list(WARMING)
    elif roll < 0.14:
        chosen = list(COOLING)
    elif roll < 0.2:
        chosen = list(rng.choice(FRONTLINE))
    elif roll < 0.38:
        chosen = [rng.choice(BROKERS), rng.choice(WEST + EAST)]
    else:
        chosen = rng.sample(WEST if rng.random() < 0.6 else EAST, 2)
    rng.shuffle(chosen)
    return chosen[0], chosen[1]


def reports(n: int = 120, seed: int = 7) -> Iterator[dict[str, str]]:
    """`n` reports, one or two sentences each, dated through the year (JSONL records)."""
    rng = random.Random(seed)
    for i in range(n):
        published = dt.date(YEAR, 1, 2) + dt.timedelta(days=int(i * 360 / n) + rng.randint(0, 2))
        sentences = []
        for _ in range(rng.choice((1, 2, 2))):
            a, b = _pair(rng)
            day = published - dt.timedelta(days=rng.randint(0, 2))
            cooperative = rng.random() < _tone(a, b, day.month)
            sentences.append(_sentence(rng, COOPERATION if cooperative else CONFLICT, a, b, day))
        yield {
            "id": f"report-{i + 1:03d}",
            "date": published.isoformat(),
            "title": f"Diplomatic wire {i + 1}, {published:%B} {published.day}",
            "text": " ".join(sentences),
        }


def write(path: Path, n: int = 120, seed: int = 7) -> Path:
    """Write `reports(n, seed)` to `path` as JSONL; returns the path."""
    with path.open("w", encoding="utf-8") as out:
        for record in reports(n, seed):
            out.write(json.dumps(record) + "\n")
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1])))
