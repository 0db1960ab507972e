from __future__ import annotations

from datetime import date, timedelta

import pytest

from stakeholders.health import HealthLevel, relationship_health

TODAY = date(2026, 11, 23)


def health(*, since: int | None, cadence: int = 30, liaison: bool = True, blockers: int = 0):
    last = None if since is None else TODAY - timedelta(days=since)
    return relationship_health(
        has_liaison=liaison,
        last_contact=last,
        cadence_days=cadence,
        key_blockers=blockers,
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("since", "level"),
    [
        (0, HealthLevel.HEALTHY),
        (30, HealthLevel.HEALTHY),
        (31, HealthLevel.DUE),
        (60, HealthLevel.DUE),
        (61, HealthLevel.AT_RISK),
    ],
)
def test_days_since_contact_against_cadence(since, level):
    assert health(since=since).level == level


def test_reasons_read_as_sentences():
    assert (
        health(since=0).reason == "Last contact today, within the agreed cadence of every 30 days."
    )
    assert health(since=1, cadence=1).reason == (
        "Last contact 1 day ago, within the agreed cadence of every 1 day."
    )
    assert (
        health(since=45).reason
        == "Last contact 45 days ago, past the agreed cadence of every 30 days."
    )


def test_no_liaison_trumps_recent_contact():
    result = health(since=1, liaison=False)
    assert result.level == HealthLevel.AT_RISK
    assert result.reason == "No IT liaison owns this relationship."


def test_never_contacted_is_at_risk():
    assert health(since=None).level == HealthLevel.AT_RISK


def test_a_key_blocker_makes_a_healthy_line_due():
    result = health(since=3, blockers=2)
    assert result.level == HealthLevel.DUE
    assert result.reason.endswith("but 2 key stakeholders are a blocker.")
