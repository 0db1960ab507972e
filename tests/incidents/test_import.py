"""The import engine and the shell command: counts, upserts, lines, failures, re-runs."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from incidents import importer, services
from incidents.lines import department_map, lines_merge
from incidents.models import (
    DepartmentMapping,
    ImportBatch,
    ImportStatus,
    Incident,
    MappingProfile,
)
from stakeholders.models import BusinessLine, Stakeholder

HEADER = "number,opened_at,short_description,caller_id.department,priority,state,resolved_at\n"
ROWS = [
    "INC0001,2026-03-01 10:00:00,VPN drops in hotels,Claims,2 - High,Resolved,2026-03-01 12:00:00",
    "INC0002,2026-03-02 11:00:00,Printer jams,Finance,3,New,",
    "INC0003,not a date,Bad row,Finance,3,New,",
    ",2026-03-02 11:00:00,No number,Finance,3,New,",
    "INC0004,2026-03-03 09:15,Outlook slow,Underwriting,9,New,",
]


def write(tmp_path: Path, lines: list[str], name: str = "export.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_incidents", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip().splitlines()[-1]


def test_every_row_is_accounted_for_and_bad_rows_have_numbers_and_reasons(db, tmp_path):
    summary = run(write(tmp_path, ROWS))
    assert summary == "read 5, created 2, updated 0, unchanged 0, rejected 3"
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.DONE
    assert batch.read == batch.created + batch.updated + batch.unchanged + batch.rejected
    reasons = {r.row_number: r.reason for r in batch.rejections.all()}
    assert reasons == {
        4: "opened_at: not a date: 'not a date'",
        5: "number: missing",
        6: reasons[6],
    }
    assert reasons[6].startswith("priority:")
    vpn = Incident.objects.get(number="INC0001")
    assert vpn.priority == 2
    assert vpn.line == BusinessLine.objects.get(name="Claims")
    assert timezone.localtime(vpn.opened_at).hour == 10


def test_the_same_file_twice_changes_nothing(db, tmp_path):
    path = write(tmp_path, ROWS[:2])
    run(path)
    before = list(Incident.objects.values_list("number", "row_hash", "last_batch"))
    assert run(path) == "read 2, created 0, updated 0, unchanged 2, rejected 0"
    assert list(Incident.objects.values_list("number", "row_hash", "last_batch")) == before


def test_a_newer_export_updates_only_what_changed(db, tmp_path):
    run(write(tmp_path, ROWS[:2]))
    changed = [ROWS[0], ROWS[1].replace("Printer jams", "Printer jams on floor 3")]
    assert run(write(tmp_path, changed)) == "read 2, created 0, updated 1, unchanged 1, rejected 0"
    assert Incident.objects.get(number="INC0002").short_description == "Printer jams on floor 3"


EVENT_LOG_HEADER = (
    "number,incident_state,reopen_count,sys_mod_count,opened_at,sys_updated_at,"
    "location,category,category\n"
)
EVENT_LOG = [
    "0000045,New,0,0,29/2/2016 01:16,29/2/2016 01:23,Location 143,Category 55,Subcategory 170",
    "0000045,Resolved,0,2,29/2/2016 01:16,29/2/2016 11:29,Location 143,Category 55,Subcategory 170",
    "0000045,Active,1,3,29/2/2016 01:16,1/3/2016 09:52,Location 143,Category 55,Subcategory 170",
    "0000047,New,0,0,29/2/2016 04:40,29/2/2016 04:57,Location 165,Category 40,?",
]


def test_an_event_log_keeps_the_latest_state_and_counts_reopenings(db, tmp_path):
    path = write(tmp_path, EVENT_LOG, header=EVENT_LOG_HEADER)
    assert run(path, "--source", "uci") == "read 4, created 4, updated 0, unchanged 0, rejected 0"
    first = Incident.objects.get(number="0000045")
    assert first.state == "Active"
    assert first.reopen_count == 1
    assert first.mod_count == 3
    assert first.subcategory == "Subcategory 170"
    assert first.line == BusinessLine.objects.get(name="Location 143")
    batch = ImportBatch.objects.get()
    assert (batch.event_log, batch.incidents, batch.date_order) == (True, 2, "dmy")
    assert run(path, "--source", "uci") == "read 4, created 0, updated 0, unchanged 4, rejected 0"


def test_unknown_departments_stay_unmapped_with_no_create_lines_until_mapped(db, tmp_path):
    run(write(tmp_path, ROWS[:2]), "--no-create-lines")
    assert not BusinessLine.objects.exists()
    assert set(DepartmentMapping.objects.values_list("raw_value", "line")) == {
        ("Claims", None),
        ("Finance", None),
    }
    claims = BusinessLine.objects.create(name="Claims & Motor")
    moved = department_map(mapping=DepartmentMapping.objects.get(raw_value="Claims"), line=claims)
    assert moved == 1
    assert Incident.objects.get(number="INC0001").line == claims
    # The next import of that department goes straight to the mapped line.
    run(write(tmp_path, [ROWS[0].replace("INC0001", "INC0009")], name="next.csv"))
    assert Incident.objects.get(number="INC0009").line == claims


def test_a_department_named_like_an_existing_line_joins_it(db, tmp_path):
    finance = BusinessLine.objects.create(name="FINANCE")
    run(write(tmp_path, ROWS[1:2]))
    assert Incident.objects.get(number="INC0002").line == finance
    assert BusinessLine.objects.count() == 1


def test_merging_lines_moves_incidents_people_and_mappings(db, tmp_path):
    run(write(tmp_path, ROWS[:2]))
    claims, finance = (
        BusinessLine.objects.get(name="Claims"),
        BusinessLine.objects.get(name="Finance"),
    )
    Stakeholder.objects.create(line=claims, name="Sam")
    assert lines_merge(source=claims, target=finance) == 1
    assert not BusinessLine.objects.filter(name="Claims").exists()
    assert Incident.objects.get(number="INC0001").line == finance
    assert Stakeholder.objects.get(name="Sam").line == finance
    assert DepartmentMapping.objects.get(raw_value="Claims").line == finance


def test_ambiguous_dates_are_asked_for(db, tmp_path):
    rows = ["INC1,03/04/2016 10:00,x,Claims,3,New,"]
    with pytest.raises(CommandError, match="could be day-first or month-first"):
        run(write(tmp_path, rows))
    assert ImportBatch.objects.get().status == ImportStatus.FAILED
    run(write(tmp_path, rows), "--date-order", "mdy")
    assert timezone.localtime(Incident.objects.get().opened_at).month == 3


def test_a_saved_mapping_profile_reads_any_file(db, tmp_path):
    MappingProfile.objects.create(
        name="legacy",
        mapping={
            "number": "Ticket",
            "opened_at": "Raised",
            "short_description": "Problem",
            "department": "Team",
        },
    )
    path = write(
        tmp_path,
        ["T-1,2026-01-05 08:00,Scanner offline,Mail room"],
        header="Ticket,Raised,Problem,Team\n",
    )
    assert (
        run(path, "--mapping", "legacy") == "read 1, created 1, updated 0, unchanged 0, rejected 0"
    )
    assert Incident.objects.get().short_description == "Scanner offline"


def test_a_file_that_is_not_an_export_gets_a_clear_message(db, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(CommandError) as failure:
        run(path)
    assert "failed" in str(failure.value)
    assert ImportBatch.objects.get().error


def test_a_failure_in_the_final_step_keeps_nothing_and_a_rerun_completes(db, tmp_path, monkeypatch):
    path = write(tmp_path, ROWS)
    batch = ImportBatch.objects.create(original_name="export.csv", source_path=str(path))

    def boom(batch):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importer, "_store_rejections", boom)
    with pytest.raises(RuntimeError):
        services.import_execute(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert not Incident.objects.exists()
    monkeypatch.undo()
    services.import_execute(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.summary == "read 5, created 2, updated 0, unchanged 0, rejected 3"
    assert batch.rejections.count() == 3


def test_a_stalled_import_is_marked_failed_and_can_be_claimed_again(db, tmp_path):
    path = write(tmp_path, ROWS[:2])
    stale = timezone.now() - services.STALE_AFTER * 2
    batch = ImportBatch.objects.create(
        original_name="x.csv",
        source_path=str(path),
        status=ImportStatus.RUNNING,
        heartbeat_at=stale,
    )
    fresh = ImportBatch.objects.create(
        original_name="y.csv",
        source_path=str(path),
        status=ImportStatus.RUNNING,
        heartbeat_at=timezone.now(),
    )
    assert services.import_claim(batch_id=fresh.pk) is None  # still alive elsewhere
    assert services.import_mark_stalled() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "Run it again" in batch.error
    finished = services.import_execute(batch_id=batch.pk)
    assert finished is not None
    assert finished.status == ImportStatus.DONE
    assert services.import_execute(batch_id=batch.pk) is None  # done imports are not re-run


def test_the_stalled_import_check_is_scheduled(db):
    from django_celery_beat.models import PeriodicTask

    from itrm.celery import app

    task = PeriodicTask.objects.get(name="Mark stalled imports failed")
    assert task.interval is not None
    assert (task.interval.every, task.interval.period) == (5, "minutes")
    app.loader.import_default_modules()
    assert task.task in app.tasks


def test_a_line_cannot_be_merged_into_its_own_sub_line(db):
    parent = BusinessLine.objects.create(name="Finance")
    child = BusinessLine.objects.create(name="Accounts Payable", parent=parent)
    grandchild = BusinessLine.objects.create(name="Invoices", parent=child)
    for target in (child, grandchild):
        with pytest.raises(ValueError, match="sub-line"):
            lines_merge(source=parent, target=target)
    assert BusinessLine.objects.count() == 3
    # The other way round is fine: the sub-line's children move up to the parent.
    lines_merge(source=child, target=parent)
    grandchild.refresh_from_db()
    assert grandchild.parent == parent
