"""Load run: locust's 50 users for 60 s against gunicorn on loopback, on the database that
``bench/dashboard.py`` built.

    .venv/bin/python bench/load.py [--database-url URL] [--users 50] [--seconds 60] [--workers 4]

Starts gunicorn (DEBUG off, cached templates) on 127.0.0.1:8765, logs a manager in by making a
session, runs locust headless (bench/locustfile.py), then prints each page's requests,
errors, p50 and p95 from locust's CSV, and stops gunicorn.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itrm_dashbench"
PORT = 8765


def session_for_manager() -> tuple[str, list[str], list[str]]:
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from stakeholders.models import BusinessLine

    user = User.objects.filter(groups__name="manager").order_by("pk").first()
    if user is None:
        sys.exit("No manager in this database: run bench/dashboard.py first.")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    lines = list(BusinessLine.objects.values_list("slug", "pk"))
    return session.session_key or "", [s for s, _ in lines], [str(pk) for _, pk in lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--wait", default="0.5,1.5", help="seconds between a user's pages")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "itrm.settings",
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    session, slugs, line_ids = session_for_manager()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "itrm.wsgi",
            f"--bind=127.0.0.1:{PORT}",
            f"--workers={args.workers}",
            "--log-level=warning",
            f"--config={ROOT / 'bench/gunicorn_conf.py'}",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        # Each worker's first request imports the views and plotly (seconds on a busy
        # machine): warm every worker first, so the run measures the steady state.
        warm = ["/dashboard/", f"/lines/{slugs[0]}/"]
        for _ in range(args.workers * 3):
            for path in warm:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": f"sessionid={session}"}
                )
                urllib.request.urlopen(request, timeout=60).read()
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            subprocess.run(
                [
                    str(ROOT / ".venv/bin/locust"),
                    "-f",
                    str(ROOT / "bench/locustfile.py"),
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={args.users}",
                    f"--run-time={args.seconds}s",
                    f"--host=http://127.0.0.1:{PORT}",
                    f"--csv={prefix}",
                    "--only-summary",
                    "--loglevel=WARNING",
                ],
                env={
                    **env,
                    "ITRM_SESSION": session,
                    "ITRM_LINES": ",".join(slugs),
                    "ITRM_LINE_IDS": ",".join(line_ids),
                    "ITRM_WAIT": args.wait,
                },
                check=False,
            )
            print(
                f"\n{args.users} users waiting {args.wait} s between pages, {args.seconds} s, "
                f"gunicorn with {args.workers} workers:"
            )
            with open(f"{prefix}_stats.csv", newline="") as stats:
                for row in csv.DictReader(stats):
                    print(
                        f"  {row['Name']:28s} {row['Request Count']:>6s} requests "
                        f"{row['Failure Count']:>4s} errors  p50 {row['50%']:>5s} ms  "
                        f"p95 {row['95%']:>5s} ms  {float(row['Requests/s']):6.1f}/s"
                    )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
