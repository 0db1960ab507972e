"""Date order detection and a fast date-time parser for incident exports.

An import parses several dates on each of millions of rows, so ``parse_datetime`` is one
compiled regex and a few ``int()`` calls rather than ``strptime`` (which re-reads its format
on every call and cannot express "one or two digits, seconds optional").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from functools import lru_cache


class DateOrder(StrEnum):
    DMY = "dmy"
    MDY = "mdy"
    YMD = "ymd"


# The time part every layout shares: "T" or spaces, H:MM[:SS[.fraction]], an optional 12-hour
# marker ("PM", "p.m."), then an optional offset ("Z", "+02:00", "+0200", "+02").
_TIME = (
    r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*(?:([AaPp])\.?[Mm]\.?)?)?"
    r"\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?\s*$"
)
# The separator is captured and repeated (\2) so that "29/2-2016" is not a date.
_YEAR_FIRST = re.compile(r"\s*(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)
_YEAR_LAST = re.compile(r"\s*(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME)
# Jira's CSV export writes "29/Feb/16 10:15 AM": a month name leaves no doubt about the order.
_MONTH_NAME = re.compile(r"\s*(\d{1,2})([-/ ])([A-Za-z]{3,9})\.?\2(\d{4}|\d{2})" + _TIME)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

# Outside these years a value is a typing slip, not an incident; rejecting it here also keeps
# conversions to UTC further down the line clear of datetime's year 1 and 9999 edges.
_MIN_YEAR = 1900
_MAX_YEAR = 2199


def detect_date_order(samples: Iterable[str]) -> DateOrder | None:
    """Guess the order of day and month from sample values of the date columns.

    A first part over 12 proves day-first and a second part over 12 proves month-first; when
    no value proves either, a 12-hour clock suggests the US export form (month first). ISO
    values (year first) alone mean YMD. Values that are no date at all (missing markers,
    garbage) say nothing. ``None`` means the caller has to ask the user.
    """
    day_first = month_first = twelve_hour = year_last = year_first = month_names = False
    for text in samples:
        match = _YEAR_LAST.match(text)
        if match is not None:
            year_last = True
            first, second = int(match[1]), int(match[3])
            # Only a value that is a valid day and month in one of the orders is evidence.
            if 12 < first <= 31 and 1 <= second <= 12:
                day_first = True
            elif 12 < second <= 31 and 1 <= first <= 12:
                month_first = True
            if match[9]:
                twelve_hour = True
            if day_first and month_first:
                return None
        elif _YEAR_FIRST.match(text):
            year_first = True
        else:
            named = _MONTH_NAME.match(text)
            if named is not None and named[3].lower() in _MONTHS:
                month_names = True
    if day_first:
        return DateOrder.DMY
    if month_first:
        return DateOrder.MDY
    if twelve_hour:
        return DateOrder.MDY
    if year_last:
        return None
    if year_first:
        return DateOrder.YMD
    if month_names:
        # Month-name values parse in any order; Jira writes them day first.
        return DateOrder.DMY
    return None


def parse_datetime(text: str, order: DateOrder) -> datetime:
    """Parse one date or date-time value of an export.

    Returns a naive datetime (the caller attaches the import's time zone), or an aware one
    when the text carries an offset or "Z". Year-first values are read in any order, since
    they are unambiguous; day/month/year values follow ``order`` and are refused under YMD.
    Raises ValueError with a short reason.
    """
    match = _YEAR_LAST.match(text)
    if match is not None:
        first, _, second, year, hour, minute, sec, fraction, meridiem, offset = match.groups()
        if order is DateOrder.DMY:
            day, month = first, second
        elif order is DateOrder.MDY:
            month, day = first, second
        else:
            raise ValueError(f"not a year-first date: {_quote(text)}")
        return _build(text, year, int(month), day, hour, minute, sec, fraction, meridiem, offset)
    match = _YEAR_FIRST.match(text)
    if match is not None:
        year, _, month, day, hour, minute, sec, fraction, meridiem, offset = match.groups()
        return _build(text, year, int(month), day, hour, minute, sec, fraction, meridiem, offset)
    match = _MONTH_NAME.match(text)
    if match is not None:
        day, _, name, year, hour, minute, sec, fraction, meridiem, offset = match.groups()
        month_number = _MONTHS.get(name.lower())
        if month_number is not None:
            if len(year) == 2:
                year = "20" + year
            return _build(
                text, year, month_number, day, hour, minute, sec, fraction, meridiem, offset
            )
    raise ValueError(f"not a date: {_quote(text)}")


def _build(
    text: str,
    year_text: str,
    month: int,
    day: str,
    hour_text: str | None,
    minute: str | None,
    sec: str | None,
    fraction: str | None,
    meridiem: str | None,
    offset: str | None,
) -> datetime:
    year = int(year_text)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"year out of range {_MIN_YEAR}-{_MAX_YEAR}: {_quote(text)}")
    hour = int(hour_text) if hour_text else 0
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"not a 12-hour time: {_quote(text)}")
        # 12 AM is midnight and 12 PM is noon.
        hour = hour % 12 + (12 if meridiem in "Pp" else 0)
    try:
        return datetime(
            year,
            month,
            int(day),
            hour,
            int(minute) if minute else 0,
            int(sec) if sec else 0,
            int(fraction[:6].ljust(6, "0")) if fraction else 0,
            _offset(offset) if offset else None,
        )
    except ValueError:
        raise ValueError(f"not a date: {_quote(text)}") from None


@lru_cache(maxsize=64)
def _offset(text: str) -> timezone:
    if text in ("Z", "z"):
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    # timezone() itself refuses offsets of a day or more, with a ValueError.
    return timezone(-delta if text[0] == "-" else delta)


def _quote(text: str) -> str:
    """The value as a reason quotes it: stripped, and short enough for a list of errors."""
    text = text.strip()
    return repr(text if len(text) <= 40 else text[:40] + "…")
