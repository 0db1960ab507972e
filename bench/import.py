"""Import speed against raw COPY, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/import.py [--rows N]

Writes a realistic ServiceNow-style CSV of N incidents (seeded), then in one run:
1. raw psycopg COPY of the file into a bare table of text columns (the ceiling);
2. the full `manage.py import_incidents` of the same file into an empty portal database;
3. the same import again (every row unchanged).
Prints rows per second for each, the ratio to raw COPY, and the import processes' peak RSS.
The portal database is `itrm_bench`, created afresh next to the one DATABASE_URL names.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
HEADER = [
    "number",
    "opened_at",
    "resolved_at",
    "closed_at",
    "state",
    "priority",
    "impact",
    "urgency",
    "category",
    "subcategory",
    "business_service",
    "cmdb_ci",
    "assignment_group",
    "caller_id",
    "caller_id.department",
    "location",
    "short_description",
    "description",
    "reopen_count",
]
PROBLEMS = [
    ("Network", "VPN", "Remote access", "VPN drops on hotel wifi"),
    ("Software", "Email", "Outlook", "Outlook freezes when opening shared mailbox"),
    ("Hardware", "Printer", "Print service", "Printer jams on floor 3"),
    ("Software", "ERP", "SAP", "Month-end ledger export times out"),
    ("Access", "Password", "Active Directory", "Account locked after password change"),
    ("Software", "Claims", "Guidewire", "Claim number not found in payment system"),
]
DEPARTMENTS = [
    "Claims",
    "Finance",
    "Underwriting",
    "Customer Service",
    "HR",
    "Marketing",
    "Legal",
    "Operations",
    "Actuarial",
    "Sales",
]
STATES = ["New", "In Progress", "On Hold", "Resolved", "Closed"]


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(42)
    start = datetime(2023, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(rows):
            category, sub, service, text = rng.choice(PROBLEMS)
            opened = start + timedelta(minutes=n * 1.7 + rng.random())
            resolved = opened + timedelta(hours=rng.expovariate(1 / 20))
            out.writerow(
                [
                    f"INC{n:09d}",
                    opened.strftime("%Y-%m-%d %H:%M:%S"),
                    resolved.strftime("%Y-%m-%d %H:%M:%S"),
                    "",
                    rng.choice(STATES),
                    f"{rng.randint(1, 5)} - Level",
                    rng.randint(1, 3),
                    rng.randint(1, 3),
                    category,
                    sub,
                    service,
                    f"CI{rng.randint(1, 900):04d}",
                    f"Group {rng.randint(1, 40)}",
                    f"user{rng.randint(1, 20000)}",
                    rng.choice(DEPARTMENTS),
                    f"Site {rng.randint(1, 30)}",
                    f"{text} ({rng.randint(1, 99)})",
                    f"User reports: {text.lower()}. Steps tried: restart, reconnect.",
                    0,
                ]
            )


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def raw_copy(url: str, path: Path) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare")
        columns = ", ".join(f'"{c}" text' for c in HEADER)
        conn.execute(f"CREATE UNLOGGED TABLE bench_bare ({columns})")
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_bare")
    return elapsed


def run_import(env: dict[str, str], path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "import_incidents", str(path), "--source", "bench"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL server")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "incidents.csv"
        t0 = time.perf_counter()
        write_csv(path, args.rows)
        size, spent = path.stat().st_size / 1e6, time.perf_counter() - t0
        print(f"wrote {args.rows:,} rows, {size:.0f} MB, in {spent:.1f} s")

        copy_s = raw_copy(url, path)
        print(f"raw COPY:        {copy_s:7.2f} s  {args.rows / copy_s:10,.0f} rows/s")

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS itrm_bench")
            conn.execute("CREATE DATABASE itrm_bench")
        env = {**os.environ, "DATABASE_URL": with_database(url, "itrm_bench")}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )

        first_s, first = run_import(env, path)
        print(
            f"full import:     {first_s:7.2f} s  {args.rows / first_s:10,.0f} rows/s  "
            f"ratio to COPY {copy_s / first_s:.2f}  ({first})"
        )
        again_s, again = run_import(env, path)
        print(
            f"re-import:       {again_s:7.2f} s  {args.rows / again_s:10,.0f} rows/s  "
            f"ratio to COPY {copy_s / again_s:.2f}  ({again})"
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of the import processes: {peak:.0f} MB")


if __name__ == "__main__":
    main()
