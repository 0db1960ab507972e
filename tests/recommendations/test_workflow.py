"""The card's state machine: allowed moves only, each one kept in the history."""

from __future__ import annotations

import pytest

from recommendations import services
from recommendations.models import TRANSITIONS, CardEventKind, CardStatus
from tests.dilo.factories import make_observation, make_pain_point
from tests.recommendations.factories import make_card

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("start", list(CardStatus))
@pytest.mark.parametrize("to", list(CardStatus))
def test_it_allows_only_the_moves_of_the_workflow(personas, start, to):
    card = make_card(personas.line_a, status=start)
    if to in TRANSITIONS[start]:
        card.move_to(to, actor=personas.liaison, note="why")
        card.refresh_from_db()
        assert card.status == to
    else:
        with pytest.raises(ValueError, match="cannot move to"):
            card.move_to(to, actor=personas.liaison)
        card.refresh_from_db()
        assert card.status == start


def test_it_keeps_every_change_with_who_and_when(personas):
    card = make_card(personas.line_a)
    services.card_move(card=card, to="reviewed", actor=personas.liaison)
    services.card_move(card=card, to="new", actor=personas.manager)
    events = list(card.events.order_by("pk"))
    assert [(e.kind, e.from_status, e.to_status) for e in events] == [
        (CardEventKind.CREATED, "", "new"),
        (CardEventKind.STATUS, "new", "reviewed"),
        (CardEventKind.STATUS, "reviewed", "new"),
    ]
    assert [e.actor for e in events] == [None, personas.liaison, personas.manager]
    assert all(e.at for e in events)


def test_dismissing_needs_a_reason_and_keeps_the_signal(personas):
    card = make_card(personas.line_a, window_count=36)
    with pytest.raises(ValueError, match="why"):
        services.card_move(card=card, to="dismissed", actor=personas.liaison, note="  ")
    services.card_move(card=card, to="dismissed", actor=personas.liaison, note="Fixed upstream")
    card.refresh_from_db()
    assert card.status == "dismissed"
    assert card.dismissed_signal == 36
    assert card.dismiss_reason == "Fixed upstream"
    assert card.events.latest("pk").note == "Fixed upstream"


def test_done_dates_the_card(personas):
    card = make_card(personas.line_a, status="accepted")
    services.card_move(card=card, to="in_progress", actor=personas.liaison)
    services.card_move(card=card, to="done", actor=personas.liaison)
    card.refresh_from_db()
    assert card.status == "done"
    assert card.done_at is not None
    assert card.status_changed_at == card.done_at


@pytest.mark.parametrize("to", ["shared", "accepted", "declined"])
def test_statuses_of_sharing_and_answers_are_not_set_by_hand(personas, to):
    card = make_card(personas.line_a, status="reviewed" if to == "shared" else "shared")
    with pytest.raises(ValueError, match="not by hand"):
        services.card_move(card=card, to=to, actor=personas.liaison)


def test_editing_records_what_changed_and_stops_once_shared(personas):
    card = make_card(personas.line_a)
    services.card_edit(
        card=card,
        actor=personas.liaison,
        title="Fix the save timeout",
        summary=card.summary,
        suggested_action="Raise the timeout to 60 s.",
    )
    card.refresh_from_db()
    assert card.title == "Fix the save timeout"
    event = card.events.latest("pk")
    assert event.kind == CardEventKind.EDITED
    assert event.note == "title, suggested action"
    evidence = dict(card.evidence)
    card.move_to("reviewed", actor=personas.liaison)
    card.move_to("shared", actor=personas.liaison)
    with pytest.raises(ValueError, match="until it is shared"):
        services.card_edit(
            card=card, actor=personas.liaison, title="x", summary="", suggested_action=""
        )
    card.refresh_from_db()
    assert card.evidence == evidence


def test_a_pain_point_makes_one_card_with_its_hours(personas):
    observation = make_observation(personas.line_a, personas.liaison)
    pain = make_pain_point(observation)  # 25 a day x 2 min = 17.5 hours a month
    card, created = services.card_from_pain_point(pain_point=pain, actor=personas.liaison)
    assert created
    assert card.source == "pain_point"
    assert card.pain_point == pain
    assert card.line == personas.line_a
    assert card.status == "new"
    assert card.hours_lost == pytest.approx(17.5)
    assert "17.5 hours lost a month" in card.summary
    assert card.events.get().kind == CardEventKind.CREATED
    again, created = services.card_from_pain_point(pain_point=pain, actor=personas.manager)
    assert (again, created) == (card, False)


def test_an_action_item_makes_one_card(personas):
    from meetings.models import ActionItem

    item = ActionItem.objects.create(
        line=personas.line_a, title="Check the save timeout", owner=personas.liaison
    )
    card, created = services.card_from_action_item(item=item, actor=personas.liaison)
    assert created
    assert card.source == "meeting"
    assert card.action_item == item
    assert card.title == "Check the save timeout"
    assert services.card_from_action_item(item=item, actor=personas.liaison) == (card, False)
