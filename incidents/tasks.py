from __future__ import annotations

from celery import shared_task

from incidents import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(batch_id: int) -> str:
    batch = services.import_execute(batch_id=batch_id)
    return batch.summary if batch else "not claimed"


@shared_task
def mark_stalled_imports() -> int:
    return services.import_mark_stalled()
