"""Recurrence rules of meeting series (RFC 5545 RRULE through python-dateutil).

Occurrences are computed in the series' local wall time and only then given its time
zone, so "first Tuesday 10:00" stays at 10:00 across daylight-saving changes. A wall
time that does not exist on a spring-forward day (01:30 in London on the last Sunday of
March) moves forward by the gap (to 02:30), as calendar programs do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
POSITIONS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
ALLOWED_FREQUENCIES = {DAILY, WEEKLY, MONTHLY, YEARLY}


class InvalidRule(ValueError):
    """The text is not a recurrence rule a meeting series can use."""


def parse_rule(text: str, *, dtstart: datetime) -> rrule:
    cleaned = text.strip().removeprefix("RRULE:")
    if not cleaned:
        raise InvalidRule("Enter a recurrence rule.")
    try:
        rule = rrulestr(cleaned, dtstart=dtstart)
    except (ValueError, TypeError) as exc:
        raise InvalidRule(f"Not a valid RRULE: {exc}") from None
    if not isinstance(rule, rrule):
        raise InvalidRule("Use a single RRULE, not a set of rules.")
    # dateutil keeps the frequency in a private attribute; it has no public accessor.
    if getattr(rule, "_freq", None) not in ALLOWED_FREQUENCIES:
        raise InvalidRule("A meeting series repeats at most daily.")
    return rule


def normalise_rule(text: str) -> str:
    """The rule as stored: no "RRULE:" prefix, upper case, validated."""
    cleaned = text.strip().removeprefix("RRULE:").upper()
    parse_rule(cleaned, dtstart=datetime(2000, 1, 1))
    return cleaned


def localise(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach ``zone`` to a wall time, moving a time that falls in a DST gap forward."""
    aware = naive.replace(tzinfo=zone)
    # A round trip through UTC turns a non-existent wall time into the real instant after it.
    return aware.astimezone(UTC).astimezone(zone)


def occurrences(
    *,
    rule: str,
    starts_on: date,
    start_time: time,
    time_zone: str,
    until: date | None,
    after: date,
    before: date,
) -> list[datetime]:
    """Aware start times of the series between ``after`` and ``before`` (both inclusive)."""
    zone = ZoneInfo(time_zone)
    dtstart = datetime.combine(starts_on, start_time)
    parsed = parse_rule(rule, dtstart=dtstart)
    last = min(before, until) if until else before
    window_start = datetime.combine(max(after, starts_on), time.min)
    window_end = datetime.combine(last, time.max)
    if window_end < window_start:
        return []
    return [localise(moment, zone) for moment in parsed.between(window_start, window_end, inc=True)]


@dataclass(frozen=True)
class Pattern:
    """The common shapes of a meeting series, as a form offers them."""

    kind: str  # weekly | monthly_weekday | monthly_day | monthly_last_day
    weekday: int = 0  # 0 = Monday
    position: int = 1  # 1..4 or -1 for last (monthly_weekday)
    interval: int = 1  # every N weeks or months
    day: int = 1  # day of month (monthly_day)

    def to_rrule(self) -> str:
        every = f";INTERVAL={self.interval}" if self.interval > 1 else ""
        if self.kind == "weekly":
            return f"FREQ=WEEKLY{every};BYDAY={WEEKDAYS[self.weekday]}"
        if self.kind == "monthly_weekday":
            return f"FREQ=MONTHLY{every};BYDAY={self.position:+d}{WEEKDAYS[self.weekday]}"
        if self.kind == "monthly_day":
            # Months without that day (the 31st in April) are skipped, as RFC 5545 says;
            # "last day of the month" is its own pattern.
            return f"FREQ=MONTHLY{every};BYMONTHDAY={self.day}"
        if self.kind == "monthly_last_day":
            return f"FREQ=MONTHLY{every};BYMONTHDAY=-1"
        raise InvalidRule(f"Unknown pattern {self.kind!r}")


def describe(rule: str) -> str:
    """A short English description of the common rules, else the rule itself."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    freq, interval = parts.get("FREQ"), int(parts.get("INTERVAL", "1"))
    byday, bymonthday = parts.get("BYDAY", ""), parts.get("BYMONTHDAY")
    if freq == "WEEKLY" and byday in WEEKDAYS:
        every = "Weekly" if interval == 1 else f"Every {interval} weeks"
        return f"{every} on {WEEKDAY_NAMES[WEEKDAYS.index(byday)]}"
    every = "Monthly" if interval == 1 else f"Every {interval} months"
    if freq == "MONTHLY" and len(byday) >= 3 and byday[-2:] in WEEKDAYS:
        try:
            position = int(byday[:-2])
        except ValueError:
            return rule
        if position in POSITIONS:
            day = WEEKDAY_NAMES[WEEKDAYS.index(byday[-2:])]
            return f"{every} on the {POSITIONS[position]} {day}"
    if freq == "MONTHLY" and bymonthday == "-1":
        return f"{every} on the last day"
    if freq == "MONTHLY" and bymonthday and bymonthday.isdigit():
        return f"{every} on day {bymonthday}"
    return rule
