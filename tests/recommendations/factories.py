"""Builders of recommendation cards for the tests: trend cards as the analysis writes them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from incidents.models import Incident
from recommendations.models import Card, CardEvent, CardEventKind, CardIncident, CardSource
from stakeholders.models import BusinessLine

_numbers = itertools.count(1)


def weekly(*counts: int) -> list[dict[str, Any]]:
    """Weekly counts ending this week, oldest first, as ``Card.evidence["weekly"]``."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=len(counts) - 1 - i) for i in range(len(counts))]
    return [{"week": week.isoformat(), "count": n} for week, n in zip(weeks, counts, strict=True)]


def make_incident(line: BusinessLine | None, opened_at: datetime, **fields: Any) -> Incident:
    number = f"INC{next(_numbers):07d}"
    values: dict[str, Any] = {
        "source": "servicenow",
        "number": number,
        "short_description": "ClaimCenter freezes when saving a claim",
        "description": "The screen hangs for a minute after Save.",
        "caller": "Jane Doe",
        "department": "Claims",
        "row_hash": number,
    }
    values.update(fields)
    return Incident.objects.create(line=line, opened_at=opened_at, **values)


def make_card(
    line: BusinessLine,
    *,
    status: str = "new",
    evidence: dict[str, Any] | None = None,
    incidents: Sequence[Incident] = (),
    **fields: Any,
) -> Card:
    """A trend card as the analysis writes it (source trend, a signature, a created event)."""
    values: dict[str, Any] = {
        "title": f"{line.name}: ClaimCenter freezes on save",
        "summary": "Freezes on save rose from 2 to 9 a week.",
        "suggested_action": "Ask the vendor about the save timeout.",
        "source": CardSource.TREND,
        "signature": f"sig-{next(_numbers)}",
        "score": 5.0,
        "kind": "rise",
        "window_count": 36,
        "previous_count": 10,
        "rate_ratio": 3.6,
        "people_affected": 14,
        "hours_lost": 20.0,
        "status_changed_at": timezone.now(),
        "evidence": evidence if evidence is not None else {"weekly": weekly(2, 3, 2, 8, 9)},
    }
    values.update(fields)
    if status == "done" and "done_at" not in values:
        values["done_at"] = timezone.now()
    card = Card.objects.create(line=line, status=status, **values)
    CardEvent.objects.create(card=card, kind=CardEventKind.CREATED, to_status=status)
    CardIncident.objects.bulk_create(
        [CardIncident(card=card, incident=incident) for incident in incidents]
    )
    return card
