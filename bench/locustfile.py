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
# Seconds each user waits between two pages (people read a dashboard before they click).
WAIT = [float(s) for s in os.environ.get("ITRM_WAIT", "0.5,1.5").split(",")]


class Manager(HttpUser):
    wait_time = between(WAIT[0], WAIT[1])

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", SESSION)

    def page(self, url: str, name: str, **headers: str) -> None:
        """A page counts only when it is the page itself: a redirect to the login is an error."""
        with self.client.get(
            url, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif b'id="main"' not in response.content and b'id="charts"' not in response.content:
                response.failure("not the expected page")

    @task(2)
    def dashboard(self) -> None:
        self.page("/dashboard/", "/dashboard/")

    @task(2)
    def dashboard_filter(self) -> None:
        chosen = random.sample(LINE_IDS, k=min(3, len(LINE_IDS)))
        query = "&".join(f"lines={pk}" for pk in chosen)
        url = f"/dashboard/?{query}&start=2026-01&end=2026-06"
        self.page(url, "/dashboard/ (htmx filter)", **{"HX-Request": "true"})

    @task(3)
    def line_page(self) -> None:
        self.page(f"/lines/{random.choice(LINES)}/", "/lines/<slug>/")
