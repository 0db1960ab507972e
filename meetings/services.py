"""Meeting workflows called by views, tasks and commands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from meetings import recurrence
from meetings.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingSeries,
)
from stakeholders.models import BusinessLine

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Occurrences are generated this far ahead, so calendars and agendas can show them.
HORIZON_DAYS = 120


@transaction.atomic
def series_generate(*, series: MeetingSeries, today: date | None = None) -> int:
    """Create the series' missing occurrences up to the horizon; returns how many were new.

    Idempotent: (series, starts_at) is unique, and existing occurrences are left alone,
    with their notes and attendance.
    """
    today = today or timezone.localdate()
    starts = recurrence.occurrences(
        rule=series.rrule,
        starts_on=series.starts_on,
        start_time=series.start_time,
        time_zone=series.time_zone,
        until=series.until,
        after=series.starts_on,
        before=today + timedelta(days=HORIZON_DAYS),
    )
    existing = set(series.occurrences.values_list("starts_at", flat=True))
    new = [
        Meeting(
            line_id=series.line_id,
            series=series,
            kind=series.kind,
            title=series.title,
            starts_at=start,
            duration_minutes=series.duration_minutes,
            location=series.location,
        )
        for start in starts
        if start not in existing
    ]
    Meeting.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def series_generate_all(*, today: date | None = None) -> int:
    return sum(series_generate(series=s, today=today) for s in MeetingSeries.objects.all())


@transaction.atomic
def meeting_log(
    *,
    line: BusinessLine,
    kind: str,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    attendees: list[User],
    created_by: User,
) -> Meeting:
    """Log a meeting that IT attended; reuses the series occurrence at that time if any."""
    meeting = Meeting.objects.filter(line=line, starts_at=starts_at, cancelled=False).first()
    if meeting is None:
        meeting = Meeting.objects.create(
            line=line,
            kind=kind,
            title=title,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            created_by=created_by,
        )
    for person in attendees:
        Attendance.objects.update_or_create(
            meeting=meeting, user=person, defaults={"status": AttendanceStatus.ATTENDED}
        )
    return meeting


def meeting_save_notes(*, meeting: Meeting, text: str) -> Meeting:
    meeting.set_notes(text)
    meeting.save(update_fields=["notes", "notes_html", "notes_saved_at"])
    return meeting


def attendance_set(*, meeting: Meeting, user: User, status: str) -> Attendance:
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting, user=user, defaults={"status": status}
    )
    return attendance


@transaction.atomic
def action_item_create(
    *,
    line: BusinessLine,
    title: str,
    owner: User,
    due_on: date | None,
    created_by: User,
    meeting: Meeting | None = None,
) -> ActionItem:
    from meetings.tasks import send_action_item_assigned

    item = ActionItem.objects.create(
        line=line, meeting=meeting, title=title, owner=owner, due_on=due_on, created_by=created_by
    )
    if owner.email:
        # The email goes once the item is committed, never for a rolled-back one.
        transaction.on_commit(lambda: send_action_item_assigned.delay(item.pk))
    return item


def action_item_set_status(*, item: ActionItem, status: str) -> ActionItem:
    item.set_status(status)
    item.save(update_fields=["status", "done_at"])
    return item


@dataclass(frozen=True)
class AttendanceRate:
    months: int
    held: int
    attended: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.held) if self.held else None


ATTENDANCE_WINDOWS = (3, 6, 12)


def attendance_rates(*, line_id: int, now: datetime | None = None) -> list[AttendanceRate]:
    """Attended occurrences over occurrences held, for the last 3, 6 and 12 months.

    Held means: not cancelled and already started. Attended means at least one IT person
    attended. One query, whatever the number of meetings.
    """
    now = now or timezone.now()
    attended = Q(attendances__status=AttendanceStatus.ATTENDED)
    windows = {m: now - timedelta(days=round(m * 30.44)) for m in ATTENDANCE_WINDOWS}
    held = Meeting.objects.filter(line_id=line_id, cancelled=False, starts_at__lte=now)
    per_meeting = held.annotate(n_attended=Count("attendances", filter=attended)).values(
        "starts_at", "n_attended"
    )
    aggregates: dict[str, Count] = {}
    for months, since in windows.items():
        in_window = Q(starts_at__gte=since)
        aggregates[f"held_{months}"] = Count("pk", filter=in_window)
        aggregates[f"attended_{months}"] = Count(
            "pk", filter=in_window & Q(pk__in=per_meeting.filter(n_attended__gt=0).values("pk"))
        )
    totals = held.aggregate(**aggregates)
    return [
        AttendanceRate(months=m, held=totals[f"held_{m}"], attended=totals[f"attended_{m}"])
        for m in ATTENDANCE_WINDOWS
    ]


def local_start(day: date, at: time) -> datetime:
    """An aware datetime for a wall-clock time in the portal's zone."""
    naive = datetime.combine(day, at)
    return recurrence.localise(naive, timezone.get_current_timezone())


def open_action_statuses() -> tuple[str, str]:
    return (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
