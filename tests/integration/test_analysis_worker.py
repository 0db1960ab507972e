"""The trend analysis on real workers: fanned out per line through Redis, on PostgreSQL,
surviving a worker killed half-way."""

from __future__ import annotations

import json
import time
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from incidents.analysis import runs
from incidents.analysis.synthetic import generate
from incidents.models import AnalysisRun, RunStatus, RunTrigger
from incidents.tasks import run_trend_analysis
from recommendations.models import Card, CardIncident
from tests.incidents.trend_data import store_synthetic

pytestmark = pytest.mark.integration

AS_OF = date(2026, 6, 30)


def wait_for(condition, *, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def cards() -> list[tuple[str, int, list[str]]]:
    out = StringIO()
    call_command("export_cards", stdout=out)
    return sorted(
        (card["business_line"], card["window_count"], card["incident_numbers"])
        for card in json.loads(out.getvalue())
    )


def assert_no_duplicates() -> None:
    signatures = list(Card.objects.values_list("signature", flat=True))
    assert len(signatures) == len(set(signatures))
    # No incident is held by two cards: one problem, one card.
    held = list(CardIncident.objects.values_list("incident_id", flat=True))
    assert len(held) == len(set(held))


def start_run() -> AnalysisRun:
    return runs.analysis_start(as_of=AS_OF, trigger=RunTrigger.MANUAL)


def test_a_run_fans_out_per_line_on_a_worker_and_a_rerun_changes_nothing(worker):
    store_synthetic(generate(seed=21, lines=3, days=190, as_of=AS_OF))

    first = start_run()
    run_trend_analysis.apply_async(args=(first.pk,), queue=worker)
    wait_for(lambda: not AnalysisRun.objects.get(pk=first.pk).is_active)
    first.refresh_from_db()
    assert first.status == RunStatus.SUCCEEDED, first.error
    assert first.lines_done == 3
    assert first.created == Card.objects.count() > 0

    second = start_run()
    run_trend_analysis.apply_async(args=(second.pk,), queue=worker)
    wait_for(lambda: not AnalysisRun.objects.get(pk=second.pk).is_active)
    second.refresh_from_db()
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created


def test_a_killed_worker_and_the_next_run_end_with_the_same_cards(start_worker, settings):
    store_synthetic(generate(seed=22, lines=6, days=190, as_of=AS_OF))
    queue, process = start_worker()
    doomed = start_run()
    run_trend_analysis.apply_async(args=(doomed.pk,), queue=queue)
    # Kill the worker once some lines are written and others are not, as a redeploy would.
    wait_for(lambda: AnalysisRun.objects.get(pk=doomed.pk).lines_done >= 2)
    process.kill()
    process.wait(timeout=15)
    doomed.refresh_from_db()
    assert doomed.status == RunStatus.RUNNING
    assert doomed.lines_done < 6

    # The dead run blocks nothing once it shows no sign of life for the stale time.
    settings.ANALYSIS_STALE_SECONDS = 1
    time.sleep(1.5)
    queue, _ = start_worker()
    survivor = start_run()
    run_trend_analysis.apply_async(args=(survivor.pk,), queue=queue)
    wait_for(lambda: not AnalysisRun.objects.get(pk=survivor.pk).is_active)

    doomed.refresh_from_db()
    survivor.refresh_from_db()
    assert doomed.status == RunStatus.FAILED
    assert survivor.status == RunStatus.SUCCEEDED, survivor.error
    assert_no_duplicates()
    recovered = cards()

    # The same end state as an analysis that was never interrupted.
    Card.objects.all().delete()
    settings.ANALYSIS_STALE_SECONDS = 600
    call_command("run_trend_analysis", as_of=AS_OF.isoformat(), stdout=StringIO())
    assert cards() == recovered
    assert_no_duplicates()
