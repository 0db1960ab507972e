"""50 users on the manager dashboard (full page and htmx filter changes) and the line pages.

Run through ``bench/load.py``, which starts gunicorn on the benchmark database and hands the
users a logged-in manager's session in ``ITRM_SESSION`` and the line slugs in ``ITRM_LINES``.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

SESSION = os.environ.get("ITRM_SESSION", "")
LINES = [slug for slug in os.environ.get("ITRM_LINES", "").split(",") if slug]
LINE_IDS = [pk for pk in os.environ.get("ITRM_LINE_IDS", "").split(",") if pk]


class Manager(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", SESSION)

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    @task(2)
    def dashboard_filter(self) -> None:
        chosen = random.sample(LINE_IDS, k=min(3, len(LINE_IDS)))
        query = "&".join(f"lines={pk}" for pk in chosen)
        self.client.get(
            f"/dashboard/?{query}&start=2026-01&end=2026-06",
            headers={"HX-Request": "true"},
            name="/dashboard/ (htmx filter)",
        )

    @task(3)
    def line_page(self) -> None:
        self.client.get(f"/lines/{random.choice(LINES)}/", name="/lines/<slug>/")
