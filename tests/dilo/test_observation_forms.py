from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dilo.models import Observation
from stakeholders.models import Stakeholder
from tests.dilo.factories import days_ago, make_observation

CREATE = reverse("dilo:observation_create")


def new_data(personas, **changes):
    data = {
        "line": personas.line_a.pk,
        "observed_on": days_ago(2).isoformat(),
        "observed_stakeholder": "",
        "observed_role": "Claims handler",
        "observer": personas.liaison.pk,
        "goal": "See where the day goes.",
        "summary": "",
    }
    data.update(changes)
    return data


def test_a_liaison_records_an_observation_of_their_line(personas, client_for):
    response = client_for(personas.liaison).post(CREATE, new_data(personas))
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == observation.get_absolute_url()
    assert observation.line == personas.line_a
    assert observation.observer == personas.liaison
    assert observation.observed_role == "Claims handler"


def test_the_form_offers_only_lines_the_user_writes_for(personas, client_for):
    body = client_for(personas.liaison_b).get(CREATE).content.decode()
    assert f'<option value="{personas.line_b.pk}" selected>Finance</option>' in body
    assert ">Claims</option>" not in body
    manager_body = client_for(personas.manager).get(CREATE).content.decode()
    assert ">Claims</option>" in manager_body
    assert ">Finance</option>" in manager_body


def test_it_defaults_the_observer_and_date_and_preselects_the_line(personas, client_for):
    body = client_for(personas.manager).get(CREATE, {"line": "finance"}).content.decode()
    assert f'<option value="{personas.line_b.pk}" selected>Finance</option>' in body
    assert f'<option value="{personas.manager.pk}" selected>' in body
    assert f'value="{timezone.localdate().isoformat()}"' in body


def test_posting_into_a_line_one_does_not_serve_is_refused(personas, client_for):
    response = client_for(personas.liaison_b).post(CREATE, new_data(personas))
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_a_person_or_a_role_is_required(personas, client_for):
    data = new_data(personas, observed_role="  ")
    body = client_for(personas.liaison).post(CREATE, data).content.decode()
    assert "Choose the person observed or name the role observed." in body
    assert "See where the day goes.</textarea>" in body  # what was typed is kept
    assert not Observation.objects.exists()


def test_the_person_must_belong_to_the_line(personas, client_for):
    bea = Stakeholder.objects.get(name="Bea Lind")
    data = new_data(personas, observed_stakeholder=bea.pk, observed_role="")
    body = client_for(personas.manager).post(CREATE, data).content.decode()
    assert "Bea Lind is not part of Claims." in body
    assert not Observation.objects.exists()


def test_a_named_person_needs_no_role(personas, client_for):
    sam = Stakeholder.objects.get(name="Sam Carter")
    data = new_data(personas, observed_stakeholder=sam.pk, observed_role="")
    assert client_for(personas.liaison).post(CREATE, data).status_code == 302
    assert Observation.objects.get().subject == "Sam Carter"


def test_the_day_cannot_be_in_the_future(personas, client_for):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = new_data(personas, observed_on=tomorrow.isoformat())
    body = client_for(personas.liaison).post(CREATE, data).content.decode()
    assert "A day in the life is recorded once it has happened." in body


def test_a_liaison_of_no_line_is_told_why_they_cannot_create(personas, client_for):
    personas.line_b.liaisons.clear()
    body = client_for(personas.liaison_b).get(CREATE).content.decode()
    assert "You serve no business line yet" in body
    assert client_for(personas.liaison_b).post(CREATE, new_data(personas)).status_code == 403


@pytest.mark.parametrize("who", ["stakeholder", "stakeholder_b", "outsider"])
def test_create_is_refused_to_non_it_roles(personas, client_for, who):
    response = client_for(getattr(personas, who)).post(CREATE, new_data(personas))
    assert response.status_code == 403
    assert not Observation.objects.exists()


def test_create_refuses_other_methods(personas, client_for):
    assert client_for(personas.liaison).put(CREATE).status_code == 405


def edit_url(observation):
    return reverse("dilo:observation_edit", args=[observation.pk])


def test_a_liaison_edits_the_header(personas, client_for):
    observation = make_observation(personas.line_a, personas.liaison)
    client = client_for(personas.liaison)
    assert 'value="Claims handler"' in client.get(edit_url(observation)).content.decode()
    data = new_data(personas, goal="New goal", summary="**Found** it")
    response = client.post(edit_url(observation), data)
    assert response["Location"] == observation.get_absolute_url()
    observation.refresh_from_db()
    assert observation.goal == "New goal"
    assert observation.summary == "**Found** it"


def test_edit_cannot_move_an_observation_to_a_line_one_does_not_serve(personas, client_for):
    observation = make_observation(personas.line_a, personas.liaison)
    data = new_data(personas, line=personas.line_b.pk)
    response = client_for(personas.liaison).post(edit_url(observation), data)
    assert response.status_code == 403
    observation.refresh_from_db()
    assert observation.line == personas.line_a


def test_edit_of_an_unknown_observation_is_404(personas, client_for):
    assert client_for(personas.manager).get("/dilo/999/edit/").status_code == 404


def test_edit_refuses_other_methods(personas, client_for):
    observation = make_observation(personas.line_a, personas.liaison)
    assert client_for(personas.liaison).delete(edit_url(observation)).status_code == 405


def test_an_observer_who_left_it_stays_on_their_old_observations(personas, client_for):
    observation = make_observation(personas.line_a, personas.liaison_b)
    personas.liaison_b.groups.clear()  # Raj moved out of IT
    data = new_data(personas, observer=personas.liaison_b.pk, goal="Still Raj's")
    assert client_for(personas.liaison).post(edit_url(observation), data).status_code == 302
    observation.refresh_from_db()
    assert (observation.observer, observation.goal) == (personas.liaison_b, "Still Raj's")
    # A new observation cannot name him any more.
    body = client_for(personas.liaison).get(CREATE).content.decode()
    assert "Raj Malhotra" not in body
