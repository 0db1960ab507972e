from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import BusinessLine
from tests.conftest import HTMX

NEW = {
    "name": "Procurement",
    "description": "Buying",
    "strategic_drivers": "Cut spend",
    "contact_cadence_days": "30",
    "last_contact_on": "",
}


def test_manager_creates_a_line_and_assigns_its_liaison(personas, client_for):
    data = {**NEW, "parent": personas.line_b.pk, "liaisons": [personas.liaison.pk]}
    response = client_for(personas.manager).post(reverse("stakeholders:line_create"), data)
    line = BusinessLine.objects.get(name="Procurement")
    assert response["Location"] == line.get_absolute_url()
    assert line.slug == "procurement"
    assert line.parent == personas.line_b
    assert list(line.liaisons.all()) == [personas.liaison]


@pytest.mark.parametrize("who", ["liaison", "stakeholder"])
def test_only_managers_create_lines(personas, client_for, who):
    response = client_for(getattr(personas, who)).post(reverse("stakeholders:line_create"), NEW)
    assert response.status_code == 403
    assert not BusinessLine.objects.filter(name="Procurement").exists()


def test_a_name_that_clashes_with_another_line_is_refused(personas, client_for):
    data = {**NEW, "name": "claims"}
    body = client_for(personas.manager).post(reverse("stakeholders:line_create"), data)
    assert "too close to the existing line Claims" in body.content.decode()


def test_liaison_edits_their_line_but_cannot_reassign_liaisons(personas, client_for):
    url = reverse("stakeholders:line_edit", args=[personas.line_a.slug])
    client = client_for(personas.liaison)
    assert 'name="liaisons"' not in client.get(url).content.decode()
    data = {
        **NEW,
        "name": "Claims",
        "contact_cadence_days": "7",
        "liaisons": [personas.liaison_b.pk],
    }
    assert client.post(url, data).status_code == 302
    personas.line_a.refresh_from_db()
    assert personas.line_a.contact_cadence_days == 7
    assert list(personas.line_a.liaisons.all()) == [personas.liaison]


def test_liaison_of_another_line_cannot_edit(personas, client_for):
    url = reverse("stakeholders:line_edit", args=[personas.line_a.slug])
    assert client_for(personas.liaison_b).post(url, NEW).status_code == 403


def test_a_line_cannot_sit_under_its_own_sub_line(personas, client_for):
    child = BusinessLine.objects.create(name="Motor Claims", parent=personas.line_a)
    url = reverse("stakeholders:line_edit", args=[personas.line_a.slug])
    data = {**NEW, "name": "Claims", "parent": child.pk}
    body = client_for(personas.manager).post(url, data).content.decode()
    assert "A line cannot sit under itself or its own sub-lines." in body
    personas.line_a.refresh_from_db()
    assert personas.line_a.parent is None


def test_last_contact_cannot_be_in_the_future(personas, client_for):
    url = reverse("stakeholders:line_edit", args=[personas.line_a.slug])
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {**NEW, "name": "Claims", "last_contact_on": tomorrow.isoformat()}
    body = client_for(personas.manager).post(url, data).content.decode()
    assert "The last contact cannot be in the future." in body


def test_recording_a_contact_today_turns_the_badge_healthy(personas, client_for):
    url = reverse("stakeholders:line_contact", args=[personas.line_a.slug])
    response = client_for(personas.liaison).post(url, **HTMX)
    body = response.content.decode()
    assert 'id="health"' in body
    assert "<html" not in body
    assert "Last contact today, within the agreed cadence of every 14 days." in body
    personas.line_a.refresh_from_db()
    assert personas.line_a.last_contact_on == timezone.localdate()


@pytest.mark.parametrize("who", ["liaison_b", "stakeholder", "outsider"])
def test_recording_a_contact_is_refused_to_others(personas, client_for, who):
    url = reverse("stakeholders:line_contact", args=[personas.line_a.slug])
    assert client_for(getattr(personas, who)).post(url).status_code == 403
    personas.line_a.refresh_from_db()
    assert personas.line_a.last_contact_on is None


def test_recording_a_contact_needs_post(personas, client_for):
    url = reverse("stakeholders:line_contact", args=[personas.line_a.slug])
    assert client_for(personas.liaison).get(url).status_code == 405
