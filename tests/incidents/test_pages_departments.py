"""Department mappings (counts, assigning a line) and merging two business lines."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from incidents.models import DepartmentMapping, Incident
from meetings.models import Meeting
from stakeholders.models import BusinessLine, Stakeholder
from tests.conftest import HTMX
from tests.helpers import queries_for
from tests.incidents.test_pages_support import BASE, manager_client  # noqa: F401

URL = reverse("incidents:department_list")


def incident(number: str, department: str = "", location: str = "", line=None) -> Incident:
    return Incident.objects.create(
        source="servicenow",
        number=number,
        department=department,
        location=location,
        line=line,
        opened_at=BASE,
        row_hash="0" * 32,
    )


@pytest.fixture
def departments(personas):
    """Claims dept: 2 by department, 1 by location (no department); Lisbon: 1 by location
    only where no department hides it; Finance dept: mapped already."""
    claims = DepartmentMapping.objects.create(raw_value="Claims dept")
    lisbon = DepartmentMapping.objects.create(raw_value="Lisbon")
    finance = DepartmentMapping.objects.create(raw_value="Finance dept", line=personas.line_b)
    incident("INC1", department="Claims dept")
    incident("INC2", department="Claims dept", location="Lisbon")
    incident("INC3", location="Claims dept")
    incident("INC4", location="Lisbon")
    incident("INC5", department="Finance dept", line=personas.line_b)
    return claims, lisbon, finance


def count_of(body: str, mapping: DepartmentMapping) -> int:
    row = re.search(rf'<tr id="department-{mapping.pk}">(.*?)</tr>', body, re.S)
    assert row, f"no row for {mapping.raw_value}"
    cell = re.search(r'<td class="num">(\d+)</td>', row[1])
    assert cell
    return int(cell[1])


def test_unmapped_departments_come_alone_by_default_with_their_counts(manager, departments):
    claims, lisbon, finance = departments
    body = manager.get(URL).content.decode()
    assert count_of(body, claims) == 3
    # INC2 has a department, so its location does not map it.
    assert count_of(body, lisbon) == 1
    assert f'id="department-{finance.pk}"' not in body


def test_all_departments_list_the_unmapped_first(manager, departments):
    claims, lisbon, finance = departments
    body = manager.get(URL, {"show": "all"}).content.decode()
    positions = [body.index(f'id="department-{m.pk}"') for m in (claims, lisbon, finance)]
    assert positions == sorted(positions)
    assert count_of(body, finance) == 1
    assert re.search(r'<option value="\d+" selected>Finance</option>', body)


def test_search_and_the_fragment(manager, departments):
    claims, lisbon, _ = departments
    response = manager.get(URL, {"q": "lis"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="results"')
    assert f'id="department-{lisbon.pk}"' in body
    assert f'id="department-{claims.pk}"' not in body


def test_assigning_a_line_moves_the_incidents_and_swaps_the_row(manager, personas, departments):
    claims, _, _ = departments
    url = reverse("incidents:department_assign", args=[claims.pk])
    response = manager.post(url, {"line": personas.line_a.pk}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith(f'<tr id="department-{claims.pk}">')
    assert "3 incidents moved to Claims." in body
    assert count_of(body, claims) == 3
    assert set(Incident.objects.filter(line=personas.line_a).values_list("number", flat=True)) == {
        "INC1",
        "INC2",
        "INC3",
    }
    claims.refresh_from_db()
    assert claims.line == personas.line_a


def test_assigning_without_javascript_redirects_back_with_a_message(manager, personas, departments):
    _, lisbon, _ = departments
    url = reverse("incidents:department_assign", args=[lisbon.pk])
    response = manager.post(
        url, {"line": personas.line_b.pk, "next": f"{URL}?show=all"}, follow=True
    )
    assert response.redirect_chain == [(f"{URL}?show=all", 302)]
    assert "Lisbon: 1 incident moved to Finance." in response.content.decode()
    assert Incident.objects.get(number="INC4").line == personas.line_b


def test_assigning_refuses_a_foreign_next_address(manager, personas, departments):
    _, lisbon, _ = departments
    url = reverse("incidents:department_assign", args=[lisbon.pk])
    response = manager.post(url, {"line": personas.line_b.pk, "next": "https://evil.example/"})
    assert response["Location"] == URL


def test_a_mapping_can_be_undone(manager, personas, departments):
    _, _, finance = departments
    url = reverse("incidents:department_assign", args=[finance.pk])
    body = manager.post(url, {"line": ""}, **HTMX).content.decode()
    assert "1 incident left unmapped." in body
    assert Incident.objects.get(number="INC5").line is None


def test_an_unknown_line_is_refused_on_the_row(manager, departments):
    claims, _, _ = departments
    url = reverse("incidents:department_assign", args=[claims.pk])
    body = manager.post(url, {"line": "999"}, **HTMX).content.decode()
    assert "Choose a business line from the list." in body
    assert not Incident.objects.filter(line__isnull=False).exclude(number="INC5").exists()


def test_the_department_list_costs_the_same_queries_for_many_rows(manager, departments):
    few = queries_for(manager, URL, show="all")
    DepartmentMapping.objects.bulk_create(
        DepartmentMapping(raw_value=f"Dept {i}") for i in range(20)
    )
    assert queries_for(manager, URL, show="all") == few


# --- merging lines ----------------------------------------------------------------------

MERGE = reverse("incidents:line_merge")


@pytest.fixture
def claims_twice(personas):
    duplicate = BusinessLine.objects.create(name="Claims dept.")
    duplicate.liaisons.add(personas.liaison_b)
    for number in ("INC1", "INC2"):
        incident(number, department="Claims dept.", line=duplicate)
    DepartmentMapping.objects.create(raw_value="Claims dept.", line=duplicate)
    Stakeholder.objects.create(line=duplicate, name="Cleo")
    return duplicate


def test_merging_asks_for_confirmation_with_what_moves(manager, personas, claims_twice):
    response = manager.post(MERGE, {"source": claims_twice.pk, "target": personas.line_a.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Merge <strong>Claims dept.</strong> into <strong>Claims</strong>?" in body
    assert "2 incidents move to Claims" in body
    assert "1 stakeholder, 1 department mapping" in body
    assert BusinessLine.objects.filter(pk=claims_twice.pk).exists()


def test_merging_moves_the_incidents_and_deletes_the_source(manager, personas, claims_twice):
    data = {"source": claims_twice.pk, "target": personas.line_a.pk, "confirm": "yes"}
    response = manager.post(MERGE, data, follow=True)
    assert response.redirect_chain == [(personas.line_a.get_absolute_url(), 302)]
    assert "Claims dept. merged into Claims: 2 incidents moved." in response.content.decode()
    assert not BusinessLine.objects.filter(pk=claims_twice.pk).exists()
    assert Incident.objects.filter(line=personas.line_a).count() == 2
    assert Stakeholder.objects.get(name="Cleo").line == personas.line_a
    assert DepartmentMapping.objects.get(raw_value="Claims dept.").line == personas.line_a
    assert personas.line_a.liaisons.filter(pk=personas.liaison_b.pk).exists()
    assert not Meeting.objects.exists()


def test_a_line_cannot_merge_into_itself(manager, personas):
    data = {"source": personas.line_a.pk, "target": personas.line_a.pk, "confirm": "yes"}
    response = manager.post(MERGE, data)
    assert response.status_code == 200
    assert "a line cannot merge into itself" in response.content.decode()
    assert BusinessLine.objects.filter(pk=personas.line_a.pk).exists()


def test_both_lines_are_required(manager, personas):
    body = manager.post(MERGE, {"source": personas.line_a.pk}).content.decode()
    assert "This field is required." in body
    page = manager.get(MERGE).content.decode()
    assert '<select name="source"' in page
    assert '<select name="target"' in page
