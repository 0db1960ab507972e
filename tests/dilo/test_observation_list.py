from __future__ import annotations

import pytest
from django.urls import reverse

from dilo.models import Observation
from tests.conftest import HTMX
from tests.dilo.factories import days_ago, make_observation, make_pain_point
from tests.helpers import queries_for

URL = reverse("dilo:observation_list")


def test_it_lists_observations_newest_first_with_their_pain_totals(personas, client_for):
    old = make_observation(personas.line_a, personas.liaison, observed_on=days_ago(200))
    new = make_observation(
        personas.line_b, personas.liaison_b, observed_role="AP clerk", observed_on=days_ago(3)
    )
    make_pain_point(new, frequency=40, minutes_lost=3)  # 42 h
    make_pain_point(new, frequency=1, minutes_lost=6)  # 2.1 h
    body = client_for(personas.liaison).get(URL).content.decode()
    assert body.index(f'id="observation-{new.pk}"') < body.index(f'id="observation-{old.pk}"')
    row = body[body.index(f'id="observation-{new.pk}"') :].split("</tr>")[0]
    assert "AP clerk" in row
    assert "Raj Malhotra" in row
    assert '<td class="num">2</td>' in row
    assert "44.1" in row


def test_it_filters_by_line(personas, client_for):
    make_observation(personas.line_a, personas.liaison, observed_role="Claims handler")
    make_observation(personas.line_b, personas.liaison_b, observed_role="AP clerk")
    body = client_for(personas.manager).get(URL, {"line": "finance"}).content.decode()
    assert "AP clerk" in body
    assert "Claims handler" not in body


def test_an_unknown_line_is_reported_not_a_500(personas, client_for):
    response = client_for(personas.manager).get(URL, {"line": "nope"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_it_shows_an_empty_state_and_offers_the_first_observation(personas, client_for):
    body = client_for(personas.liaison).get(URL).content.decode()
    assert "No DILO session recorded yet." in body
    assert reverse("dilo:observation_create") in body


def test_the_empty_state_of_a_filtered_line_names_it(personas, client_for):
    make_observation(personas.line_a, personas.liaison)
    body = client_for(personas.liaison).get(URL, {"line": "finance"}).content.decode()
    assert "No DILO session recorded for Finance yet." in body


def test_only_people_who_write_a_line_get_the_new_button(personas, client_for):
    assert "New observation" in client_for(personas.liaison).get(URL).content.decode()
    assert "New observation" in client_for(personas.manager).get(URL).content.decode()
    personas.line_b.liaisons.clear()
    # Raj now serves no line: he reads every observation but cannot start one.
    assert "New observation" not in client_for(personas.liaison_b).get(URL).content.decode()


def test_it_paginates(personas, client_for, settings):
    settings.PAGE_SIZE = 5
    for n in range(12):
        make_observation(personas.line_a, personas.liaison, observed_on=days_ago(n))
    client = client_for(personas.manager)
    assert "Page 1 of 3" in client.get(URL).content.decode()
    last = client.get(URL, {"page": 3}).content.decode()
    assert "Page 3 of 3" in last
    assert last.count('<tr id="observation-') == 2


def test_htmx_gets_only_the_results_fragment(personas, client_for):
    make_observation(personas.line_b, personas.liaison_b, observed_role="AP clerk")
    response = client_for(personas.liaison).get(URL, {"line": "finance"}, **HTMX)
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body
    assert "AP clerk" in body


def test_it_refuses_post(personas, client_for):
    assert client_for(personas.manager).post(URL).status_code == 405


@pytest.mark.parametrize("who", ["stakeholder", "stakeholder_b", "outsider"])
def test_it_refuses_non_it_roles(personas, client_for, who):
    assert client_for(getattr(personas, who)).get(URL).status_code == 403


def test_query_count_does_not_grow_with_observations(personas, client_for):
    first = make_observation(personas.line_a, personas.liaison)
    make_pain_point(first)
    client = client_for(personas.manager)
    before = queries_for(client, URL)
    person = personas.line_a.stakeholders.get()
    Observation.objects.bulk_create(
        Observation(
            line=personas.line_a if n % 2 else personas.line_b,
            observer=personas.liaison,
            observed_stakeholder=person if n % 3 else None,
            observed_role=f"Role {n}",
            observed_on=days_ago(n),
            goal="Goal",
        )
        for n in range(200)
    )
    assert queries_for(client, URL) == before
