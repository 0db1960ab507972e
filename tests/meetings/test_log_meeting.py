from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting
from stakeholders.models import BusinessLine

URL = reverse("meetings:meeting_log")


def post_data(personas, **overrides):
    data = {
        "line": personas.line_a.pk,
        "kind": "department",
        "title": "Claims weekly",
        "date": timezone.localdate().isoformat(),
        "time": "10:00",
        "duration_minutes": "45",
        "attendees": [personas.liaison.pk],
    }
    return {**data, **overrides}


def test_the_form_defaults_to_my_line_today_and_me(personas, client_for):
    BusinessLine.objects.create(name="Aardvark Ops")  # first by name, but not Lena's
    response = client_for(personas.liaison).get(URL)
    form = response.context["form"]
    # The browser's date picker needs ISO dates, whatever the portal's locale.
    assert f'type="date" name="date" value="{timezone.localdate().isoformat()}"' in (
        response.content.decode()
    )
    assert form.initial["line"] == personas.line_a
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["attendees"] == [personas.liaison]
    assert list(form.fields["line"].queryset) == [personas.line_a]


def test_logging_creates_the_meeting_with_my_attendance_and_opens_its_notes(personas, client_for):
    response = client_for(personas.liaison).post(URL, post_data(personas))
    meeting = Meeting.objects.get()
    assert response["Location"] == f"{meeting.get_absolute_url()}?new=1"
    assert meeting.line == personas.line_a
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "10:00"
    assert meeting.duration_minutes == 45
    assert Attendance.objects.get().user == personas.liaison


def test_logging_the_time_of_a_scheduled_occurrence_reuses_it(personas, client_for, meeting):
    local = timezone.localtime(meeting.starts_at)
    data = post_data(
        personas,
        date=local.date().isoformat(),
        time=local.strftime("%H:%M:%S"),
        attendees=[personas.liaison.pk, personas.manager.pk],
    )
    client_for(personas.liaison).post(URL, data)
    assert Meeting.objects.count() == 1
    assert meeting.attendances.count() == 2


def test_a_future_date_is_refused_with_a_reason(personas, client_for):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(personas.liaison).post(URL, post_data(personas, date=tomorrow))
    assert "Log meetings that have happened" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_liaison_cannot_log_for_a_line_they_do_not_serve(personas, client_for):
    response = client_for(personas.liaison).post(URL, post_data(personas, line=personas.line_b.pk))
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_liaison_without_lines_is_told_why(db, client_for):
    from itrm.access import Role
    from tests.personas import make_user

    body = client_for(make_user("newbie", Role.LIAISON)).get(URL).content.decode()
    assert "You do not serve any business line yet" in body


@pytest.mark.parametrize("who", ["stakeholder", "outsider"])
def test_non_it_roles_are_refused(personas, client_for, who):
    client = client_for(getattr(personas, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, post_data(personas)).status_code == 403


def test_meeting_list_shows_my_lines_meetings_with_who_attended(personas, client_for, meeting):
    body = client_for(personas.liaison).get(reverse("meetings:meeting_list")).content.decode()
    assert "Claims weekly" in body
    assert "Lena Fischer" in body


def test_meeting_list_filters_by_line_with_htmx(personas, client_for, meeting):
    url = reverse("meetings:meeting_list")
    response = client_for(personas.liaison_b).get(url, {"line": "finance"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body
    assert "No meetings held yet." in body
