"""Meetings to and from iCalendar (.ics), with the icalendar library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Event

from meetings import recurrence, services
from meetings.models import Meeting, MeetingKind, MeetingSeries

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from stakeholders.models import BusinessLine

FEED_PAST_DAYS = 90


def feed_for(user: User) -> bytes:
    """The meetings of the lines ``user`` serves or attends, from 90 days ago on."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    meetings = (
        Meeting.objects.filter(Q(line__liaisons=user) | Q(attendances__user=user))
        .filter(starts_at__gte=since, cancelled=False)
        .select_related("line")
        .distinct()
        .order_by("starts_at")
    )
    cal = Calendar()
    cal.add("prodid", "-//itrm//meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"itrm meetings of {user.get_full_name() or user.username}")
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@itrm")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", f"{meeting.title} ({meeting.line.name})")
        if meeting.location:
            event.add("location", meeting.location)
        event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
        cal.add_component(event)
    return cal.to_ical()


class CalendarFileError(ValueError):
    """The uploaded file is not a calendar itrm can read."""


@dataclass
class ImportResult:
    series: list[MeetingSeries] = field(default_factory=list)
    single: list[Meeting] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _as_local(value: date | datetime) -> tuple[date, time, str]:
    if not isinstance(value, datetime):
        return value, time(9, 0), settings.TIME_ZONE
    zone = getattr(value.tzinfo, "key", None) or settings.TIME_ZONE
    if value.tzinfo is not None and not getattr(value.tzinfo, "key", None):
        value = timezone.localtime(value)
    return value.date(), value.time().replace(tzinfo=None), zone


@transaction.atomic
def import_ics(*, line: BusinessLine, data: bytes, created_by: User) -> ImportResult:
    """Create a series for each recurring VEVENT and a meeting for each single one."""
    try:
        cal = Calendar.from_ical(data)
    except (ValueError, IndexError) as exc:
        raise CalendarFileError(f"This is not a readable .ics calendar ({exc}).") from None
    result = ImportResult()
    for event in cal.walk("VEVENT"):
        summary = str(event.get("summary") or "Meeting").strip()[:200]
        start = event.get("dtstart")
        if start is None:
            result.skipped.append(f"{summary}: no start time")
            continue
        starts_on, start_time, zone = _as_local(start.dt)
        end = event.get("dtend")
        minutes = 60
        if end is not None and isinstance(end.dt, datetime) and isinstance(start.dt, datetime):
            minutes = max(1, int((end.dt - start.dt).total_seconds() // 60))
        location = str(event.get("location") or "")[:200]
        rule = event.get("rrule")
        if rule is None:
            single = Meeting.objects.create(
                line=line,
                title=summary,
                kind=MeetingKind.DEPARTMENT,
                duration_minutes=minutes,
                starts_at=recurrence.localise(datetime.combine(starts_on, start_time), _zone(zone)),
                location=location,
                created_by=created_by,
            )
            result.single.append(single)
            continue
        text = rule.to_ical().decode()
        until = _until(rule)
        # UNTIL is kept as a date of its own; COUNT stays in the rule.
        text = ";".join(p for p in text.split(";") if not p.startswith("UNTIL="))
        try:
            text = recurrence.normalise_rule(text)
        except recurrence.InvalidRule as exc:
            result.skipped.append(f"{summary}: {exc}")
            continue
        series = MeetingSeries.objects.create(
            line=line,
            title=summary,
            rrule=text,
            starts_on=starts_on,
            start_time=start_time,
            duration_minutes=minutes,
            time_zone=zone,
            until=until,
            location=location,
            created_by=created_by,
        )
        services.series_generate(series=series)
        result.series.append(series)
    if not (result.series or result.single or result.skipped):
        raise CalendarFileError("The calendar holds no events.")
    return result


def _until(rule: object) -> date | None:
    values = rule.get("UNTIL") if hasattr(rule, "get") else None
    if not values:
        return None
    value = values[0]
    return value.date() if isinstance(value, datetime) else value


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
