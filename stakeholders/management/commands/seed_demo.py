"""Seed a believable demo organisation. Idempotent: a second run changes nothing."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dashboards.rollups import rollups_refresh
from dilo.demo import seed_observations
from incidents.demo import seed_analysis, seed_incidents
from itrm.access import Role
from meetings.demo import seed_meetings
from recommendations.demo import seed_cards
from stakeholders import demo
from stakeholders.models import BusinessLine, Need, Stakeholder

DEMO_PASSWORD = "itrm-demo-2026"  # noqa: S105 - printed for the local demo only
STANCES = [
    "champion",
    "supporter",
    "supporter",
    "neutral",
    "neutral",
    "neutral",
    "sceptic",
    "blocker",
]


class Command(BaseCommand):
    help = "Create the demo organisation and one login per role (manager, liaison, stakeholder)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help="Password of the demo logins when they are first created.",
        )

    @transaction.atomic
    def handle(self, *args: Any, password: str, **options: Any) -> None:
        rng = random.Random(2026)  # noqa: S311 - fixed seed: the same organisation on every machine
        users = self._users(password)
        today = timezone.localdate()
        created_lines = created_people = 0
        lines: dict[str, BusinessLine] = {}
        for name, parent, description, drivers, cadence, since in demo.LINES:
            line, created = BusinessLine.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "parent": lines.get(parent or ""),
                    "description": description,
                    "strategic_drivers": "\n".join(drivers),
                    "contact_cadence_days": cadence,
                    "last_contact_on": None if since is None else today - timedelta(days=since),
                },
            )
            lines[name] = line
            created_lines += created
            if created:
                created_people += self._people(line, rng)
        self._liaisons(lines, users)
        stakeholder_line = lines["Claims"]
        Stakeholder.objects.get_or_create(
            user=users["stakeholder"],
            defaults={
                "line": stakeholder_line,
                "name": "Sam Carter",
                "title": "Claims Operations Manager",
                "email": "sam.carter@northwind.example",
                "influence": 4,
                "interest": 5,
                "stance": "supporter",
            },
        )
        meetings = seed_meetings(lines=lines, users=users, rng=rng, today=today)
        observers = [users["liaison"], users["liaison2"]]
        observations = seed_observations(lines=lines, observers=observers, rng=rng, today=today)
        incidents = seed_incidents(rng=rng, today=today)
        cards = seed_analysis(today=today) + seed_cards()
        # The dashboards read monthly roll-ups; the nightly job keeps them, the demo starts full.
        rollups_refresh()
        self.stdout.write(
            f"Demo data created: {created_lines} business lines, {created_people} stakeholders, "
            f"{meetings} meetings, {observations} DILO observations, {incidents} incidents, "
            f"{cards} recommendation cards "
            f"({BusinessLine.objects.count()} lines, "
            f"{Stakeholder.objects.count()} stakeholders in all)."
        )
        self.stdout.write(
            f"Logins: manager, liaison, stakeholder (of {stakeholder_line.name}), admin; "
            f"password: {password}"
        )

    def _users(self, password: str) -> dict[str, Any]:
        user_model = get_user_model()
        # The admin runs the Django admin (users and roles); it has no business role.
        people: dict[str, tuple[str, str, Role | None]] = {
            "manager": ("Morgan", "Reyes", Role.MANAGER),
            "liaison": ("Lena", "Fischer", Role.LIAISON),
            "liaison2": ("Raj", "Malhotra", Role.LIAISON),
            "stakeholder": ("Sam", "Carter", Role.STAKEHOLDER),
            "admin": ("Ada", "Admin", None),
        }
        users = {}
        for username, (first, last, role) in people.items():
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_staff": role is None,
                    "is_superuser": role is None,
                    "email": f"{first}.{last}@northwind.example".lower(),
                },
            )
            if created:
                user.set_password(password)
                user.save()
            if role is not None:
                user.groups.add(Group.objects.get(name=role.value))
            users[username] = user
        return users

    def _liaisons(self, lines: dict[str, BusinessLine], users: dict[str, Any]) -> None:
        # Lena serves Claims, Customer Service and Finance; Raj serves most others;
        # Operations has no liaison, so its health shows what an unowned line looks like.
        lena = ["Claims", "Customer Service", "Finance", "Accounts Payable", "Actuarial"]
        for name, line in lines.items():
            if name == "Operations":
                continue
            line.liaisons.add(users["liaison"] if name in lena else users["liaison2"])

    def _people(self, line: BusinessLine, rng: random.Random) -> int:
        count = rng.randint(5, 7)
        titles = rng.sample(demo.TITLES, count)
        used: set[str] = set()
        for title, influence, interest in titles:
            name = f"{rng.choice(demo.FIRST)} {rng.choice(demo.LAST)}"
            while name in used:
                name = f"{rng.choice(demo.FIRST)} {rng.choice(demo.LAST)}"
            used.add(name)
            person = Stakeholder.objects.create(
                line=line,
                name=name,
                title=title,
                email=f"{name.replace(' ', '.').lower()}@northwind.example",
                influence=max(1, min(5, influence + rng.choice([-1, 0, 0, 1]))),
                interest=max(1, min(5, interest + rng.choice([-1, 0, 0, 1]))),
                stance=rng.choice(STANCES),
                contact_cadence_days=rng.choice([None, 14, 30, 60]),
            )
            if rng.random() < 0.3:
                kind, need_title, priority = rng.choice(demo.NEEDS)
                Need.objects.create(
                    line=line, stakeholder=person, kind=kind, title=need_title, priority=priority
                )
        for kind, need_title, priority in rng.sample(demo.NEEDS, 2):
            if not line.needs.filter(title=need_title).exists():
                Need.objects.create(line=line, kind=kind, title=need_title, priority=priority)
        return count
