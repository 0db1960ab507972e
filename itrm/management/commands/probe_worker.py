"""Check that a Celery worker answers through the broker and reaches the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from itrm.tasks import probe


class Command(BaseCommand):
    help = "Send a probe task through the broker and wait for a worker's answer."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait.")
        parser.add_argument("--queue", default=None, help="Queue to send the probe to.")

    def handle(self, *args: Any, timeout: float, queue: str | None, **options: Any) -> None:
        result = probe.apply_async(queue=queue) if queue else probe.apply_async()
        try:
            answer = result.get(timeout=timeout)
        except Exception as exc:
            raise CommandError(f"No worker answered within {timeout:g} s: {exc!r}") from exc
        self.stdout.write(
            f"worker {answer['worker']} answered; it sees {answer['business_lines']} business lines"
        )
