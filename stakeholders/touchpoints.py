"""A line's proactive timeline: meetings IT attended, DILO sessions, action items done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from dilo.queries import observations_for_timeline, search_dilo
from meetings.models import ActionItem, ActionStatus, AttendanceStatus, Meeting


@dataclass(frozen=True)
class Touchpoint:
    on: date
    kind: str
    title: str
    url: str
    detail: str = ""


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def touchpoints(line_id: int, *, limit: int = 25) -> list[Touchpoint]:
    """The newest proactive touchpoints of a line, three queries whatever their number."""
    meetings = (
        Meeting.objects.filter(
            line_id=line_id, cancelled=False, attendances__status=AttendanceStatus.ATTENDED
        )
        .distinct()
        .order_by("-starts_at")[:limit]
    )
    done = (
        ActionItem.objects.filter(line_id=line_id, status=ActionStatus.DONE)
        .select_related("owner", "meeting")
        .order_by("-done_at")[:limit]
    )
    items = [
        Touchpoint(
            timezone.localdate(m.starts_at),
            "Meeting",
            m.title,
            m.get_absolute_url(),
            m.get_kind_display(),
        )
        for m in meetings
    ]
    items += [
        Touchpoint(
            timezone.localdate(a.done_at) if a.done_at else a.created_at.date(),
            "Action done",
            a.title,
            a.meeting.get_absolute_url() if a.meeting else "",
            a.owner.get_full_name() or a.owner.username,
        )
        for a in done
    ]
    items += [
        Touchpoint(
            o.observed_on,
            "DILO",
            f"Day in the life: {o.observed_role or o.observed_stakeholder}",
            o.get_absolute_url(),
            f"{o.pain_point_count} pain points",  # type: ignore[attr-defined]
        )
        for o in observations_for_timeline(line_id, limit=limit)
    ]
    items.sort(key=lambda t: t.on, reverse=True)
    return items[:limit]


def search_meetings(line_id: int, query: str) -> QuerySet[Meeting]:
    """Meetings of the line whose title or notes match; full-text search on PostgreSQL."""
    meetings = Meeting.objects.filter(line_id=line_id)
    if connection.vendor == "postgresql":
        vector = SearchVector("title", weight="A", config="english") + SearchVector(
            "notes", weight="B", config="english"
        )
        search = SearchQuery(query, search_type="websearch", config="english")
        # Match with @@, then rank: ts_rank gives a tiny non-zero score to non-matches too.
        return (
            meetings.annotate(document=vector, rank=SearchRank(vector, search))
            .filter(document=search)
            .order_by("-rank", "-starts_at")
        )
    words = [w for w in query.split() if w]
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(notes__icontains=word)
    return meetings.filter(condition).order_by("-starts_at")


def search_line(line_id: int, query: str, *, limit: int = 20) -> dict[str, list[object]]:
    return {
        "meetings": list(search_meetings(line_id, query)[:limit]),
        "observations": list(search_dilo(line_id, query)[:limit]),
    }
