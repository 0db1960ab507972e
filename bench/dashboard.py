"""Server time and query counts of the manager dashboard and a line page, on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--database-url URL] [--incidents 1000000] [--reset]

Builds a dedicated database (default ``postgres://postgres@127.0.0.1:5432/itrm_dashbench``,
created when missing; a database holding any business line or incident is refused unless
``--reset``): 20 lines with 15 stakeholders each, two years of weekly department meetings
(IT attends three in four), a DILO session a month a line, about 4,000 cards through the
workflow, and incidents written with COPY. First with ``--small`` incidents, to count each
page's queries, then with the rest added to reach ``--incidents``: the roll-up refresh is
timed, then each page is requested ``--requests`` times with the Django test client
(DEBUG off, cached templates) and its p50/p95 server time and query count printed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/itrm_dashbench"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000, help="incidents of the first pass")
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--reset", action="store_true", help="empty a database that has data")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"  # cached template loader, as in production
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itrm.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def prepare(reset: bool) -> None:
    from django.core.management import call_command

    from incidents.models import Incident
    from stakeholders.models import BusinessLine

    call_command("migrate", verbosity=0)
    if BusinessLine.objects.exists() or Incident.objects.exists():
        if not reset:
            sys.exit("This database holds data; pass --reset to empty it (everything goes).")
        call_command("flush", interactive=False, verbosity=0)


def _without_auto_now(*fields: tuple[type, str]) -> None:
    """Let the generator write chosen creation times (bulk_create would stamp 'now')."""
    for model, name in fields:
        model._meta.get_field(name).auto_now_add = False  # type: ignore[attr-defined]


def build_world(n_lines: int, rng: random.Random) -> dict[str, object]:
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from dilo.models import Observation
    from itrm.access import Role
    from meetings.models import Attendance, Meeting
    from stakeholders.models import BusinessLine, Stakeholder

    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    manager = User.objects.create_user("bench-manager", email="manager@example.com")
    manager.groups.add(groups[Role.MANAGER])
    lines, liaisons = [], []
    for i in range(n_lines):
        line = BusinessLine.objects.create(
            name=f"Line {i + 1:02d}", contact_cadence_days=rng.choice([14, 30, 60])
        )
        liaison = User.objects.create_user(f"liaison{i + 1:02d}", email=f"l{i}@example.com")
        liaison.groups.add(groups[Role.LIAISON])
        line.liaisons.add(liaison)
        lines.append(line)
        liaisons.append(liaison)
    Stakeholder.objects.bulk_create(
        Stakeholder(
            line=line,
            name=f"Person {line.pk}-{j}",
            influence=rng.randint(1, 5),
            interest=rng.randint(1, 5),
            stance=rng.choice(["champion", "supporter", "neutral", "sceptic", "blocker"]),
        )
        for line in lines
        for j in range(15)
    )
    now = timezone.now()
    meetings = [
        Meeting(
            line=line, title="Department meeting", starts_at=now - timedelta(weeks=w, hours=line.pk)
        )
        for line in lines
        for w in range(104)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    Attendance.objects.bulk_create(
        (
            Attendance(
                meeting=m, user=liaisons[lines.index(next(x for x in lines if x.pk == m.line_id))]
            )
            for m in meetings
            if rng.random() < 0.75
        ),
        batch_size=2000,
    )
    Observation.objects.bulk_create(
        Observation(
            line=line,
            observer=liaisons[i],
            observed_on=(now - timedelta(days=30 * k + rng.randint(0, 20))).date(),
            observed_role="Handler",
            goal="See the day.",
        )
        for i, line in enumerate(lines)
        for k in range(24)
    )
    return {"lines": lines, "manager": manager, "now": now}


def copy_incidents(n: int, line_ids: list[int], rng: random.Random, start_number: int) -> None:
    """Incidents over two years, written with COPY (seconds for a million)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    span = 730 * 86400
    columns = (
        "source, number, line_id, opened_at, resolved_at, state, category, subcategory, service, "
        "configuration_item, assignment_group, caller, department, location, short_description, "
        "description, resolution_notes, reopen_count, row_hash, imported_at"
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY incidents_incident ({columns}) FROM STDIN") as copy:
            for i in range(n):
                opened = now - timedelta(seconds=rng.randrange(span))
                resolved = (
                    opened + timedelta(minutes=rng.randrange(10, 4000))
                    if rng.random() < 0.9
                    else None
                )
                copy.write_row(
                    (
                        "bench",
                        f"INC{start_number + i:08d}",
                        rng.choice(line_ids),
                        opened,
                        resolved,
                        "Closed",
                        "Software",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "Something broke",
                        "",
                        "",
                        0,
                        "x",
                        now,
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_incident")


def build_cards(world: dict[str, object], rng: random.Random) -> None:
    from django.db import connection

    from recommendations.models import Card, CardEvent, CardIncident, CardShare, Response
    from stakeholders.models import Stakeholder

    _without_auto_now(
        (Card, "created_at"), (CardEvent, "at"), (CardShare, "shared_at"), (Response, "at")
    )
    now: datetime = world["now"]  # type: ignore[assignment]
    people: dict[int, list[Any]] = {}
    for person in Stakeholder.objects.all():
        people.setdefault(person.line_id, []).append(person)
    cards, events, shares, answers, done_cards = [], [], [], [], []
    for line in world["lines"]:  # type: ignore[attr-defined]
        for k in range(200):
            created = now - timedelta(days=rng.uniform(0, 720))
            card = Card(
                line=line,
                title=f"Problem {line.pk}-{k}",
                created_at=created,
                score=rng.random() * 10,
                kind=rng.choice(["rise", "chronic"]),
                window_end=(created + timedelta(days=30)).date(),
                window_count=rng.randint(5, 60),
            )
            path = ["reviewed", "shared", rng.choice(["accepted", "declined"])]
            if path[-1] == "accepted" and rng.random() < 0.5:
                path.append("done")
            path = path[: rng.randint(0, len(path))]
            at = created
            for status in path:
                at += timedelta(days=rng.uniform(0.5, 10))
                if at > now:
                    break
                events.append((card, status, at))
                card.status = status
            if card.status == "done":
                card.done_at = at
                done_cards.append(card)
            cards.append(card)
    Card.objects.bulk_create(cards, batch_size=2000)
    CardEvent.objects.bulk_create(
        (CardEvent(card=c, kind="status", to_status=s, at=a) for c, s, a in events), batch_size=5000
    )
    for card, status, at in events:
        if status == "shared":
            shares.append(
                CardShare(card=card, stakeholder=rng.choice(people[card.line_id]), shared_at=at)
            )
        if status in ("accepted", "declined"):
            answers.append(
                Response(
                    card=card,
                    stakeholder=rng.choice(people[card.line_id]),
                    kind="decline" if status == "declined" else "accept",
                    at=at,
                )
            )
    CardShare.objects.bulk_create(shares, batch_size=5000, ignore_conflicts=True)
    Response.objects.bulk_create(answers, batch_size=5000)
    # Each done card's problem: 20 of its line's incidents around its done date.
    links = []
    with connection.cursor() as cursor:
        for card in done_cards:
            done_at: datetime = card.done_at  # type: ignore[assignment]
            cursor.execute(
                "SELECT id FROM incidents_incident"
                " WHERE line_id = %s AND opened_at BETWEEN %s AND %s LIMIT 20",
                [card.line_id, done_at - timedelta(weeks=12), done_at + timedelta(weeks=8)],
            )
            links += [CardIncident(card=card, incident_id=row[0]) for row in cursor.fetchall()]
    CardIncident.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    print(f"cards: {len(cards)}, status events: {len(events)}, done: {len(done_cards)}")


def measure(client: Any, url: str, n: int) -> tuple[list[float], int]:
    from django.db import connection

    for _ in range(5):  # warm-up: connections, template cache
        assert client.get(url).status_code == 200
    executed = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times, len(executed)


def pages(world: dict[str, object]) -> dict[str, str]:
    from django.urls import reverse

    line = world["lines"][0]  # type: ignore[index]
    return {
        "manager dashboard": reverse("dashboards:manager"),
        "dashboard, htmx filter (3 lines, 6 months)": reverse("dashboards:manager"),
        "line page": reverse("stakeholders:line_detail", args=[line.slug]),
    }


def run_pages(world: dict[str, object], n: int, *, timings: bool) -> None:
    """Each page's queries (and server time): the dashboard twice, computed on every request
    (DASHBOARD_CACHE_SECONDS=0) and with its charts kept between requests (the default)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(world["manager"])  # type: ignore[arg-type]
    lines: list[Any] = world["lines"]  # type: ignore[assignment]
    htmx_query = "&".join(f"lines={line.pk}" for line in lines[:3])
    for name, url in pages(world).items():
        if "htmx" in name:
            end = datetime.now()
            start = end - timedelta(days=150)
            url = f"{url}?{htmx_query}&start={start:%Y-%m}&end={end:%Y-%m}"
            client.defaults["HTTP_HX_REQUEST"] = "true"
        else:
            client.defaults.pop("HTTP_HX_REQUEST", None)
        modes = [("computed", 0), ("kept", 60)] if "dashboard" in name else [("", 0)]
        for mode, seconds in modes:
            settings.DASHBOARD_CACHE_SECONDS = seconds
            times, queries = measure(client, url, n if timings else 1)
            label = f"{name}, {mode}" if mode else name
            if timings:
                p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
                print(f"  {label:55s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {queries} queries")
            else:
                print(f"  {label:55s} {queries} queries")


def main() -> None:
    args = parse()
    ensure_database(args.database_url)
    setup_django(args.database_url)
    prepare(args.reset)
    from dashboards.rollups import rollups_refresh

    rng = random.Random(args.seed)
    started = time.perf_counter()
    world = build_world(args.lines, rng)
    line_ids = [line.pk for line in world["lines"]]  # type: ignore[attr-defined]
    copy_incidents(args.small, line_ids, rng, 0)
    build_cards(world, rng)
    rollups_refresh()
    print(
        f"built {args.lines} lines, {args.small} incidents in {time.perf_counter() - started:.1f} s"
    )
    print(f"queries per page at {args.small:,} incidents:")
    run_pages(world, args.requests, timings=False)

    started = time.perf_counter()
    copy_incidents(args.incidents - args.small, line_ids, rng, args.small)
    took = time.perf_counter() - started
    print(f"added {args.incidents - args.small:,} incidents with COPY in {took:.1f} s")
    for label in ("cold", "warm"):
        started = time.perf_counter()
        rows = rollups_refresh()
        took = time.perf_counter() - started
        print(f"roll-up refresh ({label}) at {args.incidents:,}: {took:.2f} s, {rows} rows")
    print(f"server time over {args.requests} requests at {args.incidents:,} incidents:")
    run_pages(world, args.requests, timings=True)


if __name__ == "__main__":
    main()
