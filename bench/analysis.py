"""Speed of the nightly trend analysis on PostgreSQL with real Celery workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/analysis.py [--sizes 100000 1000000] [--workers 2]

For each size: a fresh database `itrm_analysis_bench` next to the one DATABASE_URL names,
N labelled synthetic incidents over two years for 20 business lines (seeded; COPY-loaded),
then one analysis run fanned out per line to a Celery worker with `--workers` processes
on a Redis queue of its own. Prints the run's wall time, the seconds per stage summed over
the lines, cards written, and the peak memory of the worker processes (summed RSS).
Goals (issue #5): 1,000,000 incidents in at most 60 s with 2 workers and 2 GB; 100,000 in
at most 10 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
import zlib
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AS_OF = date(2026, 6, 30)
LINES = 20
DAYS = 730
DB = "itrm_analysis_bench"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fresh_database(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    target = with_database(url, DB)
    env = {**os.environ, "DATABASE_URL": target}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return target


def load(target: str, size: int) -> float:
    """COPY `size` synthetic incidents of 20 lines over two years; returns seconds."""
    from incidents.analysis.synthetic import generate

    began = time.perf_counter()
    with psycopg.connect(target, autocommit=True) as conn:
        names = [f"Line {n + 1:02d}" for n in range(LINES)]
        with conn.cursor() as cur:
            for name in names:
                cur.execute(
                    "INSERT INTO stakeholders_businessline (name, slug, description,"
                    " strategic_drivers, contact_cadence_days, created_at, updated_at)"
                    " VALUES (%s, %s, '', '', 30, now(), now())",
                    (name, name.lower().replace(" ", "-")),
                )
            cur.execute("SELECT name, id FROM stakeholders_businessline")
            line_ids: dict[str, int] = dict(cur.fetchall())
        written, seed = 0, 0
        columns = (
            "source, number, line_id, opened_at, resolved_at, state, priority, category,"
            " subcategory, service, configuration_item, assignment_group, caller, department,"
            " location, short_description, description, resolution_notes, reopen_count,"
            " row_hash, imported_at"
        )
        with conn.cursor().copy(f"COPY incidents_incident ({columns}) FROM STDIN") as copy:
            while written < size:
                seed += 1
                # Each seed is 14 lines' year-pairs; every (seed, line) lands on one of the 20
                # bench lines, so each bench line carries several overlaid histories and their
                # hidden problems.
                for item in generate(seed=seed, lines=14, days=DAYS, as_of=AS_OF):
                    if written >= size:
                        break
                    line = names[zlib.crc32(f"{seed}/{item.line}".encode()) % LINES]
                    copy.write_row(
                        (
                            "bench",
                            f"S{seed}-{item.number}",
                            line_ids[line],
                            item.opened_at,
                            item.opened_at + timedelta(hours=item.resolve_hours),
                            "Resolved",
                            4,
                            item.category,
                            "",
                            item.service,
                            item.configuration_item,
                            "",
                            item.caller,
                            line,
                            "",
                            item.short_description,
                            item.description,
                            "",
                            0,
                            "bench",
                            item.opened_at,
                        )
                    )
                    written += 1
        conn.execute("ANALYZE incidents_incident")
    return time.perf_counter() - began


def rss_of_tree(pid: int) -> int:
    """Resident bytes of a process and its children (the worker and its pool)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def run_analysis(target: str, redis: str, workers: int) -> None:
    os.environ["DATABASE_URL"] = target
    os.environ["REDIS_URL"] = redis
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itrm.settings")
    import django

    django.setup()
    from incidents.analysis import runs
    from incidents.models import AnalysisLineResult, AnalysisRun, RunTrigger
    from incidents.tasks import run_trend_analysis

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "itrm",
            "worker",
            f"--concurrency={workers}",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=dict(os.environ),
    )
    try:
        # Time the run, not the worker's start: wait until it answers a ping.
        from itrm.celery import app

        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=0.5) and time.monotonic() < deadline:
            pass
        idle = rss_of_tree(worker.pid)
        run = runs.analysis_start(as_of=AS_OF, trigger=RunTrigger.SHELL)
        began = time.perf_counter()
        run_trend_analysis.apply_async(args=(run.pk,), queue=queue)
        peak = idle
        while AnalysisRun.objects.get(pk=run.pk).is_active:
            peak = max(peak, rss_of_tree(worker.pid))
            time.sleep(0.2)
        wall = time.perf_counter() - began
        run.refresh_from_db()
        stages = runs.stage_totals(run)
        slowest = (
            AnalysisLineResult.objects.filter(run=run)
            .order_by("-incidents")
            .values_list("line__name", "incidents", "timings")[:1]
        )
        print(f"  run: {run.status}, {run.lines_done} lines, {run.incidents:,} incidents read")
        print(f"  wall time {wall:.1f} s with {workers} worker processes")
        print(
            "  seconds per stage, summed over lines: "
            + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
        )
        for name, count, timings in slowest:
            print(
                f"  biggest line {name}: {count:,} incidents, "
                + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
            )
        print(f"  cards: created {run.created}, updated {run.updated}, unchanged {run.unchanged}")
        print(
            f"  worker memory: idle {idle / 2**20:.0f} MB, peak {peak / 2**20:.0f} MB (summed RSS)"
        )
        if run.error:
            print(f"  error: {run.error}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    for size in args.sizes:
        print(f"{size:,} incidents, {LINES} lines, {DAYS} days, as of {AS_OF}:")
        target = fresh_database(url)
        print(f"  loaded in {load(target, size):.1f} s")
        # Each size in its own process: Django binds its database once per process.
        subprocess.run(
            [sys.executable, __file__, "--_analyse", target, redis, str(args.workers)],
            cwd=ROOT,
            check=True,
        )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--_analyse":
        run_analysis(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
