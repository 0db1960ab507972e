"""The nightly trend analysis on small hand-made histories: what it finds, and what it must not."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from incidents.analysis import runs
from incidents.models import AnalysisRun, RunStatus, RunTrigger
from recommendations.models import Card, CardEventKind, CardStatus
from stakeholders.models import BusinessLine
from tests.incidents.trend_data import (
    AS_OF,
    background,
    noon,
    problem,
    rising_days,
    steady_days,
)

pytestmark = pytest.mark.django_db

CHRONIC = [
    "Claim save fails with error GW-500 in Guidewire",
    "Guidewire error GW-500 when saving a claim",
    "saving claim gives GW-500 error",
]


def run(as_of=AS_OF, **options) -> str:
    out = StringIO()
    call_command("run_trend_analysis", as_of=as_of.isoformat(), stdout=out, **options)
    return out.getvalue()


def export() -> list[dict]:
    out = StringIO()
    call_command("export_cards", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def claims() -> BusinessLine:
    line = BusinessLine.objects.create(name="Claims")
    background(line)
    return line


def test_it_finds_a_rising_problem_as_one_card_holding_its_incidents(claims):
    vpn = problem(claims, rising_days(window=24, before=3))
    window_numbers = {i.number for i in vpn if i.opened_at >= noon(AS_OF - timedelta(days=29))}

    out = run()

    cards = export()
    assert len(cards) == 1, out
    card = cards[0]
    assert card["business_line"] == "Claims"
    assert card["status"] == "new"
    assert card["window_count"] == len(card["incident_numbers"])
    found = set(card["incident_numbers"])
    assert len(found & window_numbers) >= 0.8 * len(window_numbers)
    assert len(found - window_numbers) <= 0.2 * len(found)
    assert card["previous_count"] <= 5
    assert card["signature"].startswith("trend-")


def test_the_card_carries_its_numbers_and_evidence(claims):
    problem(claims, rising_days(window=24, before=3))
    run()

    card = Card.objects.get()
    assert card.kind == "rise"
    assert card.rate_ratio
    assert card.rate_ratio > 5
    assert card.p_value is not None
    assert card.p_value < 0.001
    assert card.people_affected >= 10
    assert card.hours_lost == pytest.approx(3 * card.window_count, abs=6)
    assert f"{card.window_count} incidents in 30 days" in card.summary
    assert "hours lost" in card.summary
    assert any(word in card.title.lower() for word in ("vpn", "anyconnect"))
    weekly = card.evidence["weekly"]
    assert sum(w["count"] for w in weekly) == card.window_count + card.previous_count
    assert len(card.evidence["samples"]) == 10
    assert card.suggested_action
    assert card.events.filter(kind=CardEventKind.CREATED).count() == 1


def test_ordinary_background_makes_no_card(claims):
    out = run()

    assert Card.objects.count() == 0
    assert "created 0" in out


def test_a_rerun_changes_nothing_and_duplicates_nothing(claims):
    problem(claims, rising_days(window=24, before=3))
    run()
    first = export()

    out = run()

    assert export() == first
    assert out.strip().splitlines()[-1].startswith("as of 2026-06-30: 1 lines")
    assert "created 0, updated 0, unchanged 1" in out
    assert Card.objects.count() == 1


def test_the_next_nights_run_refreshes_the_same_card(claims):
    vpn_days = rising_days(window=24, before=3)
    problem(claims, vpn_days)
    run()
    card = Card.objects.get()
    problem(claims, [AS_OF + timedelta(days=1)] * 3, seed=9)
    background(claims, days=1, seed=5)  # the next day's ordinary incidents

    run(as_of=AS_OF + timedelta(days=1))

    assert Card.objects.count() == 1
    card.refresh_from_db()
    assert card.window_end == AS_OF + timedelta(days=1)
    assert card.events.filter(kind=CardEventKind.REFRESHED).count() == 1


def test_a_dismissed_card_stays_dismissed_until_its_signal_doubles(claims):
    problem(claims, rising_days(window=12, before=2))
    run()
    card = Card.objects.get()
    Card.objects.filter(pk=card.pk).update(
        status=CardStatus.DISMISSED, dismissed_signal=card.window_count
    )

    problem(claims, [AS_OF - timedelta(days=n % 20) for n in range(4)], seed=3)
    run()
    card.refresh_from_db()
    assert card.status == CardStatus.DISMISSED

    problem(claims, [AS_OF - timedelta(days=n % 25) for n in range(card.window_count)], seed=4)
    out = run()
    card.refresh_from_db()
    assert card.status == CardStatus.NEW, out
    assert card.events.filter(kind=CardEventKind.REOPENED).count() == 1
    assert Card.objects.count() == 1


def test_a_chronic_problem_is_found(claims):
    problem(claims, steady_days(per_week=6), texts=CHRONIC, service="Guidewire")

    run()

    card = Card.objects.get()
    assert card.kind == "chronic"
    assert "GW-500" in card.title


def test_a_big_chronic_problem_is_found_even_when_anyone_reports_it(claims):
    # The background's own callers (person0..299) report it: no concentration on people.
    # (One wording: how paraphrases group is the other tests' business; this one is about
    # the share that makes a problem chronic whoever reports it.)
    problem(
        claims,
        steady_days(per_week=8),
        texts=CHRONIC[:1],
        service="Guidewire",
        callers="person{}",
        people=300,
    )

    run()

    assert Card.objects.get().kind == "chronic"


def test_a_smaller_steady_group_reported_by_everyone_is_background(claims):
    problem(
        claims,
        steady_days(per_week=5),
        texts=CHRONIC,
        service="Guidewire",
        callers="person{}",
        people=300,
    )

    run()

    assert not Card.objects.exists()


def test_each_line_gets_its_own_cards(claims):
    finance = BusinessLine.objects.create(name="Finance")
    background(finance, seed=7)
    problem(claims, rising_days(window=24, before=3))

    run()

    assert list(Card.objects.values_list("line__name", flat=True)) == ["Claims"]


def test_one_line_only(claims):
    finance = BusinessLine.objects.create(name="Finance")
    background(finance, seed=7)
    problem(finance, rising_days(window=24, before=3))
    problem(claims, rising_days(window=24, before=3), seed=8)

    run(line="finance")

    assert list(Card.objects.values_list("line__name", flat=True)) == ["Finance"]
    assert AnalysisRun.objects.get().line == finance


def test_a_done_card_keeps_counting_its_problem(claims):
    problem(claims, rising_days(window=24, before=3))
    run()
    card = Card.objects.get()
    Card.objects.filter(pk=card.pk).update(status=CardStatus.DONE, done_at=noon(AS_OF))
    held = card.card_incidents.count()
    later = AS_OF + timedelta(days=14)
    problem(claims, [later - timedelta(days=n) for n in range(3)], seed=11)
    background(claims, days=14, seed=12)

    run(as_of=later)

    card.refresh_from_db()
    assert card.status == CardStatus.DONE
    assert card.card_incidents.count() >= held + 2


def test_the_run_is_recorded_with_timings(claims):
    problem(claims, rising_days(window=24, before=3))
    run()

    record = AnalysisRun.objects.get()
    assert record.status == RunStatus.SUCCEEDED
    assert record.trigger == RunTrigger.SHELL
    assert (record.created, record.updated, record.unchanged) == (1, 0, 0)
    assert record.incidents == 180 * 4 + 27
    result = record.results.get()
    assert set(result.timings) == {"load", "find", "describe", "write"}


def test_only_one_run_at_a_time(claims):
    runs.analysis_start(trigger=RunTrigger.MANUAL)

    with pytest.raises(runs.AnalysisBusy):
        runs.analysis_start(trigger=RunTrigger.MANUAL)


def test_a_run_that_stopped_showing_life_no_longer_blocks(claims, settings):
    dead = runs.analysis_start(trigger=RunTrigger.MANUAL)
    AnalysisRun.objects.filter(pk=dead.pk).update(
        status=RunStatus.RUNNING,
        heartbeat_at=dead.created_at - timedelta(seconds=settings.ANALYSIS_STALE_SECONDS + 1),
    )

    fresh = runs.analysis_start(trigger=RunTrigger.MANUAL)

    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED
    assert "No sign of life" in dead.error
    assert fresh.status == RunStatus.QUEUED


def test_the_command_refuses_an_unknown_line(claims):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No business line"):
        run(line="nope")


def test_export_as_csv(claims):
    problem(claims, rising_days(window=24, before=3))
    run()
    out = StringIO()

    call_command("export_cards", format="csv", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("business_line,signature,title,status,score")
    assert lines[1].startswith("Claims,trend-")


def test_the_nightly_run_is_scheduled_at_two_in_the_portal_time_zone():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="incidents.tasks.nightly_trend_analysis")
    assert (task.crontab.hour, task.crontab.minute) == ("2", "0")
    assert str(task.crontab.timezone) == "Europe/London"


def test_the_nightly_task_runs_today_and_skips_when_busy(claims):
    from incidents.tasks import nightly_trend_analysis

    runs.analysis_start(trigger=RunTrigger.MANUAL)
    assert "already queued" in nightly_trend_analysis()

    AnalysisRun.objects.update(status=RunStatus.FAILED)
    nightly_trend_analysis()
    latest = AnalysisRun.objects.filter(trigger=RunTrigger.NIGHTLY).get()
    assert latest.status == RunStatus.SUCCEEDED


def test_a_line_whose_few_incidents_all_say_the_same_is_no_crash():
    line = BusinessLine.objects.create(name="Tiny")
    problem(line, [AS_OF - timedelta(days=n) for n in range(12)], texts=["Printer jam"])

    out = run()

    assert "Tiny: 12 incidents" in out
