"""The import page (progress, summary, cancel, run again), its rejected-rows download and
the import history."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import ImportBatch, ImportStatus, Incident
from tests.conftest import HTMX
from tests.helpers import queries_for
from tests.incidents.test_pages_support import (  # noqa: F401
    _media_in_tmp,
    manager_client,
    mapping_post,
    sample,
    text_file,
    uploaded,
)

INJECTION = "=cmd|' /C calc'!A0"


def run(client, batch, capture, **changes) -> ImportBatch:
    with capture(execute=True):
        client.post(
            reverse("incidents:import_mapping", args=[batch.pk]), mapping_post(batch, **changes)
        )
    batch.refresh_from_db()
    return batch


def big_file(rows: int = 10_000):
    lines = ["number,opened_at,short_description"]
    lines += [
        f"INC{i:07d},2024-03-01 10:00:00,Printer on floor {i % 9} is offline" for i in range(rows)
    ]
    return text_file("big.csv", "\n".join(lines) + "\n")


def running(batch: ImportBatch, *, seconds: int, rows: int) -> None:
    now = timezone.now()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING,
        started_at=now - timedelta(seconds=seconds),
        heartbeat_at=now,
        rows_done=rows,
    )


def detail(batch: ImportBatch) -> str:
    return reverse("incidents:import_detail", args=[batch.pk])


def test_a_running_import_polls_its_progress_every_second(manager):
    batch = uploaded(manager, big_file())
    running(batch, seconds=100, rows=1000)
    response = manager.get(detail(batch), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="import-status"')
    assert 'hx-trigger="every 1s"' in body
    assert "<strong>1,000</strong> rows read" in body
    assert "10 rows/s" in body
    # The estimate comes from the file's size and its first 200 KB of rows.
    total = int(body.split("of about ")[1].split(" ")[0].replace(",", ""))
    assert 9_800 <= total <= 10_200
    assert "about 15 minutes left" in body
    assert "Cancel the import" in body


def test_the_full_page_of_a_running_import_has_the_same_fragment(manager):
    batch = uploaded(manager, big_file(100))
    running(batch, seconds=2, rows=0)
    body = manager.get(detail(batch)).content.decode()
    assert "<html" in body
    assert 'id="import-status"' in body
    assert 'hx-trigger="every 1s"' in body
    assert "big.csv" in body


def test_a_queued_import_waits_and_offers_its_mapping(manager):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    body = manager.get(detail(batch), **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "Waiting to start." in body
    assert reverse("incidents:import_mapping", args=[batch.pk]) in body


def test_a_finished_import_stops_the_polling(manager, django_capture_on_commit_callbacks):
    batch = run(
        manager,
        uploaded(manager, sample("servicenow_fields.csv")),
        django_capture_on_commit_callbacks,
    )
    response = manager.get(detail(batch), **HTMX)
    body = response.content.decode()
    assert response.status_code == 286
    assert "every 1s" not in body
    assert "read 4, created 2, updated 0, unchanged 0, rejected 2" in body
    assert "2 distinct incidents" in body
    assert '<td class="num">4</td><td>opened_at: not a date' in body
    assert '<td class="num">5</td><td>number: missing</td>' in body
    assert reverse("incidents:import_rejected", args=[batch.pk]) in body


def test_cancel_flags_a_running_import(manager):
    batch = uploaded(manager, big_file(100))
    running(batch, seconds=5, rows=0)
    response = manager.post(reverse("incidents:import_cancel", args=[batch.pk]))
    assert response["Location"] == detail(batch)
    batch.refresh_from_db()
    assert batch.cancel_requested is True
    assert batch.status == ImportStatus.RUNNING
    body = manager.get(detail(batch)).content.decode()
    assert "Cancelling: the import stops at its next progress report." in body
    assert "Cancel the import" not in body


def test_cancel_ends_a_queued_import_at_once(manager, django_capture_on_commit_callbacks):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    manager.post(reverse("incidents:import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.cancel_requested) == (ImportStatus.CANCELLED, True)
    # A task enqueued before the cancel finds nothing to claim.
    assert services.import_execute(batch_id=batch.pk) is None
    assert not Incident.objects.exists()


def test_cancel_leaves_a_finished_import_alone(manager, django_capture_on_commit_callbacks):
    batch = run(
        manager,
        uploaded(manager, sample("servicenow_fields.csv")),
        django_capture_on_commit_callbacks,
    )
    manager.post(reverse("incidents:import_cancel", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.cancel_requested) == (ImportStatus.DONE, False)


def test_the_engine_notices_the_cancel_at_its_heartbeat(manager, monkeypatch):
    from incidents import importer

    batch = uploaded(manager, big_file(50))
    monkeypatch.setattr(importer, "CHUNK", 10)
    # The cancel arrives while the run is under way, just before its first heartbeat.
    original = importer._heartbeat

    def cancel_then_beat(batch, read):
        ImportBatch.objects.filter(pk=batch.pk).update(cancel_requested=True)
        original(batch, read)

    monkeypatch.setattr(importer, "_heartbeat", cancel_then_beat)
    services.import_execute(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    body = manager.get(detail(batch)).content.decode()
    assert "Cancelled on request." in body
    assert "Run again" in body


def test_a_stalled_import_shows_as_failed_and_runs_again_to_done(
    manager, django_capture_on_commit_callbacks
):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    running(batch, seconds=3600, rows=0)
    ImportBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    response = manager.get(detail(batch), **HTMX)
    body = response.content.decode()
    assert response.status_code == 286
    assert "Failed" in body
    assert "The import stopped (its worker or database went away)." in body
    assert "Run again" in body
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = manager.post(reverse("incidents:import_rerun", args=[batch.pk]))
    assert len(callbacks) == 1
    assert response["Location"] == detail(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert batch.summary == "read 4, created 2, updated 0, unchanged 0, rejected 2"


def test_run_again_refuses_a_done_import(manager, django_capture_on_commit_callbacks):
    batch = run(
        manager,
        uploaded(manager, sample("servicenow_fields.csv")),
        django_capture_on_commit_callbacks,
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        manager.post(reverse("incidents:import_rerun", args=[batch.pk]))
    assert callbacks == []
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DONE


def test_a_failed_import_can_be_remapped_and_run(manager, django_capture_on_commit_callbacks):
    batch = uploaded(manager, sample("ambiguous_dates.csv"))
    # Run without a date order (as a task queued elsewhere would): the engine refuses.
    services.import_execute(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    body = manager.get(detail(batch)).content.decode()
    assert "could be day-first or month-first" in body
    assert reverse("incidents:import_mapping", args=[batch.pk]) in body
    batch = run(manager, batch, django_capture_on_commit_callbacks, date_order="dmy")
    assert (batch.status, batch.created) == (ImportStatus.DONE, 2)


REJECTS = (
    "number,opened_at,short_description\n"
    "INC1,2024-03-01 10:00,Fine\n"
    f'INC2,not a date,"{INJECTION}"\n'
    ",2024-03-02 11:00,+SUM(A1:A2)\n"
    "INC4,2024-03-03,-2\n"
)


def test_the_rejected_rows_download_has_numbers_reasons_and_no_formulas(
    manager, django_capture_on_commit_callbacks
):
    batch = run(
        manager,
        uploaded(manager, text_file("rejects.csv", REJECTS)),
        django_capture_on_commit_callbacks,
    )
    assert batch.rejected == 2
    response = manager.get(reverse("incidents:import_rejected", args=[batch.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="import-' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["row", "reason", "number", "opened_at", "short_description"]
    assert rows[1] == [
        "3",
        "opened_at: not a date: 'not a date'",
        "INC2",
        "not a date",
        "'" + INJECTION,
    ]
    assert rows[2] == ["4", "number: missing", "", "2024-03-02 11:00", "'+SUM(A1:A2)"]
    assert len(rows) == 3


def test_the_rejected_rows_download_streams_many_rows(manager, django_capture_on_commit_callbacks):
    lines = ["number,opened_at"] + [f"INC{i},bad" for i in range(4500)]
    batch = uploaded(manager, text_file("all-bad.csv", "\n".join(lines)))
    batch = run(manager, batch, django_capture_on_commit_callbacks, date_order="ymd")
    assert batch.rejected == 4500
    body = manager.get(detail(batch)).content.decode()
    assert body.count("opened_at: not a date: &#x27;bad&#x27;") == 50
    response = manager.get(reverse("incidents:import_rejected", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 4501
    assert [int(row[0]) for row in rows[1:]] == list(range(2, 4502))


def test_the_history_lists_imports_newest_first(
    manager, personas, django_capture_on_commit_callbacks
):
    first = run(
        manager,
        uploaded(manager, sample("servicenow_fields.csv")),
        django_capture_on_commit_callbacks,
    )
    second = uploaded(manager, sample("event_log.csv"))
    body = manager.get(reverse("incidents:import_list")).content.decode()
    assert body.index(f'id="import-{second.pk}"') < body.index(f'id="import-{first.pk}"')
    assert "New import" in body
    assert "morgan" in body
    fragment = manager.get(reverse("incidents:import_list"), **HTMX).content.decode()
    assert "<html" not in fragment
    assert fragment.lstrip().startswith('<section id="results"')


def test_the_history_costs_the_same_queries_for_many_imports(manager, personas):
    ImportBatch.objects.bulk_create(
        ImportBatch(original_name=f"{i}.csv", created_by=personas.manager) for i in range(3)
    )
    few = queries_for(manager, reverse("incidents:import_list"))
    ImportBatch.objects.bulk_create(
        ImportBatch(original_name=f"{i}.csv", created_by=personas.manager) for i in range(60)
    )
    assert queries_for(manager, reverse("incidents:import_list")) == few


@pytest.mark.parametrize("pk", [999])
def test_an_unknown_import_is_404(manager, pk):
    assert manager.get(reverse("incidents:import_detail", args=[pk])).status_code == 404
