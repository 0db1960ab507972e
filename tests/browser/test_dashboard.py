"""A manager changes a dashboard filter and the charts update in place (no page load)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dashboards.rollups import rollups_refresh
from tests.dashboards.factories import make_dilo, make_incident, make_meeting
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_COUNT = "() => document.querySelectorAll('#charts .js-plotly-plot').length"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Business lines you serve")).to_be_visible()


@pytest.fixture
def activity(personas):
    now = timezone.now()
    for days in (3, 20, 40, 75):
        make_incident(personas.line_a, now - timedelta(days=days), now - timedelta(days=days - 1))
        make_incident(personas.line_b, now - timedelta(days=days + 1))
    make_meeting(personas.line_a, now - timedelta(days=10), attended_by=personas.liaison)
    make_meeting(personas.line_b, now - timedelta(days=50))
    make_meeting(personas.line_a, now + timedelta(days=5))
    make_dilo(personas.line_a, personas.liaison, timezone.localdate() - timedelta(days=12))
    rollups_refresh()
    return personas


def test_a_filter_updates_the_charts_without_a_page_load(activity, page, screenshot):
    log_in(page, "morgan")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Proactive versus reactive")).to_be_visible()
    page.wait_for_function(f"() => ({CHART_COUNT})() >= 6")
    expect(page.locator("#chart-work .dash-summary")).to_contain_text("8 incidents")
    screenshot("dashboard-manager")

    page.evaluate("window.__noReload = 'still here'")
    page.locator("#id_lines").select_option(label="Claims")
    expect(page.locator("#chart-work .dash-summary")).to_contain_text("4 incidents")
    expect(page.locator("#charts > p.muted")).to_contain_text("Claims")
    page.wait_for_function(f"() => ({CHART_COUNT})() >= 6")
    assert page.evaluate("window.__noReload") == "still here"
    assert f"lines={activity.line_a.pk}" in page.url
    expect(page.locator("#chart-coverage")).not_to_contain_text("Finance")
    screenshot("dashboard-manager-filtered")

    # The URL keeps the filter: loading it afresh shows the same view.
    page.goto(page.url)
    expect(page.locator("#chart-work .dash-summary")).to_contain_text("4 incidents")


def test_the_liaison_home_and_the_monthly_report(activity, page, screenshot):
    log_in(page, "lena")
    expect(page.locator("#home-lines")).to_contain_text("Claims")
    expect(page.locator("#home-meetings")).to_contain_text("Department meeting")
    screenshot("dashboard-liaison-home")
    page.context.clear_cookies()
    log_in(page, "morgan")
    page.goto("/dashboard/reports/")
    page.get_by_role("link", name="Page").first.click()
    expect(
        page.get_by_role("heading", name="All business lines: proactive versus reactive")
    ).to_be_visible()
    screenshot("dashboard-monthly-report")
