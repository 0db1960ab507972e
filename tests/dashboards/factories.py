"""Builders of the rows the dashboards read: incidents, meetings, DILO sessions and cards at
chosen moments (``auto_now_add`` fields are moved afterwards with an UPDATE)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from dilo.models import Observation
from incidents.models import Incident
from meetings.models import Attendance, AttendanceStatus, Meeting
from recommendations.models import Card, CardEvent, CardEventKind, CardIncident, CardShare
from recommendations.models import Response as CardResponse
from stakeholders.models import BusinessLine, Stakeholder

LONDON = ZoneInfo("Europe/London")
_numbers = itertools.count(1)


def at(text: str) -> datetime:
    """A London wall-clock time, e.g. at("2026-02-03 10:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def make_incident(
    line: BusinessLine | None, opened: datetime, resolved: datetime | None = None
) -> Incident:
    return Incident.objects.create(
        source="test",
        number=f"INC{next(_numbers):07d}",
        line=line,
        opened_at=opened,
        resolved_at=resolved,
        row_hash="x",
    )


def incidents_rows(line: BusinessLine, opened: datetime, n: int) -> list[Incident]:
    """``n`` incidents a minute apart, in one INSERT."""
    rows = [
        Incident(
            source="bulk",
            number=f"B{next(_numbers):09d}",
            line=line,
            opened_at=opened + timedelta(minutes=i),
            resolved_at=opened + timedelta(minutes=i, hours=2),
            row_hash="x",
        )
        for i in range(n)
    ]
    return Incident.objects.bulk_create(rows, batch_size=2000)


def make_meeting(
    line: BusinessLine,
    starts: datetime,
    *,
    attended_by: User | None = None,
    cancelled: bool = False,
) -> Meeting:
    meeting = Meeting.objects.create(
        line=line, title="Department meeting", starts_at=starts, cancelled=cancelled
    )
    if attended_by:
        Attendance.objects.create(
            meeting=meeting, user=attended_by, status=AttendanceStatus.ATTENDED
        )
    return meeting


def make_dilo(line: BusinessLine, observer: User, on: date) -> Observation:
    return Observation.objects.create(
        line=line, observer=observer, observed_on=on, observed_role="Handler", goal="Learn."
    )


def make_card(line: BusinessLine, created: datetime, **fields: Any) -> Card:
    card = Card.objects.create(line=line, title=fields.pop("title", "Card"), **fields)
    Card.objects.filter(pk=card.pk).update(created_at=created)
    card.refresh_from_db()
    return card


def move(card: Card, to_status: str, when: datetime) -> CardEvent:
    event = CardEvent.objects.create(
        card=card, kind=CardEventKind.STATUS, from_status=card.status, to_status=to_status
    )
    CardEvent.objects.filter(pk=event.pk).update(at=when)
    fields: dict[str, Any] = {"status": to_status, "status_changed_at": when}
    if to_status == "done":
        fields["done_at"] = when
    Card.objects.filter(pk=card.pk).update(**fields)
    card.refresh_from_db()
    return event


def share(card: Card, person: Stakeholder, when: datetime) -> CardShare:
    made = CardShare.objects.create(card=card, stakeholder=person)
    CardShare.objects.filter(pk=made.pk).update(shared_at=when)
    return made


def answer(card: Card, person: Stakeholder, kind: str, when: datetime) -> CardResponse:
    made = CardResponse.objects.create(card=card, stakeholder=person, kind=kind)
    CardResponse.objects.filter(pk=made.pk).update(at=when)
    return made


def link(card: Card, incidents: list[Incident]) -> None:
    CardIncident.objects.bulk_create([CardIncident(card=card, incident=i) for i in incidents])
