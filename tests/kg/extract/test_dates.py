"""Dates at the precision the text gives, resolved against the document date."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.dates import (
    _parser,
    of_this_week,
    parse_value,
    resolve,
    story_day,
    story_shift,
)

ANCHOR = dt.date(2018, 1, 12)  # a Friday


@pytest.mark.parametrize(
    ("text", "value", "precision", "earliest", "latest"),
    [
        ("January 9th, 2018", "2018-01-09", "day", "2018-01-09", "2018-01-09"),
        ("next month", "2018-02", "month", "2018-02-01", "2018-02-28"),
        ("in 1994", "1994", "year", "1994-01-01", "1994-12-31"),
        ("on Wednesday", "2018-01-10", "day", "2018-01-10", "2018-01-10"),
        ("on Friday", "2018-01-12", "day", "2018-01-12", "2018-01-12"),
        ("last month", "2017-12", "month", "2017-12-01", "2017-12-31"),
        ("March 2017", "2017-03", "month", "2017-03-01", "2017-03-31"),
        ("yesterday", "2018-01-11", "day", "2018-01-11", "2018-01-11"),
        # a week is dated by the month that holds all of it, or its year when it straddles two
        ("last week", "2018-01", "month", "2018-01-01", "2018-01-31"),
        ("earlier this week", "2018-01", "month", "2018-01-01", "2018-01-31"),
        ("two weeks ago", "2017-12", "month", "2017-12-01", "2017-12-31"),  # 25-31 December
        ("in mid-December", "2017-12", "month", "2017-12-01", "2017-12-31"),
        # a month that shares its name with a holiday is the month ("May", not May Day)
        ("in May", "2017-05", "month", "2017-05-01", "2017-05-31"),
        ("last May", "2017-05", "month", "2017-05-01", "2017-05-31"),
        # "the week" of a story is the week of its date
        ("the week", "2018-01", "month", "2018-01-01", "2018-01-31"),
        ("much of the week", "2018-01", "month", "2018-01-01", "2018-01-31"),
        ("earlier in the week", "2018-01", "month", "2018-01-01", "2018-01-31"),
    ],
)
def test_resolve(text, value, precision, earliest, latest) -> None:
    got = resolve(text, ANCHOR)
    assert got is not None
    assert (got.value, got.precision) == (value, precision)
    assert (got.earliest.isoformat(), got.latest.isoformat()) == (earliest, latest)


def test_a_week_across_two_months_is_dated_by_its_year() -> None:
    got = resolve("last week", dt.date(2018, 2, 7))  # 29 January to 4 February
    assert got is not None and (got.value, got.precision) == ("2018", "year")


@pytest.mark.parametrize("text", ["two years", "more than two years", "after two years", "a year"])
def test_durations_are_not_dates(text) -> None:
    assert resolve(text, ANCHOR) is None


@pytest.mark.parametrize("text", ["next month", "on Wednesday", "yesterday"])
def test_relative_dates_need_an_anchor(text) -> None:
    assert resolve(text, None) is None


def test_absolute_dates_need_no_anchor() -> None:
    got = resolve("January 9th, 2018", None)
    assert got is not None and got.value == "2018-01-09"


def test_future_tense_prefers_the_coming_weekday() -> None:
    got = resolve("on Wednesday", ANCHOR, prefer="future")
    assert got is not None and got.value == "2018-01-17"


@pytest.mark.parametrize(
    ("value", "precision"), [("2018", "year"), ("2018-02", "month"), ("2018-02-28", "day")]
)
def test_parse_value(value, precision) -> None:
    assert parse_value(value).precision == precision


@pytest.mark.parametrize("value", ["2018-13", "18-01-01", "2018-02-30", "soon", ""])
def test_parse_value_rejects_what_is_not_a_date(value) -> None:
    with pytest.raises(ValueError):
        parse_value(value)


@pytest.mark.parametrize("prefer", ["past", "future"])
@pytest.mark.parametrize("name", ["Monday", "thursday", "SUNDAY"])
def test_weekdays_read_as_dateparser_reads_them(name: str, prefer: str) -> None:
    # one answer per weekday of the document serves every date: check it against dateparser
    for day in range(16):
        anchor = dt.date(2019, 12, 20) + dt.timedelta(days=day)  # across a year's end
        got = resolve(name, anchor, prefer=prefer)  # type: ignore[arg-type]
        assert got is not None and got.precision == "day"
        if anchor.strftime("%A").lower() == name.lower():
            assert got.earliest == anchor  # the story's own day
        else:
            data = _parser(anchor, prefer).get_date_data(name)  # type: ignore[arg-type]
            assert got.earliest == data.date_obj.date()


def test_the_week_of_the_story() -> None:
    assert of_this_week("much of the week") and of_this_week("earlier this week")
    assert not of_this_week("last week") and not of_this_week("on Monday")


def test_a_story_day_carries_its_shift() -> None:
    day = story_day(ANCHOR, -1)
    assert day.value == "2018-01-11" and story_shift(day) == -1
    assert story_shift(story_day(ANCHOR)) == 0
    assert story_shift(parse_value("2018-01-11")) is None
