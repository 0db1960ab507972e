from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Attendance
from stakeholders.models import Stakeholder
from tests.conftest import HTMX
from tests.helpers import queries_for


def url(name, meeting, *args):
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def test_notes_save_as_you_type_and_answer_with_the_status_fragment(personas, client_for, meeting):
    response = client_for(personas.liaison).post(
        url("meeting_notes", meeting), {"notes": "## Decisions\n- Pilot **SSO**"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="notes-status"' in body
    assert "Saved at" in body
    assert "<html" not in body
    meeting.refresh_from_db()
    assert meeting.notes == "## Decisions\n- Pilot **SSO**"
    assert "<strong>SSO</strong>" in meeting.notes_html


def test_a_script_in_the_notes_never_reaches_the_page_as_a_tag(personas, client_for, meeting):
    evil = 'Hello <script>alert("x")</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))'
    client_for(personas.liaison).post(url("meeting_notes", meeting), {"notes": evil}, **HTMX)
    body = client_for(personas.liaison_b).get(meeting.get_absolute_url()).content.decode()
    rendered = body.split('class="notes"')[1].split("</div>")[0]
    assert "<script" not in rendered
    assert "<img" not in rendered
    assert 'href="javascript' not in rendered
    assert "&lt;script&gt;" in rendered  # shown as text, harmless


def test_notes_without_htmx_redirect_back(personas, client_for, meeting):
    response = client_for(personas.manager).post(url("meeting_notes", meeting), {"notes": "x"})
    assert response["Location"] == meeting.get_absolute_url()


@pytest.mark.parametrize("who", ["liaison_b", "stakeholder", "outsider"])
def test_notes_are_written_only_by_those_who_serve_the_line(personas, client_for, meeting, who):
    client = client_for(getattr(personas, who))
    assert client.post(url("meeting_notes", meeting), {"notes": "mine"}, **HTMX).status_code == 403
    meeting.refresh_from_db()
    assert meeting.notes == ""


def test_notes_need_post(personas, client_for, meeting):
    assert client_for(personas.liaison).get(url("meeting_notes", meeting)).status_code == 405


def test_other_liaisons_read_the_meeting_without_edit_controls(personas, client_for, meeting):
    body = client_for(personas.liaison_b).get(meeting.get_absolute_url()).content.decode()
    assert "Claims weekly" in body
    assert "data-autosave" not in body


def test_stakeholder_autocomplete_offers_only_people_of_the_line_not_yet_present(
    personas, client_for, meeting
):
    Stakeholder.objects.create(line=personas.line_a, name="Sara Ahmed", title="Claims lead")
    Stakeholder.objects.create(line=personas.line_b, name="Sarah Finance")
    client = client_for(personas.liaison)
    body = client.get(url("stakeholder_search", meeting), {"q": "sar"}, **HTMX).content.decode()
    assert "Sara Ahmed" in body
    assert "Sarah Finance" not in body
    assert "<html" not in body
    sara = Stakeholder.objects.get(name="Sara Ahmed")
    response = client.post(url("stakeholder_present", meeting, sara.pk), **HTMX)
    assert 'id="present"' in response.content.decode()
    assert list(meeting.stakeholders_present.all()) == [sara]
    body = client.get(url("stakeholder_search", meeting), {"q": "sar"}, **HTMX).content.decode()
    assert "Sara Ahmed" not in body
    assert "No stakeholder of this line matches" in body
    client.post(url("stakeholder_present", meeting, sara.pk), {"remove": "1"}, **HTMX)
    assert not meeting.stakeholders_present.exists()


def test_a_stakeholder_of_another_line_cannot_be_marked_present(personas, client_for, meeting):
    other = Stakeholder.objects.get(name="Bea Lind")
    response = client_for(personas.manager).post(url("stakeholder_present", meeting, other.pk))
    assert response.status_code == 404
    assert not meeting.stakeholders_present.exists()


def test_attendance_is_recorded_per_person(personas, client_for, meeting):
    client = client_for(personas.liaison)
    data = {"user": personas.manager.pk, "status": "apologies"}
    response = client.post(url("meeting_attendance", meeting), data, **HTMX)
    assert 'id="attendance"' in response.content.decode()
    assert Attendance.objects.get(user=personas.manager).status == "apologies"
    client.post(url("meeting_attendance", meeting), {**data, "status": "attended"}, **HTMX)
    assert Attendance.objects.get(user=personas.manager).status == "attended"


def test_action_items_are_added_inline_and_the_owner_is_emailed(
    personas, client_for, meeting, django_capture_on_commit_callbacks
):
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    client = client_for(personas.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("action_create", meeting),
            {"title": "Send SSO pilot plan", "owner": personas.liaison_b.pk, "due_on": due},
            **HTMX,
        )
    body = response.content.decode()
    assert 'id="actions"' in body
    assert "Send SSO pilot plan" in body
    assert 'name="title" id="id_title" maxlength="300" value=""' in body  # ready for the next
    item = ActionItem.objects.get()
    assert (item.owner, item.line, item.meeting) == (personas.liaison_b, personas.line_a, meeting)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.liaison_b.email]
    assert "Send SSO pilot plan" in mail.outbox[0].body


def test_an_action_without_a_title_keeps_the_rest_and_says_why(personas, client_for, meeting):
    response = client_for(personas.liaison).post(
        url("action_create", meeting),
        {"title": "", "owner": personas.liaison.pk, "due_on": "2030-01-01"},
        **HTMX,
    )
    body = response.content.decode()
    assert "This field is required." in body
    assert 'value="2030-01-01"' in body
    assert not ActionItem.objects.exists()


def test_the_owner_closes_their_item_even_on_a_line_they_do_not_serve(
    personas, client_for, meeting
):
    item = ActionItem.objects.create(
        line=personas.line_a, meeting=meeting, title="Check logs", owner=personas.liaison_b
    )
    response = client_for(personas.liaison_b).post(
        reverse("meetings:action_status", args=[item.pk]), {"status": "done"}, **HTMX
    )
    assert f'id="action-{item.pk}"' in response.content.decode()
    item.refresh_from_db()
    assert item.status == "done"
    assert item.done_at is not None


def test_others_cannot_change_an_item(personas, client_for, meeting):
    item = ActionItem.objects.create(line=personas.line_a, title="x", owner=personas.liaison)
    url_ = reverse("meetings:action_status", args=[item.pk])
    assert client_for(personas.liaison_b).post(url_, {"status": "done"}).status_code == 403
    assert client_for(personas.stakeholder).post(url_, {"status": "done"}).status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


def test_meeting_page_queries_do_not_grow_with_actions_and_people(personas, client_for, meeting):
    client = client_for(personas.liaison)
    before = queries_for(client, meeting.get_absolute_url())
    people = Stakeholder.objects.bulk_create(
        [Stakeholder(line=personas.line_a, name=f"P{n}") for n in range(200)]
    )
    meeting.stakeholders_present.add(*people)
    ActionItem.objects.bulk_create(
        [
            ActionItem(line=personas.line_a, meeting=meeting, title=f"A{n}", owner=personas.liaison)
            for n in range(200)
        ]
    )
    assert queries_for(client, meeting.get_absolute_url()) == before


@pytest.mark.parametrize("who", ["stakeholder", "stakeholder_b", "outsider"])
def test_business_stakeholders_see_no_meeting(personas, client_for, meeting, who):
    client = client_for(getattr(personas, who))
    assert client.get(meeting.get_absolute_url()).status_code == 403
    assert client.get(url("stakeholder_search", meeting), {"q": "s"}).status_code == 403
