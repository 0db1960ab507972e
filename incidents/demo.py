"""Half a year of believable incidents for the demo lines, imported like any export."""

from __future__ import annotations

import csv
import random
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from incidents import services
from incidents.models import ImportBatch, Incident

SOURCE = "demo"
# (line, category, service, CI, descriptions, incidents per week at the start, at the end)
PROBLEMS = [
    (
        "Claims",
        "Network",
        "Remote access",
        "VPN-GW-02",
        [
            "VPN drops on hotel wifi",
            "AnyConnect disconnects while travelling",
            "Lost VPN connection during claim upload",
        ],
        1,
        9,
    ),
    (
        "Claims",
        "Software",
        "Guidewire ClaimCenter",
        "GW-CC-PROD",
        ["Claim number not found in payment system", "Payment rejected: unknown claim"],
        3,
        3,
    ),
    (
        "Accounts Payable",
        "Software",
        "Kofax capture",
        "KOFAX-01",
        ["Invoice OCR rejects supplier header", "Scanned invoice stuck in validation"],
        2,
        6,
    ),
    (
        "Finance",
        "Software",
        "SAP FI",
        "SAP-PRD",
        ["Month-end ledger export times out", "GL export job failed overnight"],
        1,
        2,
    ),
    (
        "Customer Service",
        "Software",
        "Salesforce Service Cloud",
        "SFDC",
        ["CRM search does not find policy", "Customer record missing policy link"],
        4,
        4,
    ),
    (
        "Underwriting",
        "Software",
        "Radar rating engine",
        "RADAR-01",
        ["Rating engine slow on large schedules", "Rating timeout for fleet quote"],
        1,
        5,
    ),
    (
        "Human Resources",
        "Access",
        "Active Directory",
        "AD",
        ["New starter account not ready", "Account locked after password change"],
        2,
        2,
    ),
]
# What people add in the description: the same problem's incidents share these details even
# when their short descriptions share no word.
DETAILS = {
    "Remote access": "Remote access client on the laptop loses the tunnel away from the office.",
    "Guidewire ClaimCenter": "Payment system lookup of the ClaimCenter claim number fails.",
    "Kofax capture": "Kofax validation station holds the scanned invoice batch.",
    "SAP FI": "The SAP FI general ledger export job runs past its window.",
    "Salesforce Service Cloud": "Salesforce policy lookup returns nothing for the customer.",
    "Radar rating engine": "Radar rating engine calculation of the schedule does not return.",
    "Active Directory": "Active Directory account state blocks the log-in.",
}

BACKGROUND = [
    "Outlook keeps asking for password",
    "Printer offline",
    "Teams call freezes",
    "Laptop battery drains fast",
    "Cannot open shared drive",
    "Monitor flickers",
    "New starter needs a laptop",
    "Excel macro fails with runtime error",
    "Calendar invite shows the wrong time",
    "Headset microphone not detected",
    "Request access to a team folder",
    "Docking station does not charge",
    "Browser blocks a supplier website",
    "Phone handset has no dial tone",
    "Adobe Reader will not open PDFs",
    "Wi-Fi drops in meeting room 4",
    "OneDrive sync stuck",
    "Keyboard keys sticking",
]
LINES = [
    "Claims",
    "Finance",
    "Accounts Payable",
    "Customer Service",
    "Underwriting",
    "Human Resources",
    "Marketing",
    "Legal & Compliance",
    "Actuarial",
]
HEADER = [
    "number",
    "opened_at",
    "resolved_at",
    "state",
    "priority",
    "category",
    "business_service",
    "cmdb_ci",
    "assignment_group",
    "caller_id",
    "caller_id.department",
    "short_description",
    "description",
]
WEEKS = 26
RISE_WEEKS = 6
BACKGROUND_PER_WEEK = 400


def _rows(rng: random.Random, today: date) -> list[list[str]]:
    start = datetime.combine(today - timedelta(weeks=WEEKS), time(8))
    rows: list[list[str]] = []

    def add(
        when: datetime, line: str, category: str, service: str, ci: str, text: str, caller: str
    ) -> None:
        resolved = when + timedelta(hours=rng.expovariate(1 / 18))
        rows.append(
            [
                "",
                when.strftime("%Y-%m-%d %H:%M:%S"),
                resolved.strftime("%Y-%m-%d %H:%M:%S") if resolved.date() < today else "",
                "Resolved" if resolved.date() < today else "In Progress",
                str(rng.choice([2, 3, 3, 4])),
                category,
                service,
                ci,
                f"{category} support",
                caller,
                line,
                text,
                f"{text}. {DETAILS.get(service, 'Reported by phone.')}",
            ]
        )

    # A problem hurts the same few people again and again; everyday issues anyone.
    affected = [[f"user{n}" for n in rng.sample(range(1, 900), 25)] for _ in PROBLEMS]
    for week in range(WEEKS):
        for (line, category, service, ci, texts, first, last), people in zip(
            PROBLEMS, affected, strict=True
        ):
            # Rising problems step up RISE_WEEKS before today (a change went in then).
            rate = last if week >= WEEKS - RISE_WEEKS else first
            for _ in range(int(rate) + (rng.random() < rate % 1)):
                when = start + timedelta(
                    weeks=week, days=rng.randint(0, 4), minutes=rng.randint(0, 540)
                )
                add(when, line, category, service, ci, rng.choice(texts), rng.choice(people))
        for _ in range(BACKGROUND_PER_WEEK):
            when = start + timedelta(
                weeks=week, days=rng.randint(0, 4), minutes=rng.randint(0, 540)
            )
            add(
                when,
                rng.choice(LINES),
                "Workplace",
                "End-user computing",
                "",
                rng.choice(BACKGROUND),
                f"user{rng.randint(1, 900)}",
            )
    rows.sort(key=lambda row: row[1])
    for n, row in enumerate(rows, start=1):
        row[0] = f"DEMO{n:07d}"
    return [row for row in rows if row[1] < today.isoformat()]


def seed_incidents(*, rng: random.Random, today: date) -> int:
    """Import the demo incidents once; returns how many were created (0 when already there)."""
    if Incident.objects.filter(source=SOURCE).exists():
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo-incidents.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(HEADER)
            out.writerows(_rows(rng, today))
        batch = ImportBatch.objects.create(
            source=SOURCE,
            original_name="demo-incidents.csv",
            source_path=str(path),
            size=path.stat().st_size,
        )
        done = services.import_execute(batch_id=batch.pk)
    return done.created if done else 0


def seed_analysis(*, today: date) -> int:
    """Run the trend analysis once over the demo incidents; returns the cards it created."""
    from incidents.analysis import runs
    from incidents.models import AnalysisRun, RunTrigger

    if AnalysisRun.objects.exists():
        return 0
    run = runs.analysis_start(as_of=today, trigger=RunTrigger.SHELL)
    return runs.analysis_execute(run=run).created
