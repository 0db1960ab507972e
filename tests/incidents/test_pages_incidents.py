"""The incident list (filters, keyset pages, constant queries) and the incident page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from incidents.models import ImportBatch, Incident
from tests.conftest import HTMX
from tests.helpers import queries_for
from tests.incidents.test_pages_support import BASE, make_incidents

URL = reverse("incidents:incident_list")


@pytest.fixture
def liaison(personas, client_for):
    return client_for(personas.liaison)


def numbers(body: str) -> list[str]:
    return re.findall(r'<tr id="incident-\d+">\s*<td><a href="[^"]+">([^<]+)</a>', body)


def next_link(body: str) -> str | None:
    match = re.search(r'<a href="([^"]+)" rel="next"', body)
    return match[1].replace("&amp;", "&") if match else None


def test_the_first_page_has_the_newest_fifty(liaison):
    make_incidents(120)
    body = liaison.get(URL).content.decode()
    newest = list(
        Incident.objects.order_by("-opened_at", "-pk").values_list("number", flat=True)[:50]
    )
    assert numbers(body) == newest
    assert "50 incidents on this page, more follow" in body
    assert "First page" not in body


def test_next_pages_reach_the_end_without_gaps_or_duplicates(liaison):
    make_incidents(120)
    seen: list[str] = []
    url: str | None = URL
    pages = 0
    while url:
        body = liaison.get(url).content.decode()
        seen += numbers(body)
        pages += 1
        url = next_link(body)
        if pages > 1:
            assert "First page" in body
    assert pages == 3
    assert len(seen) == len(set(seen)) == 120
    assert set(seen) == set(Incident.objects.values_list("number", flat=True))
    assert "20 incidents on this last page" in body


def test_oldest_first_pages_in_the_other_direction(liaison):
    make_incidents(120)
    seen: list[str] = []
    url: str | None = f"{URL}?sort=oldest"
    while url:
        body = liaison.get(url).content.decode()
        seen += numbers(body)
        url = next_link(body)
        assert url is None or "sort=oldest" in url
    assert seen == list(
        Incident.objects.order_by("opened_at", "pk").values_list("number", flat=True)
    )


def test_the_next_link_keeps_the_filters(liaison, personas):
    make_incidents(60, line=personas.line_a)
    Incident.objects.bulk_create(
        Incident(
            source="jira", number=f"B-{i}", opened_at=BASE, line=personas.line_b, row_hash="1" * 32
        )
        for i in range(5)
    )
    body = liaison.get(URL, {"line": personas.line_a.slug}).content.decode()
    url = next_link(body)
    assert url
    assert f"line={personas.line_a.slug}" in url
    rest = numbers(liaison.get(url).content.decode())
    assert len(rest) == 10
    assert not [n for n in rest if n.startswith("B-")]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "2024-13-01T00:00:00Z_5",
        "2024-03-01T00:00:00_5",
        "2024-03-01T00:00:00Z_x",
        "_",
        "x" * 500,
    ],
)
def test_a_tampered_cursor_gives_the_first_page_and_a_message(liaison, cursor):
    make_incidents(60)
    response = liaison.get(URL, {"after": cursor})
    assert response.status_code == 200
    body = response.content.decode()
    assert "That page address was damaged; here is the first page." in body
    assert len(numbers(body)) == 50


def test_a_page_past_the_end_is_empty(liaison):
    make_incidents(3)
    body = liaison.get(URL, {"after": "2000-01-01T00:00:00.000000Z_1"}).content.decode()
    assert "No more incidents." in body
    assert "First page" in body


def _list_queries(client, line, count: int) -> tuple[int, int, int]:
    """Queries of the first page, a later page and a filtered page with ``count`` rows."""
    Incident.objects.all().delete()
    make_incidents(count, line=line)
    cursor = next_link(client.get(URL).content.decode())
    assert cursor
    return (
        queries_for(client, URL),
        queries_for(client, URL, after=cursor.split("after=")[1]),
        queries_for(client, URL, line=line.slug, q="INC", priority="3"),
    )


def test_the_list_costs_the_same_queries_for_60_and_600_incidents(liaison, personas):
    few = _list_queries(liaison, personas.line_a, 60)
    assert _list_queries(liaison, personas.line_a, 600) == few
    # session, user, roles, the line choices, the page (and the line of a line filter)
    assert few == (5, 5, 6)


@pytest.fixture
def varied(personas):
    rows = [
        ("INC1", personas.line_a, "Email", "", "Software", 1, "New", "Outlook hangs", "", 0),
        ("INC2", personas.line_b, "", "PRN-3F", "Hardware", 3, "Closed", "Printer jam", "", 1),
        ("INC3", None, "VPN", "", "Network", 2, "Resolved", "Drops", "the VPN tunnel", 2),
        ("INC4", personas.line_a, "Email", "", "Software / mail", 3, "closed", "Bounce", "", 3),
    ]
    Incident.objects.bulk_create(
        Incident(
            source="servicenow",
            number=number,
            line=line,
            service=service,
            configuration_item=ci,
            category=category,
            priority=priority,
            state=state,
            short_description=short,
            description=description,
            opened_at=BASE + timedelta(days=days),
            row_hash="0" * 32,
        )
        for number, line, service, ci, category, priority, state, short, description, days in rows
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["INC4", "INC3", "INC2", "INC1"]),
        ({"line": "claims"}, ["INC4", "INC1"]),
        ({"service": "email"}, ["INC4", "INC1"]),
        ({"service": "prn"}, ["INC2"]),
        ({"category": "soft"}, ["INC4", "INC1"]),
        ({"priority": "3"}, ["INC4", "INC2"]),
        ({"state": "CLOSED"}, ["INC4", "INC2"]),
        ({"q": "vpn"}, ["INC3"]),
        ({"q": "inc2"}, ["INC2"]),
        ({"q": "printer"}, ["INC2"]),
        ({"opened_from": "2024-03-02"}, ["INC4", "INC3", "INC2"]),
        ({"opened_to": "2024-03-02"}, ["INC2", "INC1"]),
        ({"opened_from": "2024-03-02", "opened_to": "2024-03-03"}, ["INC3", "INC2"]),
        ({"sort": "oldest"}, ["INC1", "INC2", "INC3", "INC4"]),
    ],
)
def test_each_filter_narrows_the_list(liaison, varied, params, expected):
    assert numbers(liaison.get(URL, params).content.decode()) == expected


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"priority": "9"}, "Select a valid choice."),
        ({"opened_from": "yesterday"}, "Enter a valid date."),
        (
            {"opened_from": "2024-03-03", "opened_to": "2024-03-01"},
            "The end date is before the start date.",
        ),
        ({"line": "no-such-line"}, "Select a valid choice."),
        ({"sort": "sideways"}, "Select a valid choice."),
    ],
)
def test_a_bad_filter_is_reported_and_ignored(liaison, varied, params, error):
    response = liaison.get(URL, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert error in body
    assert len(numbers(body)) >= 2


def test_filters_swap_the_results_fragment(liaison, varied):
    response = liaison.get(URL, {"priority": "1"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="results"')
    assert numbers(body) == ["INC1"]


def test_an_empty_list_invites_a_manager_to_import(personas, client_for):
    body = client_for(personas.manager).get(URL).content.decode()
    assert "No incident has been imported yet." in body
    assert reverse("incidents:import_new") in body


def test_the_incident_page_shows_every_field_the_line_and_the_import(liaison, personas):
    batch = ImportBatch.objects.create(original_name="march.csv")
    incident = Incident.objects.create(
        source="servicenow",
        number="INC0099",
        line=personas.line_a,
        opened_at=BASE,
        resolved_at=BASE + timedelta(hours=2),
        state="Resolved",
        priority=2,
        impact=1,
        urgency=3,
        category="Network",
        subcategory="VPN",
        service="Remote access",
        configuration_item="VPN-GW-1",
        assignment_group="Network team",
        caller="Abel Tuter",
        department="Claims dept",
        location="Lisbon",
        short_description="VPN drops",
        description="Drops every hour in hotels",
        resolution_notes="New client profile",
        reopen_count=2,
        row_hash="0" * 32,
        last_batch=batch,
    )
    response = liaison.get(incident.get_absolute_url())
    body = response.content.decode()
    for text in [
        "INC0099",
        "VPN drops",
        "Drops every hour in hotels",
        "New client profile",
        "Remote access",
        "VPN-GW-1",
        "Network team",
        "Abel Tuter",
        "Claims dept",
        "Lisbon",
        "Network \u203a VPN",
        "2 · 1 · 3",
        "2 times",
        "march.csv",
        "1 Mar 2024, 09:00",
        "1 Mar 2024, 11:00",
    ]:
        assert text in body, text
    assert personas.line_a.get_absolute_url() in body
    # Liaisons may not open import pages, so the import is named, not linked.
    assert batch.get_absolute_url() not in body


def test_a_manager_gets_a_link_to_the_import(personas, client_for):
    batch = ImportBatch.objects.create(original_name="march.csv")
    incident = make_incidents(1)[0]
    Incident.objects.filter(pk=incident.pk).update(last_batch=batch)
    body = client_for(personas.manager).get(incident.get_absolute_url()).content.decode()
    assert batch.get_absolute_url() in body
    assert "unmapped" in body


def test_an_unknown_incident_is_404(liaison, db):
    assert liaison.get(reverse("incidents:incident_detail", args=[999])).status_code == 404
