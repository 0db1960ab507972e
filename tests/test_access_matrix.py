"""Every URL against every persona: who gets the page, who is refused, who must log in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stakeholders.models import Stakeholder

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = ["anonymous", "manager", "liaison", "liaison_b", "stakeholder", "outsider"]

# (name, url builder, expected status per role in ROLES order)
MATRIX = [
    ("home", lambda p: reverse("home"), [REDIRECT, OK, OK, OK, OK, OK]),
    (
        "line list",
        lambda p: reverse("stakeholders:line_list"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "line page",
        lambda p: p.line_a.get_absolute_url(),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    ("grid", lambda p: reverse("stakeholders:grid"), [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN]),
    (
        "stakeholder page",
        lambda p: Stakeholder.objects.get(line=p.line_a).get_absolute_url(),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "add stakeholder",
        lambda p: reverse("stakeholders:stakeholder_create", args=[p.line_a.slug]),
        [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    (
        "edit stakeholder",
        lambda p: reverse(
            "stakeholders:stakeholder_edit", args=[Stakeholder.objects.get(line=p.line_a).pk]
        ),
        [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    (
        "delete stakeholder",
        lambda p: reverse(
            "stakeholders:stakeholder_delete", args=[Stakeholder.objects.get(line=p.line_a).pk]
        ),
        [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    (
        "new line",
        lambda p: reverse("stakeholders:line_create"),
        [REDIRECT, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    (
        "edit line",
        lambda p: reverse("stakeholders:line_edit", args=[p.line_a.slug]),
        [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    (
        "meetings",
        lambda p: reverse("meetings:meeting_list"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "log a meeting",
        lambda p: reverse("meetings:meeting_log"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "meeting page",
        lambda p: _meeting(p).get_absolute_url(),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "stakeholder autocomplete",
        lambda p: reverse("meetings:stakeholder_search", args=[_meeting(p).pk]),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "my action items",
        lambda p: reverse("meetings:my_actions"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "new series",
        lambda p: reverse("meetings:series_create", args=[p.line_a.slug]),
        [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    (
        "import series",
        lambda p: reverse("meetings:series_import", args=[p.line_a.slug]),
        [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    (
        "calendar settings",
        lambda p: reverse("meetings:calendar_settings"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "line search",
        lambda p: reverse("stakeholders:line_search", args=[p.line_a.slug]),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "DILO observations",
        lambda p: reverse("dilo:observation_list"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "pain points",
        lambda p: reverse("dilo:painpoint_list"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "cards",
        lambda p: reverse("recommendations:card_list"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "review queue",
        lambda p: reverse("recommendations:review_queue"),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "card page",
        lambda p: _card(p).get_absolute_url(),
        [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN],
    ),
    (
        "edit card",
        lambda p: reverse("recommendations:card_edit", args=[_card(p, status="new").pk]),
        [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    ),
    (
        "recommendations for you",
        lambda p: reverse("recommendations:for_you"),
        [REDIRECT, OK, OK, OK, OK, OK],
    ),
    (
        "a card shared with the stakeholder",
        lambda p: reverse("recommendations:for_you_card", args=[_card(p).pk]),
        [REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND],
    ),
    ("password change", lambda p: reverse("password_change"), [REDIRECT, OK, OK, OK, OK, OK]),
    ("login", lambda p: reverse("login"), [OK, OK, OK, OK, OK, OK]),
    ("password reset", lambda p: reverse("password_reset"), [OK, OK, OK, OK, OK, OK]),
    ("health probe", lambda p: reverse("healthz"), [OK, OK, OK, OK, OK, OK]),
]


def _meeting(p):
    from django.utils import timezone

    from meetings.models import Meeting

    meeting, _ = Meeting.objects.get_or_create(
        line=p.line_a, title="Claims weekly", defaults={"starts_at": timezone.now()}
    )
    return meeting


def _card(p, status="shared"):
    """A card of line A; a shared one is shared with the line's stakeholder (sam)."""
    from recommendations.models import Card, CardShare

    card, _ = Card.objects.get_or_create(
        line=p.line_a, title=f"Claims card ({status})", defaults={"status": status}
    )
    if status == "shared":
        CardShare.objects.get_or_create(card=card, stakeholder=p.stakeholder.stakeholder_profile)
    return card


CASES = [
    pytest.param(name, build, role, expected[i], id=f"{name}-{role}")
    for name, build, expected in MATRIX
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "build", "role", "expected"), CASES)
def test_access(personas, client_for, name, build, role, expected):
    user = None if role == "anonymous" else getattr(personas, role)
    response = client_for(user).get(build(personas))
    assert response.status_code == expected, f"{role} on {name}"
    if role == "anonymous" and expected == REDIRECT:
        assert response["Location"].startswith(reverse("login"))


def test_admin_is_for_staff_only(personas, client_for):
    assert client_for(personas.liaison).get("/admin/").status_code == 302
    personas.manager.is_staff = True
    personas.manager.save()
    assert client_for(personas.manager).get("/admin/").status_code == 200


def test_a_stakeholder_home_shows_nothing_of_any_line(personas, client_for):
    body = client_for(personas.stakeholder).get(reverse("home")).content.decode()
    assert "Recommendations for you" in body
    assert "Nothing has been shared with you yet." in body
    assert "Business lines" not in body
    assert "Finance" not in body
    assert "Bea Lind" not in body
