"""Thin Celery tasks: load by id, call one service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from meetings import services
from meetings.models import ActionItem


@shared_task(acks_late=True)
def send_action_item_assigned(item_id: int) -> bool:
    item = ActionItem.objects.select_related("owner", "line", "meeting").filter(pk=item_id).first()
    if item is None or not item.owner.email:
        return False
    due = f"Due: {item.due_on:%A %d %B %Y}\n" if item.due_on else ""
    where = f" at {item.meeting.title}" if item.meeting else ""
    send_mail(
        subject=f"Action item for you: {item.title}",
        message=(
            f"{item.created_by.get_full_name() if item.created_by else 'Someone'} assigned you an "
            f"action item for {item.line.name}{where}.\n\n{item.title}\n{due}\n"
            f"Your action items: {settings.SITE_URL}{reverse('meetings:my_actions')}\n"
        ),
        from_email=None,
        recipient_list=[item.owner.email],
    )
    return True


@shared_task(acks_late=True)
def generate_meeting_occurrences() -> int:
    """Nightly: extend every series' occurrences to the horizon (also `generate_meetings`)."""
    return services.series_generate_all()
