"""Import workflows shared by the upload pages, the Celery task and the shell command."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from incidents import importer
from incidents.models import ImportBatch, ImportStatus, MappingProfile
from incidents.parsing import FileFormatError, detect_format, mapping_from_names

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

# A running import that has not reported for this long is taken to be dead.
STALE_AFTER = timedelta(minutes=5)


def import_claim(*, batch_id: int) -> ImportBatch | None:
    """Take a batch for running with a conditional UPDATE, so two workers never both run it.

    A queued or failed batch can be taken, and so can a running one whose worker is gone.
    A cancel asked for before the run starts is kept (the run then stops at once).
    """
    now = timezone.now()
    taken = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportStatus.QUEUED, ImportStatus.FAILED]
    ).update(status=ImportStatus.RUNNING, started_at=now, heartbeat_at=now, error="", rows_done=0)
    if not taken and _stalled().filter(pk=batch_id).exists():
        taken = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.RUNNING).update(
            started_at=now, heartbeat_at=now, error="", rows_done=0
        )
    return ImportBatch.objects.get(pk=batch_id) if taken else None


# On PostgreSQL a running import holds a session advisory lock on its batch id: a worker
# that is killed, or a database that restarts, drops the connection and with it the lock,
# so liveness is known exactly, however long the final transaction takes. Elsewhere
# (SQLite, one process) the heartbeat's age is all there is.
_LOCK_SPACE = 4242


def _lock(batch_id: int) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_SPACE, batch_id])
        return bool(cur.fetchone()[0])


def _unlock(batch_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_SPACE, batch_id])


def _holder_alive(batch_id: int) -> bool:
    if not _lock(batch_id):
        return True
    _unlock(batch_id)
    return False


def _stalled() -> QuerySet[ImportBatch]:
    """Running imports whose worker is gone."""
    postgres = connection.vendor == "postgresql"
    quiet_since = timezone.now() - (timedelta(seconds=30) if postgres else STALE_AFTER)
    quiet = ImportBatch.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=quiet_since)
    if not postgres:
        return quiet
    dead = [pk for pk in quiet.values_list("pk", flat=True) if not _holder_alive(pk)]
    return ImportBatch.objects.filter(pk__in=dead)


def import_execute(
    *, batch_id: int, on_progress: Callable[[int], None] | None = None
) -> ImportBatch | None:
    """Claim and run one import; a whole-file problem marks it failed with its reason."""
    if not _lock(batch_id):
        return None  # another worker is running it
    try:
        batch = import_claim(batch_id=batch_id)
        if batch is None:
            return None
        if batch.cancel_requested:
            raise importer.ImportCancelled
        return importer.run(batch, on_progress=on_progress)
    except importer.ImportCancelled:
        _end(batch_id, ImportStatus.CANCELLED, "Cancelled on request.")
    except (importer.ImportProblem, FileFormatError) as exc:
        _end(batch_id, ImportStatus.FAILED, str(exc))
    except Exception as exc:
        _end(batch_id, ImportStatus.FAILED, f"Unexpected error: {exc!r}")
        raise
    finally:
        _unlock(batch_id)
    return ImportBatch.objects.get(pk=batch_id)


def _end(batch_id: int, status: str, error: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=status, error=error, finished_at=timezone.now()
    )


def import_mark_stalled() -> int:
    """Mark running imports whose worker stopped reporting as failed (they can run again)."""
    return _stalled().update(
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


def import_create(
    *,
    upload: UploadedFile,
    source: str,
    time_zone: str,
    create_lines: bool,
    profile: MappingProfile | None,
    created_by: User,
) -> ImportBatch:
    """Keep an upload as a batch (not enqueued: the mapping is confirmed first), with what its
    first rows tell. A file the parser cannot read is deleted and FileFormatError raised."""
    from incidents.queries import detect_order, read_head

    batch = ImportBatch(
        source=source,
        original_name=(upload.name or "export")[:255],
        size=upload.size or 0,
        time_zone=time_zone,
        create_lines=create_lines,
        created_by=created_by,
    )
    batch.file.save(upload.name or "export", upload, save=False)
    try:
        head = read_head(Path(batch.file.path))
    except FileFormatError:
        batch.file.delete(save=False)
        raise
    guess, keys = detect_format(head.headers), head.keys
    mapping = mapping_from_names(head.headers, profile.mapping) if profile else guess.mapping
    order = (profile.date_order if profile else "") or detect_order(head, mapping) or ""
    batch.mapping = {name: keys[index] for name, index in mapping.items()}
    batch.kind, batch.encoding, batch.delimiter = head.kind, head.encoding, head.delimiter
    batch.detected_format, batch.event_log, batch.date_order = guess.name, guess.event_log, order
    batch.save()
    return batch


@transaction.atomic
def import_configure(
    *, batch: ImportBatch, mapping: dict[str, str], date_order: str, save_as: str, user: User
) -> bool:
    """Save the confirmed mapping (and a profile when named) and queue the run on commit.

    False when the batch started meanwhile (the conditional UPDATE takes nothing).
    """
    from incidents.queries import MAPPABLE

    taken = ImportBatch.objects.filter(pk=batch.pk, status__in=MAPPABLE).update(
        mapping=mapping,
        date_order=date_order,
        status=ImportStatus.QUEUED,
        error="",
        finished_at=None,
        cancel_requested=False,
        rows_done=0,
    )
    if not taken:
        return False
    if save_as:
        MappingProfile.objects.update_or_create(
            name=save_as,
            defaults={"mapping": mapping, "date_order": date_order},
            create_defaults={"mapping": mapping, "date_order": date_order, "created_by": user},
        )
    import_enqueue(batch=batch)
    return True


def import_cancel(*, batch_id: int) -> str:
    """ "cancelled" (a queued batch ends at once), "cancelling" (a running one stops at its
    next heartbeat) or "ended" (nothing to cancel)."""
    batches = ImportBatch.objects.filter(pk=batch_id)
    if batches.filter(status=ImportStatus.QUEUED).update(
        cancel_requested=True,
        status=ImportStatus.CANCELLED,
        error="Cancelled on request.",
        finished_at=timezone.now(),
    ):
        return "cancelled"
    if batches.filter(status=ImportStatus.RUNNING).update(cancel_requested=True):
        return "cancelling"
    return "ended"


@transaction.atomic
def import_rerun(*, batch_id: int) -> bool:
    """Queue a failed or cancelled import again; it reaches the same end state."""
    queued = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportStatus.FAILED, ImportStatus.CANCELLED]
    ).update(
        status=ImportStatus.QUEUED, error="", finished_at=None, cancel_requested=False, rows_done=0
    )
    if queued:
        import_enqueue(batch=ImportBatch.objects.get(pk=batch_id))
    return bool(queued)
