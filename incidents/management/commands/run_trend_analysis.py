"""Run the trend analysis now, in this process, and print what it found."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from incidents.analysis import runs
from incidents.models import AnalysisLineResult, RunTrigger
from stakeholders.models import BusinessLine


class Command(BaseCommand):
    help = "Group each line's recent incidents into recurring problems and upsert their cards."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as-of", type=date.fromisoformat, help="Last day of the window (YYYY-MM-DD)."
        )
        parser.add_argument("--line", metavar="SLUG", help="Only this business line.")

    def handle(self, *args: Any, as_of: date | None, line: str | None, **options: Any) -> None:
        chosen = None
        if line:
            chosen = BusinessLine.objects.filter(slug=line).first()
            if chosen is None:
                raise CommandError(f"No business line with the slug {line!r}.")
        try:
            run = runs.analysis_start(as_of=as_of, trigger=RunTrigger.SHELL, line=chosen)
        except runs.AnalysisBusy as busy:
            raise CommandError(str(busy)) from None

        def progress(result: AnalysisLineResult) -> None:
            stages = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
            self.stdout.write(
                f"{result.line.name}: {result.incidents} incidents, {result.candidates} "
                f"problems, created {result.created}, updated {result.updated}, "
                f"unchanged {result.unchanged} ({stages})"
            )

        run = runs.analysis_execute(run=run, progress=progress)
        seconds = run.seconds or 0.0
        self.stdout.write(
            f"as of {run.as_of}: {run.lines_done} lines, {run.incidents} incidents, "
            f"created {run.created}, updated {run.updated}, unchanged {run.unchanged}, "
            f"reopened {run.reopened} in {seconds:.1f} s"
        )
