"""The actor graph over time: the same measures per month or year, and whether a relationship
is warming or cooling (the cooperation–conflict trend of a pair of actors)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

from kg.analysis.measures import Measures, actor_measures
from kg.analysis.projection import EventFacts, Projection, pair_events, subprojection
from kg.analysis.scale import class_weights

Period = Literal["month", "year"]
PERIODS: tuple[Period, ...] = ("month", "year")
T = TypeVar("T")


def period_of(event: EventFacts, by: Period) -> str | None:
    """The month (`YYYY-MM`) or year (`YYYY`) an event falls in, or None when its dates do not
    fall in one (undated, or dated more coarsely: "2018" has no month)."""
    if not event.earliest or not event.latest:
        return None
    size = 7 if by == "month" else 4
    first, last = event.earliest[:size], event.latest[:size]
    return first if first == last else None


def periods_between(first: str, last: str, by: Period) -> list[str]:
    """Every month or year from `first` to `last`, both included."""
    if by == "year":
        return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def slices(projection: Projection, by: Period = "year") -> list[tuple[str, Projection]]:
    """The actor graph of each month or year that has events, oldest first: the projection of
    that period's events alone. Events not dated within one period are in no slice."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for event in projection.events.values():
        period = period_of(event, by)
        if period is not None:
            grouped[period].append(event.id)
    return [(p, subprojection(projection, grouped[p])) for p in sorted(grouped)]


def over_time(
    projection: Projection, measure: Callable[[Projection], T], by: Period = "year"
) -> list[tuple[str, T]]:
    """Any measure of each period's slice: `over_time(p, pagerank, "month")`."""
    return [(period, measure(part)) for period, part in slices(projection, by)]


def measures_over_time(
    projection: Projection, by: Period = "year", **options: int
) -> list[tuple[str, Measures]]:
    """Every actor measure (kg.analysis.measures.actor_measures) per month or year: who rose and
    who fell, which blocs formed when."""
    return over_time(projection, lambda part: actor_measures(part, **options), by)


@dataclass(frozen=True)
class TrendBucket:
    """One period of a pair's relationship: its events, which way they ran, how many were
    cooperative or conflictual, their summed and mean score (PLOVER's -10..+10 scale)."""

    period: str
    events: int
    a_to_b: int  # one-way events from a to b
    b_to_a: int
    mutual: int  # meetings, agreements and other two-way events
    cooperation: int
    conflict: int
    score: float
    mean_score: float | None  # None in a period without events


@dataclass(frozen=True)
class PairTrend:
    """The relationship of `a` and `b` period by period (empty periods included, from the first
    with an event to the last), and its trend: the least-squares slope of the events' scores
    against their dates, in score points per year (> 0: warming, < 0: cooling; None with fewer
    than two dates)."""

    a: str
    b: str
    by: Period
    buckets: tuple[TrendBucket, ...]
    undated: int  # events not dated within one period: counted in no bucket
    total: int
    slope: float | None

    @property
    def direction(self) -> Literal["warming", "cooling", "steady"] | None:
        if self.slope is None:
            return None
        return "warming" if self.slope > 0 else "cooling" if self.slope < 0 else "steady"


def pair_trend(projection: Projection, a: str, b: str, *, by: Period = "month") -> PairTrend:
    """How the relationship of two actors changes: their events per period and the trend of
    their cooperation–conflict score. Raises ValueError when `a` and `b` are the same actor."""
    if a == b:
        raise ValueError("a and b are the same actor: a trend needs two actors")
    weights = class_weights()
    ids = pair_events(projection, a, b)
    forward = set(projection.links.get((a, b), ()))
    backward = set(projection.links.get((b, a), ()))
    grouped: dict[str, list[str]] = defaultdict(list)
    undated = 0
    for i in ids:
        period = period_of(projection.events[i], by)
        if period is None:
            undated += 1
        else:
            grouped[period].append(i)
    buckets = []
    for period in periods_between(min(grouped), max(grouped), by) if grouped else []:
        inside = grouped.get(period, [])
        scores = [weights[projection.events[i].cls].score for i in inside]
        coop = sum(1 for i in inside if weights[projection.events[i].cls].cooperation)
        buckets.append(
            TrendBucket(
                period=period,
                events=len(inside),
                a_to_b=sum(1 for i in inside if i in forward and i not in backward),
                b_to_a=sum(1 for i in inside if i in backward and i not in forward),
                mutual=sum(1 for i in inside if i in forward and i in backward),
                cooperation=coop,
                conflict=len(inside) - coop,
                score=round(sum(scores), 6),
                mean_score=round(sum(scores) / len(scores), 6) if scores else None,
            )
        )
    points = [
        (_years(projection.events[i]), weights[projection.events[i].cls].score)
        for i in ids
        if projection.events[i].earliest and projection.events[i].latest
    ]
    return PairTrend(a, b, by, tuple(buckets), undated, len(ids), _slope(points))


def _years(event: EventFacts) -> float:
    """The middle of an event's dates, in years since the start of the calendar."""
    first = dt.date.fromisoformat(event.earliest).toordinal()
    last = dt.date.fromisoformat(event.latest).toordinal()
    return (first + last) / 2 / 365.2425


def _slope(points: Iterable[tuple[float, float]]) -> float | None:
    found = list(points)
    xs, ys = [x for x, _ in found], [y for _, y in found]
    if len(set(xs)) < 2:
        return None
    from scipy import stats  # imported here: scipy.stats costs a second at every CLI start

    return round(float(stats.linregress(xs, ys).slope), 6)
