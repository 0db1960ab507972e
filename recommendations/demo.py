"""Demo cards made by hand: one from a DILO pain point, one from a meeting's action item.

Trend cards come from the analysis run of ``seed_demo``; call ``seed_cards()`` after it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from dilo.models import PainPoint
from meetings.models import ActionItem
from recommendations import services
from recommendations.models import CardStatus, ResponseKind
from stakeholders.models import Stakeholder

SUGGESTED_ACTION = (
    "Pre-fill the claim number in the payment screen from ClaimCenter, so handlers stop "
    "re-keying it; a two-week change in the integration the payments team already owns."
)
NOTE = "Sam, this came out of the DILO day with your team. Worth ten minutes at the monthly?"
COMMENT = "Yes, this bites every handler. Can we see a date for it at the next monthly meeting?"


@transaction.atomic
def seed_cards(
    *, liaison_username: str = "liaison", stakeholder_username: str = "stakeholder"
) -> int:
    """Make the demo's hand-made cards once; share the pain-point card with the demo stakeholder.

    Returns how many cards were made (0 on a second run, which changes nothing). Sends no email.
    """
    users = get_user_model().objects
    liaison = users.filter(username=liaison_username).first()
    person = (
        Stakeholder.objects.filter(user__username=stakeholder_username)
        .select_related("user")
        .first()
    )
    if liaison is None or person is None or person.user is None:
        return 0
    made = 0
    pain = (
        PainPoint.objects.filter(observation__line=person.line)
        .order_by("-hours_lost_per_month", "pk")
        .first()
    )
    if pain is not None:
        card, created = services.card_from_pain_point(pain_point=pain, actor=liaison)
        made += created
        if created:
            services.card_edit(
                card=card,
                actor=liaison,
                title=card.title,
                summary=card.summary,
                suggested_action=SUGGESTED_ACTION,
            )
            services.card_move(card=card, to=CardStatus.REVIEWED, actor=liaison)
            (share,) = services.card_share(
                card=card, stakeholders=[person], note=NOTE, actor=liaison, notify=False
            )
            services.card_respond(
                share=share,
                kind=ResponseKind.COMMENT,
                text=COMMENT,
                author=person.user,
                notify=False,
            )
    item = (
        ActionItem.objects.filter(line=person.line, meeting__isnull=False)
        .order_by("-created_at", "pk")
        .first()
    )
    if item is not None:
        _, created = services.card_from_action_item(item=item, actor=liaison)
        made += created
    return made
