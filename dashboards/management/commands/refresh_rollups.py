from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboards.rollups import rollups_refresh


class Command(BaseCommand):
    help = "Rebuild the monthly roll-ups of the dashboards (all months, or from --since on)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", metavar="YYYY-MM", help="first month to rebuild")

    def handle(self, *args: Any, since: str | None = None, **options: Any) -> None:
        try:
            first = datetime.strptime(since, "%Y-%m").date() if since else None
        except ValueError:
            raise CommandError(f"--since {since!r} is not a month like 2026-03") from None
        started = time.perf_counter()
        rows = rollups_refresh(since=first)
        took = time.perf_counter() - started
        self.stdout.write(f"{rows} line-month rows written in {took:.2f} s")
