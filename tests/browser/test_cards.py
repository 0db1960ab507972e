"""A liaison reviews a card from the keyboard and shares it; the stakeholder accepts it; the
liaison sees the answer on their home page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from recommendations.models import Card
from tests.browser.test_stakeholder_map import log_in
from tests.personas import PASSWORD
from tests.recommendations.factories import make_card, weekly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def log_in_as_stakeholder(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Recommendations for you")).to_be_visible()


def test_liaison_shares_a_card_and_sees_the_stakeholders_answer(personas, page, screenshot):
    # Four logins and a dozen page loads: allow a loaded CI machine more than the default.
    page.set_default_timeout(45_000)
    card = make_card(
        personas.line_a,
        title="ClaimCenter freezes on save",
        score=8.0,
        evidence={"weekly": weekly(2, 3, 2, 4, 8, 9)},
    )
    make_card(personas.line_a, title="Printer queue stalls", score=2.0)

    # The liaison reviews the best card from the keyboard, without a page load.
    log_in(page, "lena")
    page.get_by_role("link", name="2 new cards").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    row = page.locator(f"#card-{card.pk}")
    expect(row).to_have_class(r"card-row card-row-new is-current")
    page.keyboard.press("r")
    expect(row).to_contain_text("Marked reviewed")
    # The selection moves on to the next card.
    expect(page.locator("[data-card-row].is-current")).to_contain_text("Printer queue stalls")
    screenshot("cards-review-queue")

    # She opens the card and shares it with Sam, with a note.
    row.get_by_role("link", name="Open the card").click()
    expect(page.get_by_role("heading", name="ClaimCenter freezes on save")).to_be_visible()
    share = page.locator("#share-form")
    share.get_by_label("Sam Carter").check()
    share.get_by_label("Personal note").fill("Worth ten minutes at the monthly?")
    share.get_by_role("button", name="Share and email").click()
    expect(page.locator("#card-sharing")).to_contain_text("Sam Carter")
    expect(page.locator("#card-main .card-status").first).to_have_text("Shared")
    screenshot("cards-shared")
    log_out(page)

    # Sam sees it on his home page, opens it and accepts it.
    log_in_as_stakeholder(page, "sam")
    page.get_by_role("link", name="ClaimCenter freezes on save").click()
    expect(page.locator("#share-note")).to_contain_text("Worth ten minutes at the monthly?")
    expect(page.locator("#main .js-plotly-plot")).to_be_visible()
    page.get_by_label("Your comment").fill("Yes please, before the quarter closes.")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#answer")).to_contain_text("Thank you")
    screenshot("cards-stakeholder-accepts")
    log_out(page)

    # Lena sees the answer on her home page and on the card.
    log_in(page, "lena")
    answers = page.locator("#answers-for-me")
    expect(answers).to_contain_text("Sam Carter")
    expect(answers).to_contain_text("Accept")
    expect(answers).to_contain_text("Yes please, before the quarter closes.")
    screenshot("cards-liaison-home-answer")
    answers.get_by_role("link", name="ClaimCenter freezes on save").click()
    expect(page.locator("#card-main .card-status").first).to_have_text("Accepted")
    card.refresh_from_db()
    assert card.status == "accepted"
    assert Card.objects.get(title="Printer queue stalls").status == "new"
