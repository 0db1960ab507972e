"""Write every card to standard output, as JSON (default) or CSV."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Prefetch
from django.utils import timezone

from recommendations.models import Card, CardIncident

FIELDS = (
    "business_line",
    "signature",
    "title",
    "status",
    "score",
    "window_count",
    "previous_count",
    "incident_numbers",
)


def card_rows() -> list[dict[str, Any]]:
    """One dict per card; incident_numbers are the group's incidents within the card's window."""
    links = CardIncident.objects.select_related("incident").only(
        "card_id", "incident__number", "incident__opened_at"
    )
    cards = (
        Card.objects.select_related("line")
        .prefetch_related(Prefetch("card_incidents", queryset=links))
        .order_by("line__name", "-score", "pk")
    )
    rows = []
    for card in cards:
        numbers = sorted(
            link.incident.number
            for link in card.card_incidents.all()
            if _in_window(card, link.incident.opened_at)
        )
        rows.append(
            {
                "business_line": card.line.name,
                "signature": card.signature or "",
                "title": card.title,
                "status": card.status,
                "score": card.score,
                "window_count": card.window_count,
                "previous_count": card.previous_count,
                "incident_numbers": numbers,
            }
        )
    return rows


def _in_window(card: Card, opened_at: Any) -> bool:
    if card.window_start is None or card.window_end is None:
        return True
    day = timezone.localtime(opened_at).date()
    return card.window_start <= day <= card.window_end


class Command(BaseCommand):
    help = "Export every recommendation card with its incidents (JSON list, or CSV)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, format: str, **options: Any) -> None:
        rows = card_rows()
        if format == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "incident_numbers": " ".join(row["incident_numbers"])})
