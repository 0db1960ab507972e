"""Import workflows shared by the upload pages, the Celery task and the shell command."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from incidents import importer
from incidents.models import ImportBatch, ImportStatus
from incidents.parsing import FileFormatError

if TYPE_CHECKING:
    from collections.abc import Callable

# A running import that has not reported for this long is taken to be dead.
STALE_AFTER = timedelta(minutes=5)


def import_claim(*, batch_id: int) -> ImportBatch | None:
    """Take a batch for running with a conditional UPDATE, so two workers never both run it.

    A queued or failed batch can be taken, and so can a running one whose worker stopped
    reporting (killed, or its database restarted).
    """
    now = timezone.now()
    stale = now - STALE_AFTER
    taken = (
        ImportBatch.objects.filter(pk=batch_id)
        .filter(status__in=[ImportStatus.QUEUED, ImportStatus.FAILED])
        .update(
            status=ImportStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            error="",
            rows_done=0,
            cancel_requested=False,
        )
    ) or (
        ImportBatch.objects.filter(
            pk=batch_id, status=ImportStatus.RUNNING, heartbeat_at__lt=stale
        ).update(started_at=now, heartbeat_at=now, error="", rows_done=0)
    )
    return ImportBatch.objects.get(pk=batch_id) if taken else None


def import_execute(
    *, batch_id: int, on_progress: Callable[[int], None] | None = None
) -> ImportBatch | None:
    """Claim and run one import; a whole-file problem marks it failed with its reason."""
    batch = import_claim(batch_id=batch_id)
    if batch is None:
        return None
    try:
        return importer.run(batch, on_progress=on_progress)
    except importer.ImportCancelled:
        _end(batch_id, ImportStatus.CANCELLED, "Cancelled on request.")
    except (importer.ImportProblem, FileFormatError) as exc:
        _end(batch_id, ImportStatus.FAILED, str(exc))
    except Exception as exc:
        _end(batch_id, ImportStatus.FAILED, f"Unexpected error: {exc!r}")
        raise
    return ImportBatch.objects.get(pk=batch_id)


def _end(batch_id: int, status: str, error: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=status, error=error, finished_at=timezone.now()
    )


def import_mark_stalled() -> int:
    """Mark running imports whose worker stopped reporting as failed (they can run again)."""
    stale = timezone.now() - STALE_AFTER
    return ImportBatch.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=stale).update(
        status=ImportStatus.FAILED,
        error="The import stopped (its worker or database went away). Run it again: "
        "nothing of the interrupted run was kept.",
        finished_at=timezone.now(),
    )


def import_enqueue(*, batch: ImportBatch) -> None:
    from incidents.tasks import run_import

    transaction.on_commit(lambda: run_import.delay(batch.pk))


def max_upload_bytes() -> int:
    return int(settings.IMPORT_MAX_UPLOAD_MB) * 1024 * 1024
