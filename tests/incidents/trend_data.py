"""Small hand-made incident histories for the trend analysis tests.

A line gets ordinary background (everyday issues, steady every week) and, where a test asks,
one recurring problem described in varied words. Incidents open at local noon, so the day
they fall on never depends on the time zone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from itertools import count

from django.utils import timezone

from incidents.analysis.synthetic import SyntheticIncident
from incidents.models import Incident
from stakeholders.models import BusinessLine

AS_OF = date(2026, 6, 30)

BACKGROUND = [
    ("Password reset needed for {who}", "Identity", "AD", "Access"),
    ("Printer on floor 3 jams again", "Printing", "PRN-03", "Hardware"),
    ("Outlook keeps asking for credentials", "Email", "EXCH", "Software"),
    ("New starter {who} needs a laptop", "Workplace", "", "Request"),
    ("Teams meeting audio echo", "Collaboration", "TEAMS", "Software"),
    ("Excel macro fails with runtime error 1004", "Office", "", "Software"),
    ("Monitor flickers at desk 12", "Workplace", "", "Hardware"),
    ("Shared drive S: not mapped", "File services", "FS01", "Software"),
    ("Request access to the claims archive folder", "File services", "FS01", "Access"),
    ("Phone handset has no dial tone", "Telephony", "", "Hardware"),
    ("Guidewire screen slow to load policy summary", "Guidewire", "GW", "Application"),
    ("Guidewire report export column missing", "Guidewire", "GW", "Application"),
    ("Cannot print PDF from the browser", "Printing", "", "Software"),
    ("Calendar invite shows wrong time zone", "Email", "EXCH", "Software"),
]

VPN = [
    "VPN drops on hotel wifi",
    "AnyConnect disconnects while travelling",
    "vpn keeps disconnecting from home every few minutes",
    "Remote access VPN tunnel drops, have to reconnect",
    "AnyConnect VPN connection lost repeatedly",
]

_numbers = count(1)


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))


def incident(line: BusinessLine, day: date, text: str, **fields: object) -> Incident:
    values: dict[str, object] = {
        "source": "test",
        "number": f"INC{next(_numbers):07d}",
        "line": line,
        "opened_at": noon(day),
        "resolved_at": noon(day) + timedelta(hours=3),
        "short_description": text,
        "description": text,
        "caller": f"caller{random.randrange(1000)}",  # noqa: S311
        "priority": 3,
        "row_hash": "test",
    }
    values.update(fields)
    return Incident(**values)


def background(
    line: BusinessLine, *, days: int = 180, per_day: int = 4, seed: int = 1
) -> list[Incident]:
    rng = random.Random(seed)  # noqa: S311
    made = []
    for n in range(days):
        day = AS_OF - timedelta(days=n)
        for _ in range(per_day):
            text, service, ci, category = rng.choice(BACKGROUND)
            made.append(
                incident(
                    line,
                    day,
                    text.format(who=rng.choice(["Ana", "Bo", "Cy", "Dee"])),
                    service=service,
                    configuration_item=ci,
                    category=category,
                    caller=f"person{rng.randrange(300)}",
                )
            )
    return Incident.objects.bulk_create(made)


def problem(
    line: BusinessLine,
    days: Sequence[date],
    *,
    texts: Sequence[str] = VPN,
    service: str = "Remote access",
    seed: int = 2,
    callers: str = "traveller{}",
    people: int = 25,
) -> list[Incident]:
    rng = random.Random(seed)  # noqa: S311
    made = [
        incident(
            line,
            day,
            texts[i % len(texts)],
            description=f"{texts[i % len(texts)]}. Happens on laptops away from the office.",
            service=service if rng.random() < 0.6 else "",
            configuration_item=rng.choice(["", "VPN-GW", "Other"]),
            category=rng.choice(["Network", "", "Software"]),
            caller=callers.format(rng.randrange(people)),
            priority=2,
        )
        for i, day in enumerate(days)
    ]
    return Incident.objects.bulk_create(made)


def rising_days(*, window: int, before: int) -> list[date]:
    """`window` incidents spread over the last 30 days, `before` over the 150 days before."""
    days = [AS_OF - timedelta(days=(n * 29) // max(window - 1, 1)) for n in range(window)]
    days += [AS_OF - timedelta(days=31 + (n * 140) // max(before, 1)) for n in range(before)]
    return days


def steady_days(*, per_week: int, weeks: int = 26) -> list[date]:
    return [
        AS_OF - timedelta(days=7 * w + (k * 7) // per_week)
        for w in range(weeks)
        for k in range(per_week)
    ]


def store_synthetic(items: Sequence[SyntheticIncident]) -> None:
    """Put a labelled synthetic set into the database, a business line per line name."""
    lines = {
        name: BusinessLine.objects.get_or_create(name=name)[0] for name in {i.line for i in items}
    }
    Incident.objects.bulk_create(
        (
            Incident(
                source="synthetic",
                number=item.number,
                line=lines[item.line],
                opened_at=item.opened_at,
                resolved_at=item.opened_at + timedelta(hours=item.resolve_hours),
                category=item.category,
                service=item.service,
                configuration_item=item.configuration_item,
                caller=item.caller,
                short_description=item.short_description,
                description=item.description,
                row_hash="synthetic",
            )
            for item in items
        ),
        batch_size=5000,
    )
