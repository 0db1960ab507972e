"""Rebuild the monthly roll-ups (``LineMonth``) from the source tables.

Each source is read with one ``GROUP BY line, month`` query, the month truncated in the
portal's time zone, so an incident opened at 00:30 on 1 March in London counts in March even
though it is still February in UTC. The months from ``since`` on are replaced in one
transaction (delete, then insert), so a re-run gives the same rows, and a row whose source
vanished (incidents moved to another line by a merge) disappears instead of going stale.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DateField, DurationField, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dashboards.models import LineMonth
from dilo.models import Observation
from incidents.models import Incident
from meetings.models import Attendance, AttendanceStatus, Meeting
from recommendations.models import Card, CardEvent, CardEventKind, CardStatus
from recommendations.queries import card_before_after

# The card statuses whose arrival the funnel counts, and the roll-up column of each.
FUNNEL_COLUMNS = {
    CardStatus.REVIEWED: "cards_reviewed",
    CardStatus.SHARED: "cards_shared",
    CardStatus.ACCEPTED: "cards_accepted",
    CardStatus.DECLINED: "cards_declined",
}

Key = tuple[int, date]


def portal_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_start_at(month: date) -> datetime:
    """The instant a month begins in the portal's time zone."""
    return datetime(month.year, month.month, 1, tzinfo=portal_zone())


def _month_of(field: str) -> TruncMonth:
    return TruncMonth(field, output_field=DateField(), tzinfo=portal_zone())


def _incident_cells(since_at: datetime | None) -> Iterable[dict[str, Any]]:
    incidents = Incident.objects.filter(line__isnull=False)
    if since_at:
        incidents = incidents.filter(opened_at__gte=since_at)
    resolved = Q(resolved_at__isnull=False, resolved_at__gte=F("opened_at"))
    return (
        incidents.annotate(month=_month_of("opened_at"))
        .values("line_id", "month")
        .annotate(
            incidents=Count("pk"),
            incidents_resolved=Count("pk", filter=resolved),
            duration=Sum(
                F("resolved_at") - F("opened_at"), filter=resolved, output_field=DurationField()
            ),
        )
        .order_by()
    )


def _meeting_cells(since_at: datetime | None, now: datetime) -> Iterable[dict[str, Any]]:
    held = Meeting.objects.filter(cancelled=False, starts_at__lte=now)
    if since_at:
        held = held.filter(starts_at__gte=since_at)
    attended = Q(
        pk__in=Attendance.objects.filter(status=AttendanceStatus.ATTENDED).values("meeting_id")
    )
    return (
        held.annotate(month=_month_of("starts_at"))
        .values("line_id", "month")
        .annotate(
            meetings_held=Count("pk"),
            meetings_attended=Count("pk", filter=attended),
            last_meeting_at=Max("starts_at", filter=attended),
        )
        .order_by()
    )


def _dilo_cells(since: date | None) -> Iterable[dict[str, Any]]:
    sessions = Observation.objects.all()
    if since:
        sessions = sessions.filter(observed_on__gte=since)
    return (
        sessions.annotate(month=TruncMonth("observed_on"))
        .values("line_id", "month")
        .annotate(dilo_sessions=Count("pk"), last_dilo_on=Max("observed_on"))
        .order_by()
    )


def _card_cells(since_at: datetime | None) -> Iterable[dict[str, Any]]:
    cards = Card.objects.all()
    if since_at:
        cards = cards.filter(created_at__gte=since_at)
    return (
        cards.annotate(month=_month_of("created_at"))
        .values("line_id", "month")
        .annotate(cards_created=Count("pk"))
        .order_by()
    )


def _status_cells(since_at: datetime | None) -> Iterable[dict[str, Any]]:
    """Cards that reached each funnel status in a month (a card counted once a month)."""
    events = CardEvent.objects.filter(kind=CardEventKind.STATUS, to_status__in=FUNNEL_COLUMNS)
    if since_at:
        events = events.filter(at__gte=since_at)
    return (
        events.annotate(month=_month_of("at"), line_id=F("card__line_id"))
        .values("line_id", "month", "to_status")
        .annotate(cards=Count("card_id", distinct=True))
        .order_by()
    )


def _avoided(done: QuerySet[Card], now: datetime) -> Iterable[tuple[int, datetime, float]]:
    """The cards' own before-and-after numbers, so that the dashboard and each card's page
    agree. Two queries a done card: done cards are tens a month, and this runs nightly."""
    for card in done.only("pk", "line_id", "done_at").order_by("pk"):
        numbers = card_before_after(card, now=now)
        if numbers is not None:
            yield card.line_id, numbers["done_at"], float(numbers["avoided"])


def _done_cells(since_at: datetime | None, now: datetime) -> dict[Key, tuple[int, float]]:
    """Cards done per line and month, and the incidents they avoided since (signed: negative
    when more incidents came than the trend before predicted). The sum runs over done cards
    (tens a month), never over incidents."""
    done = Card.objects.filter(done_at__isnull=False)
    if since_at:
        done = done.filter(done_at__gte=since_at)
    cells: dict[Key, tuple[int, float]] = {}
    for line_id, done_at, avoided in _avoided(done, now):
        key = (line_id, timezone.localtime(done_at, portal_zone()).date().replace(day=1))
        count, total = cells.get(key, (0, 0.0))
        cells[key] = (count + 1, total + avoided)
    return cells


def _collect(since: date | None, now: datetime) -> dict[Key, dict[str, Any]]:
    since_at = month_start_at(since) if since else None
    cells: dict[Key, dict[str, Any]] = defaultdict(dict)
    for row in _incident_cells(since_at):
        duration: timedelta | None = row.pop("duration")
        row["hours_to_resolve"] = duration.total_seconds() / 3600 if duration else 0.0
        cells[(row.pop("line_id"), row.pop("month"))].update(row)
    for row in _meeting_cells(since_at, now):
        at = row.pop("last_meeting_at")
        row["last_contact_on"] = timezone.localtime(at, portal_zone()).date() if at else None
        cells[(row.pop("line_id"), row.pop("month"))].update(row)
    for row in _dilo_cells(since):
        cell = cells[(row.pop("line_id"), row.pop("month"))]
        last_dilo = row.pop("last_dilo_on")
        cell["last_contact_on"] = max(filter(None, [cell.get("last_contact_on"), last_dilo]))
        cell.update(row)
    for row in _card_cells(since_at):
        cells[(row.pop("line_id"), row.pop("month"))].update(row)
    for row in _status_cells(since_at):
        cells[(row["line_id"], row["month"])][FUNNEL_COLUMNS[row["to_status"]]] = row["cards"]
    for key, (done, avoided) in _done_cells(since_at, now).items():
        cells[key].update(cards_done=done, incidents_avoided=round(avoided, 2))
    return cells


def rollups_refresh(*, since: date | None = None, now: datetime | None = None) -> int:
    """Rebuild the roll-ups of the months from ``since`` (all months when None).

    Returns the number of (line, month) rows written. Idempotent: a re-run over unchanged
    data writes the same rows.
    """
    now = now or timezone.now()
    since = month_start(since) if since else None
    cells = _collect(since, now)
    rows = [
        LineMonth(line_id=line_id, month=month, **values)
        for (line_id, month), values in cells.items()
    ]
    with transaction.atomic():
        stale = LineMonth.objects.all()
        if since:
            stale = stale.filter(month__gte=since)
        stale.delete()
        LineMonth.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
