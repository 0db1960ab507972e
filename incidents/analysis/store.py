"""Put labelled synthetic incidents into the database, for tests, benchmarks and the demo."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from incidents.analysis.synthetic import SyntheticIncident
from incidents.models import Incident
from stakeholders.models import BusinessLine

BATCH = 5000


def store_synthetic(
    items: Sequence[SyntheticIncident],
    *,
    source: str = "synthetic",
    lines: dict[str, BusinessLine] | None = None,
) -> dict[str, BusinessLine]:
    """Create the lines that do not exist yet and the incidents; returns lines by name."""
    known = dict(lines or {})
    for name in sorted({item.line for item in items} - set(known)):
        known[name], _ = BusinessLine.objects.get_or_create(name=name)
    for chunk in _chunks(items, BATCH):
        Incident.objects.bulk_create(
            [
                Incident(
                    source=source,
                    number=item.number,
                    line=known[item.line],
                    opened_at=item.opened_at,
                    resolved_at=item.opened_at + timedelta(hours=item.resolve_hours),
                    state="Resolved",
                    priority=4,
                    category=item.category,
                    service=item.service,
                    configuration_item=item.configuration_item,
                    caller=item.caller,
                    department=item.line,
                    short_description=item.short_description,
                    description=item.description,
                    row_hash="synthetic",
                )
                for item in chunk
            ]
        )
    return known


def _chunks(items: Sequence[SyntheticIncident], size: int) -> Iterable[Sequence[SyntheticIncident]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
