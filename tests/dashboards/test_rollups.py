from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from dashboards.models import LineMonth
from dashboards.rollups import rollups_refresh
from tests.dashboards.conftest import FEB, JAN
from tests.dashboards.factories import at, make_incident


def _row(line, month) -> LineMonth:
    return LineMonth.objects.get(line=line, month=month)


def test_it_counts_a_lines_month_by_hand(world):
    feb = _row(world.line_a, FEB)
    assert (feb.incidents, feb.incidents_resolved, feb.hours_to_resolve) == (3, 2, 28.0)
    assert (feb.meetings_held, feb.meetings_attended, feb.dilo_sessions) == (2, 1, 1)
    assert feb.last_contact_on == date(2026, 2, 25)
    assert (feb.cards_created, feb.cards_reviewed, feb.cards_shared) == (1, 1, 1)
    assert (feb.cards_accepted, feb.cards_declined, feb.cards_done) == (1, 0, 0)
    assert feb.proactive == 4
    assert _row(world.line_b, FEB).incidents == 1


def test_it_estimates_incidents_avoided_by_a_done_card(world):
    jan = _row(world.line_a, JAN)
    assert jan.cards_done == 1
    # One incident a week before, none in the 60 days (8.57 weeks) since.
    assert jan.incidents_avoided == pytest.approx(60 / 7, abs=0.05)


def test_it_truncates_months_in_the_portals_time_zone(personas):
    # 00:30 on 1 August in London is still 31 July in UTC.
    make_incident(personas.line_a, at("2025-08-01 00:30"))
    rollups_refresh()
    assert _row(personas.line_a, date(2025, 8, 1)).incidents == 1
    assert not LineMonth.objects.filter(month=date(2025, 7, 1)).exists()


def test_a_second_refresh_changes_nothing(world):
    before = list(LineMonth.objects.order_by("line_id", "month").values())
    rollups_refresh()
    rollups_refresh(since=FEB)
    after = list(LineMonth.objects.order_by("line_id", "month").values())
    strip = [{k: v for k, v in row.items() if k not in {"id", "refreshed_at"}} for row in before]
    assert strip == [
        {k: v for k, v in row.items() if k not in {"id", "refreshed_at"}} for row in after
    ]


def test_a_partial_refresh_keeps_earlier_months_and_drops_vanished_rows(world):
    from incidents.models import Incident

    Incident.objects.filter(line=world.line_b).delete()
    rollups_refresh(since=FEB)
    assert not LineMonth.objects.filter(line=world.line_b, month=FEB).exists()
    assert _row(world.line_a, JAN).cards_done == 1


def test_the_command_refreshes_and_says_how_long(world, capsys):
    LineMonth.objects.all().delete()
    call_command("refresh_rollups", "--since", "2026-02")
    assert "line-month rows written" in capsys.readouterr().out
    assert _row(world.line_a, FEB).incidents == 3
    assert not LineMonth.objects.filter(month=JAN).exists()


def test_the_nightly_and_monthly_jobs_are_scheduled(db):
    from django_celery_beat.models import PeriodicTask

    tasks = dict(PeriodicTask.objects.values_list("task", "crontab__hour"))
    assert tasks["dashboards.tasks.refresh_rollups"] == "3"
    assert tasks["dashboards.tasks.send_monthly_reports"] == "6"


def test_the_nightly_task_rebuilds_every_month(world):
    from dashboards.tasks import refresh_rollups

    LineMonth.objects.all().delete()
    assert refresh_rollups.delay().get() == LineMonth.objects.count()
    assert _row(world.line_a, FEB).incidents == 3
