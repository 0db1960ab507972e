from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def queries_for(client: Client, url: str, **params: Any) -> int:
    """How many SQL queries one GET of ``url`` runs (after a warm-up request)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def need(condition: bool, reason: str) -> None:
    """Skip a test whose real dependency is missing; under CI a missing one is a failure."""
    import os

    import pytest

    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)
