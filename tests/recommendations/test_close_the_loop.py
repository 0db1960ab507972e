"""Before and after a card was done; the next meeting's suggested agenda; cards made by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Meeting
from recommendations.models import Card
from recommendations.queries import card_before_after
from tests.dilo.factories import make_observation, make_pain_point
from tests.recommendations.factories import make_card, make_incident

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_fixed_timezone(0))
DONE = NOW - timedelta(weeks=4)


def _group(personas, before_per_week: int, after: int) -> list:
    """Twelve weeks of ``before_per_week`` incidents before DONE, then ``after`` in 4 weeks."""
    incidents = []
    for week in range(12):
        for i in range(before_per_week):
            at = DONE - timedelta(weeks=week, days=1, hours=i)
            incidents.append(make_incident(personas.line_a, at))
    for i in range(after):
        incidents.append(make_incident(personas.line_a, DONE + timedelta(days=3 + 7 * i)))
    # An incident older than the before period is left out of it.
    incidents.append(make_incident(personas.line_a, DONE - timedelta(weeks=20)))
    return incidents


@time_machine.travel(NOW, tick=False)
def test_before_and_after_numbers_on_hand_made_data(personas):
    card = make_card(personas.line_a, status="done", done_at=DONE, incidents=_group(personas, 2, 3))
    numbers = card_before_after(card)
    assert numbers is not None
    assert numbers["before_count"] == 24
    assert numbers["before_weeks"] == 12.0
    assert numbers["before_rate"] == 2.0
    assert numbers["after_weeks"] == 4.0
    assert numbers["after_count"] == 3
    assert numbers["expected_after"] == 8.0
    assert numbers["avoided"] == 5.0
    assert sum(week["count"] for week in numbers["weeks"]) == 27
    assert [w["after"] for w in numbers["weeks"]][-3:] == [1, 1, 1]
    assert sum(w["before"] for w in numbers["weeks"]) == 24


@time_machine.travel(NOW, tick=False)
def test_more_incidents_than_expected_give_a_negative_number(personas):
    card = make_card(personas.line_a, status="done", done_at=DONE, incidents=_group(personas, 1, 0))
    extra = [make_incident(personas.line_a, DONE + timedelta(days=d)) for d in range(1, 11)]
    Card.incidents.through.objects.bulk_create(
        [Card.incidents.through(card=card, incident=incident) for incident in extra]
    )
    numbers = card_before_after(card)
    assert numbers is not None
    assert numbers["expected_after"] == 4.0
    assert numbers["after_count"] == 10
    assert numbers["avoided"] == -6.0


def test_a_card_not_done_has_no_before_and_after(personas):
    assert card_before_after(make_card(personas.line_a, status="accepted")) is None


@time_machine.travel(NOW, tick=False)
def test_the_card_page_shows_the_numbers_and_the_chart(personas, client_for):
    card = make_card(personas.line_a, status="done", done_at=DONE, incidents=_group(personas, 2, 3))
    body = client_for(personas.liaison).get(card.get_absolute_url()).content.decode()
    assert 'id="before-after"' in body
    assert '<dd id="ba-avoided">5.0</dd>' in body
    assert "Plotly.newPlot" in body


def test_the_next_department_meeting_suggests_new_and_shared_cards(personas, client_for):
    make_card(personas.line_a, title="A new card")
    make_card(personas.line_a, status="shared", title="A shared card")
    make_card(personas.line_a, status="done", title="A done card")
    make_card(personas.line_b, title="Finance's card")
    upcoming = Meeting.objects.create(
        line=personas.line_a,
        kind="department",
        title="Claims monthly",
        starts_at=timezone.now() + timedelta(days=5),
    )
    past = Meeting.objects.create(
        line=personas.line_a,
        kind="department",
        title="Claims last month",
        starts_at=timezone.now() - timedelta(days=25),
    )
    client = client_for(personas.liaison)
    body = client.get(upcoming.get_absolute_url()).content.decode()
    assert "Suggested agenda" in body
    assert "A new card" in body
    assert "A shared card" in body
    assert "A done card" not in body
    assert "Finance&#x27;s card" not in body
    assert "Suggested agenda" not in client.get(past.get_absolute_url()).content.decode()


def test_make_a_card_from_a_pain_point_twice_opens_the_same_card(personas, client_for):
    observation = make_observation(personas.line_a, personas.liaison)
    pain = make_pain_point(observation)
    client = client_for(personas.liaison)
    page = client.get(observation.get_absolute_url()).content.decode()
    url = reverse("recommendations:card_from_pain_point", args=[pain.pk])
    assert url in page
    first = client.post(url)
    card = Card.objects.get()
    assert first["Location"] == card.get_absolute_url()
    assert client.post(url)["Location"] == card.get_absolute_url()
    assert Card.objects.count() == 1
    assert client_for(personas.liaison_b).post(url).status_code == 403


def test_make_a_card_from_a_meetings_action_item(personas, client_for):
    meeting = Meeting.objects.create(
        line=personas.line_a, title="Claims weekly", starts_at=timezone.now()
    )
    item = ActionItem.objects.create(
        line=personas.line_a,
        meeting=meeting,
        title="Look at the save timeout",
        owner=personas.liaison,
    )
    client = client_for(personas.liaison)
    url = reverse("recommendations:card_from_action_item", args=[item.pk])
    assert url in client.get(meeting.get_absolute_url()).content.decode()
    response = client.post(url)
    card = Card.objects.get(action_item=item)
    assert response["Location"] == card.get_absolute_url()
    assert card.source == "meeting"
    assert "Claims weekly" in card.summary
    client.post(url)
    assert Card.objects.count() == 1
    assert client_for(personas.stakeholder).post(url).status_code == 403
