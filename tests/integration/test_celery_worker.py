"""A real task, through Redis, to a real Celery worker process, against PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from itrm.tasks import probe
from stakeholders.models import BusinessLine

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


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
