"""Thin Celery tasks: load by id, send one email."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from recommendations.models import CardShare, Response


@shared_task(acks_late=True)
def send_card_shared(share_id: int) -> bool:
    """Tell a stakeholder that IT shared a card with them (nothing if withdrawn meanwhile)."""
    share = (
        CardShare.objects.select_related("card", "stakeholder", "stakeholder__user", "shared_by")
        .filter(pk=share_id, withdrawn_at__isnull=True)
        .first()
    )
    if share is None:
        return False
    person = share.stakeholder
    address = person.email or (person.user.email if person.user else "")
    if not address:
        return False
    by = share.shared_by
    sender = (by.get_full_name() or by.username) if by else "IT"
    note = f"\n{share.note}\n" if share.note else ""
    link = f"{settings.SITE_URL}{reverse('recommendations:for_you_card', args=[share.card_id])}"
    send_mail(
        subject=f"A proposal from IT: {share.card.title}",
        message=(
            f"Hello {person.name},\n\n{sender} shared a proposal with you.\n{note}\n"
            f"{share.card.title}\n\nRead it and tell us what you think: {link}\n"
        ),
        from_email=None,
        recipient_list=[address],
    )
    return True


@shared_task(acks_late=True)
def send_card_answered(response_id: int) -> int:
    """Tell the line's liaisons what a stakeholder answered; returns how many were mailed."""
    response = (
        Response.objects.select_related("card", "card__line", "stakeholder")
        .filter(pk=response_id)
        .first()
    )
    if response is None:
        return 0
    card = response.card
    addresses = [user.email for user in card.line.liaisons.filter(is_active=True) if user.email]
    if not addresses:
        return 0
    text = f"\n\n“{response.text}”" if response.text else ""
    send_mail(
        subject=f"{response.stakeholder.name}: {response.get_kind_display()} · {card.title}",
        message=(
            f"{response.stakeholder.name} of {card.line.name} answered "
            f"“{response.get_kind_display()}” to {card.title}.{text}\n\n"
            f"The card: {settings.SITE_URL}{card.get_absolute_url()}\n"
        ),
        from_email=None,
        recipient_list=addresses,
    )
    return len(addresses)
