"""A real task, through Redis, to a real Celery worker process, against PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from itrm.celery import app
from itrm.tasks import probe
from stakeholders.models import BusinessLine
from tests.helpers import need

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


@pytest.fixture
def worker(transactional_db):
    need(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    need(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    db = connection.settings_dict
    # The worker must see the test database, not the development one.
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    queue = f"itrm-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_TASK_ALWAYS_EAGER": "0"}
    process = subprocess.Popen(  # noqa: S603 - our own worker with fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "itrm",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_task_round_trips_through_redis_to_a_worker_that_reads_postgres(worker):
    BusinessLine.objects.create(name="Claims")
    BusinessLine.objects.create(name="Finance")
    result = probe.apply_async(queue=worker)
    answer = result.get(timeout=60)
    assert answer["business_lines"] == 2
    assert result.state == "SUCCESS"


def test_probe_worker_command_reports_the_answer(worker, capsys):
    BusinessLine.objects.create(name="Claims")
    call_command("probe_worker", "--queue", worker, "--timeout", "60")
    assert "it sees 1 business lines" in capsys.readouterr().out
