from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboards.tasks import send_monthly_reports


class Command(BaseCommand):
    help = "Email the monthly report (PDF) to every manager; by default of last month."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", metavar="YYYY-MM", help="the month to report")

    def handle(self, *args: Any, month: str | None = None, **options: Any) -> None:
        try:
            first = datetime.strptime(month, "%Y-%m").date() if month else None
        except ValueError:
            raise CommandError(f"--month {month!r} is not a month like 2026-03") from None
        sent = send_monthly_reports(first.isoformat() if first else None)
        self.stdout.write(f"{sent} report emails sent")
