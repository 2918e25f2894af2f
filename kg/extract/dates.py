"""Date expressions → typed dates at the precision the text gives, relative to the document date.

dateparser does the reading and tells the period it understood (day, month, year); spaCy's DATE
spans say where a date is. Durations ("two years", "after two years") are not dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kg.records import Precision, TimeValue

if TYPE_CHECKING:  # dateparser is imported when a date first needs it (0.1 s of start-up)
    from dateparser.date import DateDataParser

Prefer = Literal["past", "future", "current_period"]

#: calendars whose English holiday names are read as dates ("New Year's Day", "Christmas Day")
HOLIDAY_CALENDARS = ("US", "GB")

_UNITS = r"(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|hours?)"
_DURATION = re.compile(
    rf"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|"
    rf"many|some|a|an|half a|more than \w+|nearly \w+|almost \w+)\s+{_UNITS}\b(?!\s+ago)",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?:next|last|this|coming|past|previous|ago|yesterday|today|tomorrow|tonight|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)$", re.I)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_LEADING = re.compile(
    r"^(?:(?:on|in|since|by|until|from|during|of|the|early|late|mid|his|her|its|their|this|that)"
    r"\s+|mid-\s*)",
    re.I,
)
_WEEK_PHRASE = re.compile(
    r"^(?:(?P<which>last|past|previous|this|next|coming)\s+week(?:end)?"
    r"|(?:earlier|later)\s+(?P<this>this)\s+week"
    r"|(?P<the>(?:(?:much|most|all|part|the rest|the end|the start) of\s+|(?:earlier|later|early|"
    r"late)\s+in\s+)?the\s+week)"
    r"|(?P<n>a|one|two|three|\d+)\s+weeks?\s+ago)$",
    re.I,
)


_PART_OF_DAY = re.compile(
    r"\s*\b(?:late|early)?\s*(?:in the\s+)?(?:night|evening|morning|afternoon|midnight|noon|dawn|"
    r"daybreak)\b\s*",
    re.I,
)
_LAST_MONTH_NAME = re.compile(
    r"^(?:last|this past|past)\s+(january|february|march|april|may|june|july|august|september|"
    r"october|november|december)$",
    re.I,
)
_THIS_PERIOD = re.compile(r"^(?:(?:earlier|later)\s+)?this\s+(month|year)$", re.I)
_OFFSET = re.compile(
    r"^(?:(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
    r"(?P<unit>days?|weeks?)\s+(?P<dir>later|after|afterwards|earlier|before|previously)"
    r"|the\s+(?P<next>next|following)\s+(?:day|morning|evening|night|afternoon)"
    r"|the\s+(?:previous|preceding)\s+(?:day|evening|night|afternoon|morning)"
    r"|the\s+(?:day|night|evening)\s+before"
    r"|(?P<same>that\s+(?:day|evening|night|afternoon|morning)|the\s+same\s+day|hours\s+later))$",
    re.I,
)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip


def offset_days(text: str) -> int | None:
    """Days from the passage's date that a narrative expression names ("a day later" +1, "the
    previous day" -1, "that evening" 0), or None."""
    cleaned = " ".join(text.strip().split()).removeprefix("on ").removeprefix("On ")
    match = _OFFSET.match(cleaned)
    if match is None:
        return None
    if match.group("same"):
        return 0
    if match.group("next"):
        return 1
    if match.group("n"):
        n = _NUMBER_WORDS.get(match.group("n").lower()) or int(match.group("n"))
        days = n * (7 if match.group("unit").lower().startswith("week") else 1)
        return days if match.group("dir").lower() in ("later", "after", "afterwards") else -days
    return -1


def is_relative(text: str) -> bool:
    """True when the expression needs the document date to be resolved."""
    return bool(_RELATIVE.search(text)) or (not _YEAR.search(text) and not text.strip().isdigit())


def is_duration(text: str) -> bool:
    return bool(_DURATION.search(text))


@lru_cache(maxsize=512)  # one per document date: bounded, so a long build's memory stays flat
def _parser(anchor: dt.date, prefer: Prefer) -> DateDataParser:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(anchor, dt.time()),
            "PREFER_DATES_FROM": prefer,
            "RETURN_TIME_AS_PERIOD": True,
            "PREFER_DAY_OF_MONTH": "first",
            # not "no-spaces-time" (digit runs as times: "1530") nor "custom-formats" (none
            # given): reading news dates, they only cost (a third of each call's time)
            "PARSERS": ["timestamp", "relative-time", "absolute-time"],
        },
    )


@lru_cache(maxsize=8192)
def resolve(text: str, anchor: dt.date | None, *, prefer: Prefer = "past") -> TimeValue | None:
    """Read a date expression; None for durations, unreadable text, or relative expressions
    without an anchor."""
    cleaned = text.strip()
    if offset_days(cleaned) is not None:
        return None  # "the following morning": counted from the passage, not the document
    this = _THIS_PERIOD.match(cleaned.removeprefix("in ").removeprefix("In "))
    if this and anchor is not None:  # "earlier this month": the document's month
        return time_value(anchor, "month" if this.group(1).lower() == "month" else "year", text)
    week = _WEEK_PHRASE.match(cleaned.removeprefix("in ").removeprefix("In "))
    if week:
        return _week(week, anchor, text) if anchor is not None else None
    while _LEADING.match(cleaned):
        cleaned = _LEADING.sub("", cleaned, count=1)
    cleaned = _PART_OF_DAY.sub(" ", cleaned).strip(" ,") or cleaned  # "Friday night" → "Friday"
    month = _LAST_MONTH_NAME.match(cleaned)
    if month:
        cleaned, prefer = month.group(1), "past"  # "last July": the July before the document
    if not cleaned or is_duration(cleaned):
        return None
    if anchor is None:
        if is_relative(cleaned) or _holiday(cleaned, dt.date(2000, 1, 1), prefer) is not None:
            return None
        anchor = dt.date(2000, 1, 1)  # only used for absolute expressions, which ignore it
    holiday = _holiday(cleaned, anchor, prefer)
    if holiday is not None:
        return time_value(holiday, "day", text)
    weekday = _WEEKDAY.search(cleaned)
    if weekday and weekday.group(0).lower() == calendar.day_name[anchor.weekday()].lower():
        # news usage: "on Wednesday" in a story dated a Wednesday is that very day
        return time_value(anchor, "day", text)
    if weekday:
        days = bare_weekday(cleaned, anchor.weekday(), prefer)
        if days is None:
            days = _weekday_offset(cleaned, anchor.weekday(), prefer)
        return None if days is None else time_value(anchor + dt.timedelta(days=days), "day", text)
    read = month_day(cleaned, anchor, prefer) or next_or_last(cleaned, anchor)
    if read is not None:
        return time_value(*read, text)
    data = _parser(anchor, prefer).get_date_data(cleaned)
    if data.date_obj is None or data.period not in ("day", "month", "year"):
        return None
    return time_value(data.date_obj.date(), data.period, text)


_MONTH_NAMES = "|".join(m.lower() for m in calendar.month_name if m)
_MONTH_DAY = re.compile(  # ASCII only: dateparser's digits and spaces, no "ſeptember"
    rf"^(?:(?P<month>{_MONTH_NAMES})\s+(?P<day>[0-9]{{1,2}})"
    rf"|(?P<day2>[0-9]{{1,2}})\s+(?P<month2>{_MONTH_NAMES}))$",
    re.I | re.ASCII,
)
_MONTH_NUMBER = {m.lower(): n for n, m in enumerate(calendar.month_name) if m}
_NEXT_OR_LAST = re.compile(r"^(?P<which>next|last)\s+(?P<unit>month|year)$", re.I | re.ASCII)


def month_day(text: str, anchor: dt.date, prefer: Prefer) -> tuple[dt.date, Precision] | None:
    """ "July 2", "2 July": the day as dateparser (1.x) reads a month and day without a year,
    without its costly call (most dates of news are these). dateparser takes the year of the
    anchor, then, with `PREFER_DATES_FROM`, the year before when that day is after the anchor
    ("past") or the year after when it is not after it ("future"): `_correct_for_time_frame`
    of its parser. 29 February (dateparser looks for a leap year) and days that do not exist
    are left to dateparser; tests compare the two over the calendar."""
    match = _MONTH_DAY.match(text)
    if match is None:
        return None
    month = _MONTH_NUMBER[(match.group("month") or match.group("month2")).lower()]
    number = int(match.group("day") or match.group("day2"))
    if (month, number) == (2, 29):
        return None
    try:
        day = dt.date(anchor.year, month, number)
    except ValueError:
        return None  # "June 31"
    if prefer == "past" and day > anchor:
        day = day.replace(year=day.year - 1)
    elif prefer == "future" and day <= anchor:
        day = day.replace(year=day.year + 1)
    return day, "day"


def next_or_last(text: str, anchor: dt.date) -> tuple[dt.date, Precision] | None:
    """ "next month", "last year": the month or year after or before the anchor's, as
    dateparser reads them (its relative parser moves the anchor by one month or year, whichever
    way the dates are preferred, and tells the period it moved by)."""
    match = _NEXT_OR_LAST.match(text)
    if match is None:
        return None
    step = 1 if match.group("which").lower() == "next" else -1
    if match.group("unit").lower() == "year":
        return dt.date(anchor.year + step, 1, 1), "year"
    months = anchor.year * 12 + anchor.month - 1 + step
    return dt.date(months // 12, months % 12 + 1, 1), "month"


_DAY_NAMES = {name.lower(): i for i, name in enumerate(calendar.day_name)}


def bare_weekday(text: str, weekday: int, prefer: Prefer) -> int | None:
    """Days from a document dated on `weekday` (0 = Monday) to the day a bare weekday name
    ("Monday") means, as dateparser reads it: the one before (past), after (future) or in the
    week up to the anchor (current period), a whole week away for the anchor's own name; None
    for anything but a bare name."""
    target = _DAY_NAMES.get(text.lower())
    if target is None:
        return None
    if prefer == "past":
        return -((weekday - target - 1) % 7 + 1)
    if prefer == "future":
        return (target - weekday - 1) % 7 + 1
    return -((weekday - target) % 7)


#: a Monday: the week that `_weekday_offset` asks dateparser about
_WEEK = dt.date(2001, 1, 1)


@cache
def _weekday_offset(name: str, weekday: int, prefer: Prefer) -> int | None:
    """Days from a document dated on `weekday` (0 = Monday) to the day a bare weekday name
    means, as dateparser reads it: it counts the days from the anchor's weekday alone, so one
    answer per weekday serves every document (a dateparser call costs milliseconds)."""
    anchor = _WEEK + dt.timedelta(days=weekday)
    data = _parser(anchor, prefer).get_date_data(name)
    if data.date_obj is None or data.period != "day":
        return None
    return (data.date_obj.date() - anchor).days


def of_this_week(text: str) -> bool:
    """ "this week", "much of the week", "earlier in the week": the week of the document."""
    cleaned = " ".join(text.split()).removeprefix("in ").removeprefix("In ")
    match = _WEEK_PHRASE.match(cleaned)
    return match is not None and bool(
        match.group("this")
        or match.group("the")
        or ((match.group("which") or "").lower() == "this")
    )


def _week(match: re.Match[str], anchor: dt.date, text: str) -> TimeValue | None:
    """A calendar week relative to the document ("last week", "two weeks ago", "later this
    week"), at the finest precision that covers all of it: its month, or its year when it
    straddles two months, since `dip:date` has no week."""
    which = (match.group("which") or match.group("this") or "").lower()
    if match.group("n"):
        weeks = -(_NUMBER_WORDS.get(match.group("n").lower()) or int(match.group("n")))
    else:
        weeks = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=weeks)
    first = monday + dt.timedelta(days=5) if match.group(0).lower().endswith("weekend") else monday
    sunday = monday + dt.timedelta(days=6)
    if (first.year, first.month) == (sunday.year, sunday.month):
        return time_value(first, "month", text)
    if first.year == sunday.year:
        return time_value(first, "year", text)
    return None


_MONTHS = frozenset(m.lower() for m in calendar.month_name if m)


def _holiday(text: str, anchor: dt.date, prefer: Prefer) -> dt.date | None:
    """A named holiday ("New Year's Day", "Christmas") on its nearest occurrence before the
    anchor (or after it, for future tense), from the `holidays` package's calendars."""
    name = re.sub(r"['’]s?\b", "", text).strip().lower().removeprefix("the ")
    name = _LEADING.sub("", name)
    # "Christmas" names Christmas Day, but "May" is a month, not May Day
    names = (name,) if name in _MONTHS else (name, name + " day")
    index = _holiday_names(anchor.year)
    matches = [day for n in names for day in index.get(n, ())]
    if not matches:
        return None
    if prefer == "future":
        later = [d for d in matches if d >= anchor]
        return min(later) if later else None
    earlier = [d for d in matches if d <= anchor]
    return max(earlier) if earlier else None


@cache
def _holiday_names(year: int) -> dict[str, tuple[dt.date, ...]]:
    """The days of `_holiday_calendar` by their name as `_holiday` compares it."""
    out: dict[str, list[dt.date]] = {}
    for day, label in _holiday_calendar(year).items():
        out.setdefault(re.sub(r"['’]s?\b", "", label).lower(), []).append(day)
    return {name: tuple(days) for name, days in out.items()}


@cache
def _holiday_calendar(year: int) -> dict[dt.date, str]:
    """The holidays of the year and the years on either side, from the cache file when it has
    them: the `holidays` package imports the calendars of every country before it answers for
    one (a fifth of a second, once per process)."""
    stored = _stored_holidays().get(str(year))
    if stored is not None:
        return {dt.date.fromisoformat(day): label for day, label in stored}
    out = _holidays_of(year)
    _stored_holidays()[str(year)] = [[day.isoformat(), label] for day, label in out.items()]
    _write_holidays(_stored_holidays())
    return out


def _holidays_of(year: int) -> dict[dt.date, str]:
    import holidays  # only for a year the cache does not hold

    out: dict[dt.date, str] = {}
    for country in HOLIDAY_CALENDARS:
        for day, label in holidays.country_holidays(
            country, years=[year - 1, year, year + 1]
        ).items():
            if "observed" not in label.lower():
                out.setdefault(day, label)
    return out


def holidays_cache_path() -> Path:
    """The holiday calendars' cache file, beside the gazetteer's (`gazetteer.cache_path`):
    under $DIPLOKG_CACHE, else $XDG_CACHE_HOME/diplokg, else ~/.cache/diplokg, one file per
    version of the `holidays` package, of the calendars read and of this module."""
    folder = os.environ.get("DIPLOKG_CACHE") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "diplokg"
    )
    digest = hashlib.sha256(
        f"holidays={metadata.version('holidays')};{','.join(HOLIDAY_CALENDARS)};".encode()
        + Path(__file__).read_bytes()
    )
    return Path(folder) / f"holidays-{digest.hexdigest()[:16]}.json"


@cache
def _stored_holidays() -> dict[str, list[list[str]]]:
    """The cached calendars by year (each day with its label, in the package's order)."""
    try:
        data = json.loads(holidays_cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_holidays(data: dict[str, list[list[str]]]) -> None:
    """Write atomically (builds in parallel may race: a year one of them loses is read from
    the package again); a folder that cannot be written is no error."""
    path = holidays_cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=path.name, suffix=".tmp", delete=False
        ) as stream:
            json.dump(data, stream, ensure_ascii=False)
    except OSError:
        return
    try:
        os.replace(stream.name, path)
    except OSError:
        Path(stream.name).unlink(missing_ok=True)


#: the text of a date that stands for "the day the story tells of", taken from the document
#: date for want of a better one: narrative time replaces it when the story gave a day before
STORY_DAY = "(the story's day)"


def story_day(anchor: dt.date, shift: int = 0) -> TimeValue:
    """A day counted from the day the story tells of ("a day after X" in a sentence with no
    date of its own): the document's date for now, `shift` days away, until narrative time
    knows the story's day (`story_shift`)."""
    text = STORY_DAY if shift == 0 else f"{STORY_DAY} {shift:+d}"
    return time_value(anchor + dt.timedelta(days=shift), "day", text)


def story_shift(value: TimeValue) -> int | None:
    """The days a `story_day` lies from the story's day, or None for a date of the text."""
    if not value.text.startswith(STORY_DAY):
        return None
    rest = value.text.removeprefix(STORY_DAY).strip()
    return int(rest) if rest else 0


def time_value(day: dt.date, precision: Precision, text: str = "") -> TimeValue:
    """A date at a precision, with the first and last day it covers."""
    if precision == "year":
        return TimeValue(
            f"{day.year:04d}", "year", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), text
        )
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return TimeValue(
            f"{day.year:04d}-{day.month:02d}",
            "month",
            dt.date(day.year, day.month, 1),
            dt.date(day.year, day.month, last),
            text,
        )
    return TimeValue(day.isoformat(), "day", day, day, text)


def parse_value(value: str) -> TimeValue:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a TimeValue (for gold files and API parameters).

    Raises ValueError for anything else.
    """
    parts = value.strip().split("-")
    if not (1 <= len(parts) <= 3) or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    day = dt.date(*numbers)  # raises ValueError for a month or day out of range
    precision: Precision = ("year", "month", "day")[len(parts) - 1]
    return time_value(day, precision, value)
