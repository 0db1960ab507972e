from __future__ import annotations

import pytest
from django.utils import timezone

from meetings.models import ActionItem, Meeting
from recommendations.demo import seed_cards
from recommendations.models import Card
from tests.dilo.factories import make_observation, make_pain_point

pytestmark = pytest.mark.django_db


def test_it_seeds_a_shared_pain_point_card_and_a_meeting_card_once(personas, mailoutbox):
    observation = make_observation(personas.line_a, personas.liaison)
    make_pain_point(observation, description="Small one", minutes_lost=1, frequency=1)
    big = make_pain_point(observation, description="Re-keys the claim number")
    meeting = Meeting.objects.create(
        line=personas.line_a, title="Claims monthly", starts_at=timezone.now()
    )
    ActionItem.objects.create(
        line=personas.line_a, meeting=meeting, title="Price the fix", owner=personas.liaison
    )
    args = {"liaison_username": "lena", "stakeholder_username": "sam"}

    assert seed_cards(**args) == 2
    pain_card = Card.objects.get(source="pain_point")
    assert pain_card.pain_point == big
    assert pain_card.status == "shared"
    assert pain_card.shares.get().stakeholder.user == personas.stakeholder
    assert pain_card.responses.get().kind == "comment"
    assert Card.objects.get(source="meeting").status == "new"
    assert not mailoutbox

    assert seed_cards(**args) == 0
    assert Card.objects.count() == 2


def test_it_does_nothing_without_the_demo_accounts(db):
    assert seed_cards() == 0
