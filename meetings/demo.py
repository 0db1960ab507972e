"""A year of believable department meetings for the demo organisation."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, ActionStatus, Attendance, AttendanceStatus, MeetingSeries
from meetings.recurrence import Pattern

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from stakeholders.models import BusinessLine

# How often IT makes it to each line's meeting: some relationships are neglected.
ATTENDANCE = {
    "Claims": 0.9,
    "Customer Service": 0.85,
    "Finance": 0.8,
    "Marketing": 0.7,
    "Underwriting": 0.35,
    "Legal & Compliance": 0.2,
    "Human Resources": 0.5,
}

TOPICS = [
    (
        "Month-end close slipped two days because the ledger export timed out.",
        "Look at the ledger export job timing with the DBA team",
    ),
    (
        "Handlers complain about re-keying claim numbers into the payment system.",
        "Scope an integration between the claims and payment systems",
    ),
    (
        "New starters wait a week for laptops and accounts.",
        "Propose a joiner pack prepared before the first day",
    ),
    (
        "VPN drops during hotel stays make remote staff lose unsaved work.",
        "Share the VPN incident trend with the network team",
    ),
    (
        "Broker emails with attachments are the main intake channel; the mailbox is full daily.",
        "Demo the broker portal upload to the team leads",
    ),
    (
        "The team wants a report of open items without exporting to Excel.",
        "Build a first dashboard prototype",
    ),
    (
        "Teams calls freeze on older laptops in the afternoon.",
        "Check the laptop refresh list for this line",
    ),
    (
        "Printer in the north wing jams; the team prints less than last year.",
        "Move the team to follow-me printing",
    ),
]


def seed_meetings(
    *, lines: dict[str, BusinessLine], users: dict[str, User], rng: random.Random, today: date
) -> int:
    """One monthly department meeting per line with a liaison, for the last year.

    Idempotent: a line that already has a series is left alone. Returns meetings created.
    """
    created = 0
    for index, (name, line) in enumerate(sorted(lines.items())):
        liaisons = list(line.liaisons.all())
        if not liaisons or line.meeting_series.exists():
            continue
        pattern = Pattern(kind="monthly_weekday", weekday=index % 4, position=1 + index % 3)
        series = MeetingSeries.objects.create(
            line=line,
            title=f"{name} department meeting",
            rrule=pattern.to_rrule(),
            starts_on=today - timedelta(days=365),
            start_time=time(9 + index % 5, 30),
            duration_minutes=60,
            location=f"{name} floor, meeting room {1 + index % 6}",
        )
        created += services.series_generate(series=series, today=today)
        liaison = liaisons[0]
        rate = ATTENDANCE.get(name, 0.65)
        people = list(line.stakeholders.all())
        for meeting in series.occurrences.filter(starts_at__lte=timezone.now()):
            attended = rng.random() < rate
            status = (
                AttendanceStatus.ATTENDED
                if attended
                else rng.choice([AttendanceStatus.MISSED, AttendanceStatus.APOLOGIES])
            )
            Attendance.objects.create(meeting=meeting, user=liaison, status=status)
            if not attended:
                continue
            topic, action = rng.choice(TOPICS)
            meeting.set_notes(f"## Heard\n- {topic}\n\n## Agreed\n- {action}.\n")
            meeting.save(update_fields=["notes", "notes_html", "notes_saved_at"])
            if people:
                meeting.stakeholders_present.add(*rng.sample(people, min(len(people), 3)))
            due = timezone.localdate(meeting.starts_at) + timedelta(days=14)
            item = ActionItem(
                line=line,
                meeting=meeting,
                title=action,
                owner=liaison,
                due_on=due,
                created_by=liaison,
            )
            if due < today - timedelta(days=20) or rng.random() < 0.3:
                item.set_status(
                    ActionStatus.DONE if rng.random() < 0.85 else ActionStatus.CANCELLED
                )
                if item.done_at:  # done some days after the meeting, not at seeding time
                    item.done_at = min(
                        timezone.now(), meeting.starts_at + timedelta(days=rng.randint(2, 20))
                    )
            item.save()
    return created
