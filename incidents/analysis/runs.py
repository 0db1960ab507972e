"""Analysis runs: start one (at most one at a time), analyse each line, record what happened.

The nightly beat task, the manager's "Run now" button and `manage.py run_trend_analysis` all
start a run with `analysis_start`. In Celery, `incidents.tasks.run_trend_analysis` fans out
one `analyse_trend_line` task per business line as a chord, and its callback finishes the
run; so more workers finish sooner. The shell command runs the lines in-process instead.

The lock is in the database: a partial unique constraint allows one queued-or-running run.
A run that shows no sign of life (`heartbeat_at`) for `ANALYSIS_STALE_SECONDS` is dead (its
worker was killed, say) and is marked failed by the next `analysis_start`, which then goes
ahead. Every line task is idempotent: it upserts the line's cards and its result row, so a
re-delivered task, or the next run after a crash, ends in the same cards.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from incidents.models import AnalysisLineResult, AnalysisRun, RunStatus
from stakeholders.models import BusinessLine

log = logging.getLogger(__name__)

ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


class AnalysisBusy(Exception):
    """Another run is queued or running."""

    def __init__(self, run: AnalysisRun) -> None:
        super().__init__(f"An analysis run is already {run.get_status_display().lower()}.")
        self.run = run


def _stale_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.ANALYSIS_STALE_SECONDS)


def analysis_expire_stale() -> int:
    """Mark runs that stopped showing signs of life as failed; returns how many."""
    return AnalysisRun.objects.filter(
        Q(heartbeat_at__lt=_stale_before())
        | Q(heartbeat_at__isnull=True, created_at__lt=_stale_before()),
        status__in=ACTIVE,
    ).update(
        status=RunStatus.FAILED,
        error="No sign of life: the worker stopped (killed or restarted). Run it again.",
        finished_at=timezone.now(),
    )


def analysis_start(
    *,
    as_of: date | None = None,
    trigger: str,
    line: BusinessLine | None = None,
    user: User | None = None,
) -> AnalysisRun:
    """Record a new queued run, or raise AnalysisBusy when one is already under way."""
    analysis_expire_stale()
    lines = BusinessLine.objects.filter(pk=line.pk) if line else BusinessLine.objects.all()
    now = timezone.now()
    try:
        with transaction.atomic():
            return AnalysisRun.objects.create(
                as_of=as_of or timezone.localdate(),
                window_days=settings.ANALYSIS_WINDOW_DAYS,
                baseline_days=settings.ANALYSIS_BASELINE_DAYS,
                line=line,
                trigger=trigger,
                requested_by=user if user is not None and user.is_authenticated else None,
                lines_total=lines.count(),
                heartbeat_at=now,
            )
    except IntegrityError:
        active = AnalysisRun.objects.filter(status__in=ACTIVE).first()
        if active is None:  # finished between the insert and this query: try once more
            return analysis_start(as_of=as_of, trigger=trigger, line=line, user=user)
        raise AnalysisBusy(active) from None


def analysis_enqueue(*, run: AnalysisRun) -> None:
    from incidents.tasks import run_trend_analysis

    transaction.on_commit(lambda: run_trend_analysis.delay(run.pk))


def run_lines(run: AnalysisRun) -> list[int]:
    lines = BusinessLine.objects.order_by("name")
    if run.line_id:
        lines = lines.filter(pk=run.line_id)
    return list(lines.values_list("pk", flat=True))


def analysis_begin(*, run_id: int) -> AnalysisRun | None:
    """Claim a queued run for execution; None when it is not queued (already taken or dead)."""
    claimed = AnalysisRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    return AnalysisRun.objects.get(pk=run_id) if claimed else None


def analysis_run_line(*, run_id: int, line_id: int) -> AnalysisLineResult | None:
    """Analyse one line for a running run and upsert its cards. Safe to run twice."""
    # Imported here: scikit-learn and scipy take seconds to import, and every web process
    # imports this module through the URLconf without ever running an analysis.
    from incidents.analysis.pipeline import Window, analyse_line
    from recommendations.upsert import cards_upsert_for_line

    run = AnalysisRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).first()
    line = BusinessLine.objects.filter(pk=line_id).first()
    if run is None or line is None:
        return None
    window = Window(run.as_of, run.window_days, run.baseline_days)
    analysis = analyse_line(line, window)
    began = time.perf_counter()
    counts = cards_upsert_for_line(line=line, analysis=analysis, run=run)
    analysis.timings["write"] = round(time.perf_counter() - began, 4)
    with transaction.atomic():
        result, _ = AnalysisLineResult.objects.update_or_create(
            run=run,
            line=line,
            defaults={
                "incidents": len(analysis.rows),
                "candidates": len(analysis.findings),
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "reopened": counts.reopened,
                "timings": analysis.timings,
            },
        )
        AnalysisRun.objects.filter(pk=run.pk).update(
            lines_done=AnalysisLineResult.objects.filter(run=run).count(),
            heartbeat_at=timezone.now(),
        )
    return result


def analysis_finish(*, run_id: int, error: str = "") -> AnalysisRun:
    """Add up the line results and close the run."""
    totals = AnalysisLineResult.objects.filter(run_id=run_id).aggregate(
        incidents=Sum("incidents"),
        created=Sum("created"),
        updated=Sum("updated"),
        unchanged=Sum("unchanged"),
        reopened=Sum("reopened"),
    )
    AnalysisRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED if error else RunStatus.SUCCEEDED,
        error=error,
        finished_at=timezone.now(),
        lines_done=AnalysisLineResult.objects.filter(run_id=run_id).count(),
        **{name: value or 0 for name, value in totals.items()},
    )
    return AnalysisRun.objects.get(pk=run_id)


def analysis_fail(*, run_id: int, error: str) -> None:
    AnalysisRun.objects.filter(pk=run_id, status__in=ACTIVE).update(
        status=RunStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def analysis_execute(
    *, run: AnalysisRun, progress: Callable[[AnalysisLineResult], None] | None = None
) -> AnalysisRun:
    """Run every line in this process, one after the other (the shell command's way)."""
    if analysis_begin(run_id=run.pk) is None:
        raise AnalysisBusy(run)
    try:
        for line_id in run_lines(run):
            result = analysis_run_line(run_id=run.pk, line_id=line_id)
            if result is not None and progress is not None:
                progress(result)
    except Exception as error:
        log.exception("analysis run %s failed", run.pk)
        analysis_fail(run_id=run.pk, error=f"{type(error).__name__}: {error}")
        raise
    return analysis_finish(run_id=run.pk)


def stage_totals(run: AnalysisRun) -> dict[str, float]:
    """Seconds per stage, summed over the run's lines."""
    totals: dict[str, float] = {}
    for timings in AnalysisLineResult.objects.filter(run=run).values_list("timings", flat=True):
        for stage, seconds in timings.items():
            totals[stage] = round(totals.get(stage, 0.0) + seconds, 3)
    return totals
