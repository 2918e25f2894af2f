"""Time slices and a warming pair: P and Q go from an attack to an agreement in 2020."""

from __future__ import annotations

import pytest

from kg.analysis import (
    EventFacts,
    degree,
    measures_over_time,
    over_time,
    pair_trend,
    period_of,
    periods_between,
    project,
    slices,
)
from tests.kg.analysis.graphs import act, meeting, names


def warming():  # type: ignore[no-untyped-def]
    return project(
        [
            act("attack", "Assault", "P", "Q", "2020-01-15"),  # -9.3
            act("threat", "Threaten", "Q", "P", "2020-03-01"),  # -5.1
            meeting("talks", "P", "Q", day="2020-06-10"),  # +2.1
            act("agreed", "Agreement", "Q", "P", "2020-09-20"),  # +4.2, both ways
            act("spring", "Support", "P", "Q", "2020-04-01", "2020-04-30"),  # +4.6, a month
            act("year", "Aid", "P", "Q", "2021-01-01", "2021-12-31"),  # +7.4, a year
            act("r", "Request", "P", "R", "2020-02-02"),
            EventFacts("undated", "Accuse", "", "", ("Q",), ("P",), ("P", "Q")),  # -2.0
        ],
        names("P", "Q", "R"),
    )


def test_periods() -> None:
    day = EventFacts("e", "Meeting", "2020-03-05", "2020-03-05")
    whole_year = EventFacts("y", "Meeting", "2020-01-01", "2020-12-31")
    assert (period_of(day, "month"), period_of(day, "year")) == ("2020-03", "2020")
    assert (period_of(whole_year, "month"), period_of(whole_year, "year")) == (None, "2020")
    assert period_of(EventFacts("u", "Meeting"), "year") is None
    assert periods_between("2019-11", "2020-02", "month") == [
        "2019-11",
        "2019-12",
        "2020-01",
        "2020-02",
    ]
    assert periods_between("2019", "2021", "year") == ["2019", "2020", "2021"]


def test_a_warming_pair() -> None:
    trend = pair_trend(warming(), "P", "Q", by="month")
    assert trend.total == 7 and trend.undated == 2  # the year-long aid and the undated accusation
    buckets = {b.period: b for b in trend.buckets}
    assert list(buckets) == [f"2020-{m:02d}" for m in range(1, 10)]  # empty months included
    jan, mar, apr, jun, sep = (buckets[f"2020-{m}"] for m in ("01", "03", "04", "06", "09"))
    assert (jan.events, jan.a_to_b, jan.b_to_a, jan.conflict, jan.score) == (1, 1, 0, 1, -9.3)
    assert (mar.a_to_b, mar.b_to_a, mar.mean_score) == (0, 1, -5.1)
    assert (apr.cooperation, apr.score) == (1, 4.6)
    assert (jun.mutual, jun.score) == (1, 2.1)
    assert (sep.mutual, sep.score, sep.cooperation) == (1, 4.2, 1)
    assert buckets["2020-02"].events == 0 and buckets["2020-02"].mean_score is None
    assert trend.slope is not None and trend.slope > 0 and trend.direction == "warming"
    # the slope is the least-squares line through the dated events' (mid-date, score) points
    reverse = pair_trend(warming(), "Q", "P", by="month")
    assert reverse.slope == pytest.approx(trend.slope)
    assert [b.a_to_b for b in reverse.buckets] == [b.b_to_a for b in trend.buckets]


def test_a_cooling_pair_and_yearly_buckets() -> None:
    cooling = project(
        [meeting("m", "P", "Q", day="2019-05-01"), act("s", "Sanction", "P", "Q", "2021-05-01")],
        names("P", "Q"),
    )
    trend = pair_trend(cooling, "P", "Q", by="year")
    assert [(b.period, b.events) for b in trend.buckets] == [("2019", 1), ("2020", 0), ("2021", 1)]
    # two points two years apart: (-5.2 - 2.1) / 2 score points a year
    assert trend.slope == pytest.approx((-5.2 - 2.1) / 2, rel=1e-3)
    assert trend.direction == "cooling"


def test_a_pair_with_one_date_has_no_slope() -> None:
    trend = pair_trend(project([meeting("m", "P", "Q", day="2019-05-01")]), "P", "Q")
    assert trend.slope is None and trend.direction is None
    assert pair_trend(project([]), "P", "Q").buckets == ()
    with pytest.raises(ValueError, match="same actor"):
        pair_trend(project([]), "P", "P")


def test_the_same_measures_per_period() -> None:
    yearly = slices(warming(), "year")
    assert [period for period, _ in yearly] == ["2020", "2021"]
    assert set(yearly[0][1].events) == {"attack", "threat", "talks", "agreed", "spring", "r"}
    assert over_time(warming(), degree, "year") == [
        ("2020", {"P": 2, "Q": 1, "R": 1}),
        ("2021", {"P": 1, "Q": 1}),
    ]
    monthly = measures_over_time(warming(), "month")
    assert [p for p, _ in monthly] == [
        "2020-01",
        "2020-02",
        "2020-03",
        "2020-04",
        "2020-06",
        "2020-09",
    ]
    feb = monthly[1][1]
    assert [a.id for a in feb.actors] == ["R", "P"]  # R, the recipient, ranks first
