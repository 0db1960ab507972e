"""Create the missing occurrences of every meeting series, up to the horizon."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meetings import services


class Command(BaseCommand):
    help = f"Generate meeting occurrences {services.HORIZON_DAYS} days ahead (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = services.series_generate_all()
        self.stdout.write(f"{created} meeting occurrences created")
