"""Relationship health of a business line, derived and explained.

The rule (also in the README):

1. No IT liaison assigned: **at risk**, "No IT liaison owns this relationship."
2. No contact ever recorded: **at risk**.
3. Days since the last proactive contact, against the line's agreed cadence:
   within the cadence is **healthy**; up to twice the cadence is **due**;
   beyond twice the cadence is **at risk**.
4. A healthy line with a key stakeholder (high influence and high interest) who
   is a blocker drops to **due**: contact is regular but the relationship is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models


class HealthLevel(models.TextChoices):
    HEALTHY = "healthy", "Healthy"
    DUE = "due", "Contact due"
    AT_RISK = "at_risk", "At risk"


@dataclass(frozen=True)
class Health:
    level: HealthLevel
    reason: str

    @property
    def label(self) -> str:
        return str(self.level.label)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def relationship_health(
    *,
    has_liaison: bool,
    last_contact: date | None,
    cadence_days: int,
    key_blockers: int,
    today: date,
) -> Health:
    if not has_liaison:
        return Health(HealthLevel.AT_RISK, "No IT liaison owns this relationship.")
    if last_contact is None:
        return Health(HealthLevel.AT_RISK, "No contact with this line has been recorded yet.")
    since = (today - last_contact).days
    cadence = f"the agreed cadence of every {_days(cadence_days)}"
    when = "today" if since <= 0 else f"{_days(since)} ago"
    if since > 2 * cadence_days:
        return Health(HealthLevel.AT_RISK, f"Last contact {when}, more than twice {cadence}.")
    if since > cadence_days:
        return Health(HealthLevel.DUE, f"Last contact {when}, past {cadence}.")
    if key_blockers:
        who = (
            "a key stakeholder is" if key_blockers == 1 else f"{key_blockers} key stakeholders are"
        )
        return Health(
            HealthLevel.DUE, f"Last contact {when}, within {cadence}, but {who} a blocker."
        )
    return Health(HealthLevel.HEALTHY, f"Last contact {when}, within {cadence}.")
