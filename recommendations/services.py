"""Workflows of recommendation cards: edit, move, share, withdraw, answer, make by hand.

Each function is keyword-only, typed and atomic; single-card invariants (which status may
follow which, what done and dismissed record) live in ``Card.move_to``. Emails are enqueued
once the transaction commits, so a rolled-back share never mails anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from recommendations.models import (
    MANUAL_MOVES,
    Card,
    CardEvent,
    CardEventKind,
    CardShare,
    CardSource,
    CardStatus,
    Response,
    ResponseKind,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from dilo.models import PainPoint
    from meetings.models import ActionItem
    from stakeholders.models import Stakeholder

# Where the business's answer takes a shared card.
_ANSWER_STATUS = {
    ResponseKind.ACCEPT: CardStatus.ACCEPTED,
    ResponseKind.DECLINE: CardStatus.DECLINED,
}
# With its last share withdrawn, a card waiting for or refused by the business is reworked.
SENT_BACK_BY_WITHDRAWAL = (CardStatus.SHARED, CardStatus.DECLINED)


def _locked(card: Card) -> Card:
    """The card's row, locked until the transaction ends, so two clicks cannot both move it."""
    return Card.objects.select_for_update().get(pk=card.pk)


@transaction.atomic
def card_move(*, card: Card, to: str, actor: User, note: str = "") -> Card:
    """Move a card by hand (reviewed, back to new, in progress, done, dismissed).

    Raises ValueError for a move the workflow refuses, for a status only the business's answer
    or sharing sets, and for a dismissal without a reason.
    """
    if to not in MANUAL_MOVES:
        raise ValueError(f"{to!r} is set by sharing or by the business's answer, not by hand.")
    if to == CardStatus.DISMISSED and not note.strip():
        raise ValueError("Say why the card is dismissed.")
    locked = _locked(card)
    if to == CardStatus.REVIEWED and locked.shares.filter(withdrawn_at__isnull=True).exists():
        raise ValueError("Withdraw the shares to take a shared card back to review.")
    locked.move_to(to, actor=actor, note=note.strip())
    return locked


@transaction.atomic
def card_edit(*, card: Card, actor: User, title: str, summary: str, suggested_action: str) -> Card:
    """Change the proposal's words before sharing; the evidence is never edited by people."""
    locked = _locked(card)
    if not locked.is_editable:
        raise ValueError("A card can be edited only until it is shared.")
    new = {"title": title.strip(), "summary": summary.strip(), "suggested_action": suggested_action}
    changed = [name for name, value in new.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, new[name])
    locked.save(update_fields=[*changed, "updated_at"])
    labels = ", ".join(name.replace("_", " ") for name in changed)
    CardEvent.objects.create(card=locked, kind=CardEventKind.EDITED, actor=actor, note=labels)
    return locked


@transaction.atomic
def card_share(
    *,
    card: Card,
    stakeholders: Sequence[Stakeholder],
    note: str,
    actor: User,
    notify: bool = True,
) -> list[CardShare]:
    """Share a reviewed card with stakeholders of its line; each gets an email with a link.

    Sharing again with someone whose share was withdrawn shows them the card again.
    ``notify=False`` sends no email (the demo seed).
    """
    from recommendations.tasks import send_card_shared

    locked = _locked(card)
    if not locked.is_shareable:
        raise ValueError("Review the card before sharing it.")
    if not stakeholders:
        raise ValueError("Choose at least one stakeholder.")
    if any(person.line_id != locked.line_id for person in stakeholders):
        raise ValueError("A card is shared only with stakeholders of its own line.")
    shares = []
    for person in stakeholders:
        share, _ = CardShare.objects.update_or_create(
            card=locked,
            stakeholder=person,
            defaults={"note": note.strip(), "shared_by": actor, "withdrawn_at": None},
        )
        shares.append(share)
    names = ", ".join(person.name for person in stakeholders)
    CardEvent.objects.create(
        card=locked, kind=CardEventKind.SHARED, actor=actor, note=f"Shared with {names}."
    )
    if locked.status == CardStatus.REVIEWED:
        locked.move_to(CardStatus.SHARED, actor=actor)
    share_ids = [share.pk for share in shares]
    if notify:
        transaction.on_commit(lambda: [send_card_shared.delay(pk) for pk in share_ids])
    return shares


@transaction.atomic
def share_withdraw(*, share: CardShare, actor: User) -> CardShare:
    """Hide a shared card from one stakeholder; with nobody left, the card is reviewed again."""
    locked = _locked(share.card)
    share = CardShare.objects.select_for_update().get(pk=share.pk)
    if share.withdrawn_at is not None:
        return share
    share.withdrawn_at = timezone.now()
    share.save(update_fields=["withdrawn_at"])
    CardEvent.objects.create(
        card=locked,
        kind=CardEventKind.WITHDRAWN,
        actor=actor,
        note=f"Withdrawn from {share.stakeholder.name}.",
    )
    still_shared = locked.shares.filter(withdrawn_at__isnull=True).exists()
    if locked.status in SENT_BACK_BY_WITHDRAWAL and not still_shared:
        locked.move_to(CardStatus.REVIEWED, actor=actor, note="No one is left to answer.")
    return share


@transaction.atomic
def card_respond(
    *, share: CardShare, kind: str, text: str, author: User, notify: bool = True
) -> Response:
    """A stakeholder's answer: accept or decline moves a shared card; the liaisons are told
    by email unless ``notify`` is false.

    An answer to a card that has moved on (accepted by a colleague, say) is kept as said,
    without changing the status again.
    """
    from recommendations.tasks import send_card_answered

    if share.withdrawn_at is not None:
        raise ValueError("This card is no longer shared with you.")
    if kind == ResponseKind.COMMENT and not text.strip():
        raise ValueError("Write a comment first.")
    card = _locked(share.card)
    response = Response.objects.create(
        card=card, stakeholder=share.stakeholder, author=author, kind=kind, text=text.strip()
    )
    CardEvent.objects.create(
        card=card,
        kind=CardEventKind.RESPONSE,
        actor=author,
        note=f"{share.stakeholder.name}: {response.get_kind_display()}. {text.strip()}".strip(),
    )
    target = _ANSWER_STATUS.get(ResponseKind(kind))
    if target is not None and card.status == CardStatus.SHARED:
        card.move_to(target, actor=author, note=f"Answer of {share.stakeholder.name}.")
    if notify:
        transaction.on_commit(lambda: send_card_answered.delay(response.pk))
    return response


def _create_by_hand(*, actor: User, **fields: object) -> Card:
    card = Card.objects.create(created_by=actor, status_changed_at=timezone.now(), **fields)
    CardEvent.objects.create(
        card=card, kind=CardEventKind.CREATED, actor=actor, to_status=card.status
    )
    return card


@transaction.atomic
def card_from_pain_point(*, pain_point: PainPoint, actor: User) -> tuple[Card, bool]:
    """A card proposing to fix a DILO pain point, carrying its hours lost a month.

    Returns (card, created); a pain point that already has a card returns that card.
    """
    from dilo.models import PainPoint

    locked = (
        PainPoint.objects.select_for_update(of=("self",))
        .select_related("observation", "observation__line")
        .get(pk=pain_point.pk)
    )
    existing = Card.objects.filter(pain_point=locked).first()
    if existing is not None:
        return existing, False
    observation = locked.observation
    hours = float(locked.hours_lost_per_month or 0.0)
    card = _create_by_hand(
        actor=actor,
        line=observation.line,
        source=CardSource.PAIN_POINT,
        pain_point=locked,
        title=Truncator(f"{locked.system}: {locked.description}").chars(300),
        summary=(
            f"Seen during a day in the life of {observation.subject} on "
            f"{observation.observed_on:%d %B %Y}: {locked.description}\n\n"
            f"It happens {locked.frequency} {locked.get_frequency_unit_display()} and costs "
            f"{locked.minutes_lost} minutes each time: about {hours:.1f} hours lost a month."
        ),
        hours_lost=hours,
    )
    return card, True


@transaction.atomic
def card_from_action_item(*, item: ActionItem, actor: User) -> tuple[Card, bool]:
    """A card from a meeting's action item; returns (card, created) like the pain-point one."""
    from meetings.models import ActionItem

    locked = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "line")
        .get(pk=item.pk)
    )
    existing = Card.objects.filter(action_item=locked).first()
    if existing is not None:
        return existing, False
    meeting = locked.meeting
    where = (
        f"Agreed at {meeting.title} on {timezone.localdate(meeting.starts_at):%d %B %Y}."
        if meeting
        else f"An action item of {locked.line.name}."
    )
    card = _create_by_hand(
        actor=actor,
        line=locked.line,
        source=CardSource.MEETING,
        action_item=locked,
        title=Truncator(locked.title).chars(300),
        summary=where,
    )
    return card, True
