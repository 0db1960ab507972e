from __future__ import annotations

from datetime import date

from django.urls import reverse

from meetings.models import ActionItem
from recommendations.models import Card
from tests.dashboards.factories import at, make_meeting

HOME = reverse("home")


def test_a_liaison_sees_their_lines_meetings_overdue_items_and_rises(world, client_for):
    a = world.line_a
    make_meeting(a, at("2026-03-20 10:00"))
    make_meeting(world.line_b, at("2026-03-21 10:00"))
    ActionItem.objects.create(
        line=a, title="Send the scanner log", owner=world.liaison, due_on=date(2026, 3, 1)
    )
    ActionItem.objects.create(
        line=a, title="Not due yet", owner=world.liaison, due_on=date(2026, 4, 1)
    )
    Card.objects.create(
        line=a,
        title="Scanner timeouts rising",
        kind="rise",
        window_end=date(2026, 3, 10),
        window_count=14,
    )
    Card.objects.create(
        line=world.line_b, title="Ledger rising", kind="rise", window_end=date(2026, 3, 10)
    )
    body = client_for(world.liaison).get(HOME).content.decode()
    assert f'id="home-line-{a.pk}"' in body
    assert "Contact due" in body
    assert body.count("Department meeting") == 1
    assert "Send the scanner log" in body
    assert "Not due yet" not in body
    assert "Scanner timeouts rising" in body
    assert "Ledger rising" not in body


def test_a_manager_gets_the_dashboard_link_on_their_home(world, client_for):
    body = client_for(world.manager).get(HOME).content.decode()
    assert reverse("dashboards:manager") in body
    assert reverse("dashboards:manager") not in client_for(world.liaison).get(HOME).content.decode()


def test_a_stakeholder_home_shows_no_line_work(world, client_for):
    body = client_for(world.stakeholder).get(HOME).content.decode()
    assert "Business lines you serve" not in body
    assert "Department meeting" not in body
