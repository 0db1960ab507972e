"""The Celery application. Tasks are thin: they load by id and call one service."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itrm.settings")

app = Celery("itrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
