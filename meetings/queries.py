"""Scoped loaders and read-side querysets of meetings."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from meetings.models import ActionItem, Attendance, AttendanceStatus, Meeting

if TYPE_CHECKING:
    from datetime import datetime


def get_meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("line", "series"), pk=pk)


def meeting_workspace(meeting: Meeting) -> dict[str, object]:
    """What the meeting page shows, in a fixed number of queries."""
    return {
        "attendances": list(
            meeting.attendances.select_related("user").order_by("user__first_name")
        ),
        "present": list(meeting.stakeholders_present.order_by("name")),
        "actions": list(meeting.action_items.select_related("owner").order_by("due_on", "pk")),
    }


def meetings_for_list() -> QuerySet[Meeting]:
    attended = Attendance.objects.filter(status=AttendanceStatus.ATTENDED).select_related("user")
    return (
        Meeting.objects.select_related("line")
        .prefetch_related(Prefetch("attendances", queryset=attended, to_attr="attended"))
        .order_by("-starts_at")
    )


def last_attended_meeting_subquery() -> Subquery:
    """For ``BusinessLine.objects.annotate(...)``: start of the line's last attended meeting."""
    return Subquery(
        Attendance.objects.filter(
            meeting__line=OuterRef("pk"),
            meeting__cancelled=False,
            status=AttendanceStatus.ATTENDED,
        )
        .values("meeting__line")
        .annotate(last=Max("meeting__starts_at"))
        .values("last")[:1]
    )


def last_attended_meeting_at(line_id: int) -> datetime | None:
    value: datetime | None = Attendance.objects.filter(
        meeting__line_id=line_id, meeting__cancelled=False, status=AttendanceStatus.ATTENDED
    ).aggregate(last=Max("meeting__starts_at"))["last"]
    return value


def actions_for_user(user_id: int) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(owner_id=user_id).select_related("line", "meeting")


def overdue_q(today: date) -> Q:
    """Action items still open after their due date."""
    from meetings.services import open_action_statuses

    return Q(due_on__lt=today, status__in=open_action_statuses())
