"""Read-side helpers: scoped loaders and annotated querysets shared by views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dilo.queries import last_observation_subquery
from itrm import access
from meetings.queries import last_attended_meeting_subquery
from stakeholders.health import Health, relationship_health
from stakeholders.models import HIGH_SCORE, BusinessLine, Stakeholder, Stance

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from itrm.access import AnyUser

_KEY_BLOCKER = Q(
    stakeholders__stance=Stance.BLOCKER,
    stakeholders__influence__gte=HIGH_SCORE,
    stakeholders__interest__gte=HIGH_SCORE,
)


def lines_for_list() -> QuerySet[BusinessLine]:
    """Lines with what the list and the health badge need, in a constant number of queries."""
    return (
        BusinessLine.objects.select_related("parent")
        .prefetch_related(
            Prefetch("liaisons", queryset=get_user_model().objects.order_by("first_name"))
        )
        .annotate(
            stakeholder_count=Count("stakeholders", distinct=True),
            key_blockers=Count("stakeholders", filter=_KEY_BLOCKER, distinct=True),
            last_meeting_at=last_attended_meeting_subquery(),
            last_dilo_on=last_observation_subquery(),
        )
        .order_by("name")  # an aggregate drops Meta.ordering, and pages need a stable order
    )


def health_of(line: BusinessLine) -> Health:
    """Health of a line loaded through ``lines_for_list()`` (liaisons prefetched)."""
    return relationship_health(
        has_liaison=bool(line.liaisons.all()),
        last_contact=line.last_contact(),
        cadence_days=line.contact_cadence_days,
        key_blockers=line.key_blockers,  # type: ignore[attr-defined]
        today=timezone.localdate(),
    )


def get_line(slug: str) -> BusinessLine:
    return get_object_or_404(lines_for_list(), slug=slug)


def get_stakeholder(pk: int) -> Stakeholder:
    return get_object_or_404(Stakeholder.objects.select_related("line", "user"), pk=pk)


def editable_lines(user: AnyUser) -> QuerySet[BusinessLine]:
    """The lines ``user`` may write to: all for managers, the ones they serve for liaisons."""
    lines = BusinessLine.objects.order_by("name")
    if access.is_manager(user):
        return lines
    if not access.is_it_staff(user):
        return lines.none()
    return lines.filter(liaisons=user)  # type: ignore[misc]


def it_staff(*, also_pk: int | None = None) -> QuerySet[User]:
    """IT people (active liaisons, managers and superusers): observers, attendees, owners.

    ``also_pk`` keeps an observation's current observer choosable after they left IT, so
    editing an old observation does not fail on a field nobody touched.
    """
    return (
        get_user_model()
        .objects.filter(
            Q(groups__name__in=[access.Role.LIAISON, access.Role.MANAGER], is_active=True)
            | Q(is_superuser=True, is_active=True)
            | Q(pk=also_pk)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
