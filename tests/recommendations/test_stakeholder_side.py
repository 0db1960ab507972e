"""What a business stakeholder sees: only the cards shared with them, and nothing more."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from recommendations import services
from tests.recommendations.factories import make_card, make_incident, weekly

pytestmark = pytest.mark.django_db


def shared_with(personas, card, user=None):
    user = user or personas.stakeholder
    services.card_share(
        card=card,
        stakeholders=[user.stakeholder_profile],
        note="Could we talk about this?",
        actor=personas.manager,
    )
    return card


def card_url(card) -> str:
    return reverse("recommendations:for_you_card", args=[card.pk])


def test_it_lists_only_my_live_shares_newest_first(personas, client_for):
    older = shared_with(personas, make_card(personas.line_a, status="reviewed", title="Older"))
    newer = shared_with(personas, make_card(personas.line_a, status="reviewed", title="Newer"))
    older.shares.update(shared_at=timezone.now() - timedelta(days=3))
    hidden = make_card(personas.line_a, status="reviewed", title="Not shared with me")
    other = shared_with(
        personas,
        make_card(personas.line_b, status="reviewed", title="Finance's card"),
        personas.stakeholder_b,
    )
    withdrawn = shared_with(personas, make_card(personas.line_a, status="reviewed", title="Gone"))
    services.share_withdraw(share=withdrawn.shares.get(), actor=personas.manager)
    for url in (reverse("home"), reverse("recommendations:for_you")):
        body = client_for(personas.stakeholder).get(url).content.decode()
        assert body.index("Newer") < body.index("Older")
        assert newer.title in body
        for card in (hidden, other, withdrawn):
            assert card.title not in body


def test_another_lines_unshared_and_withdrawn_cards_are_not_found(personas, client_for):
    mine = shared_with(personas, make_card(personas.line_a, status="reviewed"))
    other_line = shared_with(
        personas, make_card(personas.line_b, status="reviewed"), personas.stakeholder_b
    )
    unshared = make_card(personas.line_a, status="reviewed")
    withdrawn = shared_with(personas, make_card(personas.line_a, status="reviewed"))
    services.share_withdraw(share=withdrawn.shares.get(), actor=personas.manager)
    client = client_for(personas.stakeholder)
    assert client.get(card_url(mine)).status_code == 200
    for card in (other_line, unshared, withdrawn):
        assert client.get(card_url(card)).status_code == 404
        answer = reverse("recommendations:for_you_respond", args=[card.pk])
        assert client.post(answer, {"kind": "accept"}).status_code == 404
    # Bea, of the other line, cannot open Sam's card either.
    assert client_for(personas.stakeholder_b).get(card_url(mine)).status_code == 404


def test_the_stakeholder_view_leaves_out_callers_and_other_incidents(personas, client_for):
    now = timezone.now()
    secret = make_incident(
        personas.line_a,
        now - timedelta(days=3),
        caller="Priscilla Quartermaine",
        department="Claims West",
        short_description="ClaimCenter freezes on save",
        description="Priscilla's full write-up: she lost the Henderson claim twice.",
    )
    finance = make_incident(
        personas.line_b,
        now - timedelta(days=2),
        caller="Oswald Finchley",
        short_description="Ledger export fails",
        description="Finance's private incident text",
    )
    evidence = {
        "weekly": weekly(1, 2, 6),
        "samples": [
            {
                "incident_id": secret.pk,
                "number": secret.number,
                "opened_at": secret.opened_at.isoformat(),
                "short_description": secret.short_description,
                "priority": 3,
            }
        ],
        "top_terms": ["freeze", "Quartermaine"],
        "pain_points": [
            {"id": 1, "description": "Internal DILO note", "system": "X", "hours_lost_per_month": 3}
        ],
    }
    card = make_card(personas.line_a, status="reviewed", evidence=evidence, incidents=[secret])
    shared_with(personas, card)
    body = client_for(personas.stakeholder).get(card_url(card)).content.decode()
    assert "ClaimCenter freezes on save" in body  # the short description
    assert "Could we talk about this?" in body  # the note
    assert "js-plotly-plot" in body or "Plotly.newPlot" in body  # the weekly chart
    for never in (
        "Priscilla",
        "Quartermaine",
        "Henderson",
        "Claims West",
        "Oswald",
        "Finance",
        finance.short_description,
        "Internal DILO note",
        secret.get_absolute_url(),
    ):
        assert never not in body, never


def test_stakeholders_reach_no_it_page(personas, client_for):
    """Every URL of the portal, except the few meant for everyone, refuses a stakeholder."""
    card = shared_with(personas, make_card(personas.line_a, status="reviewed"))
    open_to_all = {
        "home",
        "healthz",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "for_you",
        "for_you_card",
        "for_you_respond",
        "calendar_feed",
    }
    client = client_for(personas.stakeholder)
    checked = 0
    for name, pattern in _named_patterns(get_resolver()):
        if name.split(":")[-1] in open_to_all or name.startswith("admin:"):
            continue
        url = _fill(pattern, personas, card)
        response = client.get(url)
        if response.status_code == 405:  # a POST-only view: it must refuse the POST too
            response = client.post(url)
        assert response.status_code in (403, 404, 405), f"{name} {url}"
        checked += 1
    assert checked > 30


def _named_patterns(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (
                f"{namespace}{entry.name}" if namespace else entry.name,
                prefix + str(entry.pattern),
            )


def _fill(pattern: str, personas, card) -> str:
    import re

    if pattern.startswith("^") or "(?P" in pattern:
        pattern = "admin/"  # regex patterns only come from the admin
    url = re.sub(r"<slug:\w+>|<str:\w+>", personas.line_a.slug, pattern)
    url = re.sub(r"<int:\w+>", str(card.pk), url)
    url = re.sub(r"<\w+:\w+>|<\w+>", "x", url)
    return "/" + url


def test_the_for_you_list_runs_the_same_queries_for_many_cards(personas, client_for):
    from tests.helpers import queries_for

    client = client_for(personas.stakeholder)
    shared_with(personas, make_card(personas.line_a, status="reviewed"))
    few = queries_for(client, reverse("recommendations:for_you"))
    for _ in range(20):
        shared_with(personas, make_card(personas.line_a, status="reviewed"))
    assert queries_for(client, reverse("recommendations:for_you")) == few
    assert queries_for(client, reverse("home")) == few


def test_the_liaisons_home_runs_the_same_queries_for_many_answers(personas, client_for):
    from tests.helpers import queries_for

    client = client_for(personas.liaison)
    few = queries_for(client, reverse("home"))
    for _ in range(12):
        card = shared_with(personas, make_card(personas.line_a, status="reviewed"))
        services.card_respond(
            share=card.shares.get(), kind="comment", text="Hm", author=personas.stakeholder
        )
    assert queries_for(client, reverse("home")) == few
