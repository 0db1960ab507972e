"""Imports on a real worker: through Redis, on PostgreSQL, surviving a killed worker."""

from __future__ import annotations

import csv
import signal
import time
from pathlib import Path

import pytest
from django.utils import timezone

from incidents import services
from incidents.models import ImportBatch, ImportStatus, Incident
from incidents.tasks import run_import

pytestmark = pytest.mark.integration


def write_export(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "number",
                "opened_at",
                "short_description",
                "caller_id.department",
                "priority",
                "state",
            ]
        )
        for n in range(rows):
            out.writerow(
                [
                    f"INC{n:08d}",
                    f"2026-01-{1 + n % 28:02d} {n % 24:02d}:00:00",
                    f"Problem {n % 97}",
                    f"Department {n % 7}",
                    1 + n % 5,
                    "New",
                ]
            )
    return path


def wait_for(condition, *, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_an_import_runs_on_a_worker_and_a_second_run_changes_nothing(worker, tmp_path):
    path = write_export(tmp_path / "export.csv", 5_000)
    first = ImportBatch.objects.create(original_name="export.csv", source_path=str(path))
    run_import.apply_async(args=(first.pk,), queue=worker).get(timeout=120)
    first.refresh_from_db()
    assert first.summary == "read 5000, created 5000, updated 0, unchanged 0, rejected 0"
    second = ImportBatch.objects.create(original_name="export.csv", source_path=str(path))
    run_import.apply_async(args=(second.pk,), queue=worker).get(timeout=120)
    second.refresh_from_db()
    assert second.summary == "read 5000, created 0, updated 0, unchanged 5000, rejected 0"
    assert Incident.objects.count() == 5000


def test_a_killed_worker_leaves_nothing_and_the_rerun_reaches_the_same_end(start_worker, tmp_path):
    rows = 200_000
    path = write_export(tmp_path / "big.csv", rows)
    batch = ImportBatch.objects.create(original_name="big.csv", source_path=str(path))
    queue, process = start_worker()
    run_import.apply_async(args=(batch.pk,), queue=queue)
    # Kill the worker half-way through reading, as an OOM killer or a redeploy would.
    wait_for(lambda: ImportBatch.objects.get(pk=batch.pk).rows_done >= 40_000)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=15)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING
    assert not Incident.objects.exists()

    # Five minutes without a heartbeat later, the import is marked failed.
    ImportBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - services.STALE_AFTER * 2
    )
    assert services.import_mark_stalled() == 1
    queue, _ = start_worker()
    run_import.apply_async(args=(batch.pk,), queue=queue).get(timeout=300)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.summary == f"read {rows}, created {rows}, updated 0, unchanged 0, rejected 0"
    assert Incident.objects.count() == rows
