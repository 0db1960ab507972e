"""Import speed against raw COPY, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/import.py [--rows N]

Writes a realistic ServiceNow-style CSV of N incidents (seeded), then in one run:
1. raw psycopg COPY of the file into a bare table of text columns (the ceiling);
2. the full `manage.py import_incidents` of the same file into an empty portal database;
3. the same import again (every row unchanged);
4. reference runs (skip with --no-reference): what PostgreSQL alone costs for the same rows,
   COPY into a logged table and typed INSERTs into a copy of the incident table with and
   without its secondary indexes, and INSERT ... ON CONFLICT of unchanged rows. They bound
   the ratio any import can reach on this server.
Prints rows per second for each, the ratio to raw COPY, and the import processes' peak RSS.
The portal database (`--database`, default `itrm_bench`) is created afresh next to the one
DATABASE_URL names.
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
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
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


REFERENCE_SELECT = """
SELECT 'bench', number, opened_at::timestamptz, nullif(resolved_at, '')::timestamptz,
       nullif(closed_at, '')::timestamptz, state, left(priority, 1)::smallint,
       impact::smallint, urgency::smallint, category, subcategory, business_service, cmdb_ci,
       assignment_group, caller_id, "caller_id.department", location, short_description,
       description, '', reopen_count::int, md5(number || opened_at), now()
FROM bench_bare
"""
REFERENCE_COLUMNS = (
    "source, number, opened_at, resolved_at, closed_at, state, priority, impact, urgency, "
    "category, subcategory, service, configuration_item, assignment_group, caller, department, "
    "location, short_description, description, resolution_notes, reopen_count, row_hash, "
    "imported_at"
)


def reference(url: str, path: Path, rows: int) -> None:
    """What PostgreSQL itself costs: the floor under any import, measured in the same run.

    1. COPY of the file into a bare UNLOGGED table of text columns (what "raw COPY" times);
    2. the same into a bare logged table (the incident table is logged: WAL is written);
    3. INSERT ... SELECT of typed rows into a logged copy of the incident table that has only
       its primary key and the (source, number) unique index;
    4. the same with the incident table's other indexes too;
    5. INSERT ... ON CONFLICT DO UPDATE of the same rows again (every row a conflict).
    """

    def timed(label: str, step: Callable[[], object]) -> None:
        started = time.perf_counter()
        step()
        spent = time.perf_counter() - started
        print(f"  {label:58s} {spent:7.2f} s  {rows / spent:10,.0f} rows/s", flush=True)

    with psycopg.connect(url, autocommit=True) as conn:
        columns = ", ".join(f'"{c}" text' for c in HEADER)
        for table in ("bench_bare", "bench_typed"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE UNLOGGED TABLE bench_bare ({columns})")
        timed("COPY into a bare UNLOGGED text table", lambda: copy_file(conn, path))
        conn.execute("DROP TABLE bench_bare")
        conn.execute(f"CREATE TABLE bench_bare ({columns})")
        timed("COPY into a bare logged text table", lambda: copy_file(conn, path))
        conn.execute(
            "CREATE TABLE bench_typed (LIKE incidents_incident INCLUDING DEFAULTS "
            "INCLUDING IDENTITY INCLUDING CONSTRAINTS)"
        )
        conn.execute("ALTER TABLE bench_typed ADD PRIMARY KEY (id), ADD UNIQUE (source, number)")
        insert = f"INSERT INTO bench_typed ({REFERENCE_COLUMNS}) {REFERENCE_SELECT}"
        timed("INSERT typed rows, primary key + unique key only", lambda: conn.execute(insert))
        conn.execute("TRUNCATE bench_typed")
        conn.execute("CREATE INDEX ON bench_typed (opened_at DESC, id DESC)")
        conn.execute("CREATE INDEX ON bench_typed (line_id, opened_at)")
        conn.execute("CREATE INDEX ON bench_typed (department)")
        conn.execute("CREATE INDEX ON bench_typed (location)")
        timed("INSERT typed rows, all the incident table's indexes", lambda: conn.execute(insert))
        upsert = (
            f"{insert} ON CONFLICT (source, number) DO UPDATE SET state = EXCLUDED.state "
            "WHERE bench_typed.row_hash IS DISTINCT FROM EXCLUDED.row_hash"
        )
        timed("INSERT ... ON CONFLICT again (all unchanged)", lambda: conn.execute(upsert))
        conn.execute("DROP TABLE bench_typed")
        conn.execute("DROP TABLE bench_bare")


def copy_file(conn: psycopg.Connection[Any], path: Path) -> None:
    with (
        conn.cursor() as cur,
        cur.copy("COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        path.open("rb") as handle,
    ):
        while block := handle.read(1 << 20):
            copy.write(block)


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
    parser.add_argument("--no-reference", action="store_true", help="Skip the reference runs.")
    parser.add_argument(
        "--database", default="itrm_bench", help="Name of the portal database made afresh."
    )
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
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            conn.execute(f'CREATE DATABASE "{args.database}"')
        env = {**os.environ, "DATABASE_URL": with_database(url, args.database)}
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
        if not args.no_reference:
            print("reference: what PostgreSQL alone costs for the same rows")
            reference(with_database(url, args.database), path, args.rows)


if __name__ == "__main__":
    main()
