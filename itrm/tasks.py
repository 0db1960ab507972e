"""Operational tasks of the portal itself."""

from __future__ import annotations

import socket
from typing import TypedDict

from celery import shared_task

from stakeholders.models import BusinessLine


class ProbeResult(TypedDict):
    worker: str
    business_lines: int


@shared_task(acks_late=True)
def probe() -> ProbeResult:
    """A round trip broker → worker → database → result backend, for `manage.py probe_worker`."""
    return {"worker": socket.gethostname(), "business_lines": BusinessLine.objects.count()}
