"""Builders of DILO rows for the tests: sensible defaults, every field overridable."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from dilo.models import FrequencyUnit, Observation, PainPoint, Severity, TimelineEntry
from dilo.services import tags_for
from stakeholders.models import BusinessLine


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def make_observation(line: BusinessLine, observer: Any, **fields: Any) -> Observation:
    values: dict[str, Any] = {
        "observed_role": "Claims handler",
        "observed_on": days_ago(10),
        "goal": "See where a handler's day goes.",
    }
    values.update(fields)
    return Observation.objects.create(line=line, observer=observer, **values)


def make_entry(observation: Observation, at: str = "09:00", **fields: Any) -> TimelineEntry:
    values: dict[str, Any] = {"activity": "Works the queue", "systems": "ClaimCenter"}
    values.update(fields)
    return TimelineEntry.objects.create(
        observation=observation, at=time.fromisoformat(at), **values
    )


def make_pain_point(observation: Observation, *tags: str, **fields: Any) -> PainPoint:
    values: dict[str, Any] = {
        "description": "Re-keys claim number into the payment system",
        "system": "Guidewire ClaimCenter",
        "frequency": 25,
        "frequency_unit": FrequencyUnit.PER_DAY,
        "minutes_lost": 2,
        "severity": Severity.HIGH,
    }
    values.update(fields)
    pain_point = PainPoint.objects.create(observation=observation, **values)
    pain_point.tags.set(tags_for(tags))
    return pain_point
