from __future__ import annotations

import json

import pytest
from django.urls import reverse

from stakeholders.models import Stakeholder
from tests.conftest import HTMX

VALID = {
    "name": "Priya Patel",
    "title": "Head of Claims",
    "email": "priya@example.com",
    "influence": "5",
    "interest": "4",
    "stance": "champion",
    "contact_cadence_days": "14",
    "notes": "",
}


def create_url(line):
    return reverse("stakeholders:stakeholder_create", args=[line.slug])


def test_htmx_create_adds_the_person_and_announces_the_change(personas, client_for):
    response = client_for(personas.liaison).post(create_url(personas.line_a), VALID, **HTMX)
    assert response.status_code == 200
    person = Stakeholder.objects.get(name="Priya Patel")
    assert person.line == personas.line_a
    assert person.quadrant.label == "Manage closely"
    assert "stakeholders-changed" in json.loads(response["HX-Trigger"])
    body = response.content.decode()
    assert "Priya Patel added to Claims." in body
    assert 'value="Priya Patel"' not in body  # a fresh, empty form for the next person


def test_htmx_create_shows_field_errors_inline_and_keeps_what_was_typed(personas, client_for):
    data = {**VALID, "name": "  ", "email": "not-an-email", "influence": "9"}
    response = client_for(personas.liaison).post(create_url(personas.line_a), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert "<html" not in body
    assert "This field is required." in body or "Enter the person" in body
    assert "Enter a valid email address." in body
    assert "Select a valid choice. 9 is not one of the available choices." in body
    assert 'value="Head of Claims"' in body
    assert 'value="not-an-email"' in body
    assert not Stakeholder.objects.filter(title="Head of Claims").exists()


def test_create_without_htmx_redirects_to_the_line(personas, client_for):
    response = client_for(personas.manager).post(create_url(personas.line_b), VALID)
    assert response.status_code == 302
    assert response["Location"] == personas.line_b.get_absolute_url()
    assert Stakeholder.objects.filter(line=personas.line_b, name="Priya Patel").exists()


def test_create_page_renders_the_full_form(personas, client_for):
    response = client_for(personas.liaison).get(create_url(personas.line_a))
    assert response.status_code == 200
    assert "Add a stakeholder to Claims" in response.content.decode()


@pytest.mark.parametrize("who", ["liaison_b", "stakeholder", "outsider"])
def test_create_is_refused_to_those_who_do_not_serve_the_line(personas, client_for, who):
    response = client_for(getattr(personas, who)).post(create_url(personas.line_a), VALID)
    assert response.status_code == 403
    assert not Stakeholder.objects.filter(name="Priya Patel").exists()


def test_create_refuses_put(personas, client_for):
    assert client_for(personas.liaison).put(create_url(personas.line_a)).status_code == 405


def test_edit_saves_and_htmx_redirects_to_the_person(personas, client_for):
    person = Stakeholder.objects.get(name="Sam Carter")
    url = reverse("stakeholders:stakeholder_edit", args=[person.pk])
    data = {**VALID, "name": "Sam Carter", "stance": "blocker"}
    response = client_for(personas.liaison).post(url, data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == person.get_absolute_url()
    person.refresh_from_db()
    assert person.stance == "blocker"


def test_edit_with_errors_keeps_the_input(personas, client_for):
    person = Stakeholder.objects.get(name="Sam Carter")
    url = reverse("stakeholders:stakeholder_edit", args=[person.pk])
    response = client_for(personas.manager).post(url, {**VALID, "interest": ""}, **HTMX)
    body = response.content.decode()
    assert "This field is required." in body
    assert 'value="Priya Patel"' in body
    person.refresh_from_db()
    assert person.name == "Sam Carter"


def test_edit_is_refused_to_a_liaison_of_another_line(personas, client_for):
    person = Stakeholder.objects.get(name="Sam Carter")
    url = reverse("stakeholders:stakeholder_edit", args=[person.pk])
    assert client_for(personas.liaison_b).get(url).status_code == 403
    assert client_for(personas.liaison_b).post(url, VALID).status_code == 403


def test_delete_asks_first_then_removes(personas, client_for):
    person = Stakeholder.objects.get(name="Sam Carter")
    url = reverse("stakeholders:stakeholder_delete", args=[person.pk])
    client = client_for(personas.liaison)
    assert "Delete Sam Carter?" in client.get(url).content.decode()
    assert Stakeholder.objects.filter(pk=person.pk).exists()
    response = client.post(url, **HTMX)
    assert "stakeholders-changed" in json.loads(response["HX-Trigger"])
    assert not Stakeholder.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("who", ["liaison_b", "stakeholder"])
def test_delete_is_refused_to_others(personas, client_for, who):
    person = Stakeholder.objects.get(name="Sam Carter")
    url = reverse("stakeholders:stakeholder_delete", args=[person.pk])
    assert client_for(getattr(personas, who)).post(url).status_code == 403
    assert Stakeholder.objects.filter(pk=person.pk).exists()


def test_detail_shows_the_person(personas, client_for):
    person = Stakeholder.objects.get(name="Sam Carter")
    body = client_for(personas.liaison_b).get(person.get_absolute_url()).content.decode()
    assert "Sam Carter" in body
    assert "Claims" in body
    assert "Portal account" in body


def test_a_business_stakeholder_cannot_open_even_their_own_profile(personas, client_for):
    person = Stakeholder.objects.get(name="Sam Carter")
    assert client_for(personas.stakeholder).get(person.get_absolute_url()).status_code == 403


def test_need_is_added_to_the_line_by_htmx(personas, client_for):
    url = reverse("stakeholders:need_create", args=[personas.line_a.slug])
    data = {"kind": "need", "title": "Fewer logins", "priority": "1", "status": "open"}
    response = client_for(personas.liaison).post(url, data, **HTMX)
    body = response.content.decode()
    assert 'id="needs"' in body
    assert "Fewer logins" in body
    assert "<html" not in body
    assert personas.line_a.needs.get().priority == 1


def test_need_cannot_name_a_stakeholder_of_another_line(personas, client_for):
    url = reverse("stakeholders:need_create", args=[personas.line_a.slug])
    other = Stakeholder.objects.get(name="Bea Lind")
    data = {
        "kind": "need",
        "title": "X",
        "priority": "1",
        "status": "open",
        "stakeholder": other.pk,
    }
    body = client_for(personas.manager).post(url, data, **HTMX).content.decode()
    assert "Select a valid choice" in body
    assert not personas.line_a.needs.exists()
