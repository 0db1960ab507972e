"""The upload page: what it refuses, and the queued batch it keeps."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import ImportBatch, ImportStatus, Incident, MappingProfile
from tests.incidents.test_pages_support import (  # noqa: F401
    _media_in_tmp,
    manager_client,
    sample,
    text_file,
    upload,
    uploaded,
)

URL = reverse("incidents:import_new")


def test_the_form_has_its_defaults(manager, settings):
    body = manager.get(URL).content.decode()
    assert 'name="source" value="servicenow"' in body
    assert f'value="{settings.TIME_ZONE}"' in body
    checkbox = re.search(r'<input[^>]*name="create_lines"[^>]*>', body)
    assert checkbox
    assert "checked" in checkbox[0]
    assert 'enctype="multipart/form-data"' in body


def test_an_upload_is_kept_queued_and_not_run_until_the_mapping_is_confirmed(
    manager, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(manager, sample("servicenow_fields.csv"))
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("incidents:import_mapping", args=[batch.pk])
    assert callbacks == []
    assert batch.status == ImportStatus.QUEUED
    assert (batch.read, batch.started_at) == (0, None)
    assert not Incident.objects.exists()
    assert batch.original_name == "servicenow_fields.csv"
    assert batch.size == Path(batch.file.path).stat().st_size
    assert batch.created_by == personas.manager
    assert (batch.detected_format, batch.kind, batch.date_order) == ("servicenow", "csv", "ymd")
    assert batch.mapping["number"] == "number"
    assert batch.mapping["department"] == "caller_id.department"
    assert batch.mapping["updated_at"] == "sys_updated_on"


def test_an_event_log_is_detected_with_its_repeated_column_by_name(manager):
    batch = uploaded(manager, sample("event_log.csv"))
    assert batch.event_log is True
    assert batch.date_order == "dmy"
    assert batch.mapping["category"] == "category"
    assert batch.mapping["subcategory"] == "category#2"


def test_a_workbook_is_read_too(manager):
    batch = uploaded(manager, sample("servicenow.xlsx"))
    assert (batch.kind, batch.detected_format) == ("xlsx", "servicenow_labels")
    assert batch.mapping["opened_at"] == "Opened"


def test_the_options_are_kept(manager):
    batch = uploaded(
        manager, sample("servicenow_fields.csv"), source="uci", time_zone="America/New_York"
    )
    assert (batch.source, batch.time_zone) == ("uci", "America/New_York")
    batch = uploaded(manager, sample("servicenow_fields.csv"), create_lines="")
    assert batch.create_lines is False


def test_a_saved_profile_gives_the_mapping_and_date_order(manager):
    profile = MappingProfile.objects.create(
        name="legacy",
        mapping={"number": "Ticket", "opened_at": "Raised", "short_description": "problem"},
        date_order="mdy",
    )
    file = text_file("legacy.csv", "Ticket,Raised,Problem\nT-1,03/04/2024 10:00,Scanner\n")
    batch = uploaded(manager, file, profile=str(profile.pk))
    # The profile's names are matched loosely and stored as the file writes them.
    assert batch.mapping == {
        "number": "Ticket",
        "opened_at": "Raised",
        "short_description": "Problem",
    }
    assert batch.date_order == "mdy"
    assert batch.detected_format == "unknown"


def test_a_file_over_the_limit_is_refused_with_its_size(manager, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.csv", b"number,opened_at\n" + b"x" * (1024 * 1024 + 1))
    response = upload(manager, big)
    assert response.status_code == 200
    body = response.content.decode()
    assert "imports take up to 1.0\xa0MB" in body
    assert 'class="field-error"' in body
    assert not ImportBatch.objects.exists()


def test_an_empty_file_is_refused(manager):
    response = upload(manager, SimpleUploadedFile("empty.csv", b""))
    assert "The file is empty." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_blank_file_is_refused_by_the_parser_and_deleted(manager, settings):
    response = upload(manager, SimpleUploadedFile("blank.csv", b"\n\n  \n"))
    assert "The file is empty." in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_file_that_is_no_export_gets_the_parsers_sentence_and_is_deleted(manager, settings):
    garbage = SimpleUploadedFile("photo.csv", bytes(range(256)) * 40)
    response = upload(manager, garbage)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The file is neither CSV nor an Excel workbook: it holds binary data." in body
    assert not ImportBatch.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_bad_time_zone_is_refused_and_the_typed_values_kept(manager):
    response = upload(
        manager, sample("servicenow_fields.csv"), time_zone="Mars/Olympus", source="snow"
    )
    body = response.content.decode()
    assert "“Mars/Olympus” is not a time zone" in body
    assert 'value="Mars/Olympus"' in body
    assert 'value="snow"' in body
    assert not ImportBatch.objects.exists()


def test_a_file_is_required(manager):
    response = manager.post(URL, {"source": "servicenow", "time_zone": "UTC"})
    assert "This field is required." in response.content.decode()
