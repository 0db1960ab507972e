from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import BusinessLine, Stakeholder
from tests.conftest import HTMX
from tests.helpers import queries_for

URL = reverse("stakeholders:line_list")


def test_it_lists_lines_with_liaison_and_health(personas, client_for):
    personas.line_a.last_contact_on = timezone.localdate() - timedelta(days=3)
    personas.line_a.save()
    response = client_for(personas.liaison).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Claims" in body
    assert "Finance" in body
    assert "Lena Fischer" in body
    assert "Last contact 3 days ago, within the agreed cadence of every 14 days." in body
    assert "No contact with this line has been recorded yet." in body  # Finance


def test_it_searches_names_descriptions_and_drivers(personas, client_for):
    BusinessLine.objects.create(name="Marketing", strategic_drivers="Personalised renewals")
    client = client_for(personas.manager)
    body = client.get(URL, {"q": "renewals"}).content.decode()
    assert "Marketing" in body
    assert "Claims" not in body


def test_it_filters_lines_i_serve_and_lines_without_liaison(personas, client_for):
    BusinessLine.objects.create(name="Operations")
    client = client_for(personas.liaison)
    mine = client.get(URL, {"owner": "mine"}).content.decode()
    assert "Claims" in mine
    assert "Finance" not in mine
    assert "Operations" not in mine
    unowned = client.get(URL, {"owner": "none"}).content.decode()
    assert "Operations" in unowned
    assert "Claims" not in unowned


def test_it_filters_by_parent_line(personas, client_for):
    BusinessLine.objects.create(name="Accounts Payable", parent=personas.line_b)
    response = client_for(personas.manager).get(URL, {"parent": personas.line_b.pk})
    body = response.content.decode()
    assert "Accounts Payable" in body
    assert 'href="/lines/claims/"' not in body


def test_it_explains_an_invalid_filter_instead_of_failing(personas, client_for):
    response = client_for(personas.manager).get(URL, {"owner": "everyone"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_it_paginates(personas, client_for, settings):
    settings.PAGE_SIZE = 5
    BusinessLine.objects.bulk_create(
        [BusinessLine(name=f"Line {n:02}", slug=f"line-{n:02}") for n in range(12)]
    )
    client = client_for(personas.manager)
    first = client.get(URL).content.decode()
    assert "Page 1 of 3" in first
    assert "14 in all" in first
    third = client.get(URL, {"page": 3}).content.decode()
    assert "Page 3 of 3" in third
    assert "Line 11" in third


def test_htmx_gets_only_the_results_fragment(personas, client_for):
    response = client_for(personas.liaison).get(URL, {"q": "cla"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="results"' in body
    assert "<html" not in body
    assert "Claims" in body
    assert "Finance" not in body


def test_it_refuses_post(personas, client_for):
    assert client_for(personas.manager).post(URL).status_code == 405


@pytest.mark.parametrize("who", ["stakeholder", "stakeholder_b", "outsider"])
def test_it_refuses_non_it_roles(personas, client_for, who):
    assert client_for(getattr(personas, who)).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(db, client_for):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_query_count_does_not_grow_with_lines_and_stakeholders(personas, client_for):
    client = client_for(personas.manager)
    before = queries_for(client, URL)
    lines = BusinessLine.objects.bulk_create(
        [BusinessLine(name=f"Line {n:03}", slug=f"line-{n:03}") for n in range(20)]
    )
    for line in lines:
        line.liaisons.add(personas.liaison)
    Stakeholder.objects.bulk_create(
        [Stakeholder(line=lines[n % 20], name=f"Person {n}") for n in range(200)]
    )
    assert queries_for(client, URL) == before
