from __future__ import annotations

from celery import chord, shared_task

from incidents import services
from incidents.analysis import runs
from incidents.models import RunTrigger


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(batch_id: int) -> str:
    batch = services.import_execute(batch_id=batch_id)
    return batch.summary if batch else "not claimed"


@shared_task
def mark_stalled_imports() -> int:
    return services.import_mark_stalled()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_trend_analysis(run_id: int) -> str:
    """Fan the run out: one task per business line, then the callback closes the run."""
    run = runs.analysis_begin(run_id=run_id)
    if run is None:
        return "not claimed"
    lines = runs.run_lines(run)
    if not lines:
        runs.analysis_finish(run_id=run_id)
        return "no lines"
    chord(analyse_trend_line.si(run_id, line_id) for line_id in lines)(
        finish_trend_analysis.si(run_id)
    )
    return f"{len(lines)} lines"


@shared_task(acks_late=True, reject_on_worker_lost=True)
def analyse_trend_line(run_id: int, line_id: int) -> int:
    try:
        result = runs.analysis_run_line(run_id=run_id, line_id=line_id)
    except Exception as error:
        runs.analysis_fail(run_id=run_id, error=f"line {line_id}: {type(error).__name__}: {error}")
        raise
    return result.candidates if result else 0


@shared_task(acks_late=True)
def finish_trend_analysis(run_id: int) -> str:
    return str(runs.analysis_finish(run_id=run_id))


@shared_task
def nightly_trend_analysis() -> str:
    """The beat entry: start today's run unless one is under way."""
    try:
        run = runs.analysis_start(trigger=RunTrigger.NIGHTLY)
    except runs.AnalysisBusy as busy:
        return str(busy)
    return run_trend_analysis(run.pk)
