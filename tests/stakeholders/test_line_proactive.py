"""The line page's proactive side: timeline, last contact, attendance, search."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionItem, Attendance, Meeting
from tests.conftest import HTMX
from tests.helpers import queries_for


def held(personas, days_ago: int, status: str = "attended", notes: str = "") -> Meeting:
    # Noon, local time: "N days ago" must not depend on the hour the test runs at.
    day = timezone.localdate() - timedelta(days=days_ago)
    noon = datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())
    meeting = Meeting.objects.create(
        line=personas.line_a, title=f"Claims meeting -{days_ago}d", starts_at=noon
    )
    Attendance.objects.create(meeting=meeting, user=personas.liaison, status=status)
    if notes:
        services.meeting_save_notes(meeting=meeting, text=notes)
    return meeting


def test_an_attended_meeting_is_the_last_contact_and_feeds_health(personas, client_for):
    held(personas, 40)
    held(personas, 2, status="missed")  # a missed meeting is no contact
    client = client_for(personas.liaison)
    body = client.get(reverse("stakeholders:line_list")).content.decode()
    assert "Last contact 40 days ago, past the agreed cadence of every 14 days." not in body
    assert "Last contact 40 days ago, more than twice the agreed cadence of every 14 days." in body
    held(personas, 3)
    body = client.get(personas.line_a.get_absolute_url()).content.decode()
    assert "Last contact 3 days ago, within the agreed cadence of every 14 days." in body


def test_a_contact_recorded_by_hand_counts_when_it_is_later(personas, client_for):
    held(personas, 20)
    personas.line_a.last_contact_on = timezone.localdate() - timedelta(days=1)
    personas.line_a.save()
    body = client_for(personas.manager).get(personas.line_a.get_absolute_url()).content.decode()
    assert "Last contact 1 day ago" in body


def test_timeline_lists_meetings_attended_and_actions_done_newest_first(personas, client_for):
    meeting = held(personas, 10)
    held(personas, 5, status="apologies")
    item = ActionItem.objects.create(
        line=personas.line_a, meeting=meeting, title="Pilot SSO", owner=personas.liaison
    )
    services.action_item_set_status(item=item, status="done")
    ActionItem.objects.create(line=personas.line_a, title="Still open", owner=personas.liaison)
    body = client_for(personas.liaison_b).get(personas.line_a.get_absolute_url()).content.decode()
    timeline = body.split('id="touchpoints"')[1].split("</ol>")[0]
    assert timeline.index("Pilot SSO") < timeline.index("Claims meeting -10d")
    assert "Claims meeting -5d" not in timeline
    assert "Still open" not in timeline


def test_attendance_rates_show_on_the_line(personas, client_for):
    held(personas, 10)
    held(personas, 50, status="missed")
    body = client_for(personas.manager).get(personas.line_a.get_absolute_url()).content.decode()
    rates = body.split('id="attendance-rates"')[1].split("</div>\n      <h3>")[0]
    assert "50%" in rates
    assert "1 of 2" in rates


def test_search_finds_words_in_meeting_notes(personas, client_for):
    held(personas, 10, notes="Handlers lose time when the VPN drops in hotels")
    held(personas, 11, notes="Printer jams")
    url = reverse("stakeholders:line_search", args=[personas.line_a.slug])
    response = client_for(personas.liaison).get(url, {"q": "vpn hotels"}, **HTMX)
    body = response.content.decode()
    assert 'id="hits"' in body
    assert "<html" not in body
    assert "Claims meeting -10d" in body
    assert "Claims meeting -11d" not in body
    empty = client_for(personas.liaison).get(url, {"q": "mainframe"}, **HTMX).content.decode()
    assert "matches “mainframe”" in empty


@pytest.mark.parametrize("who", ["stakeholder", "outsider"])
def test_search_is_refused_to_non_it_roles(personas, client_for, who):
    url = reverse("stakeholders:line_search", args=[personas.line_a.slug])
    assert client_for(getattr(personas, who)).get(url, {"q": "x"}).status_code == 403


def test_line_page_queries_do_not_grow_with_meetings_and_actions(personas, client_for):
    client = client_for(personas.liaison)
    url = personas.line_a.get_absolute_url()
    held(personas, 1)
    before = queries_for(client, url)
    list_before = queries_for(client, reverse("stakeholders:line_list"))
    for n in range(60):
        meeting = held(personas, 2 + n)
        ActionItem.objects.create(
            line=personas.line_a,
            meeting=meeting,
            title=f"A{n}",
            owner=personas.liaison,
            status="done",
            done_at=timezone.now(),
        )
    assert queries_for(client, url) == before
    assert queries_for(client, reverse("stakeholders:line_list")) == list_before
