from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from dashboards.forms import add_months
from dashboards.reports import reports_send
from dashboards.rollups import rollups_refresh


@shared_task(acks_late=True)
def refresh_rollups(since_iso: str | None = None) -> int:
    """Nightly: rebuild every month's roll-ups (a few seconds at a million incidents)."""
    return rollups_refresh(since=date.fromisoformat(since_iso) if since_iso else None)


@shared_task(acks_late=True)
def send_monthly_reports(month_iso: str | None = None) -> int:
    """On the first of the month: the report of the month that just ended."""
    month = (
        date.fromisoformat(month_iso)
        if month_iso
        else add_months(timezone.localdate().replace(day=1), -1)
    )
    rollups_refresh(since=month)
    return reports_send(month=month)
