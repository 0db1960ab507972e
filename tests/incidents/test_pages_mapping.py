"""The mapping page: columns, date order, the preview of the first rows, and the run."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from incidents.models import ImportBatch, ImportStatus, Incident, MappingProfile
from tests.conftest import HTMX
from tests.incidents.test_pages_support import (  # noqa: F401
    _media_in_tmp,
    manager_client,
    mapping_post,
    sample,
    text_file,
    uploaded,
)

BAD_ROWS = (
    "number,opened_at,short_description,priority\n"
    "INC1,2024-03-01 10:00,Fine,2\n"
    "INC2,2024-02-30 10:00,Bad date,3\n"
    ",2024-03-02 11:00,No number,3\n"
    "INC4,2024-03-03 12:00,Bad priority,9\n"
)


def url(batch: ImportBatch) -> str:
    return reverse("incidents:import_mapping", args=[batch.pk])


def cells(body: str, row: int) -> list[str]:
    match = re.search(rf'<tr id="preview-row-{row}"[^>]*>(.*?)</tr>', body, re.S)
    assert match, f"no preview row {row}"
    return re.findall(r"<td[^>]*>.*?</td>", match[1], re.S)


def test_the_page_shows_the_format_and_preselects_the_columns(manager):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    body = manager.get(url(batch)).content.decode()
    assert "ServiceNow export (field names)" in body
    number = re.search(r'<select name="number"[^>]*>(.*?)</select>', body, re.S)
    assert number
    assert '<option value="number" selected>' in number[1]
    assert "— not imported —" in number[1]
    assert re.search(
        r'<select name="description"[^>]*>.*?<option value="description" selected>', body, re.S
    )
    # Four data rows, two of them bad (a 13th month, no number).
    assert body.count('<tr id="preview-row-') == 4
    assert "2 would be rejected" in body


def test_a_repeated_column_is_offered_by_its_numbered_name(manager):
    batch = uploaded(manager, sample("event_log.csv"))
    body = manager.get(url(batch)).content.decode()
    select = re.search(r'<select name="subcategory"[^>]*>(.*?)</select>', body, re.S)
    assert select
    assert '<option value="category#2" selected>' in select[1]


def test_the_preview_marks_each_bad_cell_with_its_reason(manager):
    batch = uploaded(manager, text_file("bad.csv", BAD_ROWS))
    body = manager.get(url(batch)).content.decode()
    # Columns: row, number, opened_at, priority, short_description, status.
    good = cells(body, 2)
    assert "inc-bad" not in "".join(good)
    assert good[-1] == "<td>ok</td>"
    bad_date = cells(body, 3)
    assert (
        'class="inc-bad" title="opened_at: not a date: &#x27;2024-02-30 10:00&#x27;"' in bad_date[2]
    )
    assert "inc-bad" not in bad_date[1]
    assert "opened_at: not a date" in bad_date[-1]
    no_number = cells(body, 4)
    assert 'class="inc-bad" title="number: missing"' in no_number[1]
    assert "number: missing" in no_number[-1]
    bad_priority = cells(body, 5)
    assert 'title="priority: not a level from 1 to 5: &#x27;9&#x27;"' in bad_priority[3]


def test_the_preview_follows_the_mapping_as_an_htmx_fragment(manager):
    batch = uploaded(manager, text_file("bad.csv", BAD_ROWS))
    # Mapping the description column to the number makes every row's number fine.
    data = mapping_post(batch, number="short_description")
    response = manager.get(url(batch), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="preview"')
    assert "number: missing" not in body
    assert "opened_at: not a date" in body


def test_without_javascript_the_preview_refreshes_by_post_and_runs_nothing(
    manager, django_capture_on_commit_callbacks
):
    batch = uploaded(manager, text_file("bad.csv", BAD_ROWS))
    data = mapping_post(batch, number="short_description", preview="1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = manager.post(url(batch), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert callbacks == []
    assert "<html" in body
    assert "number: missing" not in body
    assert re.search(
        r'<select name="number"[^>]*>.*?<option value="short_description" selected>', body, re.S
    )
    assert ImportBatch.objects.get().status == ImportStatus.QUEUED


def test_unmapping_the_number_explains_why_the_rows_are_not_checked(manager):
    batch = uploaded(manager, text_file("bad.csv", BAD_ROWS))
    body = manager.get(url(batch), mapping_post(batch, number=""), **HTMX).content.decode()
    assert "Choose the columns of number and opened_at to check the rows." in body


def test_a_row_problem_without_a_field_is_shown_on_the_row(manager):
    batch = uploaded(
        manager, text_file("short.csv", "number,a,opened_at\nINC1\nINC2,x,2024-01-01\n")
    )
    body = manager.get(url(batch)).content.decode()
    assert "row has 1 values, the header has 3" in cells(body, 2)[-1]
    assert cells(body, 3)[-1] == "<td>ok</td>"


def test_ambiguous_dates_require_a_choice(manager, django_capture_on_commit_callbacks):
    batch = uploaded(manager, sample("ambiguous_dates.csv"))
    assert batch.date_order == ""
    page = manager.get(url(batch)).content.decode()
    assert "Dates such as 03/04/2016 could be 3 April or 4 March: choose" in page
    # Undecided, a date counts as bad only if it is neither day- nor month-first.
    assert "would be rejected" not in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = manager.post(url(batch), mapping_post(batch))
    assert response.status_code == 200
    assert callbacks == []
    body = response.content.decode()
    assert re.search(r'class="field-error"[^>]*>Dates such as 03/04/2016', body)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(url(batch), mapping_post(batch, date_order="mdy"))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.date_order, batch.created) == (ImportStatus.DONE, "mdy", 2)
    opened = Incident.objects.get(number="INC0060001").opened_at
    assert (opened.month, opened.day) == (3, 4)


def test_number_and_opened_at_are_required_and_the_choices_kept(manager):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    response = manager.post(url(batch), mapping_post(batch, number="", category="subcategory"))
    body = response.content.decode()
    assert "Choose the column that holds the incident number." in body
    category = re.search(r'<select name="category"[^>]*>(.*?)</select>', body, re.S)
    assert category
    assert '<option value="subcategory" selected>' in category[1]
    assert ImportBatch.objects.get().status == ImportStatus.QUEUED


def test_running_the_import_saves_the_mapping_and_shows_the_summary(
    manager, django_capture_on_commit_callbacks
):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    data = mapping_post(batch, description="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = manager.post(url(batch), data)
    assert len(callbacks) == 1
    assert response["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert "description" not in batch.mapping
    assert batch.mapping["short_description"] == "short_description"
    assert batch.status == ImportStatus.DONE
    assert batch.summary == "read 4, created 2, updated 0, unchanged 0, rejected 2"
    assert Incident.objects.get(number="INC0010001").description == ""
    body = manager.get(response["Location"]).content.decode()
    assert "read 4, created 2, updated 0, unchanged 0, rejected 2" in body
    assert "2 distinct incidents" in body


def test_a_mapping_can_be_saved_as_a_profile_and_updated(
    manager, personas, django_capture_on_commit_callbacks
):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(url(batch), mapping_post(batch, save_as="ServiceNow fields"))
    profile = MappingProfile.objects.get()
    assert (profile.name, profile.created_by) == ("ServiceNow fields", personas.manager)
    assert profile.mapping["department"] == "caller_id.department"
    assert profile.date_order == "ymd"
    second = uploaded(manager, sample("servicenow_fields.csv"), profile=str(profile.pk))
    with django_capture_on_commit_callbacks(execute=True):
        manager.post(url(second), mapping_post(second, department="", save_as="ServiceNow fields"))
    profile.refresh_from_db()
    assert "department" not in profile.mapping
    assert MappingProfile.objects.count() == 1


@pytest.mark.parametrize("status", [ImportStatus.RUNNING, ImportStatus.DONE])
def test_a_started_import_cannot_be_remapped(manager, status):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    ImportBatch.objects.filter(pk=batch.pk).update(status=status)
    response = manager.get(url(batch))
    assert response["Location"] == batch.get_absolute_url()
    assert manager.post(url(batch), mapping_post(batch))["Location"] == batch.get_absolute_url()
    assert ImportBatch.objects.get().status == status


def test_a_vanished_file_is_explained(manager):
    batch = uploaded(manager, sample("servicenow_fields.csv"))
    batch.file.delete(save=False)
    body = manager.get(url(batch)).content.decode()
    assert "The uploaded file is no longer on the server; upload it again." in body
