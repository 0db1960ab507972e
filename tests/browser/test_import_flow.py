"""A manager uploads a ServiceNow export, checks the columns and the preview, runs the
import, reads the summary and finds the incidents in the list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPORT = Path(__file__).resolve().parents[1] / "incidents" / "files" / "servicenow_fields.csv"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in_as_manager(page: Page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("morgan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A manager lands on the business lines.
    expect(page.get_by_role("heading", name="Business lines")).to_be_visible()


def test_manager_imports_a_servicenow_export(personas, page, screenshot):
    log_in_as_manager(page)
    page.goto("/imports/")
    page.get_by_role("link", name="New import").click()
    page.get_by_label("Export file (CSV or XLSX)").set_input_files(EXPORT)
    expect(page.get_by_label("Source")).to_have_value("servicenow")
    expect(page.get_by_label("Create a business line for unknown departments")).to_be_checked()
    page.get_by_role("button", name="Upload and check the columns").click()

    expect(
        page.get_by_role("heading", name="Check the columns of servicenow_fields.csv")
    ).to_be_visible()
    expect(page.locator("#detected-format")).to_have_text("ServiceNow export (field names)")
    expect(page.locator("#id_number")).to_have_value("number")
    preview = page.locator("#preview")
    expect(preview.locator("tbody tr")).to_have_count(4)
    expect(preview).to_contain_text("2 would be rejected")
    expect(page.locator("#preview-row-5 td.inc-bad").first).to_have_attribute(
        "title", "number: missing"
    )

    # Changing a column refreshes the preview in place: the description column goes.
    columns = preview.locator("thead th")
    expect(columns).to_have_count(23)  # row, 21 mapped columns, status
    expect(preview).to_contain_text("Nobody on the floor can print")
    page.get_by_label("Description", exact=True).select_option("")
    expect(columns).to_have_count(22)
    expect(preview).not_to_contain_text("Nobody on the floor can print")

    page.get_by_role("button", name="Run the import").click()
    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("read 4, created 2, updated 0, unchanged 0, rejected 2")
    expect(page.locator("#rejections tbody tr")).to_have_count(2)
    screenshot("import-summary")

    page.goto("/incidents/")
    expect(page.locator("#results")).to_contain_text("INC0010001")
    expect(page.locator("#results")).to_contain_text("Printer offline, 3rd floor")
    page.get_by_role("link", name="INC0010002").click()
    expect(page.get_by_role("heading", name="INC0010002: VPN drops every hour")).to_be_visible()


def test_the_progress_bar_follows_a_running_import_and_stops_when_done(personas, page, settings):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from incidents.models import ImportBatch, ImportStatus

    batch = ImportBatch(original_name="big.csv", created_by=personas.manager)
    rows = "".join(f"INC{i:07d},2024-03-01 10:00:00,Printer {i}\n" for i in range(5000))
    content = "number,opened_at,short_description\n" + rows
    batch.file.save("big.csv", ContentFile(content.encode()), save=False)
    batch.size = len(content)
    batch.status = ImportStatus.RUNNING
    batch.started_at = timezone.now() - timedelta(seconds=10)
    batch.heartbeat_at = timezone.now()
    batch.rows_done = 1000
    batch.save()

    log_in_as_manager(page)
    polls: list[str] = []
    page.on(
        "request",
        lambda request: polls.append(request.url) if request.headers.get("hx-request") else None,
    )
    page.goto(batch.get_absolute_url())
    status = page.locator("#import-status")
    expect(status).to_contain_text(
        re.compile(r"1,000 rows read of about 4,9\d\d|1,000 rows read of about 5,0\d\d")
    )
    ImportBatch.objects.filter(pk=batch.pk).update(rows_done=3000, heartbeat_at=timezone.now())
    expect(status).to_contain_text("3,000 rows read")
    expect(page.locator("#import-progress")).to_have_attribute("value", re.compile(r"^(59|60|61)$"))

    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.DONE,
        read=5000,
        created=5000,
        incidents=5000,
        rows_done=5000,
        finished_at=timezone.now(),
    )
    expect(page.locator("#import-summary")).to_contain_text(
        "read 5000, created 5000, updated 0, unchanged 0, rejected 0"
    )
    settled = len(polls)
    page.wait_for_timeout(2500)
    assert len(polls) == settled, "polling went on after the import ended"
