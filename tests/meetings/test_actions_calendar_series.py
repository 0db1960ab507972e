from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import ActionItem, Attendance, CalendarFeed, Meeting, MeetingSeries


def test_my_action_items_put_overdue_first_and_hide_closed(personas, client_for):
    today = timezone.localdate()
    make = lambda title, due, **kw: ActionItem.objects.create(  # noqa: E731
        line=personas.line_a, title=title, owner=personas.liaison, due_on=due, **kw
    )
    make("Later", today + timedelta(days=10))
    make("Overdue", today - timedelta(days=2))
    make("Soon", today + timedelta(days=1))
    make("Done already", today - timedelta(days=9), status="done", done_at=timezone.now())
    ActionItem.objects.create(line=personas.line_a, title="Not mine", owner=personas.liaison_b)
    client = client_for(personas.liaison)
    body = client.get(reverse("meetings:my_actions")).content.decode()
    assert body.index("Overdue") < body.index("Soon") < body.index("Later")
    assert "Done already" not in body
    assert "Not mine" not in body
    assert "1 overdue" in body
    assert (
        "Done already"
        in client.get(reverse("meetings:my_actions"), {"show": "all"}).content.decode()
    )


def test_attendance_rate_over_3_6_and_12_months(personas):
    now = timezone.now()
    for days_ago, attended in [
        (10, True),
        (40, False),
        (80, True),
        (150, True),
        (300, False),
        (400, True),
    ]:
        meeting = Meeting.objects.create(
            line=personas.line_a, title="M", starts_at=now - timedelta(days=days_ago)
        )
        status = "attended" if attended else "missed"
        Attendance.objects.create(meeting=meeting, user=personas.liaison, status=status)
    Meeting.objects.create(
        line=personas.line_a, title="Cancelled", cancelled=True, starts_at=now - timedelta(days=5)
    )
    Meeting.objects.create(line=personas.line_a, title="Future", starts_at=now + timedelta(days=5))
    rates = {
        r.months: (r.attended, r.held, r.percent)
        for r in services.attendance_rates(line_id=personas.line_a.pk, now=now)
    }
    assert rates == {3: (2, 3, 67), 6: (3, 4, 75), 12: (3, 5, 60)}


def test_series_from_the_form_schedules_its_occurrences_once(personas, client_for):
    data = {
        "title": "Claims all-hands",
        "kind": "department",
        "pattern": "monthly_weekday",
        "position": "1",
        "weekday": "1",
        "interval": "1",
        "starts_on": "2026-01-01",
        "start_time": "10:00",
        "duration_minutes": "60",
        "until": "2026-06-30",
    }
    url = reverse("meetings:series_create", args=[personas.line_a.slug])
    response = client_for(personas.liaison).post(url, data)
    assert response["Location"] == personas.line_a.get_absolute_url()
    series = MeetingSeries.objects.get()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=+1TU"
    starts = [timezone.localtime(m.starts_at) for m in series.occurrences.order_by("starts_at")]
    assert [s.date() for s in starts] == [
        date(2026, 1, 6),
        date(2026, 2, 3),
        date(2026, 3, 3),
        date(2026, 4, 7),
        date(2026, 5, 5),
        date(2026, 6, 2),
    ]
    assert {s.time() for s in starts} == {time(10)}
    assert services.series_generate(series=series) == 0


def test_a_bad_custom_rule_is_explained(personas, client_for):
    data = {
        "title": "X",
        "kind": "department",
        "pattern": "custom",
        "custom_rule": "FREQ=HOURLY",
        "interval": "1",
        "starts_on": "2026-01-01",
        "start_time": "10:00",
        "duration_minutes": "60",
    }
    url = reverse("meetings:series_create", args=[personas.line_a.slug])
    body = client_for(personas.manager).post(url, data).content.decode()
    assert "A meeting series repeats at most daily." in body
    assert not MeetingSeries.objects.exists()


def test_series_are_created_only_by_those_who_serve_the_line(personas, client_for):
    url = reverse("meetings:series_create", args=[personas.line_a.slug])
    assert client_for(personas.liaison_b).get(url).status_code == 403
    assert client_for(personas.stakeholder).get(url).status_code == 403


ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Microsoft Corporation//Outlook 16.0//EN
BEGIN:VEVENT
UID:abc@example.com
SUMMARY:Finance monthly all-hands
DTSTART;TZID=Europe/London:20260106T100000
DTEND;TZID=Europe/London:20260106T110000
RRULE:FREQ=MONTHLY;BYDAY=1TU;UNTIL=20260430T235959Z
LOCATION:Room 4.01
END:VEVENT
BEGIN:VEVENT
UID:def@example.com
SUMMARY:Budget review
DTSTART:20260210T140000Z
DTEND:20260210T143000Z
END:VEVENT
END:VCALENDAR
"""


def test_ics_import_creates_series_and_single_meetings(personas, client_for):
    url = reverse("meetings:series_import", args=[personas.line_b.slug])
    upload = SimpleUploadedFile("finance.ics", ICS, content_type="text/calendar")
    response = client_for(personas.liaison_b).post(url, {"file": upload})
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert (series.title, series.rrule, series.until) == (
        "Finance monthly all-hands",
        "FREQ=MONTHLY;BYDAY=1TU",
        date(2026, 4, 30),
    )
    assert series.location == "Room 4.01"
    assert series.occurrences.count() == 4
    single = Meeting.objects.get(series__isnull=True)
    assert single.title == "Budget review"
    assert single.duration_minutes == 30


def test_a_file_that_is_not_a_calendar_gets_a_clear_message(personas, client_for):
    url = reverse("meetings:series_import", args=[personas.line_b.slug])
    upload = SimpleUploadedFile("notes.ics", b"hello, this is not ics", content_type="text/plain")
    response = client_for(personas.manager).post(url, {"file": upload})
    assert response.status_code == 200
    assert "not a readable .ics calendar" in response.content.decode()


def test_calendar_feed_serves_my_lines_meetings_by_private_token(personas, client_for, client):
    Meeting.objects.create(
        line=personas.line_a, title="Claims weekly", starts_at=timezone.now() + timedelta(days=2)
    )
    Meeting.objects.create(
        line=personas.line_b, title="Finance only", starts_at=timezone.now() + timedelta(days=2)
    )
    client_for(personas.liaison).get(reverse("meetings:calendar_settings"))
    token = CalendarFeed.objects.get(user=personas.liaison).token
    response = client.get(f"/calendar/{token}.ics")  # no login: calendar apps have none
    assert response["Content-Type"].startswith("text/calendar")
    events = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert events == ["Claims weekly (Claims)"]


def test_a_rotated_or_unknown_token_serves_nothing(personas, client_for, client):
    liaison = client_for(personas.liaison)
    liaison.get(reverse("meetings:calendar_settings"))
    old = CalendarFeed.objects.get(user=personas.liaison).token
    liaison.post(reverse("meetings:calendar_settings"))
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get("/calendar/guess.ics").status_code == 404


def test_a_business_stakeholder_gets_no_feed(personas, client_for, client):
    feed = CalendarFeed.objects.create(user=personas.stakeholder)
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    assert (
        client_for(personas.stakeholder).get(reverse("meetings:calendar_settings")).status_code
        == 403
    )


@pytest.mark.parametrize("days", [0, 30])
def test_generation_is_idempotent_over_time(personas, days):
    series = MeetingSeries.objects.create(
        line=personas.line_a,
        title="Weekly",
        rrule="FREQ=WEEKLY",
        starts_on=date(2026, 1, 5),
        start_time=time(9),
    )
    today = date(2026, 3, 1) + timedelta(days=days)
    first = services.series_generate(series=series, today=today)
    assert first > 0
    assert services.series_generate(series=series, today=today) == 0
    later = services.series_generate(series=series, today=today + timedelta(days=14))
    assert later == 2
    first_meeting = series.occurrences.order_by("starts_at").first()
    assert first_meeting is not None
    assert first_meeting.starts_at.tzinfo is not None


def test_nightly_generation_is_scheduled_and_runs_as_a_command(personas):
    from io import StringIO

    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    from itrm.celery import app

    task = PeriodicTask.objects.get(name="Generate meeting occurrences")
    assert task.crontab is not None
    assert (task.crontab.hour, task.crontab.minute) == ("1", "30")
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert task.task in app.tasks
    MeetingSeries.objects.create(
        line=personas.line_a,
        title="Weekly",
        rrule="FREQ=WEEKLY",
        starts_on=timezone.localdate(),
        start_time=time(9),
    )
    out = StringIO()
    call_command("generate_meetings", stdout=out)
    assert out.getvalue().strip() == f"{Meeting.objects.count()} meeting occurrences created"
    assert Meeting.objects.count() >= 17  # 120 days ahead, weekly
