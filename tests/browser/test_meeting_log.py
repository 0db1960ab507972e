"""A liaison logs a meeting with notes and two action items; a failed save loses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meetings import services
from meetings.models import ActionItem, Meeting
from tests.browser.test_stakeholder_map import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_STATUS = """() => {
  window.statusLog = [];
  document.addEventListener('autosave:failed', (event) => window.statusLog.push(event.detail));
}"""
NOTES = "## Heard\n- VPN drops in hotels\n- Month-end export times out"


def test_liaison_logs_a_meeting_with_notes_and_two_actions(personas, page, screenshot, monkeypatch):
    log_in(page, "lena")
    page.get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Log a meeting").click()
    # Everything is filled in already: line, today, me. One click starts the notes.
    expect(page.get_by_label("Line")).to_have_value(str(personas.line_a.pk))
    expect(page.get_by_label("Lena Fischer")).to_be_checked()
    page.get_by_role("button", name="Start notes").click()

    # The server answers the first save with a 500; the text must stay and the save retry.
    failures = {"left": 1}
    save_notes = services.meeting_save_notes

    def fail_once(**kwargs):
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("the database went away")
        return save_notes(**kwargs)

    monkeypatch.setattr(services, "meeting_save_notes", fail_once)
    notes = page.get_by_label("Notes (Markdown)")
    expect(notes).to_be_focused()
    # Every failure message the page shows is kept, so a short-lived one is not missed.
    page.evaluate(WATCH_STATUS)
    notes.fill(NOTES)
    status = page.locator("#notes-status")
    expect(status).to_contain_text("Saved at", timeout=15_000)
    shown = page.evaluate("window.statusLog")
    assert failures["left"] == 0, shown
    assert shown, "the page never said the save failed"
    assert shown[0].startswith("Not saved (the server answered 500). Your text is safe here")
    expect(notes).to_have_value(NOTES)
    meeting = Meeting.objects.get()
    assert meeting.notes == NOTES

    actions = page.locator("#actions")
    for title in ["Share VPN trend with the network team", "Time the month-end export"]:
        actions.get_by_label("New action").fill(title)
        actions.get_by_label("New action").press("Enter")
        expect(page.locator("#actions table")).to_contain_text(title)
    expect(page.get_by_label("New action")).to_be_focused()
    assert ActionItem.objects.filter(meeting=meeting, owner=personas.liaison).count() == 2
    screenshot("meeting-logged")

    page.goto(personas.line_a.get_absolute_url())
    expect(page.locator("#touchpoints")).to_contain_text("Department meeting")
