"""A real Celery worker process, fed through Redis, reading the PostgreSQL test database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from itrm.celery import app
from tests.helpers import need

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def start_worker(transactional_db) -> Iterator[Callable[[], tuple[str, subprocess.Popen[str]]]]:
    """Start worker processes on a queue of their own; all are stopped after the test."""
    need(bool(settings.REDIS_URL), "REDIS_URL is not set: no broker for a real worker")
    need(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    db = connection.settings_dict
    # The worker must see the test database, not the development one.
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    queue = f"itrm-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # Tasks that tasks send (a chord's parts and callback) stay on this worker's queue.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    processes: list[subprocess.Popen[str]] = []

    def start() -> tuple[str, subprocess.Popen[str]]:
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
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        processes.append(process)
        return queue, process

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield start
    finally:
        app.conf.task_always_eager = eager
        for process in processes:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture
def worker(start_worker) -> str:
    queue, _ = start_worker()
    return queue
