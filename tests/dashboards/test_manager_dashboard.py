from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from dashboards.charts import CHARTS
from dashboards.forms import Filters
from dashboards.queries import dashboard
from dashboards.rollups import rollups_refresh
from recommendations.models import Card
from tests.conftest import HTMX
from tests.dashboards.conftest import FEB, NOW
from tests.dashboards.factories import at, incidents_rows
from tests.helpers import queries_for

URL = reverse("dashboards:manager")
FEB_ONLY = {"start": "2026-02", "end": "2026-02"}


def _chart(name: str, lines=(), start=FEB, end=FEB):
    return CHARTS[name](dashboard(Filters(lines=tuple(lines), start=start, end=end)))


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_work_chart_gives_the_hand_counted_month(world):
    chart = _chart("work", lines=[world.line_a])
    # Month, incidents, hours, meetings attended, DILO, shared, accepted, done, share %
    assert chart.rows == [["2026-02", 3, 28.0, 1, 1, 1, 1, 0, 57.1]]
    traces = chart.figure["data"]
    assert traces[0]["y"] == [3]
    assert [t["y"][0] for t in traces[1:6]] == [1, 1, 1, 1, 0]
    assert [t["base"][0] for t in traces[1:6]] == [0, 1, 2, 3, 4]  # stacked
    assert traces[6]["y"] == [57.1]


def test_the_work_chart_across_lines_adds_them_up(world):
    chart = _chart("work")
    assert chart.rows[0][:2] == ["2026-02", 4]
    assert chart.rows[0][-1] == round(100 * 4 / 8, 1)


def test_the_by_line_chart_has_one_row_per_line_and_month(world):
    chart = _chart("work-by-line", start=date(2026, 1, 1))
    assert [row[:3] for row in chart.rows] == [
        ["Claims", "2026-01", 1],  # the done card's last problem incident, 7 Jan
        ["Claims", "2026-02", 3],
        ["Finance", "2026-01", 0],
        ["Finance", "2026-02", 1],
    ]
    assert chart.figure["data"][0]["x"][0] == ["Claims", "Claims", "Finance", "Finance"]


def test_the_coverage_chart_gives_attendance_and_overdue_lines(world):
    chart = _chart("coverage")
    claims, finance = chart.rows
    assert claims[:4] == ["Claims", 2, 1, 50.0]
    assert claims[4] == "2026-02-25"
    assert claims[6] == "yes"  # 18 days since, cadence 14
    assert finance[1:4] == [0, 0, None]
    assert finance[6] == "yes"
    assert "Claims, Finance" in chart.summary


def test_the_funnel_gives_counts_acceptance_and_medians(world):
    rows = dict(_chart("funnel").rows)
    assert [rows[s] for s in ("New", "Reviewed", "Shared", "Accepted", "Done")] == [1, 1, 1, 1, 0]
    assert rows["Acceptance rate (%)"] == 100.0
    assert rows["Median days, card to share"] == 3.0
    assert rows["Median days, share to answer"] == 4.0


def test_the_avoided_chart_gives_the_done_cards_month(world):
    chart = _chart("avoided", start=date(2026, 1, 1))
    assert chart.rows[0][:2] == ["2026-01", 1]
    assert chart.rows[0][2] == pytest.approx(8.57, abs=0.05)
    assert chart.rows[1] == ["2026-02", 0, 0.0]


def test_rising_problems_are_open_rises_of_the_month_best_first(world):
    line = world.line_a
    for title, score, status, end in [
        ("Rising low", 1.0, "new", date(2026, 2, 20)),
        ("Rising high", 5.0, "shared", date(2026, 2, 27)),
        ("Dismissed", 9.0, "dismissed", date(2026, 2, 27)),
        ("Last month", 9.0, "new", date(2026, 1, 27)),
    ]:
        Card.objects.create(
            line=line, title=title, kind="rise", score=score, status=status, window_end=end
        )
    Card.objects.create(line=line, title="Chronic", kind="chronic", score=9, window_end=FEB)
    assert [row[1] for row in _chart("rises").rows] == ["Rising high", "Rising low"]


def test_the_pain_map_sizes_people_by_their_lines_incidents(world):
    chart = _chart("map")
    assert sorted((row[1], row[5]) for row in chart.rows) == [("Claims", 3), ("Finance", 1)]
    sizes = {
        row[3]: size
        for trace in chart.figure["data"]
        for row, size in zip(trace["customdata"], trace["marker"]["size"], strict=True)
    }
    # 8 + 26 x sqrt(share of the heaviest line's incidents)
    assert sizes == {"Claims": 34.0, "Finance": 23.0}


def test_the_health_heatmap_follows_contact_against_cadence(world):
    chart = _chart("health", start=date(2026, 1, 1), end=date(2026, 3, 1))
    claims, finance = chart.rows
    # Claims (cadence 14): no contact in January, last on 25 Feb (3 days before month end);
    # on 15 March 18 days since → due.
    assert claims == ["Claims", "At risk", "Healthy", "Contact due"]
    assert finance == ["Finance", "At risk", "At risk", "At risk"]
    assert chart.figure["data"][0]["z"][0] == [0, 2, 1]


def test_the_page_shows_every_chart_with_csv_link_and_summary(world, client_for):
    response = client_for(world.manager).get(URL, FEB_ONLY)
    body = response.content.decode()
    assert response.status_code == 200
    for name in CHARTS:
        assert f'id="chart-{name}"' in body
        assert reverse("dashboards:chart_csv", args=[name]) in body
    assert body.count("<figcaption") == len(CHARTS)
    assert 'hx-push-url="true"' in body


def test_htmx_gets_only_the_charts(world, client_for):
    response = client_for(world.manager).get(URL, {**FEB_ONLY, "lines": world.line_b.pk}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="charts"')
    assert "Finance" in body
    assert "Scanner queue" not in body


def test_invalid_filters_fall_back_to_defaults_and_say_so(world, client_for):
    response = client_for(world.manager).get(URL, {"start": "2026-03", "end": "2026-01"})
    assert response.status_code == 200
    assert "must not be after" in response.content.decode()


@pytest.mark.parametrize("name", list(CHARTS))
def test_each_chart_downloads_as_csv(world, client_for, name):
    url = reverse("dashboards:chart_csv", args=[name])
    response = client_for(world.manager).get(url, FEB_ONLY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"itrm-{name}-2026-02-2026-02.csv" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == CHARTS[name](dashboard(Filters((), FEB, FEB))).headers


def test_the_work_csv_holds_the_hand_counted_numbers(world, client_for):
    url = reverse("dashboards:chart_csv", args=["work"])
    response = client_for(world.manager).get(url, {**FEB_ONLY, "lines": world.line_a.pk})
    assert _csv(response)[1] == ["2026-02", "3", "28.0", "1", "1", "1", "1", "0", "57.1"]


def test_an_unknown_chart_is_not_found(world, client_for):
    url = reverse("dashboards:chart_csv", args=["nope"])
    assert client_for(world.manager).get(url).status_code == 404


@pytest.mark.parametrize("role", ["liaison", "stakeholder", "outsider"])
def test_only_managers_see_the_dashboard_and_its_data(world, client_for, role):
    client = client_for(getattr(world, role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("dashboards:chart_csv", args=["work"])).status_code == 403


def test_the_dashboard_refuses_post(world, client_for):
    assert client_for(world.manager).post(URL).status_code == 405


def test_query_count_does_not_grow_from_10_to_10000_incidents(world, client_for):
    client = client_for(world.manager)
    incidents_rows(world.line_a, at("2026-02-01 08:00"), 10)
    rollups_refresh()
    small = queries_for(client, URL, **FEB_ONLY)
    small_csv = queries_for(client, reverse("dashboards:chart_csv", args=["work"]), **FEB_ONLY)
    incidents_rows(world.line_b, at("2026-02-02 08:00"), 10_000)
    rollups_refresh()
    assert queries_for(client, URL, **FEB_ONLY) == small
    assert (
        queries_for(client, reverse("dashboards:chart_csv", args=["work"]), **FEB_ONLY) == small_csv
    )


def test_the_charts_are_kept_until_the_next_refresh(world, client_for, settings):
    from django.core.cache import cache

    cache.clear()
    settings.DASHBOARD_CACHE_SECONDS = 60
    client = client_for(world.manager)
    from django.db.models import F

    from dashboards.models import LineMonth

    first = queries_for(client, URL, **FEB_ONLY)
    assert "4 incidents against" in client.get(URL, FEB_ONLY).content.decode()
    # A roll-up changed behind the stamp's back is not seen: the page is the kept one.
    LineMonth.objects.update(incidents=F("incidents") + 100)
    assert "4 incidents against" in client.get(URL, FEB_ONLY).content.decode()
    incidents_rows(world.line_a, at("2026-02-01 08:00"), 5)
    with time_machine.travel(NOW + timedelta(seconds=1), tick=False):
        rollups_refresh()
    response = client.get(URL, FEB_ONLY)
    assert "9 incidents against" in response.content.decode()
    assert first < 10  # session, user, roles, the form's lines, the roll-up stamp


def test_a_manager_refreshes_the_numbers_on_demand(world, client_for):
    from dashboards.models import LineMonth

    LineMonth.objects.all().delete()
    response = client_for(world.manager).post(
        reverse("dashboards:refresh"), {"query": "start=2026-02&end=2026-02"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?start=2026-02&end=2026-02"
    assert LineMonth.objects.filter(line=world.line_a, month=FEB).get().incidents == 3


@pytest.mark.parametrize("role", ["liaison", "stakeholder", "outsider"])
def test_only_managers_refresh(world, client_for, role):
    response = client_for(getattr(world, role)).post(reverse("dashboards:refresh"))
    assert response.status_code == 403


def test_refresh_needs_post(world, client_for):
    assert client_for(world.manager).get(reverse("dashboards:refresh")).status_code == 405
