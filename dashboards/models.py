"""Monthly roll-ups: what each business line asked of IT and what IT did there, per month.

Rows are derived, never edited: ``dashboards.rollups.rollups_refresh`` rebuilds them from the
incidents, meetings, DILO sessions and cards with one ``GROUP BY`` per source, nightly and on
demand. The dashboards and the monthly reports read only these rows, so their cost does not
grow with the number of incidents.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from stakeholders.models import BusinessLine


class LineMonth(models.Model):
    line = models.ForeignKey(BusinessLine, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month, in the portal's time zone.")

    # Reactive: incidents raised by the line (opened in the month).
    incidents = models.PositiveIntegerField(default=0)
    incidents_resolved = models.PositiveIntegerField(default=0)
    hours_to_resolve = models.FloatField(
        default=0.0, help_text="Sum of opened → resolved hours of the month's resolved incidents."
    )

    # Proactive: engagement IT initiated.
    meetings_held = models.PositiveIntegerField(default=0)
    meetings_attended = models.PositiveIntegerField(default=0)
    dilo_sessions = models.PositiveIntegerField(default=0)
    last_contact_on = models.DateField(
        null=True, blank=True, help_text="Latest proactive contact within the month."
    )

    # The card funnel: cards created, and cards that reached each status in the month.
    cards_created = models.PositiveIntegerField(default=0)
    cards_reviewed = models.PositiveIntegerField(default=0)
    cards_shared = models.PositiveIntegerField(default=0)
    cards_accepted = models.PositiveIntegerField(default=0)
    cards_declined = models.PositiveIntegerField(default=0)
    cards_done = models.PositiveIntegerField(default=0)
    incidents_avoided = models.FloatField(
        default=0.0, help_text="Estimated incidents avoided by the cards done in the month."
    )

    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "line_id"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="line_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="line_month_first_day"),
        ]
        indexes = [
            # Every dashboard and report: WHERE month BETWEEN ? AND ? (AND line_id IN ...)
            models.Index(fields=["month", "line"], name="line_month_month_line"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.month:%Y-%m}"

    @property
    def proactive(self) -> int:
        return proactive_of(self.__dict__)


# The proactive touchpoints of a month, in the order the charts stack them.
PROACTIVE_FIELDS = (
    "meetings_attended",
    "dilo_sessions",
    "cards_shared",
    "cards_accepted",
    "cards_done",
)


def proactive_of(row: dict[str, object]) -> int:
    return sum(int(row[field]) for field in PROACTIVE_FIELDS)  # type: ignore[call-overload]
