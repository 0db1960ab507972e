"""A liaison logs a day row after row from the keyboard, then a pain point, on one page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_stakeholder_map import log_in
from tests.dilo.factories import make_observation

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
FOCUSED = "(id) => document.activeElement && document.activeElement.id === id"


def add_row(page, at: str, activity: str, systems: str) -> None:
    page.fill("#id_entry-at", at)
    page.fill("#id_entry-activity", activity)
    page.fill("#id_entry-systems", systems)
    page.press("#id_entry-systems", "Enter")


def test_liaison_logs_the_timeline_and_a_pain_point_inline(personas, page, screenshot):
    observation = make_observation(personas.line_a, personas.liaison)
    log_in(page, "lena")
    page.goto(observation.get_absolute_url())

    add_row(page, "09:15", "Opens the claims queue", "ClaimCenter, Outlook")
    expect(page.locator("#timeline tbody")).to_contain_text("Opens the claims queue")
    # A fresh empty row has the cursor, so the next row can be typed straight away.
    page.wait_for_function(FOCUSED, arg="id_entry-at")
    expect(page.locator("#id_entry-activity")).to_have_value("")

    add_row(page, "08:30", "Logs in to four systems", "Citrix")
    expect(page.locator("#timeline tbody tr")).to_have_count(2)
    # Rows read in time order, whatever order they were typed in.
    expect(page.locator("#timeline tbody tr").first).to_contain_text("08:30")

    # The fresh timeline row has focus once the last swap has settled.
    page.wait_for_function(FOCUSED, arg="id_entry-at")
    pain = page.locator("#painpoint-form")
    pain.get_by_label("Description").fill("Re-keys claim number into the payment system")
    pain.get_by_label("System or service").fill("Guidewire ClaimCenter")
    pain.get_by_label("How often").fill("25")
    pain.get_by_label("Minutes lost each time").fill("2")
    pain.get_by_label("Tags").fill("re-keying")
    pain.get_by_role("button", name="Add pain point").click()
    expect(page.locator("#painpoint-total")).to_have_text("17.5")
    page.wait_for_function(FOCUSED, arg="id_pain-description")
    screenshot("dilo-observation")

    # Everything happened on one page: no navigation since it was opened.
    assert page.url.endswith(observation.get_absolute_url())
    assert [e.activity for e in observation.entries.all()] == [
        "Logs in to four systems",
        "Opens the claims queue",
    ]
