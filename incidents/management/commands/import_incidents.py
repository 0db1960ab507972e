"""Import an ITSM export from the shell, with a progress line and the summary last."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents import services
from incidents.models import ImportBatch, ImportStatus, MappingProfile


class Command(BaseCommand):
    help = "Import incidents from a CSV or XLSX export (ServiceNow, Jira, or a saved mapping)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", default="servicenow", help="Source system name.")
        parser.add_argument("--mapping", help="Name of a saved mapping profile.")
        parser.add_argument(
            "--timezone",
            default=settings.TIME_ZONE,
            help="Time zone of the file's times without an offset.",
        )
        parser.add_argument(
            "--date-order",
            choices=["dmy", "mdy", "ymd"],
            help="Day-first or month-first, when the file cannot tell.",
        )
        parser.add_argument(
            "--no-create-lines",
            action="store_true",
            help="Leave unknown departments unmapped instead of creating lines.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            ZoneInfo(options["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"Unknown time zone {options['timezone']!r}") from None
        mapping: dict[str, str] = {}
        date_order = options["date_order"] or ""
        if options["mapping"]:
            profile = MappingProfile.objects.filter(name=options["mapping"]).first()
            if profile is None:
                raise CommandError(f"No mapping profile named {options['mapping']!r}")
            mapping = profile.mapping
            date_order = date_order or profile.date_order
        batch = ImportBatch.objects.create(
            source=options["source"],
            original_name=path.name,
            source_path=str(path.resolve()),
            size=path.stat().st_size,
            mapping=mapping,
            date_order=date_order,
            time_zone=options["timezone"],
            create_lines=not options["no_create_lines"],
        )
        started = time.monotonic()

        def progress(rows: int) -> None:
            rate = rows / max(time.monotonic() - started, 1e-6)
            sys.stderr.write(f"\r{rows:,} rows read ({rate:,.0f} rows/s)")
            sys.stderr.flush()

        result = services.import_execute(batch_id=batch.pk, on_progress=progress)
        sys.stderr.write("\n")
        if result is None or result.status != ImportStatus.DONE:
            batch.refresh_from_db()
            raise CommandError(
                f"Import {batch.pk} {batch.get_status_display().lower()}: {batch.error}"
            )
        seconds = time.monotonic() - started
        self.stderr.write(
            f"import {result.pk}: {result.incidents} incidents in {seconds:.1f} s "
            f"({result.read / max(seconds, 1e-6):,.0f} rows/s)"
        )
        self.stdout.write(result.summary)
