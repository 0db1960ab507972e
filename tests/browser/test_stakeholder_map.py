"""A liaison maps a new stakeholder through the htmx form and sees them on the grid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from stakeholders.models import Stakeholder
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNT = (
    "(document.querySelector('#grid .js-plotly-plot')?.data || [])"
    ".reduce((n, t) => n + t.x.length, 0)"
)
POINTS = f"() => {COUNT}"
# The pixel position of a named person's point, from plotly's own axis conversions.
POINT_OF = """(name) => {
  const gd = document.querySelector('#grid .js-plotly-plot');
  const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
  for (const trace of gd.data) {
    const i = trace.customdata.findIndex((row) => row[1] === name);
    if (i >= 0) {
      const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
      return {x: box.left + xa.l2p(trace.x[i]), y: box.top + ya.l2p(trace.y[i])};
    }
  }
  return null;
}"""


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Business lines")).to_be_visible()


def test_liaison_adds_a_stakeholder_and_sees_the_point_on_the_grid(personas, page, screenshot):
    log_in(page, "lena")
    page.get_by_role("link", name="Claims").click()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    page.wait_for_function(f"() => {COUNT} >= 1")
    assert page.evaluate(POINTS) == 1

    form = page.locator("#stakeholder-form")
    # A first try with no name: the error shows inline and what was typed stays.
    form.get_by_label("Title").fill("Head of Claims Operations")
    form.get_by_role("button", name="Add stakeholder").click()
    expect(form.locator(".field-error")).to_contain_text("This field is required.")
    expect(page.locator("#stakeholder-form").get_by_label("Title")).to_have_value(
        "Head of Claims Operations"
    )

    form = page.locator("#stakeholder-form")
    form.get_by_label("Name").fill("Priya Patel")
    form.get_by_label("Influence").select_option("5")
    form.get_by_label("Interest").select_option("5")
    form.get_by_label("Stance").select_option("champion")
    form.get_by_role("button", name="Add stakeholder").click()

    expect(
        page.get_by_role("status").filter(has_text="Priya Patel added to Claims.")
    ).to_be_visible()
    expect(page.locator("#people")).to_contain_text("Priya Patel")
    expect(page.locator("#people")).to_contain_text("Manage closely")
    page.wait_for_function(f"() => {COUNT} === 2")
    assert Stakeholder.objects.filter(name="Priya Patel", line=personas.line_a).exists()
    screenshot("stakeholder-added-to-grid")

    point = page.evaluate(POINT_OF, "Priya Patel")
    page.mouse.click(point["x"], point["y"])
    expect(page.get_by_role("heading", name="Priya Patel")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Manage closely")
