"""The evidence a trend card carries, as the analysis writes it into `Card.evidence`.

People never edit it; the card page and the stakeholder view render it (the stakeholder view
leaves out callers and full incidents: see the redaction rules of the card pages).
"""

from __future__ import annotations

from typing import TypedDict


class WeekCount(TypedDict):
    week: str  # ISO date of the week's Monday
    count: int


class SampleIncident(TypedDict):
    incident_id: int
    number: str
    opened_at: str  # ISO datetime
    short_description: str
    priority: int | None


class RelatedPainPoint(TypedDict):
    id: int
    observation_id: int
    description: str
    system: str
    hours_lost_per_month: float


class RelatedMeeting(TypedDict):
    id: int
    title: str
    date: str  # ISO date
    snippet: str


class Evidence(TypedDict, total=False):
    weekly: list[WeekCount]  # the window and the baseline before it, oldest first
    samples: list[SampleIncident]  # the most representative window incidents, at most 10
    top_terms: list[str]
    service: str
    configuration_item: str
    category: str
    priorities: dict[str, int]  # priority ("1".."5" or "none") → window incidents
    distinct_days: int
    line_window_count: int  # every incident of the line in the window
    line_baseline_count: int
    test: str  # the rise test, in words, with its thresholds
    pain_points: list[RelatedPainPoint]
    meetings: list[RelatedMeeting]
