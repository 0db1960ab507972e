"""The trend analysis pages: runs, "Run now" with progress, who may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.analysis import runs
from incidents.models import AnalysisRun, RunStatus, RunTrigger
from recommendations.models import Card
from tests.conftest import HTMX
from tests.helpers import queries_for
from tests.incidents.trend_data import AS_OF, background, problem, rising_days

LIST = reverse("incidents:analysis_list")


@pytest.mark.parametrize(
    ("role", "status"),
    [("manager", 200), ("liaison", 403), ("stakeholder", 403), ("outsider", 403)],
)
def test_only_managers_reach_the_analysis_pages(personas, client_for, role, status):
    record = runs.analysis_start(trigger=RunTrigger.MANUAL)
    client = client_for(getattr(personas, role))

    assert client.get(LIST).status_code == status
    assert client.get(record.get_absolute_url()).status_code == status
    assert client.post(LIST, {"as_of": AS_OF.isoformat()}).status_code in {302, status}


def test_anonymous_people_are_sent_to_log_in(db, client):
    assert client.get(LIST).status_code == 302


def test_run_now_runs_the_analysis_and_shows_its_result(
    personas, client_for, django_capture_on_commit_callbacks
):
    background(personas.line_a, days=180)
    problem(personas.line_a, rising_days(window=24, before=3))
    client = client_for(personas.manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, {"as_of": AS_OF.isoformat(), "line": ""})
    record = AnalysisRun.objects.get()
    response = client.get(record.get_absolute_url())

    record = AnalysisRun.objects.get()
    assert record.trigger == RunTrigger.MANUAL
    assert record.requested_by == personas.manager
    assert record.status == RunStatus.SUCCEEDED  # tasks run in-process in tests
    page = response.content.decode()
    assert "cards created 1" in page
    assert personas.line_a.name in page
    assert Card.objects.filter(line=personas.line_a).count() == 1


def test_run_now_refuses_a_future_date(personas, client_for):
    client = client_for(personas.manager)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(LIST, {"as_of": tomorrow.isoformat()})

    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not AnalysisRun.objects.exists()


def test_run_now_while_a_run_is_under_way_points_to_it(personas, client_for):
    active = runs.analysis_start(trigger=RunTrigger.NIGHTLY)
    client = client_for(personas.manager)

    response = client.post(LIST, {"as_of": AS_OF.isoformat()}, follow=True)

    assert response.redirect_chain[-1][0] == active.get_absolute_url()
    assert "already queued" in response.content.decode()
    assert AnalysisRun.objects.count() == 1


def test_progress_fragment_polls_while_running_and_stops_after(personas, client_for):
    record = runs.analysis_start(trigger=RunTrigger.MANUAL)
    runs.analysis_begin(run_id=record.pk)
    client = client_for(personas.manager)

    running = client.get(record.get_absolute_url(), **HTMX)
    assert running.status_code == 200
    body = running.content.decode()
    assert "<html" not in body
    assert 'hx-trigger="every 1s"' in body
    assert "0 of 2 lines analysed" in body

    runs.analysis_finish(run_id=record.pk)
    finished = client.get(record.get_absolute_url(), **HTMX)
    assert finished.status_code == 286
    assert "hx-trigger" not in finished.content.decode()


def test_the_run_list_costs_the_same_queries_for_many_runs(personas, client_for):
    client = client_for(personas.manager)
    AnalysisRun.objects.create(as_of=AS_OF, trigger=RunTrigger.SHELL, status=RunStatus.SUCCEEDED)
    few = queries_for(client, LIST)
    AnalysisRun.objects.bulk_create(
        AnalysisRun(as_of=AS_OF, trigger=RunTrigger.SHELL, status=RunStatus.FAILED)
        for _ in range(30)
    )
    assert queries_for(client, LIST) == few


def test_the_card_page_shows_the_evidence_to_it_staff(personas, client_for):
    from datetime import date as date_

    from dilo.models import Observation, PainPoint

    background(personas.line_a, days=180)
    problem(personas.line_a, rising_days(window=24, before=3))
    observation = Observation.objects.create(
        line=personas.line_a,
        observer=personas.liaison,
        observed_on=date_(2026, 6, 1),
        observed_role="Claims handler",
        goal="See a travelling adjuster's day",
    )
    PainPoint.objects.create(
        observation=observation,
        description="Loses the VPN twice an hour when working from a client site",
        system="Remote access",
        frequency=2,
        minutes_lost=10,
    )
    runs.analysis_execute(run=runs.analysis_start(as_of=AS_OF, trigger=RunTrigger.SHELL))
    card = Card.objects.get()

    page = client_for(personas.liaison).get(card.get_absolute_url()).content.decode()

    assert 'id="evidence-samples"' in page
    assert card.evidence["samples"][0]["number"] in page
    assert "Loses the VPN twice an hour" in page
    assert observation.get_absolute_url() in page
    assert "Rate ratio" in page
