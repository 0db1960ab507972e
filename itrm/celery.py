"""The Celery application. Tasks are thin: they load by id and call one service."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itrm.settings")

app = Celery("itrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _preload_analysis(**_: Any) -> None:
    """Import the trend analysis (scikit-learn, scipy: seconds) once in the worker's main
    process, before it forks its pool, instead of in every child on its first line task."""
    import django

    django.setup()  # a no-op when Celery's Django fix-up has already done it
    import incidents.analysis.pipeline  # noqa: F401
