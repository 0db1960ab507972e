from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders.charts import power_interest_figure
from stakeholders.models import Quadrant, Stakeholder, quadrant_for
from tests.conftest import HTMX
from tests.helpers import queries_for

URL = reverse("stakeholders:grid")


@pytest.mark.parametrize(
    ("influence", "interest", "quadrant"),
    [
        (5, 5, Quadrant.MANAGE_CLOSELY),
        (4, 4, Quadrant.MANAGE_CLOSELY),
        (4, 3, Quadrant.KEEP_SATISFIED),
        (3, 4, Quadrant.KEEP_INFORMED),
        (3, 3, Quadrant.MONITOR),
        (1, 1, Quadrant.MONITOR),
    ],
)
def test_quadrants(influence, interest, quadrant):
    assert quadrant_for(influence=influence, interest=interest) == quadrant


def test_figure_has_one_point_per_person_coloured_by_stance_and_labelled_quadrants(personas):
    people = list(Stakeholder.objects.select_related("line"))
    people[0].stance = "blocker"
    fig = power_interest_figure(people, show_line=True)
    traces = {trace.name: trace for trace in fig.data}
    assert sum(len(t.x) for t in fig.data) == len(people)
    assert traces["Blocker"].marker.color == "#cf222e"
    labels = {a.text for a in fig.layout.annotations}
    assert labels == {
        "<b>Manage closely</b>",
        "<b>Keep satisfied</b>",
        "<b>Keep informed</b>",
        "<b>Monitor</b>",
    }
    urls = [row[0] for t in fig.data for row in t.customdata]
    assert sorted(urls) == sorted(p.get_absolute_url() for p in people)


def test_all_lines_grid_plots_everyone_and_opens_people_on_click(personas, client_for):
    body = client_for(personas.liaison).get(URL).content.decode()
    assert "2 stakeholders across all lines" in body
    assert "plotly_click" in body
    for person in Stakeholder.objects.all():
        # plotly writes the URL into its JSON with escaped slashes
        assert person.get_absolute_url().replace("/", "\\u002f") in body


def test_grid_filters_by_line_with_htmx(personas, client_for):
    response = client_for(personas.manager).get(URL, {"line": "finance"}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert "1 stakeholder in" in body
    assert "Bea Lind" in body
    assert "Sam Carter" not in body


@pytest.mark.parametrize("who", ["stakeholder", "outsider"])
def test_grid_is_refused_to_non_it_roles(personas, client_for, who):
    assert client_for(getattr(personas, who)).get(URL).status_code == 403


def test_grid_query_count_does_not_grow(personas, client_for):
    client = client_for(personas.manager)
    before = queries_for(client, URL)
    Stakeholder.objects.bulk_create(
        [Stakeholder(line=personas.line_a, name=f"P{n}", interest=1 + n % 5) for n in range(200)]
    )
    assert queries_for(client, URL) == before
