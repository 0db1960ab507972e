from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders.models import Need, Stakeholder
from tests.conftest import HTMX
from tests.helpers import queries_for


def url(line):
    return reverse("stakeholders:line_detail", args=[line.slug])


def test_it_shows_people_needs_liaison_health_and_grid(personas, client_for):
    Stakeholder.objects.create(
        line=personas.line_a, name="Lucy Nowak", influence=5, interest=5, stance="blocker"
    )
    Need.objects.create(line=personas.line_a, title="Settle claims in 48 hours")
    response = client_for(personas.liaison_b).get(url(personas.line_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lucy Nowak" in body
    assert "Manage closely" in body
    assert "Settle claims in 48 hours" in body
    assert "Lena Fischer" in body
    assert "No contact with this line has been recorded yet." in body
    assert "Plotly.newPlot" in body
    # Raj serves Finance, not Claims: he reads the map but gets no edit controls.
    assert 'id="stakeholder-form"' not in body


def test_its_liaison_gets_the_add_form(personas, client_for):
    body = client_for(personas.liaison).get(url(personas.line_a)).content.decode()
    assert 'id="stakeholder-form"' in body


def test_it_shows_an_empty_state_without_people(personas, client_for):
    body = client_for(personas.manager).get(url(personas.line_b)).content.decode()
    assert "Bea Lind" in body
    Stakeholder.objects.filter(line=personas.line_b).delete()
    body = client_for(personas.manager).get(url(personas.line_b)).content.decode()
    assert "No stakeholders mapped for Finance yet." in body


@pytest.mark.parametrize("fragment", ["people", "grid"])
def test_htmx_reloads_one_fragment(personas, client_for, fragment):
    response = client_for(personas.liaison).get(
        url(personas.line_a), {"fragment": fragment}, **HTMX
    )
    body = response.content.decode()
    assert f'id="{fragment}"' in body
    assert "<html" not in body


def test_unknown_line_is_404(personas, client_for):
    assert client_for(personas.manager).get("/lines/nope/").status_code == 404


@pytest.mark.parametrize("who", ["stakeholder", "stakeholder_b", "outsider"])
def test_it_refuses_non_it_roles(personas, client_for, who):
    assert client_for(getattr(personas, who)).get(url(personas.line_a)).status_code == 403


def test_it_refuses_post(personas, client_for):
    assert client_for(personas.manager).post(url(personas.line_a)).status_code == 405


def test_query_count_does_not_grow_with_stakeholders(personas, client_for):
    client = client_for(personas.liaison)
    before = queries_for(client, url(personas.line_a))
    Stakeholder.objects.bulk_create(
        [Stakeholder(line=personas.line_a, name=f"P{n}", influence=1 + n % 5) for n in range(200)]
    )
    Need.objects.bulk_create([Need(line=personas.line_a, title=f"Need {n}") for n in range(50)])
    assert queries_for(client, url(personas.line_a)) == before
    body = client.get(url(personas.line_a)).content.decode()
    assert body.count('<tr id="stakeholder-') == 201
    assert body.count('<tr id="need-') == 50
