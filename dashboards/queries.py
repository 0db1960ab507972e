"""Read-side helpers of the dashboards: everything comes from the monthly roll-ups, plus a few
small queries over cards and stakeholders. A dashboard costs the same number of queries
whatever the number of incidents.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Max, Min
from django.utils import timezone

from dashboards.forms import Filters, add_months
from dashboards.models import LineMonth, proactive_of
from meetings.models import Meeting
from meetings.queries import actions_for_user, overdue_q
from recommendations.models import (
    Card,
    CardEvent,
    CardEventKind,
    CardStatus,
    Response,
)
from recommendations.queries import open_rises
from stakeholders.health import Health, HealthLevel, relationship_health
from stakeholders.models import BusinessLine, Stakeholder
from stakeholders.queries import health_of, lines_for_list

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The roll-up columns the dashboards sum.
COUNTS = (
    "incidents",
    "incidents_resolved",
    "hours_to_resolve",
    "meetings_held",
    "meetings_attended",
    "dilo_sessions",
    "cards_created",
    "cards_reviewed",
    "cards_shared",
    "cards_accepted",
    "cards_declined",
    "cards_done",
    "incidents_avoided",
)


class Totals(TypedDict):
    """The roll-up columns summed over some lines and months, with what derives from them."""

    incidents: float
    incidents_resolved: float
    hours_to_resolve: float
    meetings_held: float
    meetings_attended: float
    dilo_sessions: float
    cards_created: float
    cards_reviewed: float
    cards_shared: float
    cards_accepted: float
    cards_declined: float
    cards_done: float
    incidents_avoided: float
    proactive: int
    share: float | None  # proactive touchpoints over all touchpoints, 0..1


def empty_totals() -> Totals:
    return finish(dict.fromkeys(COUNTS, 0))


def finish(sums: dict[str, Any]) -> Totals:
    proactive = proactive_of(sums)
    touchpoints = proactive + int(sums["incidents"])
    sums["proactive"] = proactive
    sums["share"] = proactive / touchpoints if touchpoints else None
    return sums  # type: ignore[return-value]


def add(totals: Totals, row: dict[str, Any]) -> None:
    """Add a roll-up row to ``totals``; call ``finish`` once all rows are in."""
    for name in COUNTS:
        totals[name] += row[name]  # type: ignore[literal-required]


@dataclass
class LineRow:
    """One line on the dashboard: its roll-ups month by month and over the period."""

    line: BusinessLine
    health: Health
    months: dict[date, Totals] = field(default_factory=dict)
    total: Totals = field(default_factory=empty_totals)
    contacts: dict[date, date | None] = field(default_factory=dict)  # last contact in month
    last_contact_before: date | None = None

    @property
    def attendance(self) -> float | None:
        held = self.total["meetings_held"]
        return self.total["meetings_attended"] / held if held else None


@dataclass
class Dashboard:
    filters: Filters
    lines: list[LineRow]
    months: dict[date, Totals]
    total: Totals
    medians: dict[str, float | None]
    rises: list[Card]
    stakeholders: list[Person]


def _lines(filters: Filters) -> list[BusinessLine]:
    lines = lines_for_list()
    if filters.lines:
        lines = lines.filter(pk__in=filters.line_ids)
    return list(lines)


def dashboard(filters: Filters) -> Dashboard:
    """Everything the manager dashboard draws, in a fixed number of queries."""
    lines = {line.pk: LineRow(line=line, health=health_of(line)) for line in _lines(filters)}
    months = {month: empty_totals() for month in filters.months}
    for row in lines.values():
        row.months = {month: empty_totals() for month in filters.months}
    cells = LineMonth.objects.filter(
        month__gte=filters.start, month__lte=filters.end, line_id__in=list(lines)
    ).values("line_id", "month", "last_contact_on", *COUNTS)
    total = empty_totals()
    for cell in cells:
        row = lines[cell["line_id"]]
        row.contacts[cell["month"]] = cell["last_contact_on"]
        for bucket in (row.months[cell["month"]], row.total, months[cell["month"]], total):
            add(bucket, cell)
    for bucket in (total, *months.values()):
        finish(bucket)  # type: ignore[arg-type]
    for row in lines.values():
        for bucket in (row.total, *row.months.values()):
            finish(bucket)  # type: ignore[arg-type]
    before = (
        LineMonth.objects.filter(month__lt=filters.start, line_id__in=list(lines))
        .values("line_id")
        .annotate(last=Max("last_contact_on"))
        .order_by()
    )
    for item in before:
        lines[item["line_id"]].last_contact_before = item["last"]
    return Dashboard(
        filters=filters,
        lines=list(lines.values()),
        months=months,
        total=total,
        medians=funnel_medians(filters),
        rises=rising_problems(filters),
        stakeholders=_stakeholders(filters),
    )


def rollups_refreshed_at() -> datetime | None:
    """When the roll-ups were last written (a new refresh makes new cache keys)."""
    last: datetime | None = LineMonth.objects.aggregate(last=Max("refreshed_at"))["last"]
    return last


def contact_by_month(row: LineRow) -> dict[date, date | None]:
    """The line's last proactive contact as of each month (a running maximum)."""
    last = row.last_contact_before
    manual = row.line.last_contact_on
    result: dict[date, date | None] = {}
    for month in row.months:
        end = add_months(month, 1) - timedelta(days=1)
        cell_last = row.contacts.get(month)
        candidates = [day for day in (last, cell_last) if day]
        if manual and manual <= end:
            candidates.append(manual)
        last = max(candidates) if candidates else None
        result[month] = last
    return result


class Person(TypedDict):
    pk: int
    name: str
    title: str
    influence: int
    interest: int
    stance: str
    line__name: str


def _stakeholders(filters: Filters) -> list[Person]:
    """The chosen lines' stakeholders as plain rows: the map draws hundreds of them."""
    people = Stakeholder.objects.order_by("line__name", "name")
    if filters.lines:
        people = people.filter(line_id__in=filters.line_ids)
    fields = ("pk", "name", "title", "influence", "interest", "stance", "line__name")
    return list(people.values(*fields))


def rising_problems(filters: Filters, *, limit: int = 10) -> list[Card]:
    """Open trend cards of kind 'rise' whose latest window ends in the period's last month
    (this month, by default), highest score first."""
    cards = open_rises().filter(
        window_end__gte=filters.end, window_end__lt=add_months(filters.end, 1)
    )
    if filters.lines:
        cards = cards.filter(line_id__in=filters.line_ids)
    return list(cards[:limit])


def _median_days(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 86400, 1)


def funnel_medians(filters: Filters) -> dict[str, float | None]:
    """Median days from a card's creation to its share, and from its share to its first answer,
    over the cards shared (answered) in the period.

    Each query groups by card in the database, so only one duration a card (a few hundred a
    year) comes back, to be sorted for the median, which SQLite cannot compute itself.
    """
    from dashboards.rollups import month_start_at

    start_at = month_start_at(filters.start)
    end_at = month_start_at(add_months(filters.end, 1))
    shared = CardEvent.objects.filter(
        kind=CardEventKind.STATUS, to_status=CardStatus.SHARED, at__gte=start_at, at__lt=end_at
    )
    answers = Response.objects.filter(at__gte=start_at, at__lt=end_at)
    if filters.lines:
        shared = shared.filter(card__line_id__in=filters.line_ids)
        answers = answers.filter(card__line_id__in=filters.line_ids)
    to_share = (
        shared.values("card_id")
        .annotate(took=Min("at") - Max("card__created_at"))
        .values_list("took", flat=True)
    )
    to_answer = (
        answers.filter(card__shares__isnull=False)
        .values("card_id")
        .annotate(took=Min("at") - Min("card__shares__shared_at"))
        .values_list("took", flat=True)
    )
    return {
        "card_to_share": _median_days(list(to_share.order_by())),
        "share_to_answer": _median_days(list(to_answer.order_by())),
    }


def health_level_of(last: date | None, *, month_end: date, cadence: int) -> HealthLevel:
    """A month's relationship health: the live badge's cadence rule, applied at the month's
    end (or today, for the current month) with the last contact up to then. The rules with no
    history (no liaison, a key blocker) are left out."""
    return relationship_health(
        has_liaison=True, last_contact=last, cadence_days=cadence, key_blockers=0, today=month_end
    ).level


# --- The liaison's home -------------------------------------------------------------------


@dataclass
class LiaisonHome:
    lines: list[tuple[BusinessLine, Health]]
    meetings: list[Any]
    overdue: list[Any]
    rises: list[Card]


def liaison_home(user: User, *, limit: int = 10) -> LiaisonHome:
    now = timezone.now()
    mine = list(lines_for_list().filter(liaisons=user))
    line_ids = [line.pk for line in mine]
    meetings = (
        Meeting.objects.filter(line_id__in=line_ids, cancelled=False, starts_at__gte=now)
        .select_related("line")
        .order_by("starts_at")[:limit]
    )
    overdue = actions_for_user(user.pk).filter(overdue_q(timezone.localdate()))
    overdue = overdue.order_by("due_on", "pk")[:limit]
    rises = open_rises().filter(
        line_id__in=line_ids, window_end__gte=timezone.localdate() - timedelta(days=30)
    )
    return LiaisonHome(
        lines=[(line, health_of(line)) for line in mine],
        meetings=list(meetings),
        overdue=list(overdue),
        rises=list(rises[:limit]),
    )


__all__ = ["Dashboard", "LineRow", "dashboard", "liaison_home"]
