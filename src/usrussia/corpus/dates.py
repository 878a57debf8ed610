"""Dates of documents: the forms read, time zones, and the US administration in office.

``parse_date`` reads ISO dates and moments (offsets converted to US Eastern time), month
names and numeric dates whose day-month order is stated; ``era_of`` gives the era in office
(terms begin at noon Eastern time on inauguration day, ``config.ERAS``).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from dateutil import parser as date_parser

from usrussia import config
from usrussia.corpus.records import is_missing

EASTERN = ZoneInfo(config.ERA_TIMEZONE)
# A numeric date at the start of a string, year first (2017/3/5) or last (07/08/2017).
_YEAR_FIRST = re.compile(
    r"(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?=$|[T\s])"
)
_YEAR_LAST = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?=$|[T\s])"
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?=$|[T\s])")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_LETTERS = re.compile(r"[^\W\d_]+")
_MONTHS = date_parser.parserinfo()  # dateutil's table of month names (``.month(word)``)
# dateutil fills what a string lacks from a default: parsed with both, a string that names
# its day, month and year gives the same date, one that lacks any of them does not.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))


class DateError(ValueError):
    """A date that is present but unusable: ``reason`` is the quarantine category and
    ``detail`` says what is wrong with this value."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def parse_date(value: Any, dayfirst: bool | None = None) -> dt.date | dt.datetime | None:
    """The day or the moment of a string, date or timestamp; ``None`` when it is empty.

    Parameters
    ----------
    value
        A ``date``, a ``datetime`` or a string: ISO 8601 with or without a time and an
        offset, a year-first numeric date (``2017/3/5``), a date with a month name
        (``July 7, 2017``, ``7 July 2017``, ``Jul 7 2017``), or a day-month-year numeric
        date (``07/08/2017``, ``7.8.2017``), which needs ``dayfirst``.
    dayfirst
        The order of a numeric date with the year last: True for day/month/year, False for
        month/day/year, None when not stated (such a date is then refused, never guessed).

    Returns
    -------
    date, datetime or None
        A ``date`` for a whole day; a ``datetime`` in US Eastern time for a moment (an
        offset converted, a time without offset read as Eastern). A timestamp at midnight
        without an offset is a whole day, as pandas and Parquet store dates.

    Raises
    ------
    DateError
        For a value that is present but unreadable (including a string that lacks its day,
        month or four-digit year), a day-month-year date with no stated order, or a date
        later than now.
    """
    if value is pd.NaT or is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        when = _day_or_moment(value)
    elif isinstance(value, dt.date):
        when = value
    else:
        text = str(value).strip()
        if not text:
            return None
        when = _day_or_moment(_parse_text(text, dayfirst))
    _refuse_future(when, value)
    return when


def _day_or_moment(value: dt.datetime) -> dt.date | dt.datetime:
    """A naive midnight as a whole day; any other timestamp as a moment in Eastern time."""
    if value.tzinfo is None:
        return value.date() if value.time() == dt.time(0) else value.replace(tzinfo=EASTERN)
    return value.astimezone(EASTERN)


def _parse_text(text: str, dayfirst: bool | None) -> dt.datetime:
    """A string as a (naive or aware) datetime; see ``parse_date`` for the forms read."""
    iso = _numeric_to_iso(text, dayfirst)
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        pass
    incomplete = DateError("unparseable date", f"{text!r}: needs a day, a month and a year")
    if not _ISO_DAY.match(iso):
        if not any(_MONTHS.month(w) is not None for w in _LETTERS.findall(iso)):
            raise DateError("unparseable date", repr(text))
        if not _FOUR_DIGIT_YEAR.search(iso):
            raise incomplete
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", date_parser.UnknownTimezoneWarning)
            first, second = (date_parser.parse(iso, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError, date_parser.UnknownTimezoneWarning):
        raise DateError("unparseable date", repr(text)) from None
    if first.date() != second.date():
        raise incomplete
    return first


def _numeric_to_iso(text: str, dayfirst: bool | None) -> str:
    """``text`` with a leading numeric date rewritten as YYYY-MM-DD (the rest kept).

    Year-first dates are year-month-day everywhere; with the year last, the day/month
    order must be stated, and a date impossible in the stated order is refused.
    """
    if match := _YEAR_FIRST.match(text):
        year, month, day = match["y"], match["m"], match["d"]
        order = "year-month-day"
    elif match := _YEAR_LAST.match(text):
        if dayfirst is None:
            detail = f"{text!r}: numeric day and month, and their order is not stated"
            raise DateError("ambiguous date", detail)
        year = match["y"]
        day, month = (match["a"], match["b"]) if dayfirst else (match["b"], match["a"])
        order = "day first" if dayfirst else "month first"
    else:
        return text
    try:
        day_iso = dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise DateError("unparseable date", f"{text!r}: not a valid date {order}") from None
    return day_iso + text[match.end() :]


def _refuse_future(when: dt.date | dt.datetime, value: Any) -> None:
    """Raise ``DateError`` for a moment after now, or a day no time zone has reached yet."""
    now = dt.datetime.now(dt.UTC)
    if isinstance(when, dt.datetime):
        late = when > now
    else:
        late = when > (now + dt.timedelta(hours=14)).date()  # UTC+14 is the earliest zone
    if late:
        raise DateError("date in the future", f"{value!r} is after now ({now:%Y-%m-%d %H:%M} UTC)")


def era_of(when: dt.date | dt.datetime | None) -> tuple[str | None, str | None]:
    """The (era, US president) in office at ``when``; ``(None, None)`` when unknown.

    A term begins at noon US Eastern time on inauguration day (``config.ERAS``): a moment
    belongs to the administration in office then (a naive time is read as Eastern, a naive
    midnight as the whole day), a whole day to the one in office at the end of that day.
    Before the first era and from ``config.ERAS_END`` on there is no known era.
    """
    if when is None:
        return None, None
    if isinstance(when, dt.datetime):
        when = _day_or_moment(when)
    current: tuple[str | None, str | None] = (None, None)
    # ERAS_END begins a term not listed yet: from then on the era is unknown again.
    for name, president, start in (*config.ERAS, (None, None, config.ERAS_END)):
        if _began(start, when):
            current = (name, president)
    return current


def _began(day: dt.date, when: dt.date | dt.datetime) -> bool:
    """Whether a term beginning on ``day`` had begun at the moment, or by the end of the day."""
    if isinstance(when, dt.datetime):
        return when >= dt.datetime.combine(day, config.INAUGURATION_TIME, EASTERN)
    return when >= day
