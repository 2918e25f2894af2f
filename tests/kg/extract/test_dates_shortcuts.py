"""The dates read without calling dateparser ("July 2", "next month") are dateparser's own, and
the holiday calendars read from their cache file are the `holidays` package's."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pytest

from kg.extract import dates
from kg.extract.dates import Prefer, _parser, bare_weekday, month_day, next_or_last, resolve


def _dateparser(text: str, anchor: dt.date, prefer: Prefer) -> tuple[dt.date, str] | None:
    data = _parser(anchor, prefer).get_date_data(text)
    if data.date_obj is None or data.period not in ("day", "month", "year"):
        return None
    return data.date_obj.date(), data.period


def _covered(read: tuple[dt.date, str] | None) -> tuple[int, int, int, str] | None:
    """What a TimeValue keeps of a reading: the month of a month, the year of a year."""
    if read is None:
        return None
    day, period = read
    return (day.year, day.month if period != "year" else 0, day.day if period == "day" else 0,
            period)  # fmt: skip


#: the days tested: every month's first, a mid-month day and its last, in a common and a leap year
DAYS = [
    dt.date(year, month, day)
    for year in (2019, 2020)
    for month in range(1, 13)
    for day in (1, 14, calendar.monthrange(year, month)[1])
    if (month, day) != (2, 29)
]


@pytest.mark.parametrize("prefer", ["past", "future"])
@pytest.mark.parametrize("target", DAYS, ids=str)
def test_month_and_day_read_as_dateparser_reads_them(target: dt.date, prefer: Prefer) -> None:
    name = calendar.month_name[target.month]
    # the anchor on the day itself, next to it, and a year away on either side
    anchors = [target + dt.timedelta(days=k) for k in (-1, 0, 1, -365, 366)]
    for anchor in anchors:
        for text in (f"{name} {target.day}", f"{target.day} {name.lower()}"):
            mine = month_day(text, anchor, prefer)
            assert mine is not None
            assert _covered(mine) == _covered(_dateparser(text, anchor, prefer)), (text, anchor)


@pytest.mark.parametrize(
    "text", ["February 29", "June 31", "July 2nd", "Jul 2", "July 2, 2019", "2 July 2019", "July"]
)
def test_other_forms_are_left_to_dateparser(text: str) -> None:
    assert month_day(text, dt.date(2019, 3, 1), "past") is None


def _value(text: str, anchor: dt.date, prefer: Prefer = "past") -> str | None:
    found = resolve(text, anchor, prefer=prefer)
    return found.value if found is not None else None


def test_the_year_follows_the_anchor_and_the_tense() -> None:
    # a story dated 2 July: "July 2" is that day in the past tense, next year's in the future
    anchor = dt.date(2021, 7, 2)
    assert _value("on July 2", anchor) == "2021-07-02"
    assert _value("on July 2", anchor, "future") == "2022-07-02"
    assert _value("on July 3", anchor) == "2020-07-03"
    assert _value("on July 3", dt.date(2021, 7, 4)) == "2021-07-03"
    assert _value("on 1 July", anchor, "future") == "2022-07-01"
    assert _value("next month", dt.date(2021, 12, 20), "future") == "2022-01"


@pytest.mark.parametrize("text", ["next month", "last month", "next year", "Last Year"])
@pytest.mark.parametrize("prefer", ["past", "future"])
def test_next_and_last_read_as_dateparser_reads_them(text: str, prefer: Prefer) -> None:
    anchors = [dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2020, 1, 31), dt.date(2020, 2, 29),
               dt.date(2020, 3, 31), dt.date(2021, 6, 15)]  # fmt: skip
    for anchor in anchors:
        mine = next_or_last(text, anchor)
        assert _covered(mine) == _covered(_dateparser(text, anchor, prefer)), (text, anchor)


@pytest.mark.parametrize("prefer", ["past", "future", "current_period"])
@pytest.mark.parametrize("weekday", range(7))
def test_a_bare_weekday_name_is_read_as_dateparser_reads_it(prefer, weekday) -> None:
    anchor = dt.date(2001, 1, 1) + dt.timedelta(days=weekday)  # 1 January 2001 was a Monday
    for name in calendar.day_name:
        data = _parser(anchor, prefer).get_date_data(name)
        assert data.period == "day"
        expected = (data.date_obj.date() - anchor).days
        assert bare_weekday(name, weekday, prefer) == expected, (name, anchor, prefer)
        assert bare_weekday(name.lower(), weekday, prefer) == expected


def test_only_a_bare_weekday_name_is_read_without_dateparser() -> None:
    assert bare_weekday("last Monday", 2, "past") is None
    assert bare_weekday("Monday night", 2, "past") is None


def test_holiday_calendars_come_back_from_their_cache_file_unchanged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DIPLOKG_CACHE", str(tmp_path))
    dates._stored_holidays.cache_clear()
    dates._holiday_calendar.cache_clear()
    try:
        built = dates._holiday_calendar(2019)  # read from the package, written to the file
        assert dates.holidays_cache_path().parent == tmp_path
        assert dates.holidays_cache_path().is_file()
        dates._stored_holidays.cache_clear()
        dates._holiday_calendar.cache_clear()
        cached = dates._holiday_calendar(2019)
        assert list(cached.items()) == list(built.items()) == list(dates._holidays_of(2019).items())
        assert dates.resolve("Christmas", dt.date(2019, 12, 30)) == dates.time_value(
            dt.date(2019, 12, 25), "day", "Christmas"
        )
    finally:
        dates._stored_holidays.cache_clear()
        dates._holiday_calendar.cache_clear()
