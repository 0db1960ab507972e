from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dilo.models import PainPoint, Tag
from stakeholders.models import BusinessLine
from tests.conftest import HTMX
from tests.dilo.factories import days_ago, make_observation, make_pain_point
from tests.helpers import queries_for

URL = reverse("dilo:painpoint_list")


def row_ids(body):
    """Pain-point ids in the order the page lists them."""
    return [int(pk) for pk in re.findall(r'<tr id="painpoint-(\d+)">', body)]


@pytest.fixture
def pains(personas):
    """Three pain points on two lines, each one first for a different sort."""
    claims = make_observation(personas.line_a, personas.liaison, observed_on=days_ago(100))
    finance = make_observation(
        personas.line_b, personas.liaison_b, observed_role="AP clerk", observed_on=days_ago(5)
    )
    return {
        # 40 x 3 min a day = 42 h, medium, Claims, observed 100 days ago
        "big": make_pain_point(
            claims,
            "re-keying",
            system="Guidewire ClaimCenter",
            frequency=40,
            minutes_lost=3,
            severity="medium",
        ),
        # 1 x 6 min a day = 2.1 h, critical, Finance, 5 days ago
        "critical": make_pain_point(
            finance, "stability", system="SAP FI", frequency=1, minutes_lost=6, severity="critical"
        ),
        # once a week x 90 min = 6.5 h, low, Claims, 100 days ago
        "weekly": make_pain_point(
            claims,
            "re-keying",
            "reporting",
            system="Excel",
            frequency=1,
            frequency_unit="week",
            minutes_lost=90,
            severity="low",
        ),
    }


def test_it_lists_every_line_most_hours_lost_first_with_a_total(personas, client_for, pains):
    body = client_for(personas.liaison).get(URL).content.decode()
    assert row_ids(body) == [pains["big"].pk, pains["weekly"].pk, pains["critical"].pk]
    assert '<td class="num" id="painpoint-total">50.6</td>' in body  # 42 + 6.5 + 2.1
    assert "AP clerk" in body
    assert 'href="?sort=severity"' in body


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("hours", ["big", "weekly", "critical"]),
        ("severity", ["critical", "big", "weekly"]),
        # Claims before Finance, then most hours first within a line.
        ("line", ["big", "weekly", "critical"]),
        ("date", ["critical", "big", "weekly"]),
    ],
)
def test_it_sorts(personas, client_for, pains, sort, order):
    body = client_for(personas.manager).get(URL, {"sort": sort}).content.decode()
    assert row_ids(body) == [pains[name].pk for name in order]


def test_a_bad_sort_is_reported_and_the_default_order_kept(personas, client_for, pains):
    response = client_for(personas.manager).get(URL, {"sort": "password"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. password is not one of the available choices." in body
    assert row_ids(body) == [pains["big"].pk, pains["weekly"].pk, pains["critical"].pk]


def test_it_filters_by_line(personas, client_for, pains):
    body = client_for(personas.manager).get(URL, {"line": "finance"}).content.decode()
    assert row_ids(body) == [pains["critical"].pk]
    assert '<td class="num" id="painpoint-total">2.1</td>' in body


def test_it_filters_by_system_text(personas, client_for, pains):
    body = client_for(personas.manager).get(URL, {"system": "claimcenter"}).content.decode()
    assert row_ids(body) == [pains["big"].pk]


def test_it_filters_by_tag(personas, client_for, pains):
    body = client_for(personas.manager).get(URL, {"tag": "re-keying"}).content.decode()
    assert row_ids(body) == [pains["big"].pk, pains["weekly"].pk]
    assert '<td class="num" id="painpoint-total">48.5</td>' in body


def test_filters_combine_and_an_empty_result_says_so(personas, client_for, pains):
    body = client_for(personas.manager).get(URL, {"line": "finance", "tag": "re-keying"})
    assert "No pain point matches these filters." in body.content.decode()


def test_the_total_covers_every_page_not_only_the_one_shown(personas, client_for, pains, settings):
    settings.PAGE_SIZE = 2
    body = client_for(personas.manager).get(URL).content.decode()
    assert len(row_ids(body)) == 2
    assert "Page 1 of 2" in body
    assert '<td class="num" id="painpoint-total">50.6</td>' in body


def test_htmx_gets_only_the_results_fragment(personas, client_for, pains):
    response = client_for(personas.liaison).get(URL, {"line": "claims"}, **HTMX)
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body
    assert row_ids(body) == [pains["big"].pk, pains["weekly"].pk]


def test_it_refuses_post(personas, client_for):
    assert client_for(personas.manager).post(URL).status_code == 405


@pytest.mark.parametrize("who", ["stakeholder", "stakeholder_b", "outsider"])
def test_it_refuses_non_it_roles(personas, client_for, who):
    assert client_for(getattr(personas, who)).get(URL).status_code == 403


@pytest.mark.parametrize("params", [{}, {"sort": "severity", "tag": "re-keying"}])
def test_query_count_does_not_grow_with_pain_points(personas, client_for, pains, params):
    client = client_for(personas.manager)
    before = queries_for(client, URL, **params)
    lines = BusinessLine.objects.bulk_create(
        BusinessLine(name=f"Line {n}", slug=f"line-{n}") for n in range(10)
    )
    observations = [
        make_observation(line, personas.manager, observed_role=f"Role {n}")
        for n, line in enumerate(lines)
    ]
    tags = list(Tag.objects.all())
    new = PainPoint.objects.bulk_create(
        PainPoint(
            observation=observations[n % 10],
            description=f"Pain {n}",
            system="ClaimCenter",
            frequency=1 + n % 30,
            minutes_lost=1 + n % 7,
            severity=["low", "medium", "high", "critical"][n % 4],
        )
        for n in range(200)
    )
    PainPoint.tags.through.objects.bulk_create(
        PainPoint.tags.through(painpoint_id=pain.pk, tag_id=tag.pk) for pain in new for tag in tags
    )
    assert queries_for(client, URL, **params) == before
