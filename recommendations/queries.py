"""Scoped loaders and read-side queries of cards, reusable by other pages (home, dashboards).

Stakeholders reach cards only through ``shares_for`` and ``get_share_for``: a card they were
not shared with, or whose share was withdrawn, does not exist for them (404).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone

from itrm import access
from recommendations.models import (
    OPEN_STATUSES,
    Card,
    CardIncident,
    CardShare,
    CardStatus,
    Response,
    TrendKind,
)
from stakeholders.queries import editable_lines

if TYPE_CHECKING:
    from itrm.access import AnyUser
    from stakeholders.models import BusinessLine

# The before period of a done card: at most this many weeks before its done date.
BEFORE_WEEKS = 12


def cards_for_list() -> QuerySet[Card]:
    """Cards with their line and active share count, best first (a constant number of queries)."""
    return (
        Card.objects.select_related("line")
        .annotate(active_shares=Count("shares", filter=Q(shares__withdrawn_at__isnull=True)))
        .order_by("-score", "-pk")
    )


def get_card(pk: int) -> Card:
    """A card for IT staff, with what the access check and the page header need."""
    liaisons = Prefetch("line__liaisons", queryset=get_user_model().objects.order_by("first_name"))
    return get_object_or_404(
        Card.objects.select_related(
            "line", "pain_point__observation", "action_item__meeting", "created_by"
        ).prefetch_related(liaisons),
        pk=pk,
    )


def card_page(card: Card) -> dict[str, object]:
    """The history, shares and answers of one card, in three queries."""
    return {
        "events": list(card.events.select_related("actor").order_by("at", "pk")),
        "shares": list(card.shares.select_related("stakeholder", "shared_by").order_by("-pk")),
        "responses": list(card.responses.select_related("stakeholder").order_by("-at", "-pk")),
    }


def review_queue(user: AnyUser) -> QuerySet[Card]:
    """New cards of the lines ``user`` serves (every line for a manager), highest score first."""
    return (
        Card.objects.filter(status=CardStatus.NEW, line__in=editable_lines(user))
        .select_related("line")
        .order_by("-score", "-pk")
    )


def shares_for(user: AnyUser) -> QuerySet[CardShare]:
    """Recommendations for you: the cards shared with ``user``, not withdrawn, newest first."""
    if not user.is_authenticated:
        return CardShare.objects.none()
    return (
        CardShare.objects.filter(stakeholder__user=user, withdrawn_at__isnull=True)  # type: ignore[misc]
        .select_related("card", "card__line", "shared_by")
        .order_by("-shared_at", "-pk")
    )


def get_share_for(user: AnyUser, card_pk: int) -> CardShare:
    """The user's live share of a card, or 404 (another line's, unshared or withdrawn)."""
    return get_object_or_404(shares_for(user).select_related("stakeholder"), card_id=card_pk)


def answers_for(user: AnyUser, *, limit: int = 8) -> list[Response]:
    """Answers from the business: the latest answers on cards of the lines ``user`` serves."""
    if not access.is_it_staff(user):
        return []
    if access.is_manager(user) and not user.liaison_lines.exists():  # type: ignore[union-attr]
        responses = Response.objects.all()
    else:
        responses = Response.objects.filter(card__line__liaisons=user)  # type: ignore[misc]
    return list(
        responses.select_related("card", "card__line", "stakeholder").order_by("-at", "-pk")[:limit]
    )


def agenda_cards(line: BusinessLine, *, limit: int = 10) -> list[Card]:
    """Suggested agenda items of a line's next meeting: its new and shared cards, best first."""
    return list(
        Card.objects.filter(line=line, status__in=[CardStatus.NEW, CardStatus.SHARED]).order_by(
            "-status", "-score", "-pk"
        )[:limit]
    )


class WeekPoint(TypedDict):
    week: str  # ISO date of the week's Monday
    count: int
    before: int  # of which opened before the done date
    after: int  # of which opened on or after the done date


class BeforeAfter(TypedDict):
    done_at: datetime
    before_start: datetime
    before_weeks: float
    after_weeks: float
    before_count: int
    after_count: int
    before_rate: float  # incidents a week before the done date
    after_rate: float
    expected_after: float  # the before rate over the after period
    avoided: float  # expected_after - after_count; negative when more came than expected
    weeks: list[WeekPoint]


def card_before_after(card: Card, *, now: datetime | None = None) -> BeforeAfter | None:
    """Incidents of a done card's group per week before and after its done date.

    The before period runs from the card's first incident (at most ``BEFORE_WEEKS`` weeks
    before the done date) to the done date; the after period from the done date to now.
    Incidents avoided = the before weekly rate x the weeks since done - the incidents since,
    kept with its sign: a negative number says more incidents came than the trend predicted.
    None for a card that is not done.
    """
    if card.done_at is None:
        return None
    now = now or timezone.now()
    done_at = card.done_at
    members = CardIncident.objects.filter(card=card)
    earliest = done_at - timedelta(weeks=BEFORE_WEEKS)
    first = (
        members.filter(incident__opened_at__gte=earliest)
        .order_by("incident__opened_at")
        .values_list("incident__opened_at", flat=True)
        .first()
    )
    before_start = max(earliest, _monday(first)) if first else earliest
    rows = (
        members.filter(incident__opened_at__gte=before_start, incident__opened_at__lt=now)
        .annotate(week=TruncWeek("incident__opened_at"))
        .values("week")
        .annotate(
            count=Count("pk"),
            after=Count("pk", filter=Q(incident__opened_at__gte=done_at)),
        )
        .order_by("week")
    )
    weeks: list[WeekPoint] = []
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        count, after = row["count"], row["after"]
        weeks.append(
            {"week": week.isoformat(), "count": count, "before": count - after, "after": after}
        )
    before_count = sum(point["before"] for point in weeks)
    after_count = sum(point["after"] for point in weeks)
    before_weeks = max((done_at - before_start).total_seconds() / 604800, 1 / 7)
    after_weeks = max((now - done_at).total_seconds() / 604800, 0.0)
    before_rate = before_count / before_weeks
    expected = before_rate * after_weeks
    return {
        "done_at": done_at,
        "before_start": before_start,
        "before_weeks": round(before_weeks, 1),
        "after_weeks": round(after_weeks, 1),
        "before_count": before_count,
        "after_count": after_count,
        "before_rate": round(before_rate, 2),
        "after_rate": round(after_count / after_weeks, 2) if after_weeks else 0.0,
        "expected_after": round(expected, 1),
        "avoided": round(expected - after_count, 1),
        "weeks": weeks,
    }


def _monday(moment: datetime) -> datetime:
    """Local midnight of the Monday of ``moment``'s week."""
    day = timezone.localdate(moment)
    monday = day - timedelta(days=day.weekday())
    return timezone.make_aware(datetime.combine(monday, datetime.min.time()))


def open_rises() -> QuerySet[Card]:
    """Open trend cards of rising problems, highest score first."""
    return (
        Card.objects.filter(kind=TrendKind.RISE, status__in=OPEN_STATUSES)
        .select_related("line")
        .order_by("-score", "-pk")
    )
